"""Defects a newcomer's shift found at the till (issue 10, items 1, 2 and 4), on the real
till over a real SQLite shop: the simulated drawer after a no-sale, the big total after a
recall, and a typed receipt number with its dash in the return dialog."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.pilot import Pilot

from omnipos_tui.services.sales import receipts
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.park import RecallScreen
from omnipos_tui.ui.screens.returns import ReturnScreen

from .till_shop import (
    COLA,
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


async def approve(pilot: Pilot[None]) -> None:
    """The manager approves the override on screen."""
    assert isinstance(top(pilot), OverrideScreen)
    await pilot.press(*MANAGER, "enter", *MANAGER_PIN, "enter")
    await settle(pilot)


async def until_shut(services_drawer: object, patience: float = 30.0) -> None:
    """Wait (without asserting on time) until the simulated drawer says shut."""
    is_open = getattr(services_drawer, "is_open")  # noqa: B009 - typed loosely on purpose
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while is_open() and loop.time() < deadline:
        await asyncio.sleep(0.02)


async def test_the_simulated_drawer_shuts_itself_after_a_no_sale_as_after_a_sale(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, drawer_close_s=0.2)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await pilot.press("f8", "2")  # no sale, reason "Kontroll"
        await settle(pilot)
        await approve(pilot)
        sim = drawer(services)
        assert sim.openings == 1
        await until_shut(sim)
        await till.hardware.refresh()
        await scan(pilot, MILK)
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l"]
        assert screen.view.warning == ""
    services.close()


async def test_a_drawer_left_open_is_not_shut_by_the_till(tmp_path: Path) -> None:
    services = open_shop(tmp_path, drawer_close_s=0)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8", "2")
        await settle(pilot)
        await approve(pilot)
        await till.hardware.refresh()
        await scan(pilot, MILK)
        assert open_sale(till).entries == ()
        assert drawer(services).is_open() is True
    services.close()


async def test_a_recalled_sale_shows_its_own_amount_to_pay_not_the_last_sales_change(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f5", "enter")  # park without a note
        await settle(pilot)
        await scan(pilot, COLA)
        await pilot.press("5", "0", "f9")
        await settle(pilot)
        assert screen.view.totals.change_text == "20,00"
        drawer(services).close()
        await till.hardware.refresh()
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(top(pilot), RecallScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert top(pilot) is screen
        assert screen.view.totals.change_text == ""
        assert screen.view.totals.total_text == "21,90"
        rendered = str(screen.query_one("#sale-totals").render())
        assert "VEKSEL" not in rendered
        assert "Å BETALE" in rendered
    services.close()


async def test_a_receipt_number_typed_with_its_dash_in_the_return_finds_that_receipt(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services, debounce_s=0)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        for _ in range(2):  # receipts 1-1 and 1-2
            await scan(pilot, MILK)
            await pilot.press("f9")
            await settle(pilot)
            drawer(services).close()
            await till.hardware.refresh()
        assert receipts.last_receipt_id(services.sales, "1") == "1-2"
        await pilot.press("f7", "1", "minus", "2")
        assert screen.entry.text().endswith("1-2_")
        await pilot.press("enter")
        await settle(pilot)
        dialog = top(pilot)
        assert isinstance(dialog, ReturnScreen), str(screen.query_one("#sale-last-event").render())
        assert dialog.receipt == "1-2"
    services.close()
