"""How the till shows things (issue 10, item 6), on the real till over a real SQLite shop:
money with thousands as on receipts and in the CLI, dialog hints that break only between
keys at 80 columns, the F1 list in pages that says what the next page holds, every article
group reachable from F3, a lock screen that is not the log-in screen, and a return shown as
money going back to the customer."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.money import Money
from omnipos_tui.ui.i18n import TEXTS
from omnipos_tui.ui.screens.help import HelpScreen
from omnipos_tui.ui.screens.login import LoginScreen
from omnipos_tui.ui.screens.open_ring import GroupPickerScreen
from omnipos_tui.ui.screens.returns import ReturnScreen
from omnipos_tui.ui.screens.search import SearchScreen
from omnipos_tui.ui.widgets.hint_bar import HintBar, hint_groups, pack_hint

from .till_shop import (
    CASHIER,
    CASHIER_PIN,
    COLA,
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

#: What the placeholders of the hints stand for at the default key map.
KEYS = {
    "enter": "Enter",
    "esc": "Esc",
    "key": "F7",
    "quantity": "*",
    "void": "-",
    "check": "F5",
    "cash": "F9",
    "card": "F10",
    "other": "F11",
    "help": "F1",
    "count": 12,
}


def shown(widget: Widget) -> str:
    """What a widget shows on screen now, as plain text rows."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(strip.text for strip in strips)


def hint_texts() -> list[tuple[str, str]]:
    """Every dialog hint of the till in both languages, filled in."""
    out = []
    for key, texts in TEXTS.items():
        if not key.endswith("hint"):
            continue
        for text in texts:
            names = [field for _, field, _, _ in string.Formatter().parse(text) if field]
            out.append((key, text.format(**{n: KEYS.get(n, "12") for n in names})))
    return out


@pytest.mark.parametrize(("key", "text"), hint_texts())
def test_every_hint_fits_two_rows_at_80_columns_without_splitting_a_key_from_its_word(
    key: str, text: str
) -> None:
    rows = pack_hint(text, 78)  # 80 columns less the padding
    assert len(rows) <= 2, (key, rows)
    groups = [group for _, group in hint_groups(text)]
    for row in rows:
        # Each row is made of whole groups ("Esc tilbake"), never half of one.
        assert all(part in groups for _, part in hint_groups(row)), (key, row)


def test_a_hint_is_packed_between_its_groups() -> None:
    text = "Skriv for å søke  ↑↓ velg  Enter selg  Esc tilbake"
    assert pack_hint(text, 30) == ["Skriv for å søke  ↑↓ velg", "Enter selg  Esc tilbake"]
    assert pack_hint("one group that is far too long", 10) == [
        "one group",
        "that is",
        "far too",
        "long",
    ]


async def test_the_search_hint_keeps_esc_with_its_word_at_80x24(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f2")
        await settle(pilot)
        search = top(pilot)
        assert isinstance(search, SearchScreen)
        rows = str(search.query_one(HintBar).render()).splitlines()
        assert len(rows) == 2
        assert any("Esc tilbake" in row for row in rows), rows
    services.close()


async def test_amounts_on_the_till_have_thousands_as_on_receipts(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await pilot.press("5", "0", "asterisk")
        await scan(pilot, COLA)  # 50 × 29,90
        assert open_sale(till).total() == Money(149500)
        assert screen.view.totals.total_text == "1 495,00"
        assert screen.view.rows[-1].amount_text == "1 495,00"
        assert "1 495,00" in str(screen.query_one("#sale-totals").render())
        await pilot.press("plus")
        await pilot.pause()
        assert screen.view.payment is not None
        assert screen.view.payment.total_text == "1 495,00"
    services.close()


async def test_the_help_says_which_keys_its_next_page_holds_and_pgdn_shows_them(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = top(pilot)
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.pages == 2
        first = help_screen.close_text()
        assert first.startswith("Side 1 av 2 – PgDn viser F2 … "), first
        assert "F12" not in help_screen.page_keys()
        assert help_screen.page_keys()[-1] == "F1"
        await pilot.press("pagedown")
        await pilot.pause()
        assert help_screen.page_keys()[0] == "F2"
        assert first.startswith(f"Side 1 av 2 – PgDn viser F2 … {help_screen.page_keys()[-1]} ")
        assert "F12" in help_screen.page_keys()
        assert help_screen.close_text().startswith("Side 2 av 2 – PgUp tilbake")
    services.close()


async def test_every_one_of_twelve_groups_is_listed_and_reachable_by_its_number(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    for number in range(30, 130, 10):  # ten groups more: twelve in all
        services.catalogue.save_group(ArticleGroup(str(number), f"Gruppe {number}", "04003"))
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("2", "5", "f3")
        await settle(pilot)
        picker = top(pilot)
        assert isinstance(picker, GroupPickerScreen)
        listed = shown(picker.query_one(".dialog-body"))
        rows = [row.split() for row in listed.splitlines() if row.strip()]
        assert [row[0] for row in rows] == [str(n) for n in range(1, 13)]
        assert rows[-1][1:] == ["120", "Gruppe", "120"]
        assert "1-12" in picker.hint()
        await pilot.press("1", "2")  # no number starts with 12: taken at once
        await settle(pilot)
        await pilot.press("3", "0", "f3", "1", "enter")  # 1 could be 10, 11, 12: Enter
        await settle(pilot)
        await pilot.press("4", "0", "f3", "3")
        await settle(pilot)
        lines = open_sale(till).lines()
    assert [(ln.group_code, ln.amount) for ln in lines] == [
        ("120", Money(2500)),
        ("10", Money(3000)),
        ("30", Money(4000)),
    ]
    services.close()


async def unlock_screen(pilot: Pilot[None]) -> LoginScreen:
    await settle(pilot)
    screen = top(pilot)
    assert isinstance(screen, LoginScreen)
    return screen


async def test_the_lock_screen_says_who_locked_it_and_takes_their_pin_unlike_the_log_in(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("ctrl+l")
        lock = await unlock_screen(pilot)
        banner = str(lock.query_one("#login-locked").render())
        assert "LÅST av Kari (1) kl. 14:32 – salget venter" in banner
        assert (lock.number, lock.on_pin) == (CASHIER, True)
        assert "PIN og Enter låser opp" in str(lock.query_one("#login-hint").render())
        await pilot.press(*CASHIER_PIN, "enter")
        await settle(pilot)
        sale = till.app.sale_screen
        assert sale is not None and top(pilot) is sale
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l"]
        await pilot.press("f12", "0")  # log out: the plain log-in screen
        login = await unlock_screen(pilot)
        assert login.locked is None
        assert not login.query("#login-locked")
        assert (login.number, login.on_pin) == ("", False)
    services.close()


async def test_a_return_shows_money_going_back_and_ends_with_paid_back(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services, debounce_s=0)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f9")
        await settle(pilot)
        drawer(services).close()
        await till.hardware.refresh()
        await pilot.press("f7", "1", "enter")
        await settle(pilot)
        assert isinstance(top(pilot), ReturnScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert top(pilot) is screen
        totals = screen.view.totals
        assert (totals.refund, totals.total_text) == (True, "21,90")
        rendered = str(screen.query_one("#sale-totals").render())
        assert "Å BETALE TILBAKE" in rendered and "-21,90" not in rendered
        await pilot.press("plus")
        await pilot.pause()
        payment = screen.view.payment
        assert payment is not None
        assert (payment.refund, payment.total_text, payment.cash_text) == (True, "21,90", "22,00")
        await pilot.press("f9")
        await settle(pilot)
        assert screen.view.last_event is not None
        assert screen.view.last_event.text == "Betalt tilbake 22,00 – takk!"
    services.close()
