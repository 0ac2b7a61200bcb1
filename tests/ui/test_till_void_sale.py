"""Voiding a whole sale at the till (issue 10, item 3), on the real till over a real SQLite
shop: F12 A asks first, a manager approves, the sale becomes a signed voided receipt
(13028) that is printed, and a new sale opens; a sale whose lines are all voided cannot be
"paid", and the till says how to close it instead."""

from __future__ import annotations

from pathlib import Path

from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.services.sales import receipts
from omnipos_tui.services.sales.paper import RECEIPT
from omnipos_tui.ui.screens.confirm import ConfirmScreen
from omnipos_tui.ui.screens.menu import MenuScreen
from omnipos_tui.ui.screens.override import OverrideScreen

from .till_shop import (
    COLA,
    MANAGER,
    MANAGER_PIN,
    MILK,
    log_in,
    make_till,
    open_sale,
    open_shop,
    receipt_printer,
    scan,
    settle,
    top,
)


def event_line(screen: object) -> str:
    from omnipos_tui.ui.screens.sale import SaleScreen

    assert isinstance(screen, SaleScreen)
    return str(screen.query_one("#sale-last-event").render())


async def test_a_sale_with_every_line_voided_cannot_be_paid_and_the_till_names_f12_a(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, COLA)
        await pilot.press("minus", "minus")
        await settle(pilot)
        for key in ("plus", "f9", "f10", "f11"):
            await pilot.press(key)
            await settle(pilot)
            assert top(pilot) is screen, key
            assert "Alle linjene er annullert: annuller hele salget med F12 A" in event_line(
                screen
            ), key
            assert screen.view.payment is None
        assert open_sale(till).payments == ()
        assert receipts.last_receipt_id(services.sales, "1") is None
    services.close()


async def test_an_empty_sale_has_nothing_to_pay(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await pilot.press("plus")
        await settle(pilot)
        assert "Ingenting å betale: skann en vare først" in event_line(screen)
        assert screen.view.payment is None
    services.close()


async def test_f12_a_asks_then_a_manager_voids_the_whole_sale_as_a_signed_voided_receipt(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, COLA)
        await pilot.press("minus")
        await settle(pilot)
        voided_sale = till.session.current_sale_id
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(top(pilot), MenuScreen)
        await pilot.press("a")
        await settle(pilot)
        confirm = top(pilot)
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.lines[0] == "3 linjer (1 ikke annullert), sum 21,90"
        await pilot.press("enter")  # Enter never confirms
        await scan(pilot, MILK)  # a scan is refused, never rung into the voided sale
        assert top(pilot) is confirm
        await pilot.press("escape")
        await settle(pilot)
        assert top(pilot) is screen
        assert till.session.current_sale_id == voided_sale
        await pilot.press("f12", "a")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(top(pilot), OverrideScreen)  # a cashier needs a manager
        await pilot.press(*MANAGER, "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        assert top(pilot) is screen
        receipt = receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None
        assert "Salget er annullert (kvittering 1-1)" in event_line(screen)
        assert till.session.current_sale_id != voided_sale
        assert open_sale(till).entries == ()
        assert screen.view.rows == ()
        tx = receipts.transaction(services.sales, receipt)
        assert tx.voided is True
        assert [line.name for line in tx.lines][:2] == ["Tine Lettmelk 1 l", "Coca-Cola 0,5 l"]
        (event,) = services.journal.events("1", codes=[EventCode.VOID_RECEIPT])
        assert event.code.predefined == "13028"
        assert (event.employee, event.payload["approved_by"]) == ("1", MANAGER)
        printed = [job.title for job in services.devices().print_queue.done()]
        assert printed and receipt in printed[-1]
        assert "ANNULLERT" in receipt_printer(services).documents[-1].text()
        # Through the outbox: the void's commit queued the receipt, the till delivered it.
        with services.units(read_only=True) as uow:
            rows = {row.message.kind: row.state for row in uow.outbox.find(receipt)}
        assert rows == {RECEIPT: OutboxState.DONE}
    services.close()
    # The voided sale does not come back after a restart.
    services = open_shop(tmp_path, initialise=False)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert open_sale(till).entries == ()
        assert till.session.current_sale_id != voided_sale
    services.close()
