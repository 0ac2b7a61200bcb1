"""The electronic journal (``journal_event``), receipt copies (``receipt_copy``) and the Z
report index (``z_report``): all append-only, written and read with plain SQL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import peewee

from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.ledger.ports import ZRecord
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.model import GrandTotals
from omnipos_tui.storage.database import execute_sql, insert_rows, time_to_db, translated
from omnipos_tui.storage.export_rows import EVENT_COLUMNS

_EVENT = (
    "register_id, seq, code, employee, at, event_date, event_time, text, trans_id, training, "
    "payload"
)
_Z = "register_id, business_day, report_no, at, last_nr, last_event_seq, grand_sales, grand_returns"
STORED_COLUMNS = (
    "register_id",
    "seq",
    "code",
    "predefined_code",
    "employee",
    "at",
    "event_date",
    "event_time",
    "text",
    "trans_id",
    "training",
    "payload",
)
_CODES = {c.value: c for c in EventCode}


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


class PeeweeJournalRepository:
    """:class:`~omnipos_tui.core.ledger.ports.JournalRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    @translated
    def append(self, event: JournalEvent) -> None:
        """Store an event."""
        insert_rows(self._db, "journal_event", STORED_COLUMNS, [stored_row(event)])

    @translated
    def append_all(self, events: Sequence[JournalEvent]) -> None:
        """Store events with one multi-row statement."""
        insert_rows(self._db, "journal_event", STORED_COLUMNS, [stored_row(e) for e in events])

    @translated
    def page(
        self,
        register_id: str,
        *,
        after_seq: int = 0,
        limit: int = 500,
        since: datetime | None = None,
        until: datetime | None = None,
        codes: Iterable[EventCode] | None = None,
        newest: bool = False,
    ) -> list[JournalEvent]:
        """Up to ``limit`` events of a register after ``after_seq``, in ``seq`` order (with
        ``newest``, the last ``limit`` of them)."""
        where = "register_id = ? AND seq > ?"
        params: list[object] = [register_id, after_seq]
        if since is not None:
            where += " AND at >= ?"
            params.append(time_to_db(since))
        if until is not None:
            where += " AND at < ?"
            params.append(time_to_db(until))
        if codes is not None:
            wanted = sorted({c.value for c in codes})
            if not wanted:
                return []
            where += f" AND code IN ({', '.join('?' * len(wanted))})"
            params.extend(wanted)
        rows = execute_sql(
            self._db,
            f"SELECT {_EVENT} FROM journal_event WHERE {where} "
            f"ORDER BY seq {'DESC' if newest else ''} LIMIT ?",
            (*params, max(0, limit)),
        ).fetchall()
        if newest:
            rows.reverse()
        return [_event(row) for row in rows]

    @translated
    def export_rows(
        self,
        register_id: str,
        *,
        after_seq: int = 0,
        limit: int = 1000,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple[Any, ...]]:
        """Like :meth:`page` (without ``codes``) as plain rows in the column order of
        ``storage.export_rows.EVENT_COLUMNS``, nothing decoded: the SAF-T export's fast
        path."""
        where = "register_id = ? AND seq > ?"
        params: list[object] = [register_id, after_seq]
        if since is not None:
            where += " AND at >= ?"
            params.append(time_to_db(since))
        if until is not None:
            where += " AND at < ?"
            params.append(time_to_db(until))
        rows: list[tuple[Any, ...]] = execute_sql(
            self._db,
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM journal_event WHERE {where} "
            "ORDER BY seq LIMIT ?",
            (*params, max(0, limit)),
        ).fetchall()
        return rows

    @translated
    def for_transaction(self, trans_id: str) -> list[JournalEvent]:
        """Every event that names a transaction, in the order written."""
        rows = execute_sql(
            self._db,
            f"SELECT {_EVENT} FROM journal_event WHERE trans_id = ? ORDER BY id",
            (trans_id,),
        ).fetchall()
        return [_event(row) for row in rows]

    @translated
    def add_copy(self, trans_id: str, register_id: str, at: datetime, employee: str) -> None:
        """Record the one copy of a receipt (the primary key refuses a second)."""
        execute_sql(
            self._db,
            "INSERT INTO receipt_copy (trans_id, register_id, at, employee) VALUES (?, ?, ?, ?)",
            (trans_id, register_id, time_to_db(at), employee),
        )

    @translated
    def copy_made(self, trans_id: str) -> bool:
        """Whether the copy of a receipt was printed."""
        row = execute_sql(
            self._db, "SELECT 1 FROM receipt_copy WHERE trans_id = ?", (trans_id,)
        ).fetchone()
        return row is not None

    @translated
    def add_z(self, record: ZRecord) -> None:
        """Index a Z report."""
        execute_sql(
            self._db,
            f"INSERT INTO z_report ({_Z}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.register_id,
                record.business_day.isoformat(),
                record.report_no,
                time_to_db(record.at),
                record.last_nr,
                record.last_event_seq,
                record.grand_totals.sales.ore,
                record.grand_totals.returns.ore,
            ),
        )

    @translated
    def last_z(self, register_id: str) -> ZRecord | None:
        """The register's latest Z report."""
        row = execute_sql(
            self._db,
            f"SELECT {_Z} FROM z_report WHERE register_id = ? ORDER BY report_no DESC LIMIT 1",
            (register_id,),
        ).fetchone()
        return None if row is None else _z(row)

    @translated
    def z_on(self, register_id: str, day: date) -> ZRecord | None:
        """The register's Z report of a business day."""
        row = execute_sql(
            self._db,
            f"SELECT {_Z} FROM z_report WHERE register_id = ? AND business_day = ?",
            (register_id, day.isoformat()),
        ).fetchone()
        return None if row is None else _z(row)


def stored_row(event: JournalEvent) -> tuple[object, ...]:
    """An event's ``journal_event`` row (``STORED_COLUMNS``)."""
    return (
        event.register_id,
        event.seq,
        event.code.value,
        event.code.predefined,
        event.employee,
        time_to_db(event.at),
        event.event_date,
        event.event_time,
        event.text,
        event.trans_id,
        event.training,
        json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")),
    )


def _event(row: tuple[Any, ...]) -> JournalEvent:
    try:
        return _decode_event(row)
    except (KeyError, ValueError, TypeError, PosError) as exc:
        raise StorageError(
            f"stored journal event {row[0]}-{row[1]} cannot be read: {exc!r}"
        ) from exc


def _decode_event(row: tuple[Any, ...]) -> JournalEvent:
    return JournalEvent.stored(
        register_id=row[0],
        seq=int(row[1]),
        code=_CODES[row[2]],
        at=_time(row[4]),
        event_date=row[5],
        event_time=row[6],
        employee=row[3],
        text=row[7],
        trans_id=row[8],
        training=bool(row[9]),
        payload_json=row[10],
    )


def _z(row: tuple[Any, ...]) -> ZRecord:
    return ZRecord(
        register_id=row[0],
        business_day=date.fromisoformat(row[1]),
        report_no=int(row[2]),
        at=_time(row[3]),
        last_nr=None if row[4] is None else int(row[4]),
        last_event_seq=int(row[5]),
        grand_totals=GrandTotals(Money(int(row[6])), Money(int(row[7]))),
    )
