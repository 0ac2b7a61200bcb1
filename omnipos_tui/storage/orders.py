"""The order register on SQLite or PostgreSQL (``core.orders.ports.OrderRepository``).

Reading an order is a handful of indexed statements (header, lines, the line events summed
per line and kind, history, parcels), so ``orders show`` stays fast however many orders the
shop has. Lists filter on ``customer_order_state``, the current status kept beside the
history in the same unit of work as each status row. The parcels and their tracking are in
:mod:`~omnipos_tui.storage.order_shipments`, the links to the till's sales and the checks in
:mod:`~omnipos_tui.storage.order_sales`, the filtered lists in
:mod:`~omnipos_tui.storage.order_lists`; this class puts them together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

import peewee

from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    Address,
    CustomerOrder,
    Delivery,
    LineEvent,
    OrderLine,
    OrderStatus,
    PaymentState,
)
from omnipos_tui.core.stock.documents import StatusChange
from omnipos_tui.storage.database import engine_of, execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.order_lists import _PAYMENT, OrderListRows
from omnipos_tui.storage.order_sales import OrderSaleRows
from omnipos_tui.storage.order_shipments import ShipmentRows, _day
from omnipos_tui.storage.stock import PeeweeStockLedger, StockCache

CUSTOMER_ORDER_LOCK = 7003
"""The advisory lock space of customer orders (purchase orders 7001, transfers 7002)."""

_EVENT_COLUMNS = (
    "order_no",
    "line_no",
    "kind",
    "quantity",
    "location_id",
    "shipment_id",
    "at",
    "employee",
)


class PeeweeOrderRepository(OrderListRows, ShipmentRows, OrderSaleRows):
    """:class:`~omnipos_tui.core.orders.ports.OrderRepository` on a peewee database (its
    lists in :class:`~omnipos_tui.storage.order_lists.OrderListRows`, its parcels in
    :class:`~omnipos_tui.storage.order_shipments.ShipmentRows`, its sale links and the
    checks in :class:`~omnipos_tui.storage.order_sales.OrderSaleRows`)."""

    def __init__(self, db: peewee.Database, cache: StockCache) -> None:
        self._db = db
        self._pg = engine_of(db) == "postgresql"
        self._stock = PeeweeStockLedger(db, cache)
        #: Orders whose status changed in this unit of work (``RecordsChanged``).
        self.touched: set[int] = set()

    def _location_id(self, code: str) -> int:
        return self._stock.location_row(code).id

    # --- orders -------------------------------------------------------------------------

    @translated
    def add(self, order: CustomerOrder) -> None:
        """Store a new order, its lines and its first status.

        Raises:
            Conflict: The channel has an order with this external id already.
        """
        taken = (
            None
            if order.external_id is None
            else self.by_external(order.channel, order.external_id)
        )
        if taken is not None:
            raise Conflict(
                code="order.duplicate_external",
                channel=order.channel,
                external_id=order.external_id,
                number=taken,
            )
        address = order.address
        execute_sql(
            self._db,
            "INSERT INTO customer_order (number, channel, external_id, customer_number, "
            "delivery, payment, ship_name, street, postal_code, city, country, promised, "
            "created_at, employee, register_id, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                order.number,
                order.channel,
                order.external_id,
                order.customer,
                order.delivery.value,
                order.payment.value,
                address.name,
                address.street,
                address.postal_code,
                address.city,
                address.country,
                None if order.promised is None else order.promised.isoformat(),
                time_to_db(order.created_at),
                order.employee,
                order.register_id,
                order.note,
            ),
        )
        ids = self._stock.product_ids(line.sku for line in order.lines)
        insert_rows(
            self._db,
            "customer_order_line",
            ("order_no", "line_no", "product_id", "name", "quantity", "unit_price", "location_id"),
            [
                (
                    order.number,
                    line.line_no,
                    ids[line.sku],
                    line.name,
                    line.quantity,
                    line.unit_price.ore,
                    self._location_id(line.location),
                )
                for line in order.lines
            ],
        )
        for change in order.history:
            self.add_status(order.number, change)

    @translated
    def by_external(self, channel: str, external_id: str) -> int | None:
        """The channel's order with this id."""
        row = execute_sql(
            self._db,
            "SELECT number FROM customer_order WHERE channel = ? AND external_id = ?",
            (channel, external_id),
        ).fetchone()
        return None if row is None else int(row[0])

    @translated
    def get(self, number: int, *, lock: bool = False) -> CustomerOrder | None:
        """An order with lines, history and parcels (see the port)."""
        if lock and self._pg:
            # An advisory lock, not FOR UPDATE: the till's role may not update this
            # append-only table (storage/roles.py). SQLite holds the write lock already.
            execute_sql(
                self._db, "SELECT pg_advisory_xact_lock(?, ?)", (CUSTOMER_ORDER_LOCK, number)
            )
        head = execute_sql(
            self._db,
            f"SELECT number, channel, external_id, customer_number, delivery, {_PAYMENT}, "
            "ship_name, street, postal_code, city, country, promised, created_at, employee, "
            "register_id, note FROM customer_order o WHERE number = ?",
            (number,),
        ).fetchone()
        if head is None:
            return None
        sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for line_no, kind, total in execute_sql(
            self._db,
            "SELECT line_no, kind, SUM(quantity) FROM customer_order_event WHERE order_no = ? "
            "GROUP BY line_no, kind",
            (number,),
        ).fetchall():
            sums[int(line_no)][str(kind)] = int(total)
        lines = tuple(
            _line(row, sums[int(row[0])], self._location(int(row[5])))
            for row in execute_sql(
                self._db,
                "SELECT l.line_no, p.sku, l.name, l.quantity, l.unit_price, l.location_id "
                "FROM customer_order_line l JOIN product p ON p.id = l.product_id "
                "WHERE l.order_no = ? ORDER BY l.line_no",
                (number,),
            ).fetchall()
        )
        history = tuple(
            StatusChange(str(status), time_from_db(str(at)), str(employee), str(note))
            for status, at, employee, note in execute_sql(
                self._db,
                "SELECT status, at, employee, note FROM customer_order_status "
                "WHERE order_no = ? ORDER BY seq",
                (number,),
            ).fetchall()
        )
        shipments = tuple(
            self._shipments(
                execute_sql(
                    self._db,
                    "SELECT id FROM shipment WHERE order_no = ? ORDER BY id",
                    (number,),
                ).fetchall()
            )
        )
        (
            _,
            channel,
            external,
            customer,
            delivery,
            payment,
            name,
            street,
            postal,
            city,
            country,
            promised,
            created,
            employee,
            register,
            note,
        ) = head
        return CustomerOrder(
            number=int(number),
            channel=str(channel),
            external_id=None if external is None else str(external),
            customer=str(customer),
            delivery=Delivery(str(delivery)),
            address=Address(str(name), str(street), str(postal), str(city), str(country)),
            payment=PaymentState(str(payment)),
            promised=_day(promised),
            created_at=time_from_db(str(created)),
            employee=str(employee),
            register_id=str(register),
            note=str(note),
            lines=lines,
            history=history,
            shipments=shipments,
        )

    @translated
    def add_events(self, number: int, events: Sequence[LineEvent]) -> None:
        """Append line events."""
        insert_rows(
            self._db,
            "customer_order_event",
            _EVENT_COLUMNS,
            [
                (
                    number,
                    event.line_no,
                    event.kind.value,
                    event.quantity,
                    self._location_id(event.location) if event.location else None,
                    event.shipment,
                    time_to_db(event.at),
                    event.employee,
                )
                for event in events
            ],
        )

    @translated
    def set_payment(self, number: int, payment: PaymentState, at: datetime, note: str) -> None:
        """Record that the order is now paid this way (its payment history grows)."""
        execute_sql(
            self._db,
            "INSERT INTO customer_order_payment (order_no, seq, payment, at, note) "
            "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM customer_order_payment "
            "WHERE order_no = ?), ?, ?, ?)",
            (number, number, payment.value, time_to_db(at), note),
        )

    @translated
    def add_status(self, number: int, change: StatusChange) -> None:
        """Append a status change and make it the current status."""
        status = OrderStatus(change.status)
        self.touched.add(number)
        at = time_to_db(change.at)
        execute_sql(
            self._db,
            "INSERT INTO customer_order_status (order_no, seq, status, at, employee, note) "
            "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM customer_order_status "
            "WHERE order_no = ?), ?, ?, ?, ?)",
            (number, number, status.value, at, change.employee, change.note),
        )
        execute_sql(
            self._db,
            "INSERT INTO customer_order_state (order_no, status, finished, at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (order_no) DO UPDATE SET "
            "status = excluded.status, finished = excluded.finished, at = excluded.at",
            (number, status.value, status.final, at),
        )


def _line(row: Sequence[object], sums: dict[str, int], location: str) -> OrderLine:
    line_no, sku, name, quantity, price, _ = row
    reserve, release, pick = sums["reserve"], sums["release"], sums["pick"]
    unpick, deliver, cancel = sums["unpick"], sums["deliver"], sums["cancel"]
    return OrderLine(
        line_no=int(str(line_no)),
        sku=str(sku),
        name=str(name),
        quantity=int(str(quantity)),
        unit_price=Money(int(str(price))),
        location=location,
        reserved=reserve - release - pick,
        picked=pick - unpick - deliver,
        delivered=deliver,
        cancelled=cancel,
    )
