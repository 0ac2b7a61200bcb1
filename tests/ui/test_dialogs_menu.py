"""Returns and the F12 menu on a real shop: Z refused with a parked sale then made with a
count, a copy receipt once then refused, training mode on with red bars, returns linked to
the original receipt. Each test checks the journal or the stored sale, not only the screen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import completion, opening, parking, payments, ringing
from omnipos_tui.services.sales import returns as sale_returns
from omnipos_tui.ui.screens.cash_count import CashCountScreen, ReportScreen
from omnipos_tui.ui.screens.menu import MenuScreen
from omnipos_tui.ui.screens.menu_tools import ReceiptNumberScreen
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.returns import ReturnScreen
from omnipos_tui.ui.screens.sale import SaleScreen

from .dialog_shop import (
    CASHIER,
    COLA,
    MANAGER,
    MANAGER_PIN,
    MILK,
    events,
    log_in,
    open_shop,
    scan,
    settle,
    till_for,
    type_keys,
)


def sold_for_cash(services: Services, *codes: str) -> str:
    """A completed cash sale of ``codes`` by the cashier; its receipt id."""
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    for code in codes:
        ringing.add_item(services.sales, sale.sale_id, code, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    return completion.complete(services.sales, sale.sale_id, employee=CASHIER).receipt_id


async def test_a_return_with_the_receipt_adds_lines_linked_to_the_original(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    receipt = sold_for_cash(services, MILK, MILK, COLA)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f7")
        till.app.deliver_scan(scan(receipt))
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReturnScreen)
        assert [(ln.line_no, ln.name, ln.left) for ln in screen.lines.items] == [
            (1, "Tine Lettmelk 1 l", Decimal(1)),
            (2, "Tine Lettmelk 1 l", Decimal(1)),
            (3, "Coca-Cola 0,5 l", Decimal(1)),
        ]
        await pilot.press("down", "2", "asterisk")  # more than is left: refused on the spot
        assert screen.picked == {}
        await pilot.press("1", "asterisk", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        sale = till.session.sale()
    returns = [ln for ln in sale.lines() if ln.kind is LineKind.RETURN]
    assert [(ln.name, ln.quantity, ln.amount.ore) for ln in returns] == [
        ("Tine Lettmelk 1 l", Decimal(-1), -2190)
    ]
    left = sale_returns.returnable_lines(services.sales, receipt)
    assert [ln.left for ln in left] == [1, 1, 1]  # not yet: the return sale is open
    sale_id = sale.sale_id
    payments.pay(services.sales, sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(services.sales, sale_id, employee=CASHIER)
    # Completed, the return is linked to line 2 of the original receipt.
    assert [ln.left for ln in sale_returns.returnable_lines(services.sales, receipt)] == [1, 0, 1]


async def test_z_is_refused_with_a_parked_sale_then_made_with_the_counted_cash(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    sold_for_cash(services, COLA)  # 29,90 in cash
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, MILK)
        await pilot.press("enter", "f5", "enter")  # park it
        await settle(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SaleScreen)
        refusal = screen.view.last_event
        assert refusal is not None
        assert not refusal.ok
        assert "1 parkert" in refusal.text
        assert services.reports.last_z("1") is None
        await pilot.press("f6", "enter")  # recall it and sell it for cash
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        parked_after = parking.parked(services.sales, "1")
        await pilot.press("f12", "2")
        await settle(pilot)
        count = pilot.app.screen
        assert isinstance(count, CashCountScreen)
        await pilot.press("down", "down", "down", "down", "down", "2")  # 2 × 20 kr
        await pilot.press("end", "enter")
        await settle(pilot)
        shown = pilot.app.screen
        assert isinstance(shown, ReportScreen)
        await pilot.press("escape")
        await settle(pilot)
    assert parked_after == []
    z = services.reports.last_z("1")
    assert z is not None
    assert [(c.tender, c.expected, c.counted) for c in z.cash_counts] == [
        (TenderKind.CASH, Money(3000 + 2200), Money(4000))  # cash rounds to whole kr
    ]
    assert [e.code.predefined for e in events(services, EventCode.Z_REPORT)] == ["13009"]


async def test_a_copy_receipt_is_printed_once_and_a_second_is_refused(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    receipt = sold_for_cash(services, MILK)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MenuScreen)
        await pilot.press("3")
        await settle(pilot)
        ask = pilot.app.screen
        assert isinstance(ask, ReceiptNumberScreen)
        assert ask.last == receipt
        await pilot.press("enter")  # Enter alone: the last receipt
        await settle(pilot)
        first = pilot.app.screen
        assert isinstance(first, SaleScreen)
        first_event = first.view.last_event
        await pilot.press("f12", "3")
        await type_keys(pilot, receipt.split("-")[1])  # typed digits: this till's receipt
        await pilot.press("enter")
        await settle(pilot)
        second = pilot.app.screen
        assert isinstance(second, SaleScreen)
        second_event = second.view.last_event
    assert first_event is not None
    assert first_event.ok
    assert second_event is not None
    assert not second_event.ok
    assert "only one" in second_event.text or "allerede" in second_event.text
    copies = events(services, EventCode.COPY_RECEIPT)
    assert [e.code.predefined for e in copies] == ["13014"]
    printer = services.devices().printers["receipt"]
    assert any("KOPI" in str(doc) for doc in getattr(printer, "documents", []))


async def test_training_mode_needs_a_manager_and_shows_the_red_bars(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "5")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OverrideScreen)
        till.app.deliver_scan(scan(MANAGER))  # a manager card fills the number
        await type_keys(pilot, MANAGER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SaleScreen)
        view = screen.view
        bar = str(screen.query_one("#sale-warning").render())
    assert view.training
    assert till.session.sale().training
    assert services.register.status("1").training
    assert "TRENING" in bar
    switched = events(services, EventCode.TRAINING_ON)
    assert [e.code.predefined for e in switched] == ["13023"]
    assert "godkjent av 2" in switched[0].text
