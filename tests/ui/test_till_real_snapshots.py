"""How the real till looks while selling and paying: SVG snapshots at 80x24 of the sale
screen, the payment panel, the card modal waiting for the customer, the lock screen, a
return and the group list (a real SQLite shop, simulated devices, a frozen clock)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.clock import FixedClock

from .till_shop import (
    COFFEE,
    COLA,
    MILK,
    HeldTerminal,
    drawer,
    log_in,
    make_till,
    open_shop,
    scan,
    settle,
)

SnapCompare = Callable[..., bool]


async def ring_three(pilot: Pilot[None]) -> None:
    await log_in(pilot)
    await scan(pilot, MILK)
    await pilot.press("2", "asterisk")
    await scan(pilot, COLA)
    await scan(pilot, COFFEE)
    await pilot.press("up", "up", "up", "minus")
    await settle(pilot)


def test_the_real_sale_screen_with_a_voided_line(snap_compare: SnapCompare, tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    assert snap_compare(till.app, run_before=ring_three, terminal_size=(80, 24))
    services.close()


def test_the_payment_panel_after_part_paid_in_cash(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)

    async def part_paid(pilot: Pilot[None]) -> None:
        await ring_three(pilot)
        await pilot.press("5", "0", "f9")
        await settle(pilot)

    assert snap_compare(till.app, run_before=part_paid, terminal_size=(80, 24))
    services.close()


def test_the_card_modal_waiting_for_the_customer(snap_compare: SnapCompare, tmp_path: Path) -> None:
    held = HeldTerminal(patience=2.0)
    services = open_shop(tmp_path, terminal="manual", held=held)
    till = make_till(services)

    async def waiting(pilot: Pilot[None]) -> None:
        await ring_three(pilot)
        await pilot.press("f10")
        await asyncio.to_thread(held.asked.wait, 10)
        await pilot.pause()

    assert snap_compare(till.app, run_before=waiting, terminal_size=(80, 24))
    services.close()


def test_the_lock_screen_after_ctrl_l_is_not_the_log_in_screen(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)

    async def locked(pilot: Pilot[None]) -> None:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("ctrl+l")
        await settle(pilot)

    assert snap_compare(till.app, run_before=locked, terminal_size=(80, 24))
    services.close()


def test_a_return_shows_the_amount_to_pay_back(snap_compare: SnapCompare, tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services, debounce_s=0)

    async def returned(pilot: Pilot[None]) -> None:
        await log_in(pilot)
        await scan(pilot, COFFEE)
        await pilot.press("f9")
        await settle(pilot)
        drawer(services).close()
        await till.hardware.refresh()
        await pilot.press("f7", "1", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(till.app, run_before=returned, terminal_size=(80, 24))
    services.close()


def test_the_group_list_of_a_shop_with_twelve_groups(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    services = open_shop(tmp_path)
    for number in range(30, 130, 10):
        services.catalogue.save_group(ArticleGroup(str(number), f"Gruppe {number}", "04003"))
    till = make_till(services)

    async def picking(pilot: Pilot[None]) -> None:
        await log_in(pilot)
        await pilot.press("1", "4", "9", "comma", "5", "0", "f3", "1")
        await settle(pilot)

    assert snap_compare(till.app, run_before=picking, terminal_size=(80, 24))
    services.close()


def test_the_question_before_voiding_the_whole_sale(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)

    async def asking(pilot: Pilot[None]) -> None:
        await ring_three(pilot)
        await pilot.press("f12", "a")
        await settle(pilot)

    assert snap_compare(till.app, run_before=asking, terminal_size=(80, 24))
    services.close()


def test_the_question_before_a_z_report_over_yesterdays_sales(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)

    async def asking(pilot: Pilot[None]) -> None:
        await ring_three(pilot)
        await pilot.press("f9")
        await settle(pilot)
        clock = services.clock
        assert isinstance(clock, FixedClock)
        clock.current = datetime(2026, 11, 28, 2, 39, tzinfo=UTC)  # 03:39 the next day
        drawer(services).close()
        await till.hardware.refresh()
        await pilot.press("f12", "2")
        await settle(pilot)

    assert snap_compare(till.app, run_before=asking, terminal_size=(80, 24))
    services.close()
