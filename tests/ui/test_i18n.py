"""On-screen texts: bokmål by default, English by setting, every used key translated."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import omnipos_tui.ui
from omnipos_tui.core.errors import ConfigError
from omnipos_tui.ui.i18n import TEXTS, Translator

UI_DIR = Path(omnipos_tui.ui.__file__).parent
TEXT_CALL = re.compile(r"""(?:\.text|\bt)\(\s*["']([a-z_.]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for source in UI_DIR.rglob("*.py"):
        keys.update(TEXT_CALL.findall(source.read_text(encoding="utf-8")))
    return keys


def test_bokmal_is_the_default_and_english_is_available() -> None:
    assert Translator().text("totals.to_pay") == "Å BETALE"
    assert Translator("en").text("totals.to_pay") == "TO PAY"


def test_placeholders_are_filled() -> None:
    assert Translator().text("header.register", register="1") == "Kasse 1"


def test_an_unknown_language_is_a_config_error_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match=r"shop\.language: 'sv'"):
        Translator("sv")


def test_every_text_key_used_by_the_ui_exists() -> None:
    used = used_keys()
    assert len(used) > 20, "the scan for .text(...) calls found too little; check the regex"
    assert sorted(used - set(TEXTS)) == []


def test_both_languages_use_the_same_placeholders() -> None:
    formatter = string.Formatter()
    for key, (nb, en) in TEXTS.items():
        nb_names = {name for _, name, _, _ in formatter.parse(nb) if name}
        en_names = {name for _, name, _, _ in formatter.parse(en) if name}
        assert nb_names == en_names, key
