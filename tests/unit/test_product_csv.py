"""The product CSV format: every bad case names its line and column; good files in any of the
accepted encodings and delimiters read the same; export then import gives the same products."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.money import Money
from omnipos_tui.core.vat import RATES, rate_by_code
from omnipos_tui.services.catalogue.product_csv import (
    COLUMN_HELP,
    COLUMNS,
    MAX_LISTED_PROBLEMS,
    CsvImportError,
    CsvProblem,
    ParsedProduct,
    parse_products_csv,
    write_products_csv,
)

ON = date(2025, 6, 1)
GROUPS = {"10", "11", "90"}
HEADER = "sku;name;price;vat;group;unit;barcodes;active"
MILK_EAN = "7038010000010"
assert ean.is_valid(MILK_EAN)


def parse(data: str | bytes, *, groups: set[str] = GROUPS) -> list[ParsedProduct]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_products_csv(raw, source="varer.csv", on=ON, known_groups=groups)


def problems(data: str | bytes) -> list[CsvProblem]:
    with pytest.raises(CsvImportError) as caught:
        parse(data)
    return caught.value.problems


def only_problem(data: str | bytes) -> CsvProblem:
    found = problems(data)
    assert len(found) == 1, found
    return found[0]


def rows(*lines: str) -> str:
    return "\n".join((HEADER, *lines)) + "\n"


# --- good files ---------------------------------------------------------------------------


def test_a_full_row_becomes_the_product_it_describes() -> None:
    parsed = parse(rows(f"1001;Tine Lettmelk 1 l;23,90;15;10;stk;{MILK_EAN};ja"))

    assert parsed == [
        ParsedProduct(
            2,
            Product(
                sku="1001",
                name="Tine Lettmelk 1 l",
                price=Money(2390),
                vat=rate_by_code("31"),
                group="10",
                unit=Unit.PIECE,
                barcodes=(MILK_EAN,),
                active=True,
            ),
        )
    ]


def test_optional_columns_may_be_left_out_and_take_their_defaults() -> None:
    parsed = parse("SKU ; Name;PRICE;Vat;group\n4011;Bananer;29,90;15;11\n")

    product = parsed[0].product
    assert (product.unit, product.barcodes, product.active) == (Unit.PIECE, (), True)


def test_columns_may_come_in_any_order() -> None:
    parsed = parse("group;vat;price;name;sku;unit\n11;15;29,90;Bananer;4011;kg\n")

    assert parsed[0].product.sku == "4011"
    assert parsed[0].product.unit is Unit.KG


def test_a_comma_delimited_file_reads_a_quoted_decimal_comma() -> None:
    parsed = parse('sku,name,price,vat,group\n4011,"Bananer, modne","29,90",15,11\n')

    assert parsed[0].product.name == "Bananer, modne"
    assert parsed[0].product.price == Money(2990)


def test_a_windows_1252_file_keeps_its_norwegian_letters() -> None:
    text = (
        "sku;name;price;vat;group\n2001;Blåbær og søtsaker;49,90;15;10\n3001;Æbleskiver;1;15;10\n"
    )
    data = text.encode("cp1252")
    assert data.count(b"\xe5") == 1  # å really is a single Windows-1252 byte here

    parsed = parse(data)

    assert [p.product.name for p in parsed] == ["Blåbær og søtsaker", "Æbleskiver"]


def test_a_utf8_file_with_a_byte_order_mark_reads_its_first_column() -> None:
    data = b"\xef\xbb\xbf" + "sku;name;price;vat;group\n1;Rømme;27,50;15;10\n".encode()

    parsed = parse(data)

    assert (parsed[0].product.sku, parsed[0].product.name) == ("1", "Rømme")


def test_windows_line_endings_and_blank_lines_keep_physical_line_numbers() -> None:
    data = "sku;name;price;vat;group\r\n\r\n1;A;1;15;10\r\n;;;;\r\n2;B;2;15;10\r\n"

    parsed = parse(data)

    assert [p.line for p in parsed] == [3, 5]


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1 234,50", 123450),
        ("1\u00a0234,50", 123450),  # Excel in Norwegian locale: no-break space
        ("1 234 567", 123456700),
        ("29.90", 2990),
        ("29,9", 2990),
        ("12", 1200),
        ("0", 0),
        ("kr 12,50", 1250),
        ("12,50 kr", 1250),
    ],
)
def test_prices_take_a_decimal_comma_or_point_and_space_thousands(text: str, ore: int) -> None:
    parsed = parse(rows(f"1;Vare;{text};25;10;;;"))

    assert parsed[0].product.price == Money(ore)


@pytest.mark.parametrize(
    ("text", "code"),
    [("25", "3"), ("25%", "3"), ("15 %", "31"), ("12", "33"), ("0", "5"), ("0-outside", "6"),
     ("outside", "6"), ("Outside", "6")],
)  # fmt: skip
def test_vat_is_a_percentage_or_outside_the_act(text: str, code: str) -> None:
    parsed = parse(rows(f"1;Vare;1;{text};10;;;"))

    assert parsed[0].product.vat == rate_by_code(code)


@pytest.mark.parametrize(
    ("text", "active"),
    [("yes", True), ("JA", True), ("true", True), ("1", True), ("", True), ("no", False),
     ("nei", False), ("False", False), ("0", False)],
)  # fmt: skip
def test_the_active_flag_takes_english_and_norwegian_words(text: str, active: bool) -> None:
    assert parse(rows(f"1;Vare;1;25;10;;;{text}"))[0].product.active is active


def test_barcodes_are_separated_by_bars_or_spaces_and_may_be_ean8_or_upc_a() -> None:
    codes = [MILK_EAN, "73513537", "036000291452"]
    assert all(ean.is_valid(code) for code in codes)

    parsed = parse(rows(f"1;Vare;1;25;10;;{codes[0]}| {codes[1]} {codes[2]};"))

    assert parsed[0].product.barcodes == tuple(codes)


def test_a_short_row_may_leave_out_trailing_optional_fields() -> None:
    parsed = parse(rows("1;Vare;1;25;10"))

    assert parsed[0].product.unit is Unit.PIECE


# --- one test per bad case: exact line and column ------------------------------------------


def test_an_unknown_column_is_named_on_line_1() -> None:
    found = only_problem("sku;name;price;vat;group;colour\n1;Vare;1;25;10;red\n")

    assert (found.line, found.column) == (1, "colour")
    assert "unknown column 'colour'" in found.message


def test_a_missing_required_column_is_named_on_line_1() -> None:
    found = only_problem("sku;name;price;vat\n1;Vare;1;25\n")

    assert (found.line, found.column, found.message) == (1, "group", "missing required column")


def test_a_column_given_twice_is_reported() -> None:
    found = only_problem("sku;name;price;vat;group;SKU\n1;Vare;1;25;10;1\n")

    assert (found.line, found.column, found.message) == (1, "sku", "the column appears twice")


def test_a_row_without_a_required_field_names_the_first_missing_column() -> None:
    found = only_problem(rows("1;Vare;1;25;10", "2;Vare;2"))

    assert (found.line, found.column) == (3, "vat")
    assert found.message.startswith("missing field")


def test_an_empty_required_field_is_a_missing_value() -> None:
    found = only_problem(rows("1;;1;25;10;;;"))

    assert (found.line, found.column) == (2, "name")
    assert found.message.startswith("missing value")


def test_a_row_with_too_many_fields_is_reported() -> None:
    found = only_problem(rows("1;Vare;1;25;10;;;yes;surprise"))

    assert (found.line, found.column) == (2, "-")
    assert found.message == "too many fields (9, the header has 8)"


def test_a_barcode_with_a_wrong_check_digit_says_which_digit_is_right() -> None:
    found = only_problem(rows("1;A;1;25;10;;;", "2;B;1;25;10;;7038010000013;"))

    assert (found.line, found.column) == (3, "barcodes")
    assert found.message == (
        "bad check digit in barcode 7038010000013 (the last digit should be 0)"
    )


def test_a_barcode_of_the_wrong_length_is_reported() -> None:
    found = only_problem(rows("1;A;1;25;10;;12345;"))

    assert (found.line, found.column) == (2, "barcodes")
    assert "not an EAN-13, EAN-8 or UPC-A barcode: '12345'" in found.message


def test_a_negative_price_is_reported() -> None:
    found = only_problem(rows("1;A;1;25;10;;;", "2;B;2;25;10;;;", "3;C;-5,00;25;10;;;"))

    assert (found.line, found.column) == (4, "price")
    assert found.message.startswith("negative price -5,00")


@pytest.mark.parametrize("price", ["abc", "12,345", "1.234,50", "12 34", "--1", "1e3"])
def test_an_unparseable_price_is_reported(price: str) -> None:
    found = only_problem(rows(f"1;A;{price};25;10;;;"))

    assert (found.line, found.column) == (2, "price")
    assert found.message.startswith(f"not a price: {price!r}")


@pytest.mark.parametrize("vat", ["30", "8%", "high", "sNaN"])
def test_an_unknown_vat_rate_is_reported(vat: str) -> None:
    found = only_problem(rows(f"1;A;1;{vat};10;;;"))

    assert (found.line, found.column) == (2, "vat")
    assert found.message.startswith("unknown VAT rate")


def test_a_vat_rate_not_yet_in_force_on_the_day_is_unknown() -> None:
    raw = rows("1;Kinobillett;150;12;10;;;").encode()

    with pytest.raises(CsvImportError) as caught:
        parse_products_csv(raw, source="gammel.csv", on=date(2017, 6, 1), known_groups=GROUPS)

    assert caught.value.problems[0].column == "vat"
    assert "rates in force: 0, 15, 25" in caught.value.problems[0].message


def test_an_unknown_group_lists_the_known_ones() -> None:
    found = only_problem(rows("1;A;1;25;99;;;"))

    assert (found.line, found.column) == (2, "group")
    assert found.message == "unknown article group '99' (known: 10, 11, 90)"


def test_a_bad_unit_is_reported() -> None:
    found = only_problem(rows("1;A;1;25;10;liter;;"))

    assert (found.line, found.column) == (2, "unit")
    assert "unknown unit 'liter'" in found.message


def test_a_bad_active_flag_is_reported() -> None:
    found = only_problem(rows("1;A;1;25;10;;;maybe"))

    assert (found.line, found.column) == (2, "active")
    assert "not a yes/no value: 'maybe'" in found.message


def test_a_bad_sku_is_reported() -> None:
    found = only_problem(rows("12 34;A;1;25;10;;;"))

    assert (found.line, found.column) == (2, "sku")


def test_a_name_over_60_characters_is_reported() -> None:
    found = only_problem(rows(f"1;{'x' * 61};1;25;10;;;"))

    assert (found.line, found.column) == (2, "name")
    assert found.message == "the name has 61 characters, at most 60 fit"


def test_the_same_sku_twice_is_reported_on_the_later_line() -> None:
    found = only_problem(rows("1;A;1;25;10;;;", "2;B;1;25;10;;;", "1;C;1;25;10;;;"))

    assert (found.line, found.column, found.message) == (4, "sku", "SKU 1 is already on line 2")


def test_the_same_barcode_on_two_rows_is_reported_on_the_later_line() -> None:
    found = only_problem(rows(f"1;A;1;25;10;;{MILK_EAN};", f"2;B;1;25;10;;{MILK_EAN};"))

    assert (found.line, found.column) == (3, "barcodes")
    assert found.message == f"barcode {MILK_EAN} is already on line 2 (SKU 1)"


@pytest.mark.parametrize("data", ["", "   \n\n", "\ufeff"])
def test_an_empty_file_says_so(data: str) -> None:
    found = only_problem(data.encode())

    assert (found.line, found.column) == (1, "-")
    assert found.message.startswith("the file is empty")


def test_a_file_with_only_a_header_says_so() -> None:
    found = only_problem(HEADER + "\n")

    assert (found.line, found.column, found.message) == (
        1,
        "-",
        "the file has a header but no product rows",
    )


def test_bytes_neither_utf8_nor_windows_1252_are_reported_on_their_line() -> None:
    data = "sku;name;price;vat;group\n1;Øl;1;25;10\n".encode("cp1252") + b"2;B\x81r;1;25;10\n"

    found = only_problem(data)

    assert (found.line, found.column) == (3, "-")
    assert found.message.startswith("undecodable bytes: byte 0x81")


def test_control_characters_are_undecodable_bytes_on_their_line() -> None:
    found = only_problem(b"sku;name;price;vat;group\n1;A;1;25;10\n\n2;B\x00;1;25;10\n")

    assert (found.line, found.column) == (4, "-")
    assert found.message.startswith("undecodable bytes: control character 0x00")


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
        ("utf-32-be", "UTF-32"),
    ],
)
def test_a_utf16_or_utf32_file_is_recognised_named_and_refused(encoding: str, named: str) -> None:
    found = only_problem("sku;name;price;vat;group\n1;A;1;25;10\n".encode(encoding))

    assert (found.line, found.column) == (1, "-")
    assert f"the file is {named};" in found.message


def test_invalid_utf8_after_a_byte_order_mark_is_reported_on_its_line() -> None:
    data = b"\xef\xbb\xbfsku;name;price;vat;group\n1;A;1;25;10\n2;Bl\xe5;1;25;10\n"

    found = only_problem(data)

    assert (found.line, found.column) == (3, "-")
    assert "0xE5 is not valid UTF-8" in found.message


def test_an_unclosed_quote_is_reported_where_the_row_starts() -> None:
    found = only_problem(rows("1;A;1;25;10;;;", '2;"B;1;25;10;;;', "3;C;1;25;10;;;"))

    assert (found.line, found.column) == (3, "-")
    assert 'closing " missing' in found.message


def test_a_blank_first_line_is_not_taken_for_an_empty_header() -> None:
    found = only_problem("\n" + rows("1;A;1;25;10;;;"))

    assert (found.line, found.column) == (1, "-")
    assert found.message.startswith("line 1 is empty")


# --- all problems, and how they read ------------------------------------------------------


def test_every_problem_in_the_file_is_collected_in_line_order() -> None:
    found = problems(
        "sku;name;price;vat;group;colour\n1;A;-1;25;10;x\n2;B;1;99;77;x\n3;C\x01;1;25;10;x\n"
    )

    assert [(p.line, p.column) for p in found] == [
        (1, "colour"), (2, "price"), (3, "vat"), (3, "group"), (4, "-"),
    ]  # fmt: skip


def test_the_error_text_lists_one_problem_per_line_with_file_line_and_column() -> None:
    with pytest.raises(CsvImportError) as caught:
        parse(rows("1;A;-1;25;10;;;", "2;B;1;25;99;;;"))

    assert str(caught.value).splitlines() == [
        "varer.csv: line 2, column price: negative price -1 (a price is 0 or more)",
        "varer.csv: line 3, column group: unknown article group '99' (known: 10, 11, 90)",
    ]
    assert caught.value.source == "varer.csv"


def test_the_error_text_shows_the_first_50_problems_but_all_are_kept() -> None:
    bad = [f"{n};A;1;25;99;;;" for n in range(1, 121)]

    with pytest.raises(CsvImportError) as caught:
        parse(rows(*bad))

    text_lines = str(caught.value).splitlines()
    assert len(caught.value.problems) == 120
    assert len(text_lines) == MAX_LISTED_PROBLEMS + 1
    assert text_lines[-1] == "varer.csv: ... and 70 more problems"


# --- writing and the round trip -----------------------------------------------------------


def test_the_writer_uses_semicolons_decimal_commas_and_bars() -> None:
    out = io.StringIO()
    product = Product(
        "9101", "Pant 0,5 l", Money(123450), rate_by_code("6"), "90", Unit.KG,
        (MILK_EAN, "73513537"), active=False,
    )  # fmt: skip

    count = write_products_csv([product], out)

    assert count == 1
    assert out.getvalue() == (
        f"{HEADER}\n9101;Pant 0,5 l;1234,50;0-outside;90;kg;{MILK_EAN}|73513537;no\n"
    )


def test_the_columns_are_documented_in_the_order_they_are_written() -> None:
    assert tuple(COLUMN_HELP) == COLUMNS
    assert ";".join(COLUMNS) == HEADER


RATES_ON = [rate for rate in RATES if rate.applies_on(ON)]
NAMES = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def barcode(draw: st.DrawFn) -> str:
    body = draw(
        st.sampled_from([7, 11, 12]).flatmap(
            lambda n: st.text("0123456789", min_size=n, max_size=n)
        )
    )
    return body + ean.calc_check_digit(body)


@st.composite
def catalogues(draw: st.DrawFn) -> list[Product]:
    skus = draw(
        st.lists(st.from_regex(r"[A-Za-z0-9-]{1,20}", fullmatch=True), unique=True, max_size=12)
    )
    pool = iter(
        draw(st.lists(barcode(), unique=True, min_size=3 * len(skus), max_size=3 * len(skus)))
    )
    products = []
    for sku in skus:
        how_many = draw(st.integers(0, 3))
        products.append(
            Product(
                sku=sku,
                name=draw(NAMES),
                price=Money(draw(st.integers(0, 10**12 - 1))),
                vat=draw(st.sampled_from(RATES_ON)),
                group=draw(st.sampled_from(sorted(GROUPS))),
                unit=draw(st.sampled_from(list(Unit))),
                barcodes=tuple(next(pool) for _ in range(how_many)),
                active=draw(st.booleans()),
            )
        )
    return products


@settings(max_examples=150, deadline=None)
@given(catalogues())
def test_export_then_import_gives_the_same_products(products: list[Product]) -> None:
    out = io.StringIO()
    write_products_csv(products, out)

    if not products:
        assert only_problem(out.getvalue()).message.endswith("no product rows")
        return
    parsed = parse(out.getvalue())

    assert [p.product for p in parsed] == products
    assert [p.line for p in parsed] == list(range(2, len(products) + 2))
