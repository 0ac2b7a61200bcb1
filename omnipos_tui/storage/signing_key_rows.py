"""The ``signing_key`` table: every register's key versions (public parts only)."""

from __future__ import annotations

from collections.abc import Sequence

import peewee

from omnipos_tui.core.ledger.signature import PublishedKey
from omnipos_tui.storage.database import execute_sql, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db

_COLUMNS = "register_id, key_version, algorithm, public_pem, fingerprint, created_at, created_by"


class PeeweeSigningKeyRepository:
    """:class:`~omnipos_tui.core.repositories.SigningKeyRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    @translated
    def get(self, register_id: str, key_version: str) -> PublishedKey | None:
        """One key version of a register."""
        rows = self._select("WHERE register_id = ? AND key_version = ?", register_id, key_version)
        return rows[0] if rows else None

    @translated
    def of_register(self, register_id: str) -> list[PublishedKey]:
        """A register's key versions in the order they were recorded."""
        return self._select("WHERE register_id = ? ORDER BY id", register_id)

    @translated
    def all(self) -> list[PublishedKey]:
        """Every register's key versions, by register, in the order they were recorded."""
        keys = self._select("ORDER BY id")
        return sorted(keys, key=lambda k: (len(k.register_id), k.register_id))

    @translated
    def add(self, key: PublishedKey) -> None:
        """Record a key version (a second row for the same version is a ``Conflict``)."""
        execute_sql(
            self._db,
            f"INSERT INTO signing_key ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                key.register_id,
                key.key_version,
                key.algorithm,
                key.public_pem,
                key.fingerprint,
                time_to_db(key.created_at),
                key.created_by,
            ),
        )

    def _select(self, where: str, *params: object) -> list[PublishedKey]:
        cursor = execute_sql(self._db, f"SELECT {_COLUMNS} FROM signing_key {where}", params)
        return [_key(row) for row in cursor.fetchall()]


def _key(row: Sequence[object]) -> PublishedKey:
    register_id, version, algorithm, pem, fingerprint, created_at, created_by = row
    return PublishedKey(
        register_id=str(register_id),
        key_version=str(version),
        algorithm=str(algorithm),
        public_pem=str(pem),
        fingerprint=str(fingerprint),
        created_at=time_from_db(str(created_at)),
        created_by=str(created_by),
    )
