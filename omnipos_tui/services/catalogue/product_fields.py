"""The rules for a product's fields as people type them: SKU, name, price, VAT, unit, barcodes.

The CSV import applies them to every row; the CLI and the till can apply them to one value
typed by hand, so a price or a barcode means the same everywhere. Each ``parse_*`` function
takes the text without surrounding blanks and returns the value, or raises an
:class:`~omnipos_tui.core.errors.InvalidInput` whose message says what is wrong in words a
shop owner can act on.
"""

from __future__ import annotations

import re
from datetime import date

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.errors import InvalidAmount, InvalidBarcode, InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.core.vat import VatRate, rate_for_percent

MAX_SKU_LENGTH = 20
MAX_NAME_LENGTH = 60
OUTSIDE_ACT = "0-outside"
"""How the VAT of a product outside the VAT act (code 6) is written."""

_SKU = re.compile(rf"[A-Za-z0-9-]{{1,{MAX_SKU_LENGTH}}}")
# "1 234,50", "1234.5", "kr 12,50", "12 kr"; the thousands separator may be a space, a
# no-break space or a narrow no-break space (what spreadsheets in Norwegian locale write).
_PRICE = re.compile(
    r"(?:kr\.?\s*)?(?P<sign>-)?\s*"
    r"(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,3}|\d{1,10})"
    r"(?:[.,](?P<frac>\d{1,2}))?(?:\s*kr)?",
    re.IGNORECASE | re.ASCII,
)
# The form nearly every price in a file has; read without the general pattern's extra work.
_PLAIN_PRICE = re.compile(r"([0-9]{1,10})(?:[.,]([0-9]{2}))?")
_NOT_DIGIT = re.compile(r"\D")
_PERCENT = re.compile(r"[0-9]{1,2}(?:[.,][0-9]{1,2})?")
_OUTSIDE_WORDS = frozenset({"outside", OUTSIDE_ACT, "utenfor", "0-utenfor"})
_BARCODE_SPLIT = re.compile(r"[|\s]+")
_DIGITS = re.compile(r"[0-9]+")
_BARCODE_LENGTHS = (8, 12, 13)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNITS = {"": Unit.PIECE, "piece": Unit.PIECE, "stk": Unit.PIECE, "kg": Unit.KG}
_FLAGS = {
    **dict.fromkeys(("", "yes", "true", "1", "ja", "y", "j"), True),
    **dict.fromkeys(("no", "false", "0", "nei", "n"), False),
}


def parse_sku(text: str) -> str:
    """An article number: 1-20 ASCII letters, digits or hyphens.

    Raises:
        InvalidInput: Anything else.
    """
    if _SKU.fullmatch(text) is None:
        raise InvalidInput(code="product.bad_sku", sku=text, maximum=MAX_SKU_LENGTH)
    return text


def parse_name(text: str) -> str:
    """A product name: 1-60 characters, no line breaks, tabs or other control characters.

    Raises:
        InvalidInput: Empty, too long, or holding a control character.
    """
    if not text:
        raise InvalidInput(code="product.no_name")
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidInput(code="product.name_too_long", length=len(text), maximum=MAX_NAME_LENGTH)
    if _CONTROL.search(text):
        raise InvalidInput(code="product.name_control_character")
    return text


def parse_price(text: str) -> Money:
    """A shelf price of 0 or more: "29,90", "29.90", "1 234,50", "12", "kr 12,50".

    Raises:
        InvalidAmount: Not a price with at most two decimals, or negative.
    """
    plain = _PLAIN_PRICE.fullmatch(text)
    if plain is not None:
        whole, cents = plain.groups()
        return Money(int(whole) * 100 + (int(cents) if cents else 0))
    match = _PRICE.fullmatch(text)
    if match is None:
        raise InvalidAmount(code="product.bad_price", text=text)
    whole = int(_NOT_DIGIT.sub("", match["int"] or "0"))
    ore = whole * 100 + int((match["frac"] or "").ljust(2, "0"))
    if match["sign"] and ore:
        raise InvalidAmount(code="product.negative_price", text=text)
    return Money(ore)


def parse_vat(text: str, *, on: date) -> VatRate:
    """A VAT rate: "25", "15 %", "12", "0" (zero-rated), or "outside" / "0-outside" (code 6).

    Raises:
        InvalidInput: Not a rate in force on that day.
    """
    wanted = text.lower().replace(" ", "")
    if wanted in _OUTSIDE_WORDS:
        return rate_for_percent(0, on=on, outside_act=True)
    percent = wanted.removesuffix("%")
    if _PERCENT.fullmatch(percent) is None:
        raise InvalidInput(code="product.bad_vat", text=text)
    return rate_for_percent(percent, on=on)


def vat_text(rate: VatRate) -> str:
    """How a rate is written in files: its percentage ("25"), or "0-outside" for code 6."""
    if rate.standard_code == "6":
        return OUTSIDE_ACT
    return format(rate.percent.normalize(), "f")


def parse_unit(text: str) -> Unit:
    """ "piece" or "stk" (also when empty) for pieces, "kg" for weighed products.

    Raises:
        InvalidInput: Any other unit.
    """
    try:
        return _UNITS[text.lower()]
    except KeyError:
        raise InvalidInput(code="product.bad_unit", text=text) from None


def parse_active(text: str) -> bool:
    """yes/no, ja/nei, true/false, 1/0 (empty means yes).

    Raises:
        InvalidInput: Anything else.
    """
    try:
        return _FLAGS[text.lower()]
    except KeyError:
        raise InvalidInput(code="product.bad_flag", text=text) from None


def ean_check_digit(body: str) -> str:
    """The GS1 check digit (EAN-13, EAN-8, UPC-A) for the digits before it.

    The same arithmetic as python-stdnum's ``stdnum.ean.calc_check_digit`` (a test holds them
    equal for every length), done on bytes in C-speed sums: checking barcodes is most of the
    time a 100,000-product import takes, and stdnum's generator was three times slower.
    """
    digits = body.encode("ascii")
    weighted_three, weighted_one = digits[-1::-2], digits[-2::-2]
    total = (
        3 * sum(weighted_three)
        + sum(weighted_one)
        - 48 * (3 * len(weighted_three) + len(weighted_one))
    )
    return str(-total % 10)


def check_barcode(code: str) -> str:
    """An EAN-13, EAN-8 or UPC-A code with a correct check digit, unchanged.

    Raises:
        InvalidBarcode: Wrong characters, wrong length, or a wrong check digit.
    """
    if _DIGITS.fullmatch(code) is None or len(code) not in _BARCODE_LENGTHS:
        raise InvalidBarcode(code="product.bad_barcode", barcode=code)
    expected = ean_check_digit(code[:-1])
    if code[-1] != expected:
        raise InvalidBarcode(code="product.bad_check_digit", barcode=code, expected=expected)
    return code


def parse_barcodes(text: str) -> tuple[str, ...]:
    """Barcodes separated by ``|`` or blanks, each checked; repeats are dropped.

    Raises:
        InvalidBarcode: One of them is not a valid EAN-13, EAN-8 or UPC-A.
    """
    if text.isdigit():
        return (check_barcode(text),)
    codes: list[str] = []
    for code in _BARCODE_SPLIT.split(text):
        if code and code not in codes:
            codes.append(check_barcode(code))
    return tuple(codes)
