"""Lists of customer orders on SQLite or PostgreSQL: the part of
:class:`~omnipos_tui.storage.orders.PeeweeOrderRepository` that finds orders by customer,
status, channel, delivery and lateness, with each order's total and number of lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import peewee

from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    WAITING,
    Delivery,
    LineEventKind,
    OrderStatus,
    PaymentState,
    line_amount,
)
from omnipos_tui.core.orders.ports import OrderSummary
from omnipos_tui.storage.database import execute_sql, translated
from omnipos_tui.storage.db_time import time_from_db
from omnipos_tui.storage.order_shipments import _day
from omnipos_tui.storage.stock import chunks, marks

_PAYMENT = (
    "COALESCE((SELECT p.payment FROM customer_order_payment p WHERE p.order_no = o.number "
    "ORDER BY p.seq DESC LIMIT 1), o.payment)"
)
"""An order's payment state: the newest of its payment history, else the one it was made
with (``o`` is the ``customer_order`` row)."""

_PAID_AT = (
    "(SELECT p.at FROM customer_order_payment p WHERE p.order_no = o.number "
    "AND p.payment = 'prepaid' ORDER BY p.seq DESC LIMIT 1)"
)
"""When an order became prepaid after it was taken (NULL: it did not)."""


class OrderListRows:
    """Filtered lists of orders (a base of ``PeeweeOrderRepository``)."""

    _db: peewee.Database

    @translated
    def find(
        self,
        *,
        customer: str | None = None,
        status: Sequence[OrderStatus] = (),
        channel: str | None = None,
        delivery: Delivery | None = None,
        late_on: date | None = None,
        limit: int = 100,
    ) -> list[OrderSummary]:
        """Orders newest first, filtered (see the port)."""
        where: list[str] = []
        params: list[object] = []
        if customer is not None:
            where.append("o.customer_number = ?")
            params.append(customer)
        if status:
            where.append(f"s.status IN ({marks(len(status))})")
            params += [s.value for s in status]
        if channel is not None:
            where.append("o.channel = ?")
            params.append(channel)
        if delivery is not None:
            where.append("o.delivery = ?")
            params.append(delivery.value)
        if late_on is not None:
            waiting = sorted(s.value for s in WAITING)
            where.append(
                f"s.status IN ({marks(len(waiting))}) AND o.promised IS NOT NULL AND o.promised < ?"
            )
            params += [*waiting, late_on.isoformat()]
        rows = execute_sql(
            self._db,
            "SELECT o.number, o.channel, o.external_id, o.customer_number, c.name, s.status, "
            f"o.delivery, {_PAYMENT}, o.promised, o.created_at, {_PAID_AT} FROM customer_order o "
            "JOIN customer_order_state s ON s.order_no = o.number "
            "JOIN customer c ON c.number = o.customer_number "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "ORDER BY o.number DESC LIMIT ?",
            [*params, max(0, limit)],
        ).fetchall()
        totals = self._totals([int(row[0]) for row in rows])
        return [
            OrderSummary(
                number=int(number),
                channel=str(chan),
                external_id=None if ext is None else str(ext),
                customer=str(cust),
                customer_name=str(name),
                status=OrderStatus(str(state)),
                delivery=Delivery(str(deliv)),
                payment=PaymentState(str(pay)),
                promised=_day(promised),
                created_at=time_from_db(str(created)),
                total=totals.get(int(number), (Money.zero(), 0))[0],
                lines=totals.get(int(number), (Money.zero(), 0))[1],
                paid_at=None if paid is None else time_from_db(str(paid)),
            )
            for number, chan, ext, cust, name, state, deliv, pay, promised, created, paid in rows
        ]

    def _totals(self, numbers: Sequence[int]) -> dict[int, tuple[Money, int]]:
        """Each order's total incl. VAT (the wanted quantities) and its number of lines."""
        out: dict[int, tuple[Money, int]] = {}
        for part in chunks(sorted(numbers), 900):
            cancelled = {
                (int(o), int(n)): int(q)
                for o, n, q in execute_sql(
                    self._db,
                    "SELECT order_no, line_no, SUM(quantity) FROM customer_order_event "
                    f"WHERE order_no IN ({marks(len(part))}) AND kind = ? "
                    "GROUP BY order_no, line_no",
                    [*part, LineEventKind.CANCEL.value],
                ).fetchall()
            }
            for order_no, line_no, quantity, price in execute_sql(
                self._db,
                "SELECT order_no, line_no, quantity, unit_price FROM customer_order_line "
                f"WHERE order_no IN ({marks(len(part))})",
                list(part),
            ).fetchall():
                wanted = int(quantity) - cancelled.get((int(order_no), int(line_no)), 0)
                total, count = out.get(int(order_no), (Money.zero(), 0))
                out[int(order_no)] = (total + line_amount(Money(int(price)), wanted), count + 1)
        return out
