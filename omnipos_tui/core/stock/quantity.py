"""Stock quantities: integers of thousandths of the product's unit.

A piece is 1,000; 0,352 kg is 352. Every stored quantity, balance and move uses this one
scale, so a weighed product and a counted one are summed and compared the same way, and no
``float`` or ``Decimal`` is stored. Text enters through :func:`parse_quantity` (which refuses
a negative, non-numeric or fractional-piece quantity with a reason) and leaves through
:func:`format_quantity` / :func:`quantity_number`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import round_half_up

SCALE = 1000
"""Thousandths per unit: one piece or one kilogram."""

MAX_QUANTITY = 10**12
"""The largest quantity a document line takes (a billion units): beyond it is a typo."""

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def to_scaled(quantity: Decimal) -> int:
    """A decimal quantity (as a sale line holds it) in thousandths, rounded half up."""
    return round_half_up(quantity * SCALE)


def from_scaled(scaled: int) -> Decimal:
    """Thousandths as an exact decimal quantity (3000 -> 3, 352 -> 0.352)."""
    return (Decimal(scaled) / SCALE).normalize() if scaled % SCALE else Decimal(scaled // SCALE)


def parse_quantity(text: str, unit: Unit, *, what: str = "quantity", zero: bool = False) -> int:
    """A typed quantity ("3", "0,352", "1.5") in thousandths.

    Args:
        text: What was typed.
        unit: The product's unit: pieces must be whole numbers, kilograms take up to three
            decimals.
        what: Names the value in messages ("quantity of 1001").
        zero: Whether 0 is allowed (a count of nothing); otherwise it must be above 0.

    Raises:
        InvalidInput: Not a number, negative (or 0 when not allowed), a fraction of a piece,
            more than three decimals for a weight, or absurdly large.
    """
    raw = text.strip()  # "1 234" is refused: a thousands separator is never guessed
    if not _NUMBER.match(raw):
        raise InvalidInput(code="stock.quantity_not_number", what=what, text=text.strip())
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern lets only numbers through
        raise InvalidInput(code="stock.quantity_not_number", what=what, text=text.strip()) from None
    if value < 0 or (value == 0 and not zero):
        if zero:
            raise InvalidInput(code="stock.quantity_negative", what=what, text=text.strip())
        raise InvalidInput(code="stock.quantity_not_positive", what=what, text=text.strip())
    return check_quantity(value, unit, what=what, shown=text.strip())


def check_quantity(value: Decimal, unit: Unit, *, what: str = "quantity", shown: str = "") -> int:
    """A non-negative decimal quantity in thousandths, checked against the unit.

    Raises:
        InvalidInput: A fraction of a piece, more than three decimals, or too large.
    """
    shown = shown or str(value)
    if unit is Unit.PIECE and value != value.to_integral_value():
        raise InvalidInput(code="stock.quantity_piece_weight", what=what, text=shown)
    scaled = value * SCALE
    if scaled != scaled.to_integral_value():
        raise InvalidInput(code="stock.quantity_decimals", what=what, text=shown)
    if scaled > MAX_QUANTITY:
        raise InvalidInput(code="stock.quantity_too_large", what=what, text=shown)
    return int(scaled)


def format_quantity(scaled: int, unit: Unit | None = None) -> str:
    """Norwegian notation: pieces as whole numbers ("3", "-1"), weights with three decimals
    ("0,352", "-1,500"). Without a unit, whole numbers print bare and others with three
    decimals."""
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), SCALE)
    if unit is Unit.KG or (unit is None and part):
        return f"{sign}{whole},{part:03d}"
    if part:  # a piece product that somehow holds a fraction: show it, never hide it
        return f"{sign}{whole},{part:03d}"
    return f"{sign}{whole}"


def quantity_number(scaled: int, unit: Unit | None = None) -> int | float:
    """The quantity as a JSON number: an int for pieces, kilograms with three decimals.

    A float is exact enough here: it is only ever printed (``0.352``), never summed or
    stored.
    """
    if unit is Unit.KG or scaled % SCALE:
        return round(scaled / SCALE, 3)
    return scaled // SCALE
