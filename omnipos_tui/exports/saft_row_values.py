"""Stored row values (``storage/export_rows.py``) as the texts SAF-T writes: amounts, Oslo
dates and times, quantities, VAT percents and line descriptions, most of them remembered
(prices, quantities and rates repeat all year), and rows grouped by transaction.

Line times are stored as fixed-width UTC text (``…T13:30:05.000000Z``); Oslo differs from
UTC by whole hours that change only on a whole UTC hour, so the Oslo date and hour are
worked out once per UTC hour and minutes and seconds are copied.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import groupby
from operator import itemgetter
from typing import Any

from omnipos_tui.core.clock import OSLO
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import LineKind
from omnipos_tui.core.money import saft_amount
from omnipos_tui.exports.saft_shapes import QNT_DECIMALS

Row = tuple[Any, ...]

_MINUTES_SECONDS = frozenset(f"{m:02d}:{s:02d}" for m in range(60) for s in range(60))
_CACHE_LIMIT = 8_192  # remembered texts per kind (few distinct ones; bounded memory)
_AMOUNTS_LIMIT = 65_536  # remembered amount texts (bounded memory)
_FIRST = itemgetter(0)


class Amounts(dict[object, str]):
    """SAF-T texts of stored øre amounts, remembered (prices and totals repeat): a hit is
    a plain dict lookup instead of formatting."""

    def __missing__(self, stored: object) -> str:
        if isinstance(stored, bool) or not isinstance(stored, int | str):
            raise TypeError(f"not an amount: {stored!r}")
        if len(self) >= _AMOUNTS_LIMIT:
            self.clear()
        text = self[stored] = saft_amount(int(stored))
        return text


class RowTexts:
    """The remembered texts of one register's rows (one per writer).

    Attributes:
        amounts: Amount texts by stored øre.
        percents: ``vatPerc`` texts by stored percent (look here first, then
            :meth:`percent`).
        quantities: ``qnt`` texts by stored quantity (look here first, then
            :meth:`quantity`).
    """

    def __init__(self) -> None:
        self.amounts = Amounts()
        self.percents: dict[str, str] = {}
        self.quantities: dict[str, str] = {}
        self._hours: dict[str, tuple[str, str]] = {}

    def oslo(self, stored: str) -> tuple[str, str]:
        """A stored UTC time as Oslo ``(date, time)`` texts."""
        if len(stored) == 27 and stored[26] == "Z" and stored[19] == ".":
            minutes_seconds = stored[14:19]
            if minutes_seconds in _MINUTES_SECONDS and stored[20:26].isdigit():
                hour = self._hours.get(stored[:13])
                if hour is None:
                    if len(self._hours) >= _CACHE_LIMIT:
                        self._hours.clear()
                    at = datetime.fromisoformat(stored[:13] + ":00:00+00:00").astimezone(OSLO)
                    hour = self._hours[stored[:13]] = (
                        f"{at.year:04d}-{at.month:02d}-{at.day:02d}",
                        f"{at.hour:02d}:",
                    )
                return hour[0], hour[1] + minutes_seconds
        # Any other form is read as a stored time is read anywhere (and refused the same way).
        at = datetime.fromisoformat(stored)
        if at.tzinfo is None:
            raise ValueError(f"time without zone: {stored!r}")
        at = at.astimezone(OSLO)
        return (
            f"{at.year:04d}-{at.month:02d}-{at.day:02d}",
            f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}",
        )

    def quantity(self, stored: str, where: str, line_no: object) -> str:
        """``qnt`` text ("2", "-1", "0.755"), remembered. Equal values give one text
        whatever their trailing zeros ("0.750" is written "0.75").

        Raises:
            InvalidInput: Not a finite number or more than six decimals
                (``Amount6decimals``).
        """
        text = self.quantities.get(stored)
        if text is None:
            try:
                quantity = Decimal(stored)
            except (InvalidOperation, TypeError):
                quantity = Decimal("NaN")
            exponent = quantity.as_tuple().exponent
            if not isinstance(exponent, int) or exponent < -QNT_DECIMALS:
                raise InvalidInput(
                    f"{where} line {line_no}: quantity {stored} is not a SAF-T quantity"
                )
            if len(self.quantities) >= _CACHE_LIMIT:
                self.quantities.clear()
            text = self.quantities[stored] = format(quantity.normalize(), "f")
        return text

    def percent(self, stored: str) -> str:
        """``vatPerc`` text ("25.00"), remembered.

        Raises:
            ValueError: Not a finite number.
        """
        text = self.percents.get(stored)
        if text is None:
            percent = Decimal(stored)
            if not percent.is_finite():
                raise ValueError(f"not a number: {stored!r}")
            if len(self.percents) >= _CACHE_LIMIT:
                self.percents.clear()
            text = self.percents[stored] = f"{percent:.2f}"
        return text


def by_transaction(rows: list[Row]) -> dict[str, list[Row]]:
    """Rows ordered by transaction id, grouped by it (order within a group kept)."""
    out: dict[str, list[Row]] = {}
    for trans_id, group in groupby(rows, _FIRST):
        found = out.get(trans_id)
        if found is None:
            out[trans_id] = list(group)
        else:  # not with ORDER BY trans_id; kept correct all the same
            found.extend(group)
    return out


def line_description(line: Row, kind: LineKind) -> str:
    """``cashTransLineDescr`` of a line row: its name, and what the line did (corrected,
    returned, discounted, priced over, approved, noted)."""
    discount, sale_discount = line[12] is not None, line[15] is not None
    if (
        kind is LineKind.ITEM
        and not discount
        and not sale_discount
        and not (line[18] or line[19] or line[21])
    ):
        name: str = line[4]
        return name
    parts = [line[4]]
    if kind is LineKind.CORRECTION and line[22] is not None:
        parts.append(f"korrigerer linje {int(line[22])}")
    if kind is LineKind.RETURN:
        if line[23]:
            of_line = f" linje {int(line[24])}" if line[24] is not None else ""
            parts.append(f"retur fra kvittering {line[23]}{of_line}")
        else:
            parts.append("retur uten kvittering")
    if discount and line[14]:
        parts.append(f"rabatt: {line[14]}")
    if sale_discount and line[17]:
        parts.append(f"rabatt: {line[17]}")
    if line[18]:
        parts.append(f"overstyrt pris: {line[18]}")
    if line[19]:
        parts.append(f"godkjent av {line[19]}")
    if line[21]:
        parts.append(line[21])
    return "; ".join(part for part in parts if part)


def count_text(n: int) -> str:
    """A receipt counter (0-999 in the XSD)."""
    return str(min(n, 999))
