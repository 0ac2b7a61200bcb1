"""The order register on SQLite or PostgreSQL (``core.orders.ports.OrderRepository``).

Reading an order is a handful of indexed statements (header, lines, the line events summed
per line and kind, history, parcels), so ``orders show`` stays fast however many orders the
shop has. Lists filter on ``customer_order_state``, the current status kept beside the
history in the same unit of work as each status row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import peewee

from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    WAITING,
    Address,
    CustomerOrder,
    Delivery,
    LineEvent,
    LineEventKind,
    OrderLine,
    OrderStatus,
    PaymentState,
    line_amount,
)
from omnipos_tui.core.orders.ports import OrderSummary, Purchase, SaleLink
from omnipos_tui.core.orders.shipping import ParcelStatus, Shipment, Tracking, TrackingEvent
from omnipos_tui.core.stock.documents import StatusChange
from omnipos_tui.storage.database import (
    engine_of,
    execute_sql,
    insert_rows,
    time_from_db,
    time_to_db,
    translated,
)
from omnipos_tui.storage.stock import PeeweeStockLedger, StockCache, chunks, marks

CUSTOMER_ORDER_LOCK = 7003
"""The advisory lock space of customer orders (purchase orders 7001, transfers 7002)."""

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
_TRACKING_FIELDS = (
    "found",
    "status",
    "raw_status",
    "description",
    "estimated_date",
    "window_start",
    "window_end",
    "delivered_at",
    "pickup_code",
    "shelf",
    "pickup_point",
)


def _day(text: object) -> date | None:
    return None if text is None or text == "" else date.fromisoformat(str(text))


def _time(text: object) -> datetime | None:
    return None if text is None or text == "" else time_from_db(str(text))


class PeeweeOrderRepository:
    """:class:`~omnipos_tui.core.orders.ports.OrderRepository` on a peewee database."""

    def __init__(self, db: peewee.Database, cache: StockCache) -> None:
        self._db = db
        self._pg = engine_of(db) == "postgresql"
        self._stock = PeeweeStockLedger(db, cache)
        #: Orders whose status changed in this unit of work (``RecordsChanged``).
        self.touched: set[int] = set()

    def _location_id(self, code: str) -> int:
        return self._stock.location_row(code).id

    def _location(self, location_id: int | None) -> str:
        return "" if location_id is None else self._stock.location_by_id(int(location_id)).code

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

    # --- shipments ----------------------------------------------------------------------

    @translated
    def add_shipment(self, shipment: Shipment) -> int:
        """Store a parcel and its lines (see the port).

        Raises:
            Conflict: The carrier's tracking number is on another parcel already.
        """
        taken = self.tracking_owner(shipment.carrier, shipment.tracking_number)
        if taken is not None:
            raise Conflict(
                code="order.tracking_taken",
                carrier=shipment.carrier,
                tracking=shipment.tracking_number,
                number=taken,
            )
        row = execute_sql(
            self._db,
            "INSERT INTO shipment (order_no, carrier, service, tracking_number, booked_at, "
            "employee) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (
                shipment.order_no,
                shipment.carrier,
                shipment.service,
                shipment.tracking_number,
                time_to_db(shipment.booked_at),
                shipment.employee,
            ),
        ).fetchone()
        assert row is not None
        shipment_id = int(row[0])
        insert_rows(
            self._db,
            "shipment_line",
            ("shipment_id", "line_no", "quantity"),
            [(shipment_id, line_no, quantity) for line_no, quantity in shipment.lines],
        )
        self._add_tracking_row(shipment_id, 1, shipment.tracking, shipment.booked_at)
        return shipment_id

    @translated
    def tracking_owner(self, carrier: str, tracking_number: str) -> int | None:
        """The order whose parcel has this carrier's number."""
        row = execute_sql(
            self._db,
            "SELECT order_no FROM shipment WHERE carrier = ? AND tracking_number = ?",
            (carrier, tracking_number),
        ).fetchone()
        return None if row is None else int(row[0])

    def _add_tracking_row(
        self, shipment_id: int, seq: int, tracking: Tracking, at: datetime
    ) -> None:
        execute_sql(
            self._db,
            "INSERT INTO shipment_tracking (shipment_id, seq, found, status, raw_status, "
            "description, estimated_date, window_start, window_end, delivered_at, pickup_code, "
            "shelf, pickup_point, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (shipment_id, seq, *_tracking_values(tracking), time_to_db(at)),
        )

    @translated
    def shipment(self, shipment_id: int) -> Shipment | None:
        """One parcel with its latest tracking."""
        found = self._shipments([(shipment_id,)])
        return found[0] if found else None

    def _shipments(self, ids: Iterable[Sequence[object]]) -> list[Shipment]:
        out: list[Shipment] = []
        for (shipment_id,) in ids:
            head = execute_sql(
                self._db,
                "SELECT id, order_no, carrier, service, tracking_number, booked_at, employee "
                "FROM shipment WHERE id = ?",
                (shipment_id,),
            ).fetchone()
            if head is None:
                continue
            sid = int(head[0])
            lines = tuple(
                (int(n), int(q))
                for n, q in execute_sql(
                    self._db,
                    "SELECT line_no, quantity FROM shipment_line WHERE shipment_id = ? "
                    "ORDER BY line_no",
                    (sid,),
                ).fetchall()
            )
            latest = execute_sql(
                self._db,
                f"SELECT {', '.join(_TRACKING_FIELDS)}, at FROM shipment_tracking "
                "WHERE shipment_id = ? ORDER BY seq DESC LIMIT 1",
                (sid,),
            ).fetchone()
            events = tuple(
                TrackingEvent(
                    at=time_from_db(str(at)),
                    status=_parcel_status(str(status)),
                    raw_status=str(raw),
                    description=str(description),
                    place=str(place),
                )
                for at, status, raw, description, place in execute_sql(
                    self._db,
                    "SELECT at, status, raw_status, description, place FROM shipment_event "
                    "WHERE shipment_id = ? ORDER BY at, id",
                    (sid,),
                ).fetchall()
            )
            check = execute_sql(
                self._db,
                "SELECT fetched_at, error FROM shipment_check WHERE shipment_id = ?",
                (sid,),
            ).fetchone()
            tracking = Tracking(found=True, status=ParcelStatus.BOOKED, events=events)
            changed_at = None
            if latest is not None:
                tracking = _tracking(latest[:-1], events)
                changed_at = time_from_db(str(latest[-1]))
            out.append(
                Shipment(
                    shipment_id=sid,
                    order_no=int(head[1]),
                    carrier=str(head[2]),
                    service=str(head[3]),
                    tracking_number=str(head[4]),
                    booked_at=time_from_db(str(head[5])),
                    employee=str(head[6]),
                    lines=lines,
                    tracking=tracking,
                    fetched_at=None if check is None else _time(check[0]),
                    fetch_error="" if check is None else str(check[1]),
                    checked_status_at=changed_at,
                )
            )
        return out

    @translated
    def add_tracking(self, shipment_id: int, tracking: Tracking, at: datetime) -> bool:
        """Keep what a carrier said (see the port)."""
        if tracking.events:
            # Only the events not kept yet: an append-only table refuses a colliding row
            # (storage/append_only.py), so no ON CONFLICT here.
            kept = {
                (str(at), str(raw), str(text))
                for at, raw, text in execute_sql(
                    self._db,
                    "SELECT at, raw_status, description FROM shipment_event WHERE shipment_id = ?",
                    (shipment_id,),
                ).fetchall()
            }
            rows: list[tuple[object, ...]] = []
            for event in tracking.events:
                key = (time_to_db(event.at), event.raw_status[:200], event.description[:1000])
                if key in kept:
                    continue
                kept.add(key)
                rows.append(
                    (shipment_id, key[0], event.status.value, key[1], key[2], event.place[:200])
                )
            insert_rows(
                self._db,
                "shipment_event",
                ("shipment_id", "at", "status", "raw_status", "description", "place"),
                rows,
            )
        latest = execute_sql(
            self._db,
            f"SELECT seq, {', '.join(_TRACKING_FIELDS)} FROM shipment_tracking "
            "WHERE shipment_id = ? ORDER BY seq DESC LIMIT 1",
            (shipment_id,),
        ).fetchone()
        values = _tracking_values(tracking)
        if latest is not None and _same(latest[1:], values):
            return False
        seq = 1 if latest is None else int(latest[0]) + 1
        self._add_tracking_row(shipment_id, seq, tracking, at)
        return True

    @translated
    def checked(
        self, shipment_id: int, *, at: datetime, error: str, next_at: datetime | None
    ) -> None:
        """Remember the last asking and the next (see the port): a failed asking keeps the
        time of the last answer and records why it failed."""
        execute_sql(
            self._db,
            "INSERT INTO shipment_check (shipment_id, fetched_at, error, next_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (shipment_id) DO UPDATE SET "
            "fetched_at = CASE WHEN excluded.error = '' THEN excluded.fetched_at "
            "ELSE shipment_check.fetched_at END, "
            "error = excluded.error, next_at = excluded.next_at",
            (
                shipment_id,
                None if error else time_to_db(at),
                error[:500],
                None if next_at is None else time_to_db(next_at),
            ),
        )

    @translated
    def schedule(self, shipment_id: int, next_at: datetime | None) -> None:
        """When to ask about a new parcel first (None: never; a manual carrier)."""
        execute_sql(
            self._db,
            "INSERT INTO shipment_check (shipment_id, fetched_at, error, next_at) "
            "VALUES (?, NULL, '', ?) ON CONFLICT (shipment_id) DO UPDATE SET "
            "next_at = excluded.next_at",
            (shipment_id, None if next_at is None else time_to_db(next_at)),
        )

    @translated
    def due_shipments(self, now: datetime, *, limit: int) -> list[int]:
        """Parcels due for asking (see the port)."""
        rows = execute_sql(
            self._db,
            "SELECT shipment_id FROM shipment_check WHERE next_at IS NOT NULL AND next_at <= ? "
            "ORDER BY next_at, shipment_id LIMIT ?",
            (time_to_db(now), max(0, limit)),
        ).fetchall()
        return [int(row[0]) for row in rows]

    # --- the till -----------------------------------------------------------------------

    @translated
    def link_sale(self, sale_id: str, link: SaleLink, at: datetime) -> None:
        """Remember which sale lines carry which order lines."""
        insert_rows(
            self._db,
            "order_sale",
            ("sale_id", "sale_line", "order_no", "order_line", "at"),
            [
                (sale_id, sale_line, link.order_no, order_line, time_to_db(at))
                for sale_line, order_line in sorted(link.lines.items())
            ],
        )

    @translated
    def sales_of(self, order_no: int) -> list[str]:
        """The sale ids that have carried the order."""
        rows = execute_sql(
            self._db,
            "SELECT DISTINCT sale_id FROM order_sale WHERE order_no = ? ORDER BY sale_id",
            (order_no,),
        ).fetchall()
        return [str(row[0]) for row in rows]

    @translated
    def link_of_transaction(self, trans_id: str) -> SaleLink | None:
        """The order a completed transaction's sale carried."""
        rows = execute_sql(
            self._db,
            "SELECT os.order_no, os.sale_line, os.order_line FROM cash_transaction t "
            "JOIN order_sale os ON os.sale_id = t.sale_id WHERE t.trans_id = ?",
            (trans_id,),
        ).fetchall()
        if not rows:
            return None
        return SaleLink(int(rows[0][0]), {int(sale): int(line) for _, sale, line in rows})

    # --- checks and the customer's view -------------------------------------------------

    @translated
    def reserved_by_orders(self) -> dict[tuple[str, str], int]:
        """What the orders hold reserved, by (SKU, location)."""
        rows = execute_sql(
            self._db,
            "SELECT p.sku, e.location_id, SUM(CASE e.kind WHEN 'reserve' THEN e.quantity "
            "WHEN 'release' THEN -e.quantity WHEN 'pick' THEN -e.quantity ELSE 0 END) "
            "FROM customer_order_event e JOIN customer_order_line l "
            "ON l.order_no = e.order_no AND l.line_no = e.line_no "
            "JOIN product p ON p.id = l.product_id "
            "WHERE e.kind IN ('reserve', 'release', 'pick') GROUP BY p.sku, e.location_id",
        ).fetchall()
        return {
            (str(sku), self._location(int(lid))): int(total)
            for sku, lid, total in rows
            if int(total or 0) != 0
        }

    @translated
    def purchases(self, customer: str, *, limit: int) -> list[Purchase]:
        """A customer's completed till transactions, newest first (not training, not
        voided)."""
        rows = execute_sql(
            self._db,
            "SELECT t.trans_id, t.register_id, t.receipt_number, t.kind, t.completed_at, "
            "t.total, (SELECT COUNT(*) FROM transaction_line l WHERE l.trans_id = t.trans_id) "
            "FROM cash_transaction t WHERE t.customer = ? AND t.training = ? AND t.voided = ? "
            "ORDER BY t.completed_at DESC LIMIT ?",
            (customer, False, False, max(0, limit)),
        ).fetchall()
        return [
            Purchase(
                trans_id=str(trans_id),
                receipt_id=f"{register}-{receipt}",
                kind=str(kind),
                at=time_from_db(str(at)),
                total=Money(int(total)),
                lines=int(lines),
            )
            for trans_id, register, receipt, kind, at, total, lines in rows
        ]


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


def _parcel_status(text: str) -> ParcelStatus:
    try:
        return ParcelStatus(text)
    except ValueError:
        return ParcelStatus.UNKNOWN


def _tracking_values(tracking: Tracking) -> tuple[object, ...]:
    return (
        tracking.found,
        tracking.status.value,
        tracking.raw_status[:200],
        tracking.description[:1000],
        None if tracking.estimated_date is None else tracking.estimated_date.isoformat(),
        tracking.window_start,
        tracking.window_end,
        None if tracking.delivered_at is None else time_to_db(tracking.delivered_at),
        tracking.pickup_code,
        tracking.shelf,
        tracking.pickup_point,
    )


def _same(stored: Sequence[object], values: Sequence[object]) -> bool:
    """Whether a stored tracking row says what ``values`` say (booleans as 0/1 on SQLite)."""
    first = bool(stored[0]) == bool(values[0])
    return first and all(
        (None if a is None else str(a)) == (None if b is None else str(b))
        for a, b in zip(stored[1:], values[1:], strict=True)
    )


def _tracking(row: Sequence[object], events: tuple[TrackingEvent, ...]) -> Tracking:
    (
        found,
        status,
        raw,
        description,
        estimated,
        start,
        end,
        delivered,
        code,
        shelf,
        point,
    ) = row
    return Tracking(
        found=bool(found),
        status=_parcel_status(str(status)),
        raw_status=str(raw),
        description=str(description),
        events=events,
        estimated_date=_day(estimated),
        window_start=str(start),
        window_end=str(end),
        delivered_at=_time(delivered),
        pickup_code=str(code),
        shelf=str(shelf),
        pickup_point=str(point),
    )
