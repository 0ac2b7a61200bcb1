"""VAT: rates as data, computed per line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.core.vat import RATES, VatRate, line_vat, rate_by_code, rate_for_percent

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(("percent", "standard"), [(25, "3"), (15, "31"), (12, "33"), (0, "5")])
def test_rates_map_to_saft_standard_tax_codes(percent: int, standard: str) -> None:
    assert rate_for_percent(percent, on=TODAY).standard_code == standard


def test_outside_the_vat_act_is_code_6() -> None:
    assert rate_for_percent(0, on=TODAY, outside_act=True).standard_code == "6"


def test_unknown_rate_names_the_rates_in_force() -> None:
    with pytest.raises(
        InvalidInput, match=r"unknown VAT rate 24% \(rates in force: 0, 12, 15, 25\)"
    ):
        rate_for_percent(24, on=TODAY)


def test_unknown_code_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown VAT code"):
        rate_by_code("99")


def test_line_vat_is_extracted_from_the_gross_amount() -> None:
    assert line_vat(Money(12500), rate_by_code("3")) == Money(2500)
    assert line_vat(Money(2190), rate_by_code("31")) == Money(286)  # 21.90 * 15/115 = 2.856
    assert line_vat(Money(1000), rate_by_code("5")) == Money(0)


@given(st.integers(min_value=-(10**9), max_value=10**9), st.sampled_from(RATES))
def test_vat_plus_net_is_gross_and_returns_mirror_sales(ore: int, rate: VatRate) -> None:
    vat = line_vat(Money(ore), rate)
    net = Money(ore) - vat
    assert net + vat == Money(ore)
    assert line_vat(Money(-ore), rate) == -vat
    expected = Decimal(abs(ore)) * rate.percent / (100 + rate.percent)
    assert abs(Decimal(abs(vat.ore)) - expected) <= Decimal("0.5")
