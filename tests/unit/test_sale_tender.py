"""Tender rules: cash with change and rounding to whole kroner, exact tenders, refunds."""

from __future__ import annotations

import pytest

from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.tender import cash_due, take_cash, take_exact


@pytest.mark.parametrize(
    ("remaining", "due"),
    [(29540, 29500), (29550, 29600), (29549, 29500), (40, 0), (-29540, -29500), (-29550, -29600)],
)
def test_cash_due_rounds_to_whole_kroner_half_away_from_zero(remaining: int, due: int) -> None:
    assert cash_due(Money(remaining)) == Money(due)


def test_exact_cash_settles_with_rounding_and_no_change() -> None:
    taken = take_cash(Money(29540), employee="1")
    assert (taken.payment.amount, taken.payment.tendered, taken.rounding) == (
        Money(29500),
        None,
        Money(-40),
    )
    assert taken.payment.change == Money(0)


def test_a_large_note_settles_and_the_rest_is_change() -> None:
    taken = take_cash(Money(29550), Money(50000), employee="1", reference="p-1")
    assert (taken.payment.amount, taken.payment.change, taken.rounding) == (
        Money(29600),
        Money(20400),
        Money(50),
    )
    assert taken.payment.reference == "p-1"


def test_too_little_cash_is_a_part_payment_without_rounding() -> None:
    taken = take_cash(Money(29540), Money(20000), employee="1")
    assert (taken.payment.amount, taken.rounding) == (Money(20000), Money(0))


def test_cash_under_half_a_krone_settles_with_a_zero_payment() -> None:
    taken = take_cash(Money(30), employee="1")
    assert (taken.payment.amount, taken.rounding) == (Money(0), Money(-30))


@pytest.mark.parametrize("cash", [Money(0), Money(-100), Money(1050)])
def test_cash_is_a_positive_whole_number_of_kroner(cash: Money) -> None:
    with pytest.raises(InvalidInput):
        take_cash(Money(10000), cash, employee="1")


def test_paying_out_cash_rounds_and_refuses_more_than_owed() -> None:
    taken = take_cash(Money(-4360), employee="1")
    assert (taken.payment.amount, taken.rounding) == (Money(-4400), Money(-40))
    part = take_cash(Money(-4360), Money(2000), employee="1")
    assert (part.payment.amount, part.rounding) == (Money(-2000), Money(0))
    with pytest.raises(InvalidInput, match="only 44,00"):
        take_cash(Money(-4360), Money(5000), employee="1")


def test_nothing_left_means_no_tender() -> None:
    with pytest.raises(RuleViolation):
        take_cash(Money(0), employee="1")
    with pytest.raises(RuleViolation):
        take_exact(Money(0), TenderKind.CARD, Money(100), employee="1")


def test_an_exact_tender_keeps_the_terminal_details() -> None:
    payment = take_exact(
        Money(8680),
        TenderKind.CARD,
        Money(5000),
        employee="1",
        reference="p-2",
        terminal_transaction_id="BAX 568833",
        masked_card="************1234",
    )
    assert (payment.amount, payment.terminal_transaction_id, payment.masked_card) == (
        Money(5000),
        "BAX 568833",
        "************1234",
    )


def test_exact_tenders_refuse_cash_zero_wrong_sign_and_overpayment() -> None:
    with pytest.raises(InvalidInput, match="take_cash"):
        take_exact(Money(100), TenderKind.CASH, Money(100), employee="1")
    with pytest.raises(InvalidInput, match="needs an amount"):
        take_exact(Money(100), TenderKind.MOBILE, Money(0), employee="1")
    with pytest.raises(InvalidInput, match="refund"):
        take_exact(Money(-100), TenderKind.CARD, Money(100), employee="1")
    with pytest.raises(RuleViolation, match="more than"):
        take_exact(Money(100), TenderKind.VOUCHER, Money(101), employee="1")
    refund = take_exact(Money(-100), TenderKind.CARD, Money(-100), employee="1")
    assert refund.amount == Money(-100)
