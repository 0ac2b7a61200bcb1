"""The customer display's two lines: exact texts, widths, and amounts that are never cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.display_text import (
    DisplayText,
    amount_due,
    change_due,
    closed,
    pair,
    selling,
    thank_you,
    welcome,
)
from omnipos_tui.messages.display import display_words

#: The labels come from the translation layer (messages.display), bokmål by default.
NB = display_words("nb")
EN = display_words("en")


def test_selling_shows_the_last_line_and_the_running_total() -> None:
    shown = selling("Melk", Money(2490), Money(12450), words=NB)

    assert shown == DisplayText("Melk           24,90", "Totalt        124,50")


def test_a_long_description_gives_way_to_the_amount() -> None:
    shown = selling("2 x Lettmelk 1,75 liter", Money(4980), Money(123450), words=NB)

    assert shown.top == "2 x Lettmelk 1 49,80"
    assert shown.bottom == "Totalt      1 234,50"


def test_a_returned_line_shows_its_minus_sign() -> None:
    shown = selling("Retur Melk", Money(-2490), Money(0), words=NB)

    assert shown.top == "Retur Melk    -24,90"
    assert shown.bottom == "Totalt          0,00"


def test_amount_due_says_to_pay_and_the_amount_in_kroner() -> None:
    assert amount_due(Money(12450), words=NB) == DisplayText(
        "Å betale            ", "kr            124,50"
    )


def test_a_refund_is_shown_as_money_paid_out_without_a_minus() -> None:
    shown = amount_due(Money(-5000), words=NB)

    assert shown.top.strip() == "Til utbetaling"
    assert shown.bottom == "kr             50,00"


def test_change_due_shows_what_was_paid_and_what_comes_back() -> None:
    shown = change_due(Money(20000), Money(7550), words=NB)

    assert shown == DisplayText("Betalt        200,00", "Tilbake        75,50")


def test_thank_you_and_welcome_are_centred() -> None:
    assert thank_you(words=NB) == DisplayText(" Takk for handelen! ", "  Velkommen igjen   ")
    assert welcome("Bakeriet", words=NB) == DisplayText(
        "     Velkommen      ", "      Bakeriet      "
    )
    assert closed(words=NB).top.strip() == "Kassen er stengt"


def test_english_texts_are_available() -> None:
    assert selling("Milk", Money(2490), Money(2490), words=EN).bottom.startswith("Total ")
    assert amount_due(Money(100), words=EN).top.strip() == "To pay"
    assert change_due(Money(100), Money(0), words=EN).bottom.startswith("Change")
    assert thank_you(words=EN).top.strip() == "Thank you!"


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="en, nb"):
        display_words("de")


def test_an_amount_too_wide_for_the_line_is_starred_not_cut() -> None:
    assert pair("Totalt", Money(123_456_789_012), columns=10) == "**********"


def test_other_display_widths_are_honoured() -> None:
    shown = selling("Brød", Money(3990), Money(3990), columns=16, words=NB)

    assert shown == DisplayText("Brød       39,90", "Totalt     39,90")


@given(
    label=st.text(max_size=40),
    ore=st.integers(min_value=-(10**11), max_value=10**11),
    columns=st.integers(min_value=16, max_value=40),
)
def test_every_line_is_exactly_as_wide_as_the_display_and_ends_with_the_whole_amount(
    label: str, ore: int, columns: int
) -> None:
    line = pair(label, Money(ore), columns)

    assert len(line) == columns
    amount = Money(ore)
    assert line.endswith(amount.format(thousands=True)) or line.endswith(amount.format())


def test_the_display_words_live_in_the_translation_layer_not_in_the_core() -> None:
    import omnipos_tui.core.sales.display_text as layout
    from omnipos_tui.messages.display import WORDS

    source = Path(layout.__file__).read_text(encoding="utf-8")
    assert [text for pair in WORDS.values() for text in pair if f'"{text}"' in source] == []
