"""More dialogs on a real shop: a return without receipt (manager), the group picker, the
X report (journaled and printed), cash in, attaching a customer, log out from the menu and
the hardware status. Each checks what the services stored."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, TransactionKind
from omnipos_tui.ui.screens.customer import CustomerScreen
from omnipos_tui.ui.screens.help import HelpScreen
from omnipos_tui.ui.screens.login import LoginScreen
from omnipos_tui.ui.screens.menu_tools import CashMovementScreen, HardwareScreen
from omnipos_tui.ui.screens.open_ring import GroupPickerScreen
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.returns import LooseReturnScreen
from omnipos_tui.ui.screens.sale import SaleScreen

from .dialog_shop import (
    COLA,
    MANAGER,
    MANAGER_PIN,
    events,
    log_in,
    open_shop,
    scan,
    settle,
    till_for,
    type_keys,
)


async def test_a_return_without_receipt_needs_a_manager_and_keeps_the_reason(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f7", "0", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LooseReturnScreen)
        await pilot.press("2", "asterisk")
        till.app.deliver_scan(scan(COLA))
        await settle(pilot)
        await pilot.press("1")  # faulty item
        await settle(pilot)
        assert isinstance(pilot.app.screen, OverrideScreen)
        await type_keys(pilot, MANAGER)
        await pilot.press("enter")
        await type_keys(pilot, MANAGER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        lines = till.session.sale().lines()
    assert [(ln.kind, ln.name, ln.quantity) for ln in lines] == [
        (LineKind.RETURN, "Coca-Cola 0,5 l", Decimal(-2))
    ]


async def test_a_group_number_the_shop_lacks_is_refused_in_the_list_and_another_picks(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, "50")
        await pilot.press("f3", "7")  # the shop has three groups
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, GroupPickerScreen)
        assert [g.code for g in picker.groups] == ["10", "20", "30"]
        assert "Ingen gruppe 7" in str(picker.query_one(".dialog-message").render())
        await pilot.press("3")
        await settle(pilot)
        lines = till.session.sale().lines()
    assert [(ln.group_code, ln.amount.ore) for ln in lines] == [("30", 5000)]


async def test_the_x_report_is_journaled_and_printed(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "1")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
    assert [e.code.predefined for e in events(services, EventCode.X_REPORT)] == ["13008"]
    printer = services.devices().printers["receipt"]
    titles = [doc.title for doc in getattr(printer, "documents", [])]
    assert any("X" in title for title in titles), titles


async def test_cash_in_takes_an_amount_and_a_reason(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "6")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CashMovementScreen)
        await pilot.press("enter")  # no amount: refused, the dialog stays
        assert isinstance(pilot.app.screen, CashMovementScreen)
        await type_keys(pilot, "500")
        await pilot.press("enter")
        await type_keys(pilot, "Veksel fra banken")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        drawer = services.devices().drawer
        assert drawer is not None
        opened = drawer.is_open()
    assert opened is True
    moved = [tx for tx in services.journal.transactions("1") if tx.kind is TransactionKind.CASH_IN]
    assert [(tx.total.ore, tx.note) for tx in moved] == [(50000, "Veksel fra banken")]


async def test_a_customer_found_by_name_is_attached_to_the_sale(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "c")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CustomerScreen)
        await type_keys(pilot, "sols")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        customer = till.session.sale().customer
    assert customer == "20001"


async def test_log_out_from_the_menu_is_journaled_and_locks_the_till(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "0")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LoginScreen)
    assert [e.employee for e in events(services, EventCode.LOGOUT)] == ["1"]
    assert services.register.status("1").employee is None


async def test_hardware_status_lists_every_configured_device(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "9")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HardwareScreen)
        checks = screen.checks
    assert checks is not None
    assert {c.device.role for c in checks} >= {"printer", "drawer", "terminal"}
    assert all(c.ok for c in checks if c.device.kind == "simulated")


async def test_the_hardware_screen_speaks_bokmal(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "9")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HardwareScreen)
        out = Console(width=78, record=True, file=io.StringIO())
        out.print(screen.body())
        out.print(screen.hint())
        shown = out.export_text()
    words = set(re.findall(r"[A-Za-zÆØÅæøå]+", shown.lower()))
    english = {"ready", "simulated", "receipt", "printer", "drawer", "terminal", "display",
               "scanner", "none", "not", "configured", "device", "kind", "state",
               "close", "check", "again", "reports"}  # fmt: skip
    assert words & english == set(), shown
    for bokmal in ("Kvitteringsskriver", "Kassaskuff", "Betalingsterminal", "Klar", "simulert"):
        assert bokmal in shown, shown


async def test_search_still_works_with_the_drawer_open_but_selling_from_it_is_refused(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        till.session.drawer_open = True  # what the drawer sensor reported
        await type_keys(pilot, "kaf")
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SaleScreen)
        event = screen.view.last_event
        entries = till.session.sale().entries
    assert entries == ()
    assert event is not None
    assert (event.text, event.ok) == ("Lukk kassaskuffen", False)


async def test_a_scan_while_the_menu_is_open_waits_and_is_sold_when_it_closes(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12")
        await settle(pilot)
        till.app.deliver_scan(scan(COLA))
        await settle(pilot)
        waiting = till.app.queued_scans
        before = till.session.sale().entries
        await pilot.press("escape")
        await settle(pilot)
        after = [ln.name for ln in till.session.sale().lines()]
    assert (waiting, before) == (1, ())
    assert after == ["Coca-Cola 0,5 l"]


async def test_a_pro_forma_receipt_is_journaled_13015_and_printed(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        till.app.deliver_scan(scan(COLA))
        await settle(pilot)
        await pilot.press("f12", "4")
        await settle(pilot)
        still_open = till.session.sale().lines()
    assert [e.code.predefined for e in events(services, EventCode.PROFORMA_RECEIPT)] == ["13015"]
    assert len(still_open) == 1
    printer = services.devices().printers["receipt"]
    assert len(getattr(printer, "documents", [])) == 1


async def test_f1_inside_a_dialog_shows_the_keys_and_esc_returns_to_the_dialog(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await settle(pilot)
        dialog = pilot.app.screen
        await pilot.press("f1")
        await settle(pilot)
        help_open = isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        back = pilot.app.screen
    assert help_open
    assert back is dialog
