"""The electronic journal (``journal_event``), receipt copies (``receipt_copy``) and the Z
report index (``z_report``): all append-only, written and read with plain SQL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import peewee

from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.ledger.chain import ChainAnchors, StoredEvent
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.ledger.ports import ZRecord
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.model import GrandTotals
from omnipos_tui.storage import chain_pages
from omnipos_tui.storage.chain_rows import ChainHeads
from omnipos_tui.storage.database import execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_to_db
from omnipos_tui.storage.export_rows import EVENT_COLUMNS

_EVENT = (
    "register_id, seq, code, employee, at, event_date, event_time, text, trans_id, training, "
    "payload"
)
_Z = "register_id, business_day, report_no, at, last_nr, last_event_seq, grand_sales, grand_returns"
_Z_CHAINS = "event_chain, transaction_chain"
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
_CHAINED = (*STORED_COLUMNS, "chain")  # the chain covers STORED_COLUMNS (chain_rows.py)
_CODES = {c.value: c for c in EventCode}


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


class PeeweeJournalRepository:
    """:class:`~omnipos_tui.core.ledger.ports.JournalRepository` on a peewee database."""

    def __init__(self, db: peewee.Database, heads: ChainHeads | None = None) -> None:
        self._db = db
        self._heads = heads or ChainHeads(db)

    @translated
    def append(self, event: JournalEvent) -> None:
        """Store an event, chained to its register's event before it."""
        with self._heads.kept_on_error():
            insert_rows(self._db, "journal_event", _CHAINED, [self._chained(event)])

    @translated
    def append_all(self, events: Sequence[JournalEvent]) -> None:
        """Store events with one multi-row statement, each chained to the one before."""
        ordered = sorted(events, key=lambda e: (e.register_id, e.seq))
        with self._heads.kept_on_error():
            insert_rows(self._db, "journal_event", _CHAINED, [self._chained(e) for e in ordered])

    def _chained(self, event: JournalEvent) -> tuple[object, ...]:
        row = stored_row(event)
        return (*row, self._heads.event(event.register_id, event.seq, row))

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
        """Index a Z report, with where the register's chains stand (its anchors)."""
        heads = self._heads
        execute_sql(
            self._db,
            f"INSERT INTO z_report ({_Z}, {_Z_CHAINS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.register_id,
                record.business_day.isoformat(),
                record.report_no,
                time_to_db(record.at),
                record.last_nr,
                record.last_event_seq,
                record.grand_totals.sales.ore,
                record.grand_totals.returns.ore,
                heads.event_chain_at(record.register_id, record.last_event_seq),
                heads.transaction_chain_at(record.register_id, record.last_nr or 0),
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

    @translated
    def chain_rows(
        self, register_id: str, *, after_seq: int = 0, limit: int = 1000
    ) -> list[StoredEvent]:
        """Up to ``limit`` events after ``after_seq`` as the stored rows the chain covers."""
        return chain_pages.event_page(self._db, register_id, after_seq, limit)

    @translated
    def chain_anchors(self, register_id: str) -> ChainAnchors:
        """The register's state's, Z reports' and receipt copies' anchors."""
        return chain_pages.anchors(self._db, register_id)

    @translated
    def chained_registers(self) -> list[str]:
        """Every register with a state, journal events or transactions."""
        return chain_pages.chained_registers(self._db)


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
