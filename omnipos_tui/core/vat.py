"""Norwegian VAT rates as data, and the one per-line VAT function.

Shelf prices include VAT. VAT is computed per line and every VAT total (receipt, X/Z report,
SAF-T, accounting) is the sum of line values, so all documents agree to the øre.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money, round_half_up


@dataclass(frozen=True, slots=True)
class VatRate:
    """A VAT rate valid over a period.

    Attributes:
        code: Our own VAT code, used as ``vatCode`` in SAF-T (for example "3").
        percent: The rate in percent (25, 15, 12, 0).
        standard_code: Skatteetaten's SAF-T StandardTaxCode (3, 31, 33, 5, 6).
        description: Norwegian description for reports and the SAF-T ``vatDesc``.
        valid_from: First day the rate applies.
        valid_to: Last day the rate applies, or None while in force.
    """

    code: str
    percent: Decimal
    standard_code: str
    description: str
    valid_from: date
    valid_to: date | None = None

    def applies_on(self, day: date) -> bool:
        """Whether the rate is in force on a given day."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# The rates in force. When the law changes a rate, close the old entry with valid_to and add
# a new one with a new code: stored sales keep the code they were sold with.
RATES: tuple[VatRate, ...] = (
    VatRate("3", Decimal(25), "3", "Utgående mva, alminnelig sats 25 %", date(2005, 1, 1)),
    VatRate(
        "31",
        Decimal(15),
        "31",
        "Utgående mva, redusert sats 15 % (næringsmidler)",
        date(2012, 1, 1),
    ),
    VatRate("33", Decimal(12), "33", "Utgående mva, lav sats 12 %", date(2018, 1, 1)),
    VatRate("5", Decimal(0), "5", "Innenlands omsetning, fritatt (nullsats)", date(2001, 7, 1)),
    VatRate("6", Decimal(0), "6", "Omsetning utenfor merverdiavgiftsloven", date(2001, 7, 1)),
)

_BY_CODE = {rate.code: rate for rate in RATES}


def rate_by_code(code: str) -> VatRate:
    """The rate with our own VAT code.

    Raises:
        InvalidInput: No such code.
    """
    try:
        return _BY_CODE[code]
    except KeyError:
        raise InvalidInput(code="vat.unknown_code", vat_code=code, known=sorted(_BY_CODE)) from None


def rate_for_percent(
    percent: Decimal | int | str, *, on: date, outside_act: bool = False
) -> VatRate:
    """The rate in force on a day for a percentage ("25", "15", "12", "0").

    ``0`` means zero-rated (code 5) unless ``outside_act`` asks for code 6.

    Raises:
        InvalidInput: No rate with that percentage is in force on that day.
    """
    try:
        wanted = Decimal(str(percent).replace(",", ".").rstrip("%").strip())
    except ArithmeticError:
        raise InvalidInput(code="vat.not_a_rate", percent=percent) from None
    for rate in RATES:
        if rate.percent == wanted and rate.applies_on(on):
            if wanted == 0 and (rate.code == "6") != outside_act:
                continue
            return rate
    known = sorted({str(r.percent) for r in RATES if r.applies_on(on)}, key=int)
    raise InvalidInput(code="vat.unknown_rate", percent=percent, known=known)


def line_vat(gross: Money, rate: VatRate) -> Money:
    """The VAT contained in a VAT-inclusive line amount.

    ``round_half_up(gross * rate / (100 + rate))``; negative amounts (returns) mirror
    positive ones exactly.
    """
    vat = round_half_up(Decimal(abs(gross.ore)) * rate.percent / (100 + rate.percent))
    return Money(-vat if gross.ore < 0 else vat)
