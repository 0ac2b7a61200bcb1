"""The registers' counters and sessions (``register_state``): working data, changed in place
under the register's lock.

The lock is what keeps numbering gapless when two processes (two tills on one PostgreSQL
database, or a till and the CLI) work at once: on PostgreSQL ``SELECT ... FOR UPDATE``
holds the register's row until the unit of work ends; on SQLite the unit of work already
holds the database's write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import peewee

from omnipos_tui.core.ledger.ports import RegisterState
from omnipos_tui.storage.chain_rows import ChainHeads
from omnipos_tui.storage.database import engine_of, execute_sql, translated
from omnipos_tui.storage.db_time import time_to_db

_COLUMNS = (
    "register_id, last_nr, last_event_seq, last_signature, last_sale_id, receipt_numbers, "
    "last_x, last_z, training, employee, logged_in_at"
)
_SAVE = (
    "last_nr = ?, last_event_seq = ?, last_signature = ?, last_sale_id = ?, "
    "receipt_numbers = ?, last_x = ?, last_z = ?, training = ?, employee = ?, logged_in_at = ?"
)


class PeeweeRegisterStateRepository:
    """:class:`~omnipos_tui.core.ledger.ports.RegisterStateRepository` on a peewee database."""

    def __init__(self, db: peewee.Database, heads: ChainHeads | None = None) -> None:
        self._db = db
        self._lock = " FOR UPDATE" if engine_of(db) == "postgresql" else ""
        self._heads = heads or ChainHeads(db)

    @translated
    def lock(self, register_id: str) -> RegisterState | None:
        """The register's state, locked until the unit of work ends (with the ends of its
        hash chains, for the rows this unit of work writes)."""
        row = execute_sql(
            self._db,
            f"SELECT {_COLUMNS}, event_chain, transaction_chain FROM register_state "
            f"WHERE register_id = ?{self._lock}",
            (register_id,),
        ).fetchone()
        if row is None:
            return None
        self._heads.seed(register_id, (row[2], row[11], row[1], row[12]))
        return _state(row)

    @translated
    def create(self, register_id: str) -> None:
        """Create a register's state unless it exists."""
        execute_sql(
            self._db,
            "INSERT INTO register_state (register_id) VALUES (?) "
            "ON CONFLICT (register_id) DO NOTHING",
            (register_id,),
        )

    @translated
    def get(self, register_id: str) -> RegisterState | None:
        """The state without locking."""
        row = execute_sql(
            self._db,
            f"SELECT {_COLUMNS} FROM register_state WHERE register_id = ?",
            (register_id,),
        ).fetchone()
        return None if row is None else _state(row)

    @translated
    def save(self, state: RegisterState) -> None:
        """Store the changed counters and session (and the ends of the register's hash
        chains, when this unit of work locked it)."""
        values = (
            state.last_nr,
            state.last_event_seq,
            state.last_signature,
            state.last_sale_id,
            json.dumps(state.receipt_numbers, sort_keys=True),
            state.last_x,
            state.last_z,
            state.training,
            state.employee,
            None if state.logged_in_at is None else time_to_db(state.logged_in_at),
        )
        anchors = self._heads.anchors(state.register_id)
        if anchors is None:
            execute_sql(
                self._db,
                f"UPDATE register_state SET {_SAVE} WHERE register_id = ?",
                (*values, state.register_id),
            )
            return
        execute_sql(
            self._db,
            f"UPDATE register_state SET {_SAVE}, event_chain = ?, transaction_chain = ? "
            "WHERE register_id = ?",
            (*values, *anchors, state.register_id),
        )
        self._heads.saved(state.register_id, state.last_event_seq, state.last_nr)

    @translated
    def logged_in(self, employee: str) -> list[str]:
        """The registers where ``employee`` is logged in."""
        rows = execute_sql(
            self._db,
            "SELECT register_id FROM register_state WHERE employee = ? ORDER BY register_id",
            (employee,),
        ).fetchall()
        return [str(row[0]) for row in rows]


def _state(row: tuple[Any, ...]) -> RegisterState:
    numbers = json.loads(row[5])
    return RegisterState(
        register_id=row[0],
        last_nr=int(row[1]),
        last_event_seq=int(row[2]),
        last_signature=row[3],
        last_sale_id=int(row[4]),
        receipt_numbers={str(k): int(v) for k, v in numbers.items()},
        last_x=int(row[6]),
        last_z=int(row[7]),
        training=bool(row[8]),
        employee=row[9],
        logged_in_at=None if row[10] is None else datetime.fromisoformat(row[10]).astimezone(UTC),
    )
