"""The parcels of customer orders and their tracking on SQLite or PostgreSQL: the part of
:class:`~omnipos_tui.storage.orders.PeeweeOrderRepository` that stores shipments, what the
carriers said about them and when to ask again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

import peewee

from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.orders.shipping import ParcelStatus, Shipment, Tracking, TrackingEvent
from omnipos_tui.storage.database import execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db

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


class ShipmentRows:
    """Shipments, tracking and carrier checks (a base of ``PeeweeOrderRepository``)."""

    _db: peewee.Database

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
