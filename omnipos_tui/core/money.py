"""Money as integer øre, and the one rounding function that turns decimals into øre.

``Decimal`` appears only where text or weights enter (parsing "12,50", multiplying a kilo
price by a weight, extracting VAT) and always returns to øre through :func:`round_half_up`.
``float`` never touches money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from omnipos_tui.core.errors import InvalidAmount

_AMOUNT = re.compile(r"^\s*(?P<sign>-)?\s*(?P<int>\d{1,12})(?:[.,](?P<frac>\d{1,2}))?\s*(kr)?\s*$")


def round_half_up(value: Decimal) -> int:
    """Round a decimal to the nearest whole number, halves away from zero.

    This is the single rounding rule for money (øre), VAT and weights.
    """
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An amount in Norwegian kroner, held as whole øre.

    Attributes:
        ore: The amount in øre (1 krone = 100 øre); negative for refunds and returns.
    """

    ore: int

    def __post_init__(self) -> None:
        if not isinstance(self.ore, int) or isinstance(self.ore, bool):
            raise TypeError(f"Money holds whole øre as int, got {type(self.ore).__name__}")

    @classmethod
    def zero(cls) -> Money:
        """The amount 0,00."""
        return cls(0)

    @classmethod
    def kroner(cls, kroner: int) -> Money:
        """Whole kroner, for example ``Money.kroner(50)`` is 50,00."""
        return cls(kroner * 100)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Parse "12,50", "12.50", "12", "-3,5" or "12,50 kr".

        Raises:
            InvalidAmount: The text is not an amount with at most two decimals.
        """
        match = _AMOUNT.match(text)
        if match is None:
            raise InvalidAmount(code="amount.not_an_amount", text=text)
        frac = (match["frac"] or "").ljust(2, "0")
        ore = int(match["int"]) * 100 + int(frac)
        return cls(-ore if match["sign"] else ore)

    @classmethod
    def from_decimal(cls, kroner: Decimal) -> Money:
        """Kroner as a decimal, rounded half up to whole øre.

        Raises:
            InvalidAmount: The value is not a finite number.
        """
        try:
            return cls(round_half_up(kroner * 100))
        except InvalidOperation as exc:
            raise InvalidAmount(code="amount.not_a_number", value=kroner) from exc

    def to_decimal(self) -> Decimal:
        """The amount in kroner as an exact decimal with two places."""
        return Decimal(self.ore).scaleb(-2)

    def format(self, *, thousands: bool = False) -> str:
        """Norwegian notation: "12,50", "-3,05"; with ``thousands`` "1 234,50"."""
        sign = "-" if self.ore < 0 else ""
        kr, ore = divmod(abs(self.ore), 100)
        whole = f"{kr:,}".replace(",", " ") if thousands else str(kr)
        return f"{sign}{whole},{ore:02d}"

    def saft(self) -> str:
        """SAF-T and signature notation: "12.50", "-3.05" (point, two decimals)."""
        return saft_amount(self.ore)

    def __str__(self) -> str:
        return self.format()

    def __add__(self, other: Money) -> Money:
        return Money(self.ore + other.ore)

    def __sub__(self, other: Money) -> Money:
        return Money(self.ore - other.ore)

    def __neg__(self) -> Money:
        return Money(-self.ore)

    def __abs__(self) -> Money:
        return Money(abs(self.ore))

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            raise TypeError("Money multiplies by whole numbers only; use times() for decimals")
        return Money(self.ore * factor)

    __rmul__ = __mul__

    def times(self, quantity: Decimal) -> Money:
        """The amount times a decimal quantity (a weight in kg), rounded half up to øre."""
        return Money(round_half_up(Decimal(self.ore) * quantity))

    def percent(self, percent: Decimal) -> Money:
        """``percent`` % of this amount, rounded half up to øre."""
        return Money(round_half_up(Decimal(self.ore) * percent / 100))

    def __bool__(self) -> bool:
        return self.ore != 0

    @staticmethod
    def sum(amounts: list[Money] | tuple[Money, ...]) -> Money:
        """The sum of amounts (0,00 for none)."""
        return Money(sum(a.ore for a in amounts))


def saft_amount(ore: int) -> str:
    """SAF-T and signature notation of an amount in øre: "12.50", "-3.05", "0.07".

    The one implementation behind :meth:`Money.saft`, callable on a bare ``int`` so the
    SAF-T export can format a year of amounts without building a ``Money`` for each.
    """
    if ore < 0:
        return "-" + saft_amount(-ore)
    digits = str(ore)
    if ore < 100:
        return ("0.0" if ore < 10 else "0.") + digits
    return digits[:-2] + "." + digits[-2:]


def cash_rounding(amount: Money) -> Money:
    """The rounding (øreavrunding) that brings a cash amount to whole kroner.

    Returns the difference to add: 295,40 -> -0,40; 295,50 -> +0,50 (half up, away from zero).
    Never more than 50 øre either way.
    """
    rounded = round_half_up(Decimal(amount.ore) / 100) * 100
    return Money(rounded - amount.ore)


NOK_DENOMINATIONS: tuple[int, ...] = (1000, 500, 200, 100, 50, 20, 10, 5, 1)
"""The notes and coins in use in Norway, in whole kroner, largest first (the 50-øre coin
went out of use in 2012): what a cash count is made of."""
