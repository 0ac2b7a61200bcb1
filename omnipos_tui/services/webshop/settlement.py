"""The web channel's sales to the books: one settlement voucher per business day of
prepaid web orders (``core.webshop.settlement``), built by the accounting's one voucher
builder and queued as an ``accounting.settlement`` outbox row (key ``WEB-web-<day>``) that
the same handler delivers to the same accounting system as the tills' Z reports, exactly
once (the key is unique in the outbox, and the handler asks the far end before sending).
A web order imported unpaid and paid in the shop later belongs to the day it was paid
(it is handed over, never sold at the till, so no Z report carries it).

The worker settles every finished day (the day before today, and any day missed since the
last one settled) on its pass; ``omnipos webshop settle --day D`` does one by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.settlement import SettlementSource, build_voucher
from omnipos_tui.core.accounting.voucher import SETTLEMENT_KIND, Voucher
from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.orders.order import WEB, OrderStatus, PaymentState
from omnipos_tui.core.orders.ports import OrderSummary
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.webshop.settlement import WebSale, web_source
from omnipos_tui.services.accounting.settlement import queue_voucher

#: Days settled at most in one worker pass (a worker that was off for long catches up).
CATCH_UP = 31
#: Orders read to find a day's web orders.
SCAN = 100_000


class WebSettlement:
    """Queues the web channel's daily settlement vouchers.

    Args:
        units: Opens units of work.
        clock: The time (what "today" is).
        accounts: The account map (``[accounting.accounts]`` over the defaults).
    """

    def __init__(
        self, units: UnitOfWorkFactory, clock: Clock, accounts: Callable[[], AccountMap]
    ) -> None:
        self._units = units
        self._clock = clock
        self._accounts = accounts

    def source(self, day: date) -> SettlementSource | None:
        """The day's settlement in figures (None: no prepaid web order that day)."""
        with self._units(read_only=True) as uow:
            return _source(uow, day)

    def preview(self, day: date) -> Voucher | None:
        """The voucher the day would get."""
        source = self.source(day)
        return None if source is None else build_voucher(source, self._accounts())

    def settle(self, day: date) -> str | None:
        """Queue the day's voucher (in one commit with the day marked settled).

        Returns:
            Its key; None when the day had no prepaid web order or is queued already.

        Raises:
            ConfigError: An account the figures need is not mapped.
            RuleViolation: The voucher does not balance (nothing queued).
        """
        with self._units() as uow:
            source = _source(uow, day)
            done = uow.webshop.get_state("settlement.day")
            if not done or done < day.isoformat():
                uow.webshop.set_state({"settlement.day": day.isoformat()})
            if source is None or uow.outbox.get(SETTLEMENT_KIND, source.key) is not None:
                uow.commit()
                return None
            queue_voucher(uow, build_voucher(source, self._accounts()))
            uow.commit()
        return source.key

    def due(self) -> list[str]:
        """Settle every finished day not settled yet (at most :data:`CATCH_UP` a pass)."""
        today = business_day(self._clock.now())
        with self._units(read_only=True) as uow:
            done = uow.webshop.get_state("settlement.day")
            first = _first_day(uow) if not done else date.fromisoformat(done) + timedelta(days=1)
        if first is None:
            return []
        keys: list[str] = []
        day = first
        while day < today and len(keys) < CATCH_UP:
            key = self.settle(day)
            if key is not None:
                keys.append(key)
            day += timedelta(days=1)
        return keys


def _first_day(uow: UnitOfWork) -> date | None:
    orders = uow.orders.find(channel=WEB, limit=SCAN)
    return min((_sold_on(o) for o in orders), default=None)


def _sold_on(order: OrderSummary) -> date:
    """The business day a prepaid web order's sale belongs to: the day it was paid in the
    shop when that came after the import, else the day it was taken."""
    return business_day(order.paid_at or order.created_at)


def _source(uow: UnitOfWork, day: date) -> SettlementSource | None:
    summaries = [
        o
        for o in uow.orders.find(channel=WEB, limit=SCAN)
        if _sold_on(o) == day
        and o.payment is PaymentState.PREPAID
        and o.status is not OrderStatus.CANCELLED
    ]
    if not summaries:
        return None
    orders = [uow.orders.get(o.number) for o in summaries]
    lines = [line for order in orders if order is not None for line in order.lines if line.wanted]
    products = uow.catalogue.products_by_skus({line.sku for line in lines})
    sales = [
        WebSale(
            products[line.sku].group,
            products[line.sku].vat.code,
            products[line.sku].vat.percent,
            line.amount.ore,
        )
        for line in lines
        if line.sku in products
    ]
    return web_source(day, sales, len(summaries))
