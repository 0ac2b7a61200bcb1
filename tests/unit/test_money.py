"""Money: whole øre, Norwegian notation, one rounding rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnipos_tui.core.errors import InvalidAmount
from omnipos_tui.core.money import Money, cash_rounding, round_half_up


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("12", 1200),
        ("12,5", 1250),
        ("0,05", 5),
        ("-3,05", -305),
        (" 7,00 kr ", 700),
    ],
)
def test_parse_reads_norwegian_and_point_notation(text: str, ore: int) -> None:
    assert Money.parse(text) == Money(ore)


@pytest.mark.parametrize("text", ["", "12,505", "abc", "1,2,3", "12.50.1", "--1"])
def test_parse_refuses_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(InvalidAmount, match="not an amount"):
        Money.parse(text)


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        Money(12.5)  # type: ignore[arg-type]


def test_format_uses_comma_and_two_decimals() -> None:
    assert Money(1250).format() == "12,50"
    assert Money(-305).format() == "-3,05"
    assert Money(123456789).format(thousands=True) == "1 234 567,89"


def test_saft_notation_uses_point() -> None:
    assert Money(-40).saft() == "-0.40"
    assert Money(100).saft() == "1.00"


def test_round_half_up_rounds_halves_away_from_zero() -> None:
    assert round_half_up(Decimal("2.5")) == 3
    assert round_half_up(Decimal("-2.5")) == -3
    assert round_half_up(Decimal("2.4999")) == 2


def test_weighed_price_rounds_to_whole_ore() -> None:
    assert Money(2990).times(Decimal("0.347")) == Money(1038)  # 10.3753 kr


def test_cash_rounding_matches_the_official_example() -> None:
    assert cash_rounding(Money(29540)) == Money(-40)
    assert cash_rounding(Money(29550)) == Money(50)
    assert cash_rounding(Money(29500)) == Money(0)


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_cash_rounding_never_exceeds_fifty_ore(ore: int) -> None:
    rounding = cash_rounding(Money(ore))
    assert abs(rounding.ore) <= 50
    assert (ore + rounding.ore) % 100 == 0


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_and_parse_round_trip(ore: int) -> None:
    assert Money.parse(Money(ore).format()) == Money(ore)
    assert Money.parse(Money(ore).saft()) == Money(ore)
