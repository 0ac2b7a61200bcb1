"""Product field rules shared by the CSV import, the CLI and the till."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from omnipos_tui.core.errors import InvalidAmount, InvalidBarcode, InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.core.vat import RATES, VatRate, rate_by_code
from omnipos_tui.services.catalogue.product_fields import (
    check_barcode,
    ean_check_digit,
    parse_barcodes,
    parse_name,
    parse_price,
    parse_sku,
    parse_vat,
    vat_text,
)

ON = date(2025, 6, 1)


@given(
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.text("0123456789", min_size=n, max_size=n)
    )
)
def test_the_fast_check_digit_agrees_with_python_stdnum(body: str) -> None:
    assert ean_check_digit(body) == ean.calc_check_digit(body)


@pytest.mark.parametrize("code", ["7038010000010", "73513537", "036000291452", "4006381333931"])
def test_valid_ean13_ean8_and_upc_a_codes_pass_unchanged(code: str) -> None:
    assert check_barcode(code) == code


@pytest.mark.parametrize(
    "code",
    [
        "7038010000011",
        "73513538",
        "036000291453",
        "70380100000100",
        "１２３４５６７８",
        "7038O10000010",
    ],
)
def test_wrong_check_digits_lengths_and_characters_are_invalid_barcodes(code: str) -> None:
    with pytest.raises(InvalidBarcode):
        check_barcode(code)


def test_repeated_barcodes_in_one_field_are_kept_once() -> None:
    assert parse_barcodes("73513537|73513537 7038010000010") == ("73513537", "7038010000010")


def test_unicode_digits_are_not_a_price() -> None:
    with pytest.raises(InvalidAmount):
        parse_price("١٢")


def test_a_price_never_goes_through_float() -> None:
    assert parse_price("0,10") == Money(10)
    assert parse_price("9999999999,99") == Money(999_999_999_999)


@pytest.mark.parametrize("sku", ["", "a" * 21, "ab cd", "æøå", "A_1"])
def test_skus_are_1_to_20_ascii_letters_digits_or_hyphens(sku: str) -> None:
    with pytest.raises(InvalidInput):
        parse_sku(sku)


@pytest.mark.parametrize("name", ["", "Melk\n1 l", "Melk\t1 l", "x" * 61])
def test_names_are_short_single_lines(name: str) -> None:
    with pytest.raises(InvalidInput):
        parse_name(name)


@pytest.mark.parametrize("rate", [rate for rate in RATES if rate.applies_on(ON)])
def test_every_rate_in_force_is_written_so_that_it_reads_back(rate: VatRate) -> None:
    assert parse_vat(vat_text(rate), on=ON) == rate


def test_zero_is_zero_rated_and_outside_is_outside_the_act() -> None:
    assert parse_vat("0", on=ON) == rate_by_code("5")
    assert parse_vat("utenfor", on=ON) == rate_by_code("6")
    assert vat_text(rate_by_code("6")) == "0-outside"
