"""How the dialogs look at 80x24 on a real shop with a frozen clock: search, return, the Z
count and the Z report. Regenerate after an intended change of look with
``pytest tests/ui/test_dialog_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.ui.app import OmniposTill

from .dialog_shop import CASHIER, COFFEE, COLA, MILK, log_in, open_shop, scan, settle, till_for

SnapCompare = Callable[..., bool]


def _app_with_a_receipt(tmp_path: Path) -> tuple[OmniposTill, str]:
    services = open_shop(tmp_path)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    for code in (MILK, MILK, COLA, COFFEE):
        ringing.add_item(services.sales, sale.sale_id, code, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    receipt = completion.complete(services.sales, sale.sale_id, employee=CASHIER).receipt_id
    return till_for(services).app, receipt


def test_the_search_dialog_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, _ = _app_with_a_receipt(tmp_path)

    async def search(pilot: Pilot[None]) -> None:
        await log_in(pilot)
        await pilot.press("k", "a", "down")
        await settle(pilot)

    assert snap_compare(app, run_before=search, terminal_size=(80, 24))


def test_the_return_dialog_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, receipt = _app_with_a_receipt(tmp_path)

    async def pick(pilot: Pilot[None]) -> None:
        await log_in(pilot)
        await pilot.press("f7")
        app.deliver_scan(scan(receipt))
        await settle(pilot)
        await pilot.press("down", "asterisk", "down", "down")
        await settle(pilot)

    assert snap_compare(app, run_before=pick, terminal_size=(80, 24))


def test_the_z_count_at_80x24(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, _ = _app_with_a_receipt(tmp_path)

    async def count(pilot: Pilot[None]) -> None:
        await log_in(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        await pilot.press("down", "1", "enter", "enter", "3", "enter")
        await settle(pilot)

    assert snap_compare(app, run_before=count, terminal_size=(80, 24))


def test_the_z_report_with_counted_against_expected_at_80x24(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    app, _ = _app_with_a_receipt(tmp_path)

    async def report(pilot: Pilot[None]) -> None:
        await log_in(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        await pilot.press("down", "down", "down", "1", "end", "enter")
        await settle(pilot)

    assert snap_compare(app, run_before=report, terminal_size=(80, 24))
