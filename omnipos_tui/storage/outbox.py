"""The outbox tables (``schema_v5``): :class:`~omnipos_tui.core.outbox.OutboxRepository` on a
peewee database, and the SQLite worker lock.

Writing a message is one ``INSERT`` in the use case's own transaction (several messages:
still one statement; on an SQLite older than 3.35, without ``RETURNING``, a look-up
first). Claims run in their own short unit of work: on PostgreSQL the due rows are
selected ``FOR UPDATE SKIP LOCKED``, so two workers never take the same row; on SQLite the
unit of work holds the database's write lock, and only one worker runs at a time
(:func:`sqlite_worker_lock`).

Why this module is over 400 lines: it is one repository class implementing one port
(:class:`~omnipos_tui.core.outbox.OutboxRepository`) in SQL that runs on both engines; its
methods share the row decoding and the due-row filter, and the separable part (taking back
the rows of a process that is gone) is in ``outbox_claims.py`` already.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.outbox import (
    KindStatus,
    OutboxChange,
    OutboxMessage,
    OutboxRow,
    OutboxState,
    Settlement,
    WorkerBeat,
    owner_of,
)
from omnipos_tui.storage.database import engine_of, execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.outbox_claims import release_abandoned as _release_abandoned

_COLUMNS = (
    "id, kind, key, owner, payload, state, attempts, created_at, available_at, updated_at, "
    "last_error, far_id, claimed_by"
)
_INSERT_COLUMNS = ("kind", "key", "owner", "payload", "created_at", "available_at", "updated_at")
_HISTORY_COLUMNS = ("outbox_id", "at", "state", "attempt", "detail", "actor")
# "state IN (...)" lets both engines use the partial index of waiting rows (schema_v5).
_WAITING = "state IN ('pending', 'working')"
_DUE = (
    f"{_WAITING} AND ((state = 'pending' AND available_at <= ?) "
    "OR (state = 'working' AND claimed_until < ?))"
)


class PeeweeOutboxRepository:
    """The outbox inside a unit of work.

    Args:
        db: The database (the unit of work's transaction is open on it).
        clock: Stamps the rows written.
        added: Collects the messages this unit of work adds (the unit of work hands them
            on after its commit).
    """

    def __init__(
        self, db: peewee.Database, clock: Clock, added: list[OutboxMessage] | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self._pg = engine_of(db) == "postgresql"
        # RETURNING saves a statement; SQLite has it from 3.35 (2021).
        self._returning = self._pg or sqlite3.sqlite_version_info >= (3, 35, 0)
        self.added: list[OutboxMessage] = [] if added is None else added

    # --- writing messages ---------------------------------------------------------------

    def add(self, message: OutboxMessage) -> None:
        """One message, one INSERT (see the port)."""
        self.add_all((message,))

    @translated
    def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        """Several messages with one INSERT (see the port).

        Raises:
            RuleViolation: A message with the same kind and key exists (or is twice in
                ``messages``); the unit of work must roll back (leaving it with the error
                does).
            InvalidInput: A payload that is not JSON.
        """
        if not messages:
            return
        seen: set[tuple[str, str]] = set()
        for message in messages:
            pair = (message.kind, message.key)
            if pair in seen:
                raise _duplicate(message)
            seen.add(pair)
        now = time_to_db(self._clock.now())
        rows = [(m.kind, m.key, owner_of(m), _payload_text(m), now, now, now) for m in messages]
        per_row = "(" + ", ".join("?" * len(_INSERT_COLUMNS)) + ")"
        if not self._returning:  # SQLite before 3.35: look first (two statements)
            for message in messages:
                if self._exists(message):
                    raise _duplicate(message)
        insert = (
            f"INSERT INTO outbox ({', '.join(_INSERT_COLUMNS)}) VALUES "
            + ", ".join([per_row] * len(rows))
            + " ON CONFLICT (kind, key) DO NOTHING"
        )
        params = [value for row in rows for value in row]
        try:
            if self._returning:
                written = execute_sql(self._db, insert + " RETURNING kind, key", params)
                inserted = {(str(kind), str(key)) for kind, key in written.fetchall()}
            else:
                cursor = execute_sql(self._db, insert, params)
                everything = {(m.kind, m.key) for m in messages}
                inserted = everything if cursor.rowcount == len(rows) else set()
        except (peewee.IntegrityError, sqlite3.IntegrityError):
            # SQLite: the trigger that keeps a stored row from being replaced
            # (append_only.py) refuses the whole statement before ON CONFLICT is asked.
            clash = next((m for m in messages if self._exists(m)), None)
            if clash is None:
                raise
            raise _duplicate(clash) from None
        if len(inserted) != len(rows):
            clash = next(m for m in messages if (m.kind, m.key) not in inserted)
            raise _duplicate(clash)
        self.added.extend(messages)

    def _exists(self, message: OutboxMessage) -> bool:
        row = execute_sql(
            self._db,
            "SELECT 1 FROM outbox WHERE kind = ? AND key = ?",
            (message.kind, message.key),
        ).fetchone()
        return row is not None

    # --- delivering -----------------------------------------------------------------------

    @translated
    def claim(
        self,
        *,
        owner: str,
        kinds: Collection[str],
        now: datetime,
        lease_until: datetime,
        by: str,
        limit: int,
        keys: Collection[str] = (),
    ) -> list[OutboxRow]:
        """Due rows marked working for ``by`` (see the port)."""
        if not kinds or limit <= 0:
            return []
        at = time_to_db(now)
        where, params = self._due_filter(owner, kinds, at, keys)
        lock = " FOR UPDATE SKIP LOCKED" if self._pg else ""
        rows = execute_sql(
            self._db,
            f"SELECT {_COLUMNS} FROM outbox WHERE {where} ORDER BY id LIMIT ?{lock}",
            [*params, limit],
        ).fetchall()
        if not rows:
            return []
        ids = [int(r[0]) for r in rows]
        until = time_to_db(lease_until)
        execute_sql(
            self._db,
            "UPDATE outbox SET state = 'working', attempts = attempts + 1, claimed_by = ?, "
            f"claimed_until = ?, updated_at = ? WHERE id IN ({', '.join('?' * len(ids))})",
            [by, until, at, *ids],
        )
        claimed = [_claimed(_row(r), by, now) for r in rows]
        insert_rows(
            self._db,
            "outbox_history",
            _HISTORY_COLUMNS,
            [
                (row.id, at, OutboxState.WORKING.value, row.attempts, "claimed", by)
                for row in claimed
            ],
        )
        return claimed

    @translated
    def due(
        self, *, owner: str, now: datetime, kinds: Collection[str] = (), limit: int = 100
    ) -> list[OutboxRow]:
        """Pending-and-available or working rows of ``owner`` (see the port)."""
        params: list[object] = [owner, time_to_db(now)]
        where = f"owner = ? AND {_WAITING} AND (state = 'working' OR available_at <= ?)"
        if kinds:
            where += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params.extend(kinds)
        rows = execute_sql(
            self._db,
            f"SELECT {_COLUMNS} FROM outbox WHERE {where} ORDER BY id LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [_row(r) for r in rows]

    @translated
    def settle(self, settlements: Iterable[Settlement], *, at: datetime, by: str) -> int:
        """Store how attempts ended (see the port)."""
        when = time_to_db(at)
        history: list[tuple[object, ...]] = []
        for s in settlements:
            available = time_to_db(s.available_at) if s.available_at is not None else None
            update = (
                "UPDATE outbox SET attempts = attempts + CASE WHEN state = 'pending' THEN 1 "
                "ELSE 0 END, state = ?, last_error = ?, far_id = COALESCE(?, far_id), "
                "available_at = COALESCE(?, available_at), updated_at = ?, claimed_by = ?, "
                "claimed_until = NULL WHERE id = ? AND ((state = 'working' AND claimed_by = ?) "
                "OR state = 'pending')"
            )
            params = (
                s.state.value,
                s.detail if s.state is not OutboxState.DONE else "",
                s.far_id,
                available,
                when,
                by,
                s.row_id,
                by,
            )
            if self._returning:
                changed = execute_sql(self._db, update + " RETURNING attempts", params).fetchone()
            elif execute_sql(self._db, update, params).rowcount:
                changed = execute_sql(
                    self._db, "SELECT attempts FROM outbox WHERE id = ?", (s.row_id,)
                ).fetchone()
            else:
                changed = None
            if changed is not None:
                detail = s.detail or (f"far id {s.far_id}" if s.far_id else "")
                history.append((s.row_id, when, s.state.value, int(changed[0]), detail, by))
        insert_rows(self._db, "outbox_history", _HISTORY_COLUMNS, history)
        return len(history)

    @translated
    def release_abandoned(self, *, at: datetime, by: str) -> list[tuple[str, str]]:
        """Working rows of claimers that are gone back to pending (see the port)."""
        return _release_abandoned(self._db, at=at, by=by)

    @translated
    def retry(
        self, *, at: datetime, by: str, key: str | None = None, kind: str | None = None
    ) -> int:
        """Failed rows back to pending, attempts counted afresh (see the port)."""
        where, params = "state = 'failed'", []
        if key is not None:
            where += " AND key = ?"
            params.append(key)
        if kind is not None:
            where += " AND kind = ?"
            params.append(kind)
        ids = [
            int(r[0])
            for r in execute_sql(
                self._db, f"SELECT id FROM outbox WHERE {where}", params
            ).fetchall()
        ]
        if not ids:
            return 0
        when = time_to_db(at)
        marks = ", ".join("?" * len(ids))
        execute_sql(
            self._db,
            "UPDATE outbox SET state = 'pending', attempts = 0, available_at = ?, updated_at = ?, "
            f"claimed_by = '', claimed_until = NULL WHERE id IN ({marks})",
            [when, when, *ids],
        )
        insert_rows(
            self._db,
            "outbox_history",
            _HISTORY_COLUMNS,
            [(row_id, when, OutboxState.PENDING.value, 0, f"retry by {by}", by) for row_id in ids],
        )
        return len(ids)

    # --- reading ------------------------------------------------------------------------

    @translated
    def get(self, kind: str, key: str) -> OutboxRow | None:
        """One row by kind and key."""
        row = execute_sql(
            self._db, f"SELECT {_COLUMNS} FROM outbox WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return None if row is None else _row(row)

    @translated
    def of_kind(self, kind: str, *, after_id: int = 0, limit: int = 1000) -> list[OutboxRow]:
        """Rows of one kind in the order written, after row ``after_id``."""
        rows = execute_sql(
            self._db,
            f"SELECT {_COLUMNS} FROM outbox WHERE kind = ? AND id > ? ORDER BY id LIMIT ?",
            (kind, after_id, limit),
        ).fetchall()
        return [_row(r) for r in rows]

    @translated
    def find(self, key: str) -> list[OutboxRow]:
        """Every row with this key."""
        rows = execute_sql(
            self._db, f"SELECT {_COLUMNS} FROM outbox WHERE key = ? ORDER BY id", (key,)
        ).fetchall()
        return [_row(r) for r in rows]

    @translated
    def history(self, row_id: int) -> list[OutboxChange]:
        """A row's state changes, oldest first."""
        rows = execute_sql(
            self._db,
            "SELECT outbox_id, at, state, attempt, detail, actor FROM outbox_history "
            "WHERE outbox_id = ? ORDER BY id",
            (row_id,),
        ).fetchall()
        return [
            OutboxChange(int(r[0]), time_from_db(r[1]), OutboxState(r[2]), int(r[3]), r[4], r[5])
            for r in rows
        ]

    @translated
    def status(self) -> list[KindStatus]:
        """Counts by kind and state, the oldest waiting row, the last standing error."""
        counts: dict[str, dict[OutboxState, int]] = {}
        oldest: dict[str, datetime] = {}
        for kind, state, count, first in execute_sql(
            self._db,
            "SELECT kind, state, count(*), min(created_at) FROM outbox GROUP BY kind, state",
        ).fetchall():
            per = counts.setdefault(str(kind), dict.fromkeys(OutboxState, 0))
            per[OutboxState(state)] = int(count)
            if state in (OutboxState.PENDING.value, OutboxState.WORKING.value):
                at = time_from_db(first)
                if kind not in oldest or at < oldest[kind]:
                    oldest[str(kind)] = at
        owners: dict[str, list[str]] = {}
        for kind, owner in execute_sql(
            self._db,
            "SELECT DISTINCT kind, owner FROM outbox WHERE owner <> '' ORDER BY kind, owner",
        ).fetchall():
            owners.setdefault(str(kind), []).append(str(owner))
        errors: dict[str, tuple[str, datetime]] = {}
        for kind, text, at in execute_sql(
            self._db,
            "SELECT kind, last_error, updated_at FROM outbox WHERE last_error <> '' AND state "
            "IN ('pending', 'working', 'failed') ORDER BY updated_at DESC, id DESC",
        ).fetchall():
            errors.setdefault(str(kind), (str(text), time_from_db(at)))
        return [
            KindStatus(
                kind,
                counts[kind],
                oldest.get(kind),
                errors.get(kind, ("", None))[0],
                errors[kind][1] if kind in errors else None,
                tuple(owners.get(kind, ())),
            )
            for kind in sorted(counts)
        ]

    @translated
    def beat(
        self, worker: str, at: datetime, *, started_at: datetime, stopped: bool = False
    ) -> None:
        """Upsert a worker's heartbeat."""
        when = time_to_db(at)
        execute_sql(
            self._db,
            "INSERT INTO outbox_worker (worker, started_at, seen_at, stopped_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (worker) DO UPDATE SET started_at = "
            "excluded.started_at, seen_at = excluded.seen_at, stopped_at = excluded.stopped_at",
            (worker, time_to_db(started_at), when, when if stopped else None),
        )

    @translated
    def workers(self) -> list[WorkerBeat]:
        """Every worker that ever beat, most recently seen first."""
        rows = execute_sql(
            self._db,
            "SELECT worker, started_at, seen_at, stopped_at FROM outbox_worker "
            "ORDER BY seen_at DESC",
        ).fetchall()
        return [
            WorkerBeat(
                str(r[0]),
                time_from_db(r[1]),
                time_from_db(r[2]),
                None if r[3] is None else time_from_db(r[3]),
            )
            for r in rows
        ]

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def _due_filter(
        owner: str, kinds: Collection[str], at: str, keys: Collection[str]
    ) -> tuple[str, list[object]]:
        where = f"owner = ? AND kind IN ({', '.join('?' * len(kinds))}) AND {_DUE}"
        params: list[object] = [owner, *kinds, at, at]
        if keys:
            where += f" AND key IN ({', '.join('?' * len(keys))})"
            params.extend(keys)
        return where, params


def _duplicate(message: OutboxMessage) -> RuleViolation:
    return RuleViolation(
        f"outbox message {message.kind} {message.key} exists already (each key is sent once)"
    )


def _payload_text(message: OutboxMessage) -> str:
    try:
        return json.dumps(dict(message.payload), sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            f"outbox message {message.kind} {message.key}: payload is not JSON: {exc}"
        ) from exc


def _row(r: tuple[Any, ...]) -> OutboxRow:
    payload = json.loads(r[4]) if r[4] else {}
    return OutboxRow(
        id=int(r[0]),
        message=OutboxMessage(str(r[1]), str(r[2]), payload),
        owner=str(r[3]),
        state=OutboxState(r[5]),
        attempts=int(r[6]),
        created_at=time_from_db(r[7]),
        available_at=time_from_db(r[8]),
        updated_at=time_from_db(r[9]),
        last_error=str(r[10] or ""),
        far_id=None if r[11] is None else str(r[11]),
        claimed_by=str(r[12] or ""),
    )


def _claimed(row: OutboxRow, by: str, now: datetime) -> OutboxRow:
    return OutboxRow(
        id=row.id,
        message=row.message,
        owner=row.owner,
        state=OutboxState.WORKING,
        attempts=row.attempts + 1,
        created_at=row.created_at,
        available_at=row.available_at,
        updated_at=now,
        last_error=row.last_error,
        far_id=row.far_id,
        claimed_by=by,
    )


# --- the SQLite worker lock ---------------------------------------------------------------


def worker_id() -> str:
    """This process as a worker: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


@contextlib.contextmanager
def sqlite_worker_lock(database_file: Path, clock: Clock) -> Iterator[None]:
    """Hold ``<database>.worker.lock`` (an exclusive ``flock``) while the block runs.

    The file says who holds it (host, pid, since), for the message to a second worker.
    The lock goes with the process: a killed worker leaves no stale lock.

    Raises:
        RuleViolation: Another worker holds it.
        InvalidInput: The lock file cannot be opened.
    """
    path = database_file.with_name(database_file.name + ".worker.lock")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise InvalidInput(f"worker lock {path} cannot be opened: {exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise RuleViolation(
                f"another omnipos worker is running on {database_file} ({holder}); on SQLite "
                "only one worker runs at a time: stop it first, or leave it to do the work"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{worker_id()} since {clock.now().isoformat()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
