"""The stand-alone terminal: the till asks the cashier, who answers for the terminal."""

from __future__ import annotations

import pytest

from drivers.terminal import ManualCardRequest, ManualCardTerminal, ManualKind
from omnipos_tui.core.errors import InvalidAmount
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined, CardResult


def test_the_cashier_sees_kind_amount_and_reference_and_their_answer_is_the_result() -> None:
    asked: list[ManualCardRequest] = []

    def cashier(request: ManualCardRequest) -> CardResult:
        asked.append(request)
        return CardApproved(request.amount, "")

    terminal = ManualCardTerminal(cashier)

    assert not terminal.integrated
    assert terminal.authorize(Money(24990), "pay-1") == CardApproved(Money(24990), "")
    assert terminal.refund(Money(100), "ret-1") == CardApproved(Money(100), "")
    assert asked == [
        ManualCardRequest(ManualKind.PURCHASE, Money(24990), "pay-1"),
        ManualCardRequest(ManualKind.REFUND, Money(100), "ret-1"),
    ]


def test_declined_and_cancelled_answers_pass_through() -> None:
    answers: list[CardResult] = [CardDeclined("Avvist"), CardCancelled()]
    terminal = ManualCardTerminal(lambda request: answers.pop(0))

    assert isinstance(terminal.authorize(Money(100), "a"), CardDeclined)
    assert isinstance(terminal.authorize(Money(100), "b"), CardCancelled)


def test_an_approval_of_nothing_counts_as_cancelled() -> None:
    terminal = ManualCardTerminal(lambda request: CardApproved(Money(0), ""))

    assert isinstance(terminal.authorize(Money(100), "c"), CardCancelled)


def test_the_cashier_is_not_asked_about_a_non_positive_amount() -> None:
    asked: list[ManualCardRequest] = []

    def cashier(request: ManualCardRequest) -> CardResult:
        asked.append(request)
        return CardCancelled()

    with pytest.raises(InvalidAmount):
        ManualCardTerminal(cashier).authorize(Money(0), "d")
    assert asked == []
