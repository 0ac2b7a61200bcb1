"""Append-only tables: database triggers that refuse UPDATE and DELETE, on both engines.

The journal and the transaction tables (and the master-data change log) must never change
once written (kassasystemforskrifta: nothing may alter or delete a registered sale). The
refusal lives in the database itself, so no code path and no ad-hoc SQL can get round it.

SQLite's ``INSERT OR REPLACE`` (and ``REPLACE INTO``) deletes the row it collides with
without firing DELETE triggers (unless ``recursive_triggers`` is on, which the person doing
it decides), and the statement's conflict clause overrides the table's. So every
append-only table on SQLite also has a BEFORE INSERT trigger that refuses a row colliding
with a stored one on its rowid or any unique key: the row is never replaced. A plain
duplicate INSERT fails there too, as the same ``Conflict`` (a UNIQUE failure) it was.
PostgreSQL has no REPLACE; its ``INSERT ... ON CONFLICT DO UPDATE`` fires the UPDATE
trigger.

A migration that rebuilds a table silently drops its triggers, so the migration runner calls
:func:`make_append_only` for every registered table after EVERY run, and ``db check`` and a
test assert with :func:`append_only_triggers` that they are all there.
"""

from __future__ import annotations

import re

import peewee

from omnipos_tui.storage.database import APPEND_ONLY_MARKER, engine_of, execute_sql

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
KINDS = ("update", "delete")
REPLACE = "replace"
"""The SQLite trigger kind that refuses ``INSERT OR REPLACE`` over a stored row."""

# PostgreSQL: one shared trigger function. `%%` because psycopg2 formats the statement.
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION omnipos_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MARKER} table %%: %% refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$body$
"""


def trigger_name(table: str, kind: str) -> str:
    """The name of the trigger refusing ``kind`` ("update"/"delete") on ``table``."""
    return f"{table}_append_only_no_{kind}"


def make_undeletable(db: peewee.Database, table: str) -> None:
    """(Re-)install the trigger that refuses DELETE (and TRUNCATE on PostgreSQL) on
    ``table``, whose rows may change but are never removed (the outbox); on SQLite also
    the one that keeps ``INSERT OR REPLACE`` from removing a stored row.

    Raises:
        ValueError: ``table`` is not a plain identifier.
    """
    make_append_only(db, table, kinds=("delete",))


def make_append_only(db: peewee.Database, table: str, *, kinds: tuple[str, ...] = KINDS) -> None:
    """(Re-)install the triggers that refuse UPDATE and DELETE on ``table``.

    Idempotent: existing triggers are dropped and created again, so a changed definition
    always takes effect. Run it inside the migration's transaction.

    Args:
        db: A connected database.
        table: The table name (lower case letters, digits, underscores).

    Raises:
        ValueError: ``table`` is not a plain identifier.
    """
    if not _NAME.match(table):
        raise ValueError(f"not a table name: {table!r}")
    if engine_of(db) == "postgresql":
        execute_sql(db, _PG_FUNCTION)
        for kind in kinds:
            name = trigger_name(table, kind)
            execute_sql(db, f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            execute_sql(
                db,
                f'CREATE TRIGGER "{name}" BEFORE {kind.upper()} ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION omnipos_refuse_change()",
            )
        # TRUNCATE bypasses row triggers on PostgreSQL; refuse it as well.
        name = trigger_name(table, "truncate")
        execute_sql(db, f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        execute_sql(
            db,
            f'CREATE TRIGGER "{name}" BEFORE TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION omnipos_refuse_change()",
        )
        return
    for kind in kinds:
        name = trigger_name(table, kind)
        execute_sql(db, f'DROP TRIGGER IF EXISTS "{name}"')
        execute_sql(
            db,
            f'CREATE TRIGGER "{name}" BEFORE {kind.upper()} ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MARKER} table {table}: "
            f"{kind.upper()} refused'); END",
        )
    _refuse_replace(db, table)


def _unique_keys(db: peewee.Database, table: str) -> list[tuple[str, ...]]:
    """The column lists of an SQLite table's unique indexes (its primary key included)."""
    keys = []
    for index in execute_sql(db, f'PRAGMA index_list("{table}")').fetchall():
        name, unique, partial = str(index[1]), int(index[2]), int(index[4])
        if not unique or partial:
            continue
        columns = execute_sql(db, f'PRAGMA index_info("{name}")').fetchall()
        if columns and all(c[2] is not None for c in columns):  # no expression indexes
            keys.append(tuple(str(c[2]) for c in columns))
    return keys


def _refuse_replace(db: peewee.Database, table: str) -> None:
    """The SQLite BEFORE INSERT trigger refusing a row that collides with a stored one on
    its rowid (an INTEGER PRIMARY KEY is the rowid) or on any unique key."""
    name = trigger_name(table, REPLACE)
    clashes = [f'EXISTS (SELECT 1 FROM "{table}" WHERE rowid = NEW.rowid)']
    for key in _unique_keys(db, table):
        match = " AND ".join(f'"{column}" = NEW."{column}"' for column in key)
        clashes.append(f'EXISTS (SELECT 1 FROM "{table}" WHERE {match})')
    execute_sql(db, f'DROP TRIGGER IF EXISTS "{name}"')
    # The comment marks it as ours for append_only_triggers(); the message is a UNIQUE
    # failure, so a plain duplicate INSERT stays the Conflict it always was.
    execute_sql(
        db,
        f'CREATE TRIGGER "{name}" BEFORE INSERT ON "{table}" '
        f"WHEN {' OR '.join(clashes)} "
        f"BEGIN /* {APPEND_ONLY_MARKER} */ SELECT RAISE(ABORT, 'UNIQUE constraint failed: "
        f"{table} (a stored row is never replaced)'); END",
    )


def append_only_triggers(db: peewee.Database) -> dict[str, frozenset[str]]:
    """Which append-only triggers exist: table -> {"update", "delete", "replace"} (those
    present; "replace" on SQLite only).

    Only triggers named by :func:`trigger_name` count, and on SQLite only when their SQL
    still raises the append-only error.
    """
    found: dict[str, set[str]] = {}
    if engine_of(db) == "postgresql":
        rows = execute_sql(
            db,
            "SELECT tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND n.nspname = current_schema()",
        ).fetchall()
        pairs = [(str(name), str(table), "") for name, table in rows]
    else:
        rows = execute_sql(
            db, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        pairs = [(str(name), str(table), str(sql)) for name, table, sql in rows]
    for name, table, sql in pairs:
        for kind in (*KINDS, REPLACE):
            if name != trigger_name(table, kind):
                continue
            if sql and APPEND_ONLY_MARKER not in sql:
                continue
            found.setdefault(table, set()).add(kind)
    return {table: frozenset(kinds) for table, kinds in found.items()}
