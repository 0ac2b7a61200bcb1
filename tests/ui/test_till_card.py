"""The real till's card payments, printer faults and crash recovery (Pilot on a real SQLite
shop with simulated devices), checked in the stored payments, transactions and journal."""

from __future__ import annotations

import asyncio
from pathlib import Path

from omnipos_tui.core.ledger.ports import PaymentStatus
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import payments, receipts
from omnipos_tui.ui.checkout import CardStage
from omnipos_tui.ui.screens.login import LoginScreen
from omnipos_tui.ui.screens.payment import CardPaymentScreen
from omnipos_tui.ui.views import Light, LightState

from .till_shop import (
    COLA,
    MANAGER,
    MANAGER_PIN,
    MILK,
    HeldTerminal,
    drawer,
    log_in,
    make_till,
    open_sale,
    open_shop,
    receipt_printer,
    scan,
    settle,
    top,
)


async def wait_for_terminal(held: HeldTerminal) -> None:
    """Until the till's worker has asked the stand-alone terminal."""
    await asyncio.to_thread(held.asked.wait, 10)
    held.asked.clear()


async def test_cash_then_card_for_the_rest_completes_one_sale_with_both_tenders(
    tmp_path: Path,
) -> None:
    held = HeldTerminal()
    services = open_shop(tmp_path, terminal="manual", held=held)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, COLA)  # 51,80
        await pilot.press("2", "0", "f9")
        await pilot.pause()
        assert screen.view.payment is not None
        assert screen.view.payment.remaining_text == "31,80"
        await pilot.press("f10")
        await wait_for_terminal(held)
        pending = payments.pending_payments(services.sales, "1")
        assert [(p.amount, p.status) for p in pending] == [(Money(3180), PaymentStatus.PENDING)]
        held.approve(Money(3180))
        await settle(pilot)
        receipt = receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None
        tx = receipts.transaction(services.sales, receipt)
        assert [(p.tender, p.amount) for p in tx.payments] == [
            (TenderKind.CASH, Money(2000)),
            (TenderKind.CARD, Money(3180)),
        ]
        assert tx.payments[1].terminal_transaction_id == "T-1"
        assert payments.pending_payments(services.sales, "1") == []
        assert held.calls[0][1] == Money(3180)
    services.close()


async def test_a_declined_card_pays_nothing_and_the_sale_waits_for_another_tender(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, script="decline")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, CardPaymentScreen)
        assert card.stage is CardStage.DECLINED
        assert "Avvist" in str(card.query_one("#card-box").render())
        await pilot.press("enter")  # Enter closes nothing and pays nothing
        assert pilot.app.screen is card
        await pilot.press("escape")
        await settle(pilot)
        assert top(pilot) is screen
        sale = open_sale(till)
        assert sale.payments == ()
        assert sale.remaining() == Money(2190)
        assert receipts.last_receipt_id(services.sales, "1") is None
        assert screen.view.payment is not None
        assert screen.view.payment.remaining_text == "21,90"
    services.close()


async def test_a_silent_terminal_leaves_the_payment_unknown_until_the_cashier_says_paid(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, script="silence")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await settle(pilot)
        card = pilot.app.screen
        assert isinstance(card, CardPaymentScreen)
        assert card.stage is CardStage.UNKNOWN
        (pending,) = payments.pending_payments(services.sales, "1")
        assert pending.status is PaymentStatus.UNKNOWN
        await pilot.press("escape", "enter", "f9")  # none of these settles it
        await settle(pilot)
        assert isinstance(pilot.app.screen, CardPaymentScreen)
        assert receipts.last_receipt_id(services.sales, "1") is None
        await pilot.press("1")
        await settle(pilot)
        receipt = receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None
        tx = receipts.transaction(services.sales, receipt)
        assert [(p.tender, p.amount) for p in tx.payments] == [(TenderKind.CARD, Money(2190))]
        assert payments.pending_payments(services.sales, "1") == []
    services.close()


async def test_not_paid_after_an_unknown_outcome_needs_a_manager_and_records_who(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, script="silence")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await settle(pilot)
        (pending,) = payments.pending_payments(services.sales, "1")
        await pilot.press("2", *MANAGER, "enter", *"0000", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CardPaymentScreen)
        assert payments.pending_payments(services.sales, "1") != []
        await pilot.press("2", *MANAGER, "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        assert top(pilot) is screen
        assert payments.pending_payments(services.sales, "1") == []
        sale = open_sale(till)
        assert sale.payments == ()
        assert sale.sale_id == pending.sale_id
    services.close()


async def test_a_scan_during_a_card_payment_waits_and_is_rung_after_the_answer(
    tmp_path: Path,
) -> None:
    held = HeldTerminal()
    services = open_shop(tmp_path, terminal="manual", held=held)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await wait_for_terminal(held)
        card = pilot.app.screen
        assert isinstance(card, CardPaymentScreen)
        await scan(pilot, COLA)
        assert till.app.queued_scans == 1
        assert "Skann i kø: 1" in str(card.query_one("#card-box").render())
        first_sale = till.session.sale_id
        held.approve(Money(2190))
        await settle(pilot)
        assert pilot.app.screen is screen
        receipt = receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None
        assert [line.name for line in receipts.transaction(services.sales, receipt).lines] == [
            "Tine Lettmelk 1 l"
        ]
        assert till.session.sale_id != first_sale
        assert [e.name for e in open_sale(till).entries] == ["Coca-Cola 0,5 l"]
    services.close()


async def test_a_printer_offline_at_the_end_of_a_sale_keeps_the_sale_and_queues_the_receipt(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        receipt_printer(services).go_offline()
        await scan(pilot, MILK)
        await pilot.press("f9")
        await settle(pilot)
        receipt = receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None
        assert receipts.transaction(services.sales, receipt).total == Money(2190)
        pending = services.devices().print_queue.pending("receipt")
        assert [job.title for job in pending] == [f"Salgskvittering {receipt}"]
        assert screen.view.header.lights[Light.PRINTER] is LightState.FAULT
        assert screen.view.header.printer_queue == 1
        assert "Kvittering ikke skrevet: 1" in screen.view.warning
        drawer(services).close()  # the cashier shuts the drawer after giving change
        await till.hardware.refresh()
        await scan(pilot, COLA)  # the next customer is served at once
        assert [e.name for e in open_sale(till).entries] == ["Coca-Cola 0,5 l"]
    services.close()


async def test_after_a_crash_the_open_sale_and_the_unknown_card_payment_come_back(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, script="silence")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, COLA)
        await pilot.press("f10")
        await settle(pilot)
        sale_id = till.session.sale_id
    services.close()  # the till is gone without completing or logging out

    again = open_shop(tmp_path, script="approve", initialise=False)
    restarted = make_till(again)
    async with restarted.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await settle(pilot)
        assert restarted.session.sale_id == sale_id
        assert [row.name for row in screen.view.rows] == ["Tine Lettmelk 1 l", "Coca-Cola 0,5 l"]
        card = pilot.app.screen
        assert isinstance(card, CardPaymentScreen)
        assert card.stage is CardStage.UNKNOWN
        await pilot.press("1")
        await settle(pilot)
        receipt = receipts.last_receipt_id(again.sales, "1")
        assert receipt is not None
        tx = receipts.transaction(again.sales, receipt)
        assert tx.total == Money(2190 + 2990)
        assert [p.tender for p in tx.payments] == [TenderKind.CARD]
    again.close()


async def test_the_till_can_be_locked_during_an_outage_and_the_payment_comes_back(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, script="silence")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(top(pilot), LoginScreen)
        assert payments.pending_payments(services.sales, "1")[0].status is PaymentStatus.UNKNOWN
        await log_in(pilot)
        await settle(pilot)
        card = top(pilot)
        assert isinstance(card, CardPaymentScreen)
        assert card.stage is CardStage.UNKNOWN
    services.close()
