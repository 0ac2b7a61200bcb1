"""The web channel's daily settlement: a day of prepaid web orders is one more source for
the one settlement voucher builder (``core.accounting.settlement``).

A web order paid in the shop (prepaid) is a sale of the web channel on the day it was
imported; its lines are its revenue per article group and VAT rate, and the money came
through the shop's payment provider (``web_card`` in the account map: 1943 unless
``[accounting.accounts] web_card`` says otherwise).
Orders paid at the pick-up go through the till and its Z report instead, so they are not
here. The voucher's key is ``WEB-web-<day>``: one per day, queued once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from omnipos_tui.core.accounting.settlement import PaymentFigure, SalesFigure, SettlementSource
from omnipos_tui.core.money import round_half_up

WEB_MEANS = "web_card"
"""The account map's key of the web shop's payments."""


@dataclass(frozen=True, slots=True)
class WebSale:
    """One line of a prepaid web order, as settled.

    Attributes:
        group: The product's article group.
        vat_code: The product's VAT code.
        vat_percent: Its rate.
        gross: What the customer paid for the line's wanted quantity, incl. VAT, øre.
    """

    group: str
    vat_code: str
    vat_percent: Decimal
    gross: int


def web_key(day: date, channel: str = "web") -> str:
    """The idempotency key of a day's web settlement: ``WEB-web-2026-12-06`` (the form the
    voucher's documentation gives: ``WEB-<channel>-<day>``)."""
    return f"WEB-{channel}-{day.isoformat()}"


def web_source(day: date, sales: Iterable[WebSale], orders: int) -> SettlementSource:
    """The settlement of a day of prepaid web orders: sales per group and VAT code (VAT
    taken out of the gross per group and code, rounded half up), paid by ``web_card``.

    Args:
        day: The business day.
        sales: The day's lines.
        orders: How many orders (for the text).
    """
    gross: dict[tuple[str, str], int] = defaultdict(int)
    percent: dict[str, Decimal] = {}
    for sale in sales:
        gross[(sale.group, sale.vat_code)] += sale.gross
        percent[sale.vat_code] = sale.vat_percent
    figures = []
    for (group, code), amount in sorted(gross.items()):
        rate = percent[code]
        vat = round_half_up(Decimal(amount) * rate / (100 + rate))
        figures.append(SalesFigure(group, code, rate, amount - vat, vat))
    total = sum(gross.values())
    payments = (PaymentFigure(WEB_MEANS, total, "", "Nettbutikk"),) if total else ()
    return SettlementSource(
        key=web_key(day),
        day=day,
        description=f"Dagsoppgjør nettbutikk {day.isoformat()} ({orders} ordre)",
        sales=tuple(figures),
        payments=payments,
    )
