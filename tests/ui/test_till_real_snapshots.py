"""How the real till looks while selling and paying: SVG snapshots at 80x24 of the sale
screen, the payment panel and the card modal waiting for the customer (a real SQLite shop,
simulated devices, a frozen clock)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from .till_shop import (
    COFFEE,
    COLA,
    MILK,
    HeldTerminal,
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
