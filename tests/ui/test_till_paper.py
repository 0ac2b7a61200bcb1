"""The real till and paper after money through the outbox: the till delivers its register's
receipt, drawer kick and display after each sale and, when it starts, what a crash left; the
screen only shows the outcome."""

from __future__ import annotations

from pathlib import Path

from omnipos_tui.core.errors import DrawerError
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.services.sales import completion, opening, payments, receipts, ringing
from omnipos_tui.services.sales.paper import DISPLAY, DRAWER, RECEIPT
from omnipos_tui.ui.screens.sale import SaleScreen

from .till_shop import (
    CASHIER,
    MILK,
    drawer,
    log_in,
    make_till,
    open_shop,
    receipt_printer,
    scan,
    settle,
)


def _warning(screen: SaleScreen) -> str:
    return str(screen.query_one("#sale-warning").render())


async def test_a_sale_at_the_till_is_printed_from_its_outbox_rows_once(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("plus", "f9")
        await settle(pilot)
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    with services.units(read_only=True) as uow:
        rows = {row.message.kind: row for row in uow.outbox.find(receipt)}
    assert {kind: row.state for kind, row in rows.items()} == {
        RECEIPT: OutboxState.DONE,
        DRAWER: OutboxState.DONE,
        DISPLAY: OutboxState.DONE,
    }
    assert [d.title for d in receipt_printer(services).documents] == [f"Salgskvittering {receipt}"]
    assert drawer(services).is_open() is True
    services.close()


async def test_a_till_started_after_a_crash_prints_the_receipt_the_crash_left(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    services.own_devices("1")  # the till that crashed
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    done = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    services.close()  # killed: the paper was queued with the sale, never delivered
    again = open_shop(tmp_path, initialise=False)
    till = make_till(again)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(200):
            if receipt_printer(again).documents:
                break
            await pilot.pause(0.01)
    assert [d.title for d in receipt_printer(again).documents] == [
        f"Salgskvittering {done.receipt_id}"
    ]
    with again.units(read_only=True) as uow:
        row = uow.outbox.get(RECEIPT, done.receipt_id)
    assert row is not None and row.state is OutboxState.DONE
    again.close()


async def test_a_drawer_that_did_not_open_is_named_on_the_warning_row(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)

    def stuck() -> None:
        raise DrawerError("the drawer's solenoid did not answer")

    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        drawer(services).open = stuck  # type: ignore[method-assign]
        await scan(pilot, MILK)
        await pilot.press("plus", "f9")
        await settle(pilot)
        await till.hardware.refresh()
        await pilot.pause()
        assert "Skuffen åpnet ikke" in _warning(screen)
        assert "solenoid" in _warning(screen)
    assert len(receipt_printer(services).documents) == 1  # the receipt still printed
    services.close()
