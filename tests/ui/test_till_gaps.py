"""The real till on a real SQLite shop: the gaps closed after phase 2 (the shop's name in
the headers, an unknown scan blocking payment, ...), each checked through the services and
the journal as well as on screen."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import (
    AuthenticationError,
    EmployeeLocked,
    PermissionDenied,
    PosError,
)
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import completion, opening, payments, receipts, ringing
from omnipos_tui.ui.screens.login import LoginScreen
from omnipos_tui.ui.screens.menu import MenuScreen
from omnipos_tui.ui.screens.menu_tools import PrintQueueScreen, unprinted_receipt
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.returns import LooseReturnScreen, ReturnScreen, is_receipt_code
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.wiring import Till

from .till_shop import (
    CASHIER,
    CASHIER_PIN,
    COLA,
    MANAGER,
    MANAGER_PIN,
    MILK,
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

UNKNOWN = "7040000000001"


def last_event(screen: SaleScreen) -> str:
    return str(screen.query_one("#sale-last-event").render())


def warning_row(screen: SaleScreen) -> str:
    return str(screen.query_one("#sale-warning").render())


def journal_size(till: Till) -> int:
    return len(list(till.session.services.journal.events("1")))


async def test_the_lock_screen_and_the_sale_screen_name_the_shop(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    assert services.register.status("1").shop_name == "Testbutikken AS"
    async with till.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        login = top(pilot)
        assert isinstance(login, LoginScreen)
        header = str(login.query_one("#login-header").render())
        assert "OmniPOS · Kasse 1 · Testbutikken AS" in header
        assert header.count("Kasse 1") == 1
        screen = await log_in(pilot)
        assert screen.view.header.shop == "Testbutikken AS"
        sale_header = str(screen.query_one("#sale-header").render())
        # The shop's name comes last: at 80 columns a long name is cropped, never the
        # receipt number.
        assert sale_header.startswith("Kasse 1 · Kari (1) · Salg 000001 · Testbut")
    services.close()


async def test_an_unknown_scan_blocks_every_payment_key_until_minus_removes_it(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, UNKNOWN)
        assert till.session.unresolved_scan == UNKNOWN
        for key in ("plus", "f9", "f10", "f11"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(top(pilot), SaleScreen), key
            assert f"Ukjent strekkode {UNKNOWN}: trykk - for å fjerne" in last_event(screen), key
        assert open_sale(till).payments == ()
        assert not screen.view.payment
        before = journal_size(till)
        await pilot.press("minus")
        await settle(pilot)
        # No line existed: the milk is still live, nothing was journaled.
        assert f"Ukjent strekkode {UNKNOWN} fjernet" in last_event(screen)
        assert journal_size(till) == before
        sale = open_sale(till)
        assert [(e.kind, e.name) for e in sale.entries] == [(LineKind.ITEM, "Tine Lettmelk 1 l")]
        assert till.session.unresolved_scan is None
        await pilot.press("f9")
        await settle(pilot)
    completed = till.checkout.last_completed
    assert completed is not None
    assert [p.tender for p in completed.transaction.payments] == [TenderKind.CASH]
    services.close()


async def test_an_unknown_scan_rung_by_group_with_f3_unblocks_payment(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, UNKNOWN)
        await pilot.press("2", "9", "comma", "9", "0", "f3", "2")
        await settle(pilot)
        assert till.session.unresolved_scan is None
        (line,) = open_sale(till).lines()
        assert (line.group_code, line.amount) == ("20", Money(2990))
        await pilot.press("f9")
        await settle(pilot)
        assert "Ukjent" not in last_event(screen)
    completed = till.checkout.last_completed
    assert completed is not None
    assert completed.transaction.total == Money(2990)
    services.close()


async def test_a_typed_unknown_code_is_refused_but_does_not_block_payment(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press(*"99999", "enter")
        await settle(pilot)
        assert till.session.unresolved_scan is None
        await pilot.press("f9")
        await settle(pilot)
    assert till.checkout.last_completed is not None
    services.close()


async def test_a_receipt_that_will_never_print_is_discarded_from_the_queue_with_13030(
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
        assert screen.view.header.printer_queue == 1
        drawer(services).close()
        await till.hardware.refresh()
        await pilot.press("f12", "8")
        await settle(pilot)
        queue_screen = top(pilot)
        assert isinstance(queue_screen, PrintQueueScreen)
        await pilot.press("minus")
        await settle(pilot)
        # One press only asks: nothing is journaled or dropped yet.
        assert list(services.journal.events("1", codes=[EventCode.NO_PRINT])) == []
        assert len(services.devices().print_queue.pending("receipt")) == 1
        await pilot.press("minus")
        await settle(pilot)
        assert services.devices().print_queue.pending("receipt") == []
        (event,) = services.journal.events("1", codes=[EventCode.NO_PRINT])
        assert event.payload["receipt"] == receipt
        assert event.employee == "1"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.view.header.printer_queue == 0
    services.close()


def test_only_an_original_receipt_job_names_a_receipt_to_journal() -> None:
    assert unprinted_receipt("Salgskvittering 1-123") == "1-123"
    assert unprinted_receipt("Salgskvittering 1-123 KOPI") is None
    assert unprinted_receipt("X-rapport") is None


async def test_a_receipt_barcode_scanned_during_a_sale_offers_the_return_of_that_receipt(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f9")
        await settle(pilot)
        receipt = receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None and is_receipt_code(receipt)
        drawer(services).close()
        await till.hardware.refresh()
        await scan(pilot, receipt)
        await settle(pilot)
        returns = top(pilot)
        assert isinstance(returns, ReturnScreen)
        assert returns.receipt == receipt
        await pilot.press("1", "asterisk", "enter")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
        (line,) = open_sale(till).lines()
    assert (line.kind, line.returns_receipt, line.amount) == (
        LineKind.RETURN,
        receipt,
        Money(-2190),
    )
    assert till.session.unresolved_scan is None
    services.close()


async def test_an_employee_card_scanned_during_a_sale_is_refused_and_switches_nobody(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, "9")  # the admin's card: no product has that code
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
        assert "Ansattkort: bruk det i godkjenning" in last_event(screen)
        assert till.session.employee_number == "1"
        assert till.session.unresolved_scan is None
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l"]
    services.close()


def test_only_a_register_dash_number_code_is_a_receipt_barcode() -> None:
    assert is_receipt_code("1-123")
    assert is_receipt_code("K2-7")
    assert not is_receipt_code("7038010009457")
    assert not is_receipt_code("1-")
    assert not is_receipt_code("-12")
    assert not is_receipt_code("a b-12")


async def test_a_drawer_left_open_past_the_setting_gets_the_standing_close_warning(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    assert services.settings.till.drawer_open_warning_s == 30
    clock = services.clock
    assert isinstance(clock, FixedClock)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        drawer(services).open()
        await till.hardware.refresh()
        await pilot.pause()
        assert "Kassaskuffen er åpen" in warning_row(screen)
        clock.advance(timedelta(seconds=29))
        await till.hardware.refresh()
        await pilot.pause()
        assert "Lukk kassaskuffen" not in warning_row(screen)
        clock.advance(timedelta(seconds=1))
        await till.hardware.refresh()
        await pilot.pause()
        assert "Lukk kassaskuffen" in warning_row(screen)
        await scan(pilot, MILK)  # still refused while it is open
        assert open_sale(till).entries == ()
        drawer(services).close()
        await till.hardware.refresh()
        await pilot.pause()
        assert drawer(services).is_open() is False
        assert "kassaskuffen" not in warning_row(screen).lower()
        # A new opening starts its own count.
        drawer(services).open()
        await till.hardware.refresh()
        await pilot.pause()
        assert "Kassaskuffen er åpen" in warning_row(screen)
    services.close()


async def test_a_wrong_manager_pin_in_the_override_is_journaled_with_the_count(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8", "1")
        await settle(pilot)
        assert isinstance(top(pilot), OverrideScreen)
        await pilot.press(*MANAGER, "enter", "1", "1", "1", "1", "enter")
        await settle(pilot)
        assert isinstance(top(pilot), OverrideScreen)
        (failed,) = services.journal.events("1", codes=[EventCode.OVERRIDE_FAILED])
        assert failed.code.predefined == "13999"
        assert failed.employee == CASHIER
        assert (failed.payload["approver"], failed.payload["reason"]) == (MANAGER, "wrong PIN")
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
    (opened,) = services.journal.events("1", codes=[EventCode.DRAWER_OPEN_NO_SALE])
    assert opened.payload["approved_by"] == MANAGER
    assert len(list(services.journal.events("1", codes=[EventCode.OVERRIDE_FAILED]))) == 1
    services.close()


def test_every_failed_approval_is_journaled_with_its_reason(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    register = services.register

    def attempt(number: str, pin: str) -> type[Exception]:
        try:
            register.approve("1", number, pin, employee=CASHIER, action="Rabatt 30 %")
        except PosError as error:
            return type(error)
        raise AssertionError("approved")

    assert attempt("77", "1234") is AuthenticationError
    assert attempt(CASHIER, CASHIER_PIN) is PermissionDenied
    for _ in range(4):
        assert attempt(MANAGER, "0000") is AuthenticationError
    assert attempt(MANAGER, "0000") is EmployeeLocked
    assert attempt(MANAGER, MANAGER_PIN) is EmployeeLocked
    reasons = [
        e.payload["reason"] for e in services.journal.events("1", codes=[EventCode.OVERRIDE_FAILED])
    ]
    assert reasons == [
        "unknown number",
        "not a manager",
        *["wrong PIN"] * 4,
        "wrong PIN, locked",
        "locked",
    ]
    services.close()


async def test_the_return_key_twice_is_the_visible_return_without_a_receipt(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await pilot.press("f7")
        entry = str(screen.query_one("#sale-entry").render())
        assert "F7 igjen = uten kvittering, leder" in entry
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(top(pilot), LooseReturnScreen)
        await scan(pilot, COLA)
        await settle(pilot)
        await pilot.press("1")  # faulty item
        await settle(pilot)
        assert isinstance(top(pilot), OverrideScreen)
        await pilot.press(*MANAGER, "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
        (line,) = open_sale(till).lines()
    assert (line.kind, line.name, line.quantity, line.returns_receipt) == (
        LineKind.RETURN,
        "Coca-Cola 0,5 l",
        Decimal(-1),
        None,
    )
    services.close()


async def test_a_restarted_till_reads_the_report_period_while_the_menu_is_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services = open_shop(tmp_path)
    for code in (MILK, COLA):
        sale = opening.resume_or_open(services.sales, "1", CASHIER)
        ringing.add_item(services.sales, sale.sale_id, code, employee=CASHIER)
        payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
        completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    services.close()
    restarted = open_shop(tmp_path, initialise=False)
    till = make_till(restarted)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            await settle(pilot)
            assert not _line_reads(caplog)  # nothing read ahead at start or log-in
            await pilot.press("f12")
            await settle(pilot)
            assert isinstance(top(pilot), MenuScreen)
            assert _line_reads(caplog)
            caplog.clear()
            report = restarted.reports.x_report("1", employee=MANAGER)
            assert not _line_reads(caplog)
    assert report.receipt_count == 2


def _line_reads(caplog: pytest.LogCaptureFixture) -> int:
    return sum(_reads_lines(r.getMessage()) for r in caplog.records)


def _reads_lines(sql: str) -> bool:
    return sql.lstrip("('\"").startswith("SELECT") and "transaction_line" in sql
