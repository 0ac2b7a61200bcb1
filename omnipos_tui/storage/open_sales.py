"""Sales in progress (``open_sale``) and card payments in flight (``pending_payment``):
working data, rewritten as the sale goes on and removed when it is completed.

An open sale is stored as the JSON snapshot of ``core.sale_snapshot`` after every
registration, so a till that loses power comes back with the sale exactly as rung.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import peewee

from omnipos_tui.core.ledger.ports import (
    OpenSaleRecord,
    PaymentStatus,
    PendingPayment,
    SaleStatus,
)
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.storage.database import execute_sql, translated
from omnipos_tui.storage.db_time import time_to_db

_SALE = (
    "sale_id, register_id, employee, status, note, snapshot, return_refs, line_count, "
    "payment_count, total, training, started_at, updated_at, held_by_register"
)
_PAYMENT = (
    "reference, sale_id, register_id, tender, amount, status, result, employee, created_at, "
    "updated_at, resolved_by"
)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class PeeweeOpenSaleRepository:
    """:class:`~omnipos_tui.core.ledger.ports.OpenSaleRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    @translated
    def get(self, sale_id: str) -> OpenSaleRecord | None:
        """The open or parked sale with this id."""
        return self._first("sale_id = ?", (sale_id,))

    @translated
    def find_open(self, register_id: str, employee: str) -> OpenSaleRecord | None:
        """The employee's open sale on the register, the newest if several."""
        return self._first(
            "register_id = ? AND employee = ? AND status = 'open' "
            "ORDER BY started_at DESC, sale_id DESC",
            (register_id, employee),
        )

    @translated
    def add(self, record: OpenSaleRecord) -> None:
        """Store a new open sale."""
        execute_sql(
            self._db,
            f"INSERT INTO open_sale ({_SALE}) VALUES ({', '.join('?' * 14)})",
            _sale_values(record),
        )

    @translated
    def save(self, record: OpenSaleRecord) -> None:
        """Replace a stored open sale."""
        values = _sale_values(record)
        execute_sql(
            self._db,
            "UPDATE open_sale SET register_id = ?, employee = ?, status = ?, note = ?, "
            "snapshot = ?, return_refs = ?, line_count = ?, payment_count = ?, total = ?, "
            "training = ?, started_at = ?, updated_at = ?, held_by_register = ? "
            "WHERE sale_id = ?",
            (*values[1:], values[0]),
        )

    @translated
    def remove(self, sale_id: str) -> None:
        """Forget an open sale."""
        execute_sql(self._db, "DELETE FROM open_sale WHERE sale_id = ?", (sale_id,))

    @translated
    def parked(self, register_id: str | None = None) -> list[OpenSaleRecord]:
        """Parked sales, oldest first."""
        if register_id is None:
            return self._all("status = 'parked' ORDER BY updated_at, sale_id", ())
        return self._all(
            "status = 'parked' AND register_id = ? ORDER BY updated_at, sale_id", (register_id,)
        )

    @translated
    def on_register(self, register_id: str) -> list[OpenSaleRecord]:
        """Every open and parked sale belonging to or held by a register."""
        return self._all(
            "register_id = ? OR held_by_register = ? ORDER BY started_at, sale_id",
            (register_id, register_id),
        )

    def _first(self, where: str, params: tuple[object, ...]) -> OpenSaleRecord | None:
        row = execute_sql(
            self._db, f"SELECT {_SALE} FROM open_sale WHERE {where} LIMIT 1", params
        ).fetchone()
        return None if row is None else _sale(row)

    def _all(self, where: str, params: tuple[object, ...]) -> list[OpenSaleRecord]:
        rows = execute_sql(self._db, f"SELECT {_SALE} FROM open_sale WHERE {where}", params)
        return [_sale(row) for row in rows.fetchall()]


class PeeweePendingPaymentRepository:
    """:class:`~omnipos_tui.core.ledger.ports.PendingPaymentRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    @translated
    def add(self, payment: PendingPayment) -> None:
        """Store a new pending payment."""
        execute_sql(
            self._db,
            f"INSERT INTO pending_payment ({_PAYMENT}) VALUES ({', '.join('?' * 11)})",
            _payment_values(payment),
        )

    @translated
    def get(self, reference: str) -> PendingPayment | None:
        """The payment with this reference."""
        rows = self._select("reference = ?", (reference,))
        return rows[0] if rows else None

    @translated
    def save(self, payment: PendingPayment) -> None:
        """Store a changed status and result."""
        execute_sql(
            self._db,
            "UPDATE pending_payment SET status = ?, result = ?, updated_at = ?, "
            "resolved_by = ? WHERE reference = ?",
            (
                payment.status.value,
                _json(payment.result),
                time_to_db(payment.updated_at),
                payment.resolved_by,
                payment.reference,
            ),
        )

    @translated
    def for_sale(self, sale_id: str) -> list[PendingPayment]:
        """Every payment of a sale, oldest first."""
        return self._select("sale_id = ? ORDER BY created_at, reference", (sale_id,))

    @translated
    def unsettled(self, register_id: str | None = None) -> list[PendingPayment]:
        """Payments still pending or unknown, oldest first."""
        where = "status IN ('pending', 'unknown')"
        if register_id is None:
            return self._select(f"{where} ORDER BY created_at, reference", ())
        return self._select(
            f"{where} AND register_id = ? ORDER BY created_at, reference", (register_id,)
        )

    def _select(self, where: str, params: tuple[object, ...]) -> list[PendingPayment]:
        rows = execute_sql(
            self._db, f"SELECT {_PAYMENT} FROM pending_payment WHERE {where}", params
        ).fetchall()
        return [_payment(row) for row in rows]


def _sale_values(r: OpenSaleRecord) -> tuple[object, ...]:
    return (
        r.sale_id,
        r.register_id,
        r.employee,
        r.status.value,
        r.note,
        _json(r.snapshot),
        _json({str(k): v for k, v in r.return_refs.items()}),
        r.line_count,
        r.payment_count,
        r.total.ore,
        r.training,
        time_to_db(r.started_at),
        time_to_db(r.updated_at),
        r.held_by,
    )


def _sale(row: tuple[Any, ...]) -> OpenSaleRecord:
    refs = json.loads(row[6])
    return OpenSaleRecord(
        sale_id=row[0],
        register_id=row[1],
        employee=row[2],
        status=SaleStatus(row[3]),
        note=row[4],
        snapshot=json.loads(row[5]),
        return_refs={int(k): str(v) for k, v in refs.items()},
        line_count=int(row[7]),
        payment_count=int(row[8]),
        total=Money(int(row[9])),
        training=bool(row[10]),
        started_at=_time(row[11]),
        updated_at=_time(row[12]),
        held_by=row[13],
    )


def _payment_values(p: PendingPayment) -> tuple[object, ...]:
    return (
        p.reference,
        p.sale_id,
        p.register_id,
        p.tender.value,
        p.amount.ore,
        p.status.value,
        _json(p.result),
        p.employee,
        time_to_db(p.created_at),
        time_to_db(p.updated_at),
        p.resolved_by,
    )


def _payment(row: tuple[Any, ...]) -> PendingPayment:
    return PendingPayment(
        reference=row[0],
        sale_id=row[1],
        register_id=row[2],
        tender=TenderKind(row[3]),
        amount=Money(int(row[4])),
        status=PaymentStatus(row[5]),
        result=json.loads(row[6]),
        employee=row[7],
        created_at=_time(row[8]),
        updated_at=_time(row[9]),
        resolved_by=row[10],
    )
