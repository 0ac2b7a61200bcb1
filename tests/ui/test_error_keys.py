"""Errors name the till's keys by the live key map: a shop that moves a command to another key
sees the new key in every refusal (never the shipped "Trykk F2" of the default map), in bokmål
and in English. Real shop, real till, real key map files."""

from __future__ import annotations

import string
from dataclasses import replace
from pathlib import Path

import pytest

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.errors import ApprovalRequired, Message, RuleViolation, UnknownCode
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.messages.catalogue import TEXTS
from omnipos_tui.services.sales import opening, parking, payments, ringing
from omnipos_tui.settings import TillSettings
from omnipos_tui.ui import keymap as keymap_module
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import Translator, error_text
from omnipos_tui.ui.keymap import Keymap, keymap_files, load_keymap
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.widgets.lines import LastEventLine

from .dialog_shop import CASHIER, MILK, log_in, open_shop, scan, settle, till_for

DEFAULT = keymap_files("default")[0]
UNKNOWN = "7040000000001"

#: A shop that swaps search and return and moves recall to Ctrl+R.
SWAPPED = (
    '[commands.search]\nkeys = ["f7"]\n'
    '[commands.return]\nkeys = ["f2"]\n'
    '[commands.recall]\nkeys = ["ctrl+r"]\n'
)


def shop_keymap(tmp_path: Path, text: str = SWAPPED) -> Keymap:
    own = tmp_path / "shop.toml"
    own.write_text(text, encoding="utf-8")
    return load_keymap(DEFAULT, own)


def test_a_refusal_names_the_key_of_the_live_key_map_not_the_shipped_one(tmp_path: Path) -> None:
    error = UnknownCode(UNKNOWN)
    shipped = Translator("nb", load_keymap(DEFAULT))
    moved = Translator("nb", shop_keymap(tmp_path))
    assert error_text(error, shipped) == f"Ukjent strekkode {UNKNOWN}. Trykk F2 for å søke."
    assert error_text(error, moved) == f"Ukjent strekkode {UNKNOWN}. Trykk F7 for å søke."


def test_a_command_moved_to_a_ctrl_key_is_named_as_the_footer_names_it(tmp_path: Path) -> None:
    error = RuleViolation(code="report.sales_open", open=0, parked=2, register_id="1")
    moved = Translator("nb", shop_keymap(tmp_path))
    assert error_text(error, moved) == (
        "Fullfør eller annuller salgene først: 0 åpne, 2 parkerte på kasse 1 (Ctrl+R henter)."
    )
    assert moved.keymap is not None
    assert moved.keymap.key_text(Command.RECALL) == "Ctrl+R"


def test_a_command_left_without_a_key_is_named_by_its_label(tmp_path: Path) -> None:
    keymap = shop_keymap(tmp_path, "[commands.search]\nkeys = []\n")
    label = keymap.binding(Command.SEARCH).label["nb"]
    assert error_text(UnknownCode(UNKNOWN), Translator("nb", keymap)) == (
        f"Ukjent strekkode {UNKNOWN}. Trykk [{label}] for å søke."
    )


def test_without_a_key_map_a_key_is_named_by_its_command() -> None:
    assert error_text(UnknownCode(UNKNOWN), Translator("nb")) == (
        f"Ukjent strekkode {UNKNOWN}. Trykk ‹search› for å søke."
    )


def test_an_approval_names_the_action_in_the_tills_language(tmp_path: Path) -> None:
    needed = ApprovalRequired(Message("action.void_sale", sale="1-7"))
    keys = shop_keymap(tmp_path)
    assert Translator("nb", keys).message(needed.action) == "Annullere salg 1-7"
    assert Translator("en", keys).message(needed.action) == "void sale 1-7"
    assert error_text(needed, Translator("nb", keys)) == "Krever godkjenning: Annullere salg 1-7"


def with_shop_keymap(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str = SWAPPED
) -> Services:
    """The same shop with ``[till] keymap = "shop"``, a file laid over the shipped default."""
    folder = tmp_path / "keymaps"
    folder.mkdir()
    (folder / "default.toml").write_text(DEFAULT.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "shop.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(keymap_module, "default_keymap_dir", lambda: folder)
    till = replace(services.settings.till, keymap="shop")
    assert isinstance(till, TillSettings)
    return replace(services, settings=replace(services.settings, till=till))


def last_event_on_screen(screen: object) -> str:
    assert isinstance(screen, SaleScreen)
    return screen.query_one("#sale-last-event", LastEventLine).render().plain


async def test_the_till_names_the_remapped_search_key_when_a_scan_is_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = with_shop_keymap(open_shop(tmp_path / "shop"), tmp_path, monkeypatch)
    till = till_for(services)
    async with till.app.run_test(size=(100, 24)) as pilot:
        await log_in(pilot)
        till.app.deliver_scan(scan(UNKNOWN))
        await settle(pilot)
        shown = last_event_on_screen(pilot.app.screen)
    assert shown.startswith(" ✗ ")
    assert f"Ukjent strekkode {UNKNOWN}. Trykk F7 for å søke." in shown
    assert "F2" not in shown


async def test_the_till_names_the_remapped_recall_key_when_a_z_report_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = with_shop_keymap(open_shop(tmp_path / "shop"), tmp_path, monkeypatch)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    parking.park(services.sales, sale.sale_id, employee=CASHIER)
    till = till_for(services)
    with pytest.raises(RuleViolation) as refused:
        services.reports.z_report("1", employee=CASHIER)
    assert error_text(refused.value, till.session.translator).endswith("(Ctrl+R henter).")
    assert till.session.translator.keymap is not None
    assert till.session.translator.keymap.command_for("ctrl+r") is Command.RECALL


def test_a_paid_sale_pays_nothing_more_whatever_the_key_map(tmp_path: Path) -> None:
    # The refusal has no key in it: the same words with any key map.
    services = open_shop(tmp_path)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    with pytest.raises(RuleViolation) as refused:
        payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    shipped = Translator("nb", load_keymap(DEFAULT))
    moved = Translator("nb", shop_keymap(tmp_path))
    assert error_text(refused.value, shipped) == error_text(refused.value, moved)


def test_every_key_a_text_names_has_a_key_in_the_shipped_key_map() -> None:
    keymap = load_keymap(DEFAULT)
    named = {
        field.removeprefix("key.")
        for texts in TEXTS.values()
        for template in texts
        for _, field, _, _ in string.Formatter().parse(template)
        if field and field.startswith("key.")
    }
    assert named, "no text names a key"
    assert {c for c in named if not keymap.key_text(Command(c))} == set()
