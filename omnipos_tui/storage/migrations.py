"""Versioned schema migrations: an ordered list, a ``schema_version`` table, one transaction
per migration.

To change the schema, write ``schema_vN.py`` with an ``apply(ctx)`` function and append one
:class:`Migration` to :data:`MIGRATIONS`. A migration that creates an append-only table lists
it in ``append_only``; after every run the triggers of every such table are installed again
(a table rebuild drops them silently).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import peewee

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.storage import (
    schema_v1,
    schema_v2,
    schema_v3,
    schema_v4,
    schema_v5,
    schema_v6,
    schema_v7,
    schema_v10,
    schema_v14,
    schema_v15,
    schema_v16,
    schema_v20,
)
from omnipos_tui.storage.append_only import make_append_only, make_undeletable
from omnipos_tui.storage.database import (
    engine_of,
    execute_sql,
    is_library_error,
    translate,
    unlimited_statements,
)
from omnipos_tui.storage.db_time import time_to_db
from omnipos_tui.storage.migration_context import MigrationContext


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema version.

    Attributes:
        version: The version it brings the database to (1, 2, ...).
        description: What it does, stored in ``schema_version``.
        apply: Runs the DDL inside the migration's transaction.
        append_only: Tables it creates that must refuse UPDATE and DELETE.
        keep_rows: Tables it creates whose rows may change but must refuse DELETE.
    """

    version: int
    description: str
    apply: Callable[[MigrationContext], None]
    append_only: tuple[str, ...] = ()
    keep_rows: tuple[str, ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "shop, catalogue with name search, staff, customers, master-data change log",
        schema_v1.apply,
        schema_v1.APPEND_ONLY,
    ),
    Migration(
        2,
        "ledger: transactions, journal, Z reports, receipt copies; register state, open "
        "sales, pending card payments",
        schema_v2.apply,
        schema_v2.APPEND_ONLY,
    ),
    Migration(
        3,
        "signing keys: the public part of every register's key versions",
        schema_v3.apply,
        schema_v3.APPEND_ONLY,
    ),
    Migration(
        4,
        "name search inside words: a trigram index of product names",
        schema_v4.apply,
        schema_v4.APPEND_ONLY,
    ),
    Migration(
        5,
        "transactional outbox: messages for the outside world, their history, worker beats",
        schema_v5.apply,
        schema_v5.APPEND_ONLY,
        schema_v5.KEEP_ROWS,
    ),
    Migration(
        6,
        "our hash chain over the ledger: every journal event and transaction row hashed and "
        "chained per register, the chains' ends in the register state and each Z report; "
        "the PostgreSQL roles",
        schema_v6.apply,
        schema_v6.APPEND_ONLY,
    ),
    Migration(
        7,
        "stock and purchasing: locations, the stock ledger and balances, suppliers, "
        "purchase orders, goods receipts, transfers, counts",
        schema_v7.apply,
        schema_v7.APPEND_ONLY,
    ),
    Migration(
        10,
        "card tips: the tip added on the terminal, on the card payment",
        schema_v10.apply,
        schema_v10.APPEND_ONLY,
    ),
    Migration(
        14,
        "customer orders and shipments: orders of every channel, their lines, line events "
        "and status history, parcels and the carriers' tracking",
        schema_v14.apply,
        schema_v14.APPEND_ONLY,
    ),
    Migration(
        15,
        "web shop: product and customer links, the sync's cursors and state, problems",
        schema_v15.apply,
        schema_v15.APPEND_ONLY,
    ),
    Migration(
        16,
        "order payment history: an order paid after it was made (a web order paid later)",
        schema_v16.apply,
        schema_v16.APPEND_ONLY,
    ),
    Migration(
        20,
        "customers can be deactivated: customer.active",
        schema_v20.apply,
        schema_v20.APPEND_ONLY,
    ),
)


def latest_version() -> int:
    """The schema version this code expects (the highest: versions need not come in order)."""
    return max(m.version for m in MIGRATIONS)


def append_only_tables(version: int | None = None) -> tuple[str, ...]:
    """Every append-only table that exists at ``version`` (default: the latest)."""
    upto = latest_version() if version is None else version
    return tuple(t for m in MIGRATIONS if m.version <= upto for t in m.append_only)


def undeletable_tables(version: int | None = None) -> tuple[str, ...]:
    """Every table whose rows must never be deleted (but may change) at ``version``."""
    upto = latest_version() if version is None else version
    return tuple(t for m in MIGRATIONS if m.version <= upto for t in m.keep_rows)


def write_transaction(db: peewee.Database) -> peewee._atomic:
    """A transaction that takes the write lock at once (SQLite ``BEGIN IMMEDIATE``)."""
    return db.atomic("IMMEDIATE") if engine_of(db) == "sqlite" else db.atomic()


def current_version(db: peewee.Database) -> int:
    """The stored schema version; 0 when the database was never migrated."""
    if "schema_version" not in _tables(db):
        return 0
    row = execute_sql(db, "SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def applied_versions(db: peewee.Database) -> set[int]:
    """The versions recorded in ``schema_version`` (empty when never migrated)."""
    if "schema_version" not in _tables(db):
        return set()
    return {int(v) for (v,) in execute_sql(db, "SELECT version FROM schema_version").fetchall()}


def missing_versions(db: peewee.Database) -> list[int]:
    """The versions this code has that the database lacks, in order."""
    applied = applied_versions(db)
    return [m.version for m in MIGRATIONS if m.version not in applied]


def _tables(db: peewee.Database) -> set[str]:
    if engine_of(db) == "postgresql":
        rows = execute_sql(
            db, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    else:
        rows = execute_sql(db, "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(name) for (name,) in rows}


def migrate(db: peewee.Database, clock: Clock) -> list[int]:
    """Bring a connected database to the latest version.

    Each missing migration (one whose version ``schema_version`` does not record) runs in
    its own transaction together with its ``schema_version`` row; the versions are re-read
    under the write lock, so two processes migrating at once apply each migration once.
    Afterwards the append-only triggers are installed again for every registered table.

    Returns:
        The versions applied.

    Raises:
        StorageError: A migration failed (it is rolled back; earlier ones stay applied), or
            the database is newer than this code.
    """
    applied: list[int] = []
    try:
        execute_sql(
            db,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "description TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        stored = current_version(db)
        if stored > latest_version():
            raise StorageError(
                f"the database has schema version {stored}, newer than this OmniPOS "
                f"({latest_version()}): upgrade OmniPOS"
            )
        for migration in MIGRATIONS:
            with write_transaction(db):
                if engine_of(db) == "postgresql":
                    unlimited_statements(db)  # an index on a big table may take minutes
                    execute_sql(db, "LOCK TABLE schema_version IN EXCLUSIVE MODE")
                # By the versions recorded, not the highest: a migration numbered below
                # one already applied (branches merged in another order) still runs.
                if migration.version in applied_versions(db):
                    continue
                _apply(db, migration, clock)
            applied.append(migration.version)
        with write_transaction(db):
            version = current_version(db)
            for table in append_only_tables(version):
                make_append_only(db, table)
            for table in undeletable_tables(version):
                make_undeletable(db, table)
    except PosError:
        raise
    except Exception as exc:
        if is_library_error(exc):
            raise StorageError(f"migration failed: {translate(exc)}") from exc
        raise
    return applied


def _apply(db: peewee.Database, migration: Migration, clock: Clock) -> None:
    try:
        migration.apply(MigrationContext(db))
    except Exception as exc:
        if is_library_error(exc):
            raise StorageError(
                f"migration {migration.version} ({migration.description}) failed: {translate(exc)}"
            ) from exc
        raise
    execute_sql(
        db,
        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
        (migration.version, migration.description, time_to_db(clock.now())),
    )
