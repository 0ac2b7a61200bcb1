"""The card modal in the cases the till's tests had not covered (issue 10, item 26), on the
real till over a real SQLite shop with the simulated terminal: a terminal that is switched
off or unplugged, a card refund through the terminal, a card payment in training mode, and
"check status again" on an unknown payment -- each checked in what was stored."""

from __future__ import annotations

from pathlib import Path

from drivers.terminal import SimulatedCardTerminal
from omnipos_tui.bootstrap import Services
from omnipos_tui.core.ledger.ports import PaymentStatus
from omnipos_tui.core.ledger.transaction import ReceiptSeries, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import payments, receipts
from omnipos_tui.ui.checkout import CardStage
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.payment import CardPaymentScreen
from omnipos_tui.ui.screens.returns import ReturnScreen

from .till_shop import (
    MANAGER,
    MANAGER_PIN,
    MILK,
    drawer,
    log_in,
    make_till,
    open_sale,
    open_shop,
    scan,
    settle,
    top,
)


def terminal(services: Services) -> SimulatedCardTerminal:
    found = services.devices().terminal
    assert isinstance(found, SimulatedCardTerminal)
    return found


def stage_of(card: CardPaymentScreen) -> CardStage:
    """The modal's stage now (read afresh after each key)."""
    return card.stage


def box(card: CardPaymentScreen) -> str:
    return str(card.query_one("#card-box").render())


async def test_a_switched_off_terminal_starts_no_payment_and_the_sale_waits_for_another_tender(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, script="off")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await settle(pilot)
        card = top(pilot)
        assert isinstance(card, CardPaymentScreen)
        assert card.stage is CardStage.FAILED
        assert "Ikke startet" in box(card)
        (tried,) = terminal(services).transactions
        assert tried.result is None
        assert payments.pending_payments(services.sales, "1") == []
        await pilot.press("escape")
        await settle(pilot)
        assert top(pilot) is screen
        assert open_sale(till).payments == ()
        await pilot.press("f9")  # another tender
        await settle(pilot)
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    assert [p.tender for p in tx.payments] == [TenderKind.CASH]
    services.close()


async def test_an_unplugged_terminal_is_said_and_nothing_is_paid(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        terminal(services).unplug()
        await pilot.press("f10")
        await settle(pilot)
        card = top(pilot)
        assert isinstance(card, CardPaymentScreen)
        assert card.stage is CardStage.FAILED
        assert "unplugged" in box(card)
        assert terminal(services).transactions == []
        assert open_sale(till).payments == ()
        await pilot.press("escape")
        terminal(services).plug()
        await pilot.press("f10")  # plugged in again: the same sale is paid by card
        await settle(pilot)
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    assert [p.tender for p in receipts.transaction(services.sales, receipt).payments] == [
        TenderKind.CARD
    ]
    services.close()


async def test_a_card_refund_goes_to_the_terminal_as_a_refund_of_the_returned_amount(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services, debounce_s=0)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")  # the purchase, by card
        await settle(pilot)
        await pilot.press("f7", "1", "enter")  # return it with receipt 1
        await settle(pilot)
        assert isinstance(top(pilot), ReturnScreen)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f10")  # the refund, back to the card
        await settle(pilot)
    purchase, refund = terminal(services).transactions
    assert (purchase.kind, purchase.amount) == ("purchase", Money(2190))
    assert (refund.kind, refund.amount) == ("refund", Money(2190))
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    assert tx.receipt_series == ReceiptSeries.RETURN
    assert [(p.tender, p.amount) for p in tx.payments] == [(TenderKind.CARD, Money(-2190))]
    assert tx.payments[0].terminal_transaction_id == refund.result.transaction_id  # type: ignore[union-attr]
    assert drawer(services).openings == 0  # no cash moved
    services.close()


async def test_a_training_card_payment_never_reaches_the_terminal(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "5")  # training mode on, with a manager
        await settle(pilot)
        assert isinstance(top(pilot), OverrideScreen)
        await pilot.press(*MANAGER, "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await settle(pilot)
    assert terminal(services).transactions == []
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    assert tx.training and tx.receipt_series == ReceiptSeries.TRAINING
    assert [(p.tender, p.terminal_transaction_id) for p in tx.payments] == [
        (TenderKind.CARD, "TRENING")
    ]
    services.close()


async def test_check_status_again_keeps_an_unknown_payment_until_it_is_settled(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, script="silence silence")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await settle(pilot)
        card = top(pilot)
        assert isinstance(card, CardPaymentScreen)
        assert card.stage is CardStage.UNKNOWN
        assert "F5 = sjekk status igjen" in box(card)
        await pilot.press("f5")
        await settle(pilot)
        assert top(pilot) is card and card.stage is CardStage.UNKNOWN
        assert "Fortsatt ukjent" in box(card)
        # Settled meanwhile elsewhere (another till read the terminal's journal): not paid.
        (first,) = payments.pending_payments(services.sales, "1")
        payments.resolve_unknown(
            services.sales, first.reference, paid=False, employee=MANAGER, approved_by=None
        )
        await pilot.press("f5")
        await settle(pilot)
        assert stage_of(card) is CardStage.CANCELLED
        assert "Fortsatt ukjent" not in box(card)
        await pilot.press("escape")
        await settle(pilot)
        assert top(pilot) is screen
        assert open_sale(till).payments == ()
        # A second try is lost too; this time it is settled elsewhere as paid.
        await pilot.press("f10")
        await settle(pilot)
        card = top(pilot)
        assert isinstance(card, CardPaymentScreen) and card.stage is CardStage.UNKNOWN
        (second,) = payments.pending_payments(services.sales, "1")
        payments.resolve_unknown(
            services.sales, second.reference, paid=True, employee=MANAGER, approved_by=None
        )
        await pilot.press("f5")
        await settle(pilot)
        assert top(pilot) is screen
    statuses = [payments.card_payment(services.sales, p.reference).status for p in (first, second)]
    assert statuses == [PaymentStatus.RESOLVED_UNPAID, PaymentStatus.RESOLVED_PAID]
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    assert [p.tender for p in receipts.transaction(services.sales, receipt).payments] == [
        TenderKind.CARD
    ]
    services.close()
