"""The real till's other ways in and out: the scanner port, F11's tenders, the customer
display after a sale, locking and quitting from the lock screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

from drivers.display import SimulatedCustomerDisplay
from drivers.scanner import SimulatedScanner
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import receipts
from omnipos_tui.ui.screens.login import LoginScreen
from omnipos_tui.ui.screens.other_tender import OtherTenderScreen
from omnipos_tui.ui.screens.quit import QuitScreen

from .till_shop import COLA, MILK, log_in, make_till, open_sale, open_shop, scan, settle, top


async def test_codes_from_the_scanner_port_are_rung_in_order(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        scanner = services.devices().scanner
        assert isinstance(scanner, SimulatedScanner)
        for code in (MILK, COLA, MILK):
            scanner.inject(code)
        for _ in range(100):
            await pilot.pause(0.02)
            if len(open_sale(till).entries) == 3:
                break
        assert [e.name for e in open_sale(till).entries] == [
            "Tine Lettmelk 1 l",
            "Coca-Cola 0,5 l",
            "Tine Lettmelk 1 l",
        ]
    services.close()


async def test_vipps_and_a_gift_voucher_settle_a_sale_through_f11(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, COLA)  # 51,80
        await pilot.press("2", "0", "f11")
        await pilot.pause()
        assert isinstance(top(pilot), OtherTenderScreen)
        await pilot.press("2", *"GK-77", "enter")
        await settle(pilot)
        assert [(p.tender, p.amount, p.reference) for p in open_sale(till).payments] == [
            (TenderKind.VOUCHER, Money(2000), "GK-77")
        ]
        await pilot.press("f11", "1")
        await settle(pilot)
        receipt = receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None
        tx = receipts.transaction(services.sales, receipt)
        assert [(p.tender, p.amount) for p in tx.payments] == [
            (TenderKind.VOUCHER, Money(2000)),
            (TenderKind.MOBILE, Money(3180)),
        ]
        display = services.devices().display
        assert isinstance(display, SimulatedCustomerDisplay)
        assert display.history, "the customer display was not told the sale is done"
    services.close()


async def test_the_customer_account_without_a_customer_is_refused_in_the_dialog(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f11", "3")
        await settle(pilot)
        assert isinstance(top(pilot), OtherTenderScreen)
        assert open_sale(till).payments == ()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(top(pilot), OtherTenderScreen)
    services.close()


async def test_lock_keeps_the_sale_and_the_lock_screen_menu_key_quits_after_1(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        sale_id = till.session.sale_id
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(top(pilot), LoginScreen)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(top(pilot), QuitScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(top(pilot), LoginScreen)
        await log_in(pilot)
        assert till.session.sale_id == sale_id
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l"]
        await pilot.press("ctrl+l", "f12", "1")
        await asyncio.sleep(0.05)
    assert till.app.return_code == 0
    logins = list(services.journal.events("1", codes=[EventCode.LOGIN]))
    assert len(logins) == 2
    services.close()
