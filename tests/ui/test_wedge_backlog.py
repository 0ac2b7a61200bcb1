"""The wedge path while the app is behind: keys stamped when they arrived are framed by
their own times, not by how late the app gets to them."""

from __future__ import annotations

import time

from omnipos_tui.ui.actions import EnterCode
from omnipos_tui.ui.app import WEDGE_QUIET_S
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.wedge import WedgeDetector

from .fakes import AppFactory, FakeSale


async def test_a_scan_that_waited_in_the_queue_is_still_one_scan(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app(wedge=WedgeDetector(max_gap_ms=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1043", "enter", *"1234", "enter")
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        at = time.monotonic() - 1.0  # the keys arrived a second ago, 2 ms apart
        for digit in "7038010009457":
            app.route_key(digit, digit, at)
            at += 0.002
            await pilot.pause(0.03)  # the loop turns between the keys it catches up on
        app.route_key("enter", "\r", at)
        await pilot.pause()
        assert sale.actions == [(EnterCode(code="7038010009457", scanned=True), None)]


async def test_typed_digits_still_reach_the_entry_once_the_app_is_quiet(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app(wedge=WedgeDetector(max_gap_ms=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1043", "enter", *"1234", "enter")
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.route_key("3", "3", time.monotonic() - 1.0)
        await pilot.pause(WEDGE_QUIET_S * 3)
        app.route_key("asterisk", "*", time.monotonic())
        app.route_key("enter", "\r", time.monotonic())
        await pilot.pause()
        assert sale.actions == []
        assert isinstance(app.screen, SaleScreen)
        assert app.screen.entry.text().startswith("3 ×")
