"""The sale screen with Pilot at 80x24: entry line, scans, selection, help, key map override,
wedge routing inside the app, and the latency probe."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

import omnipos_tui.ui.screens.sale as sale_module
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import Scan
from omnipos_tui.ui.actions import EnterCode, Search, Simple, Tender, TenderKind
from omnipos_tui.ui.app import OmniposTill
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.keymap import keymap_files, load_keymap
from omnipos_tui.ui.screens.base import ScanPolicy, TillScreen
from omnipos_tui.ui.screens.help import HelpScreen
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.wedge import WedgeDetector
from omnipos_tui.ui.widgets import (
    EntryLine,
    KeyFooter,
    LastEventLine,
    SaleList,
    StatusHeader,
    TotalsBar,
    WarningBar,
)

from .fakes import AppFactory, FakeSale


async def logged_in(pilot: Pilot[None]) -> SaleScreen:
    await pilot.press(*"1043", "enter", *"1234", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SaleScreen)
    return screen


def entry_text(app: OmniposTill) -> str:
    return app.screen.query_one(EntryLine).render().plain


def last_event(app: OmniposTill) -> str:
    return app.screen.query_one(LastEventLine).render().plain


async def test_a_typed_plu_and_enter_sells_it_and_clears_the_entry(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await logged_in(pilot)
        await pilot.press(*"2000")
        assert entry_text(app) == " > 2000_"
        await pilot.press("enter")
        assert sale.actions == [(EnterCode(code="2000"), None)]
        assert entry_text(app) == " > _"
        assert [row.name for row in screen.view.rows] == ["Bærepose"]
        assert last_event(app) == " ✓ Bærepose  2,00"
        assert "Å BETALE                2,00" in screen.query_one(TotalsBar).render().plain


async def test_quantity_star_then_a_scan_sells_three(make_app: AppFactory, sale: FakeSale) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await logged_in(pilot)
        await pilot.press("3", "asterisk")
        assert entry_text(app) == " > 3 × _"
        app.deliver_scan(Scan(code="7038010009457", at=time.monotonic()))
        await pilot.pause()
        assert sale.actions[-1] == (
            EnterCode(code="7038010009457", quantity=Decimal(3), scanned=True),
            None,
        )
        assert screen.view.rows[-1].amount_text == "65,70"


async def test_an_unknown_code_shows_a_red_line_and_the_entry_is_cleared(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        await pilot.press(*"7040", "enter")
        event = app.screen.query_one(LastEventLine).event
        assert event is not None and not event.ok
        assert last_event(app) == " ✗ Ukjent strekkode 7040"


async def test_enter_on_an_empty_entry_never_reaches_the_sale(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        await pilot.press("enter", "enter", "enter")
        assert sale.actions == []


async def test_a_refusal_from_the_entry_line_names_the_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        await pilot.press("f3")
        assert last_event(app) == " ✗ Skriv beløpet først, f.eks. 149,00 F3"


async def test_arrows_select_a_line_and_void_targets_it(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await logged_in(pilot)
        for code in ("7038010009457", "7020650001007", "5449000000996"):
            app.deliver_scan(Scan(code=code, at=time.monotonic()))
        await pilot.press("up", "up")
        assert screen.selected == 1
        assert screen.query_one(SaleList).render_line(2).text.startswith(" 2 >Grandiosa")
        await pilot.press("minus")
        assert sale.actions[-1] == (Simple(Command.VOID), 1)
        assert screen.view.rows[1].voided
        assert screen.view.rows[-1].name == "ANNULLERT linje 2"
        assert screen.selected is None


async def test_home_and_end_select_first_and_last(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await logged_in(pilot)
        for code in ("2000", "2000", "2000"):
            app.deliver_scan(Scan(code=code, at=time.monotonic()))
        await pilot.press("home")
        assert screen.selected == 0
        await pilot.press("up")
        assert screen.selected == 0
        await pilot.press("end", "down")
        assert screen.selected == 2


async def test_f1_opens_help_and_a_scan_meanwhile_waits_in_the_queue(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        app.deliver_scan(Scan(code="2000", at=time.monotonic()))
        await pilot.pause()
        assert app.queued_scans == 1
        assert sale.actions == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        assert app.queued_scans == 0
        assert sale.actions == [(EnterCode(code="2000", scanned=True), None)]


async def test_letters_are_offered_to_search(make_app: AppFactory, sale: FakeSale) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        await pilot.press("k")
        assert sale.actions[-1] == (Search(text="k"), None)


async def test_a_shop_keymap_moves_cash_to_f7_without_code(
    make_app: AppFactory, sale: FakeSale, tmp_path: Path
) -> None:
    shop = tmp_path / "shop.toml"
    shop.write_text(
        '[commands.cash]\nkeys = ["f7"]\nlabel = { nb = "Kontanter" }\n'
        '[commands.return]\nkeys = ["f9"]\n',
        encoding="utf-8",
    )
    app = make_app(keymap=load_keymap(keymap_files("default")[0], shop))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await logged_in(pilot)
        await pilot.press(*"500", "f7")
        assert sale.actions[-1] == (Tender(kind=TenderKind.CASH, amount=Money(50000)), None)
        await pilot.press("f9")
        assert entry_text(app) == " > RETUR: skann kvittering  (F9 igjen = uten kvittering, leder)"
        footer = screen.query_one(KeyFooter).render().plain
        assert "F7 Kontanter" in footer
        assert "F9 Retur" in footer


async def test_a_wedge_scan_is_told_from_typing_inside_the_app(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app(wedge=WedgeDetector(max_gap_ms=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1043", "enter", *"1234", "enter")
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        start = time.monotonic() - 10
        app.route_key("3", "3", start)
        app.route_key("asterisk", "*", start + 0.5)
        at = start + 1.0
        for digit in "7038010009457":
            app.route_key(digit, digit, at)
            at += 0.002
        app.route_key("enter", "\r", at)
        await pilot.pause()
        assert sale.actions == [
            (EnterCode(code="7038010009457", quantity=Decimal(3), scanned=True), None)
        ]


async def test_typed_digits_behind_the_wedge_reach_the_entry_after_the_gap(
    make_app: AppFactory,
) -> None:
    app = make_app(wedge=WedgeDetector(max_gap_ms=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"1043", "enter", *"1234", "enter")
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.route_key("7", "7", time.monotonic())
        await pilot.pause(0.2)
        assert entry_text(app) == " > 7_"


async def test_scans_and_enters_are_timed_to_the_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        app.latency.clear()
        app.deliver_scan(Scan(code="2000", at=time.monotonic()))
        await pilot.press(*"2000", "enter")
        await pilot.pause()
        summary = app.latency.summary()
        assert summary is not None
        assert summary.count == 2


async def test_the_help_screen_shows_how_many_scans_wait(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        await pilot.press("f1")
        for _ in range(21):
            app.deliver_scan(Scan(code="2000", at=time.monotonic()))
        await pilot.pause()
        notice = app.screen.query_one("#help-queue", Static).render()
        assert str(notice).startswith("Skann i kø: 21 – Mer enn 20 skann i kø")


class ConfirmDialog(TillScreen):
    """Stands in for a confirmation dialog of phase 2: it refuses scans."""

    scan_policy = ScanPolicy.REFUSE

    def __init__(self) -> None:
        super().__init__()
        self.notices: list[str] = []

    def scan_notice(self, text: str) -> None:
        self.notices.append(text)


async def test_a_confirmation_dialog_refuses_a_scan_and_nothing_is_sold(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await logged_in(pilot)
        dialog = ConfirmDialog()
        await app.push_screen(dialog)
        app.deliver_scan(Scan(code="2000", at=time.monotonic()))
        app.pop_screen()
        await pilot.pause()
        assert dialog.notices == ["Fullfør dialogen først"]
        assert app.queued_scans == 0
        assert sale.actions == []


async def test_the_selection_falls_back_to_the_last_line_after_a_while(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sale_module, "SELECTION_TIMEOUT_S", 1.0)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await logged_in(pilot)
        for code in ("2000", "2000"):
            app.deliver_scan(Scan(code=code, at=time.monotonic()))
        await pilot.press("up")
        assert screen.selected == 1
        await pilot.pause(1.5)
        assert screen.selected is None


async def test_training_mode_shows_in_the_header_and_both_bars(
    make_app: AppFactory, sale: FakeSale
) -> None:
    sale.preset = replace(sale.view(), training=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await logged_in(pilot)
        assert "TRENING SKR●" in screen.query_one(StatusHeader).render().plain
        assert screen.query_one(SaleList).render_line(0).text.strip() == "TRENING – IKKE SALG"
        assert screen.query_one(WarningBar).render().plain.strip() == "TRENING – IKKE SALG"
