"""The key map: loaded from TOML, validated with messages that name file and key, overridable."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.keymap import (
    key_display,
    key_of_event,
    keymap_files,
    load_keymap,
    normalise_key,
)

DEFAULT = keymap_files("default")[0]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_default_binds_every_key_of_till_ux_b2() -> None:
    keymap = load_keymap(DEFAULT)
    expected = {
        ",": Command.DECIMAL,
        ".": Command.DECIMAL,
        "*": Command.QUANTITY,
        "enter": Command.ENTER,
        "+": Command.PAY,
        "-": Command.VOID,
        "delete": Command.VOID,
        "/": Command.PRICE_CHECK,
        "escape": Command.ESCAPE,
        "up": Command.UP,
        "down": Command.DOWN,
        "pageup": Command.PAGE_UP,
        "pagedown": Command.PAGE_DOWN,
        "home": Command.FIRST,
        "end": Command.LAST,
        "f1": Command.HELP,
        "f2": Command.SEARCH,
        "f3": Command.OPEN_RING,
        "f4": Command.DISCOUNT,
        "f5": Command.PARK,
        "f6": Command.RECALL,
        "f7": Command.RETURN,
        "f8": Command.NO_SALE,
        "f9": Command.CASH,
        "f10": Command.CARD,
        "f11": Command.OTHER_TENDER,
        "f12": Command.MENU,
        "ctrl+l": Command.LOCK,
    }
    assert {key: keymap.command_for(key) for key in expected} == expected
    assert keymap.command_for("5") is None


def test_the_footer_is_generated_in_footer_order_with_norwegian_and_english_labels() -> None:
    keymap = load_keymap(DEFAULT)
    nb = keymap.footer("nb")
    assert nb[:3] == [("F1", "Hjelp"), ("F2", "Søk"), ("F3", "Varegr")]
    assert nb[-4:] == [("*", "Antall"), ("-", "Annuller"), ("/", "Pris?"), ("+", "Betal")]
    assert keymap.footer("en")[8] == ("F9", "Cash")


def test_help_rows_list_every_key_of_a_command() -> None:
    rows = load_keymap(DEFAULT).help_rows("nb")
    void = next(row for row in rows if row[1] == "Annuller")
    assert void[0] == "- Delete"
    assert "valgt linje" in void[2]


def test_an_override_file_moves_keys_without_code(tmp_path: Path) -> None:
    shop = write(
        tmp_path,
        "shop.toml",
        '[commands.cash]\nkeys = ["f7"]\n[commands.return]\nkeys = ["f9"]\n'
        '[commands.cash.label]\nnb = "Kontanter"\n',
    )
    keymap = load_keymap(DEFAULT, shop)
    assert keymap.command_for("f7") is Command.CASH
    assert keymap.command_for("f9") is Command.RETURN
    assert keymap.binding(Command.CASH).label == {"nb": "Kontanter", "en": "Cash"}
    assert ("F7", "Kontanter") in keymap.footer("nb")


def test_keymap_files_lays_the_named_file_over_the_default(tmp_path: Path) -> None:
    write(tmp_path, "default.toml", DEFAULT.read_text(encoding="utf-8"))
    write(tmp_path, "kiosk.toml", '[commands.lock]\nkeys = ["f12"]\n[commands.menu]\nkeys = []\n')
    keymap = load_keymap(*keymap_files("kiosk", tmp_path))
    assert keymap.command_for("f12") is Command.LOCK
    assert keymap.binding(Command.MENU).keys == ()
    assert all(key != "" for key, _ in keymap.footer("nb"))


def test_a_missing_named_keymap_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no key map file .*nope\.toml"):
        keymap_files("nope", tmp_path)


def test_an_unknown_command_id_names_the_file_and_the_command(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", '[commands.teleport]\nkeys = ["f5"]\n')
    with pytest.raises(ConfigError) as caught:
        load_keymap(DEFAULT, bad)
    message = str(caught.value)
    assert str(bad) in message
    assert "commands.teleport" in message
    assert "unknown command id" in message


@pytest.mark.parametrize("key", ["F99", "ctrl+c", "ctrl+q", "5", "hyperspace", "", " "])
def test_a_bad_key_names_the_file_the_command_and_the_key(tmp_path: Path, key: str) -> None:
    bad = write(tmp_path, "bad.toml", f'[commands.cash]\nkeys = ["f9", "{key}"]\n')
    with pytest.raises(ConfigError) as caught:
        load_keymap(DEFAULT, bad)
    assert f"{bad}: commands.cash.keys[1]: {key!r} is not a usable key" in str(caught.value)


def test_one_key_on_two_commands_is_refused_naming_both(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", '[commands.cash]\nkeys = ["f10"]\n')
    with pytest.raises(ConfigError, match=r"key 'f10' is bound to both 'cash' and 'card'"):
        load_keymap(DEFAULT, bad)


def test_enter_cannot_be_left_without_a_key(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", "[commands.enter]\nkeys = []\n")
    with pytest.raises(ConfigError, match=r"commands\.enter: needs at least one key"):
        load_keymap(DEFAULT, bad)


def test_unknown_fields_and_settings_are_named(tmp_path: Path) -> None:
    field = write(tmp_path, "field.toml", '[commands.cash]\ncolour = "red"\n')
    with pytest.raises(ConfigError, match=r"field\.toml: commands\.cash\.colour: unknown field"):
        load_keymap(DEFAULT, field)
    top = write(tmp_path, "top.toml", "speed = 3\n")
    with pytest.raises(ConfigError, match=r"top\.toml: speed: unknown setting"):
        load_keymap(DEFAULT, top)
    language = write(tmp_path, "lang.toml", '[commands.cash.label]\nsv = "Kontant"\n')
    with pytest.raises(ConfigError, match=r"commands\.cash\.label\.sv: unknown language"):
        load_keymap(DEFAULT, language)


def test_a_base_keymap_must_describe_every_command(tmp_path: Path) -> None:
    small = write(
        tmp_path,
        "small.toml",
        '[commands.enter]\nkeys = ["enter"]\nlabel = { nb = "Enter", en = "Enter" }\n'
        'help = { nb = "x", en = "x" }\n',
    )
    with pytest.raises(ConfigError, match=r"small\.toml: commands missing .*decimal"):
        load_keymap(small)
    no_help = write(tmp_path, "nohelp.toml", '[commands.enter]\nkeys = ["enter"]\n')
    with pytest.raises(ConfigError, match=r"nohelp\.toml: commands\.enter: missing label"):
        load_keymap(no_help)


def test_broken_toml_and_missing_files_are_config_errors(tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.toml", "[commands.cash\nkeys = \n")
    with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML"):
        load_keymap(DEFAULT, broken)
    with pytest.raises(ConfigError, match=r"absent\.toml: key map file not found"):
        load_keymap(tmp_path / "absent.toml")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('[commands.cash.label]\nnb = "Sk\xf8ff"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin1\.toml: the key map file is not UTF-8"):
        load_keymap(DEFAULT, latin1)


def test_key_names_are_normalised_from_friendly_spellings() -> None:
    assert normalise_key("F9") == "f9"
    assert normalise_key("Esc") == "escape"
    assert normalise_key("asterisk") == "*"
    assert normalise_key("Ctrl+L") == "ctrl+l"
    assert normalise_key("PgDn") == "pagedown"
    assert normalise_key("f13") is None


def test_terminal_events_map_to_key_map_names() -> None:
    assert key_of_event("asterisk", "*") == "*"
    assert key_of_event("f9", None) == "f9"
    assert key_of_event("enter", "\r") == "enter"
    assert key_of_event("ctrl+l", "\x0c") == "ctrl+l"
    assert key_of_event("a", "a") == "a"


def test_keys_are_displayed_the_way_a_cashier_reads_them() -> None:
    assert [key_display(k) for k in ("f10", "escape", "pageup", "ctrl+l", "*", "up")] == [
        "F10",
        "Esc",
        "PgUp",
        "Ctrl+L",
        "*",
        "↑",
    ]
