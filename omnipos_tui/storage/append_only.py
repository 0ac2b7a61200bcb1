"""Append-only tables: database triggers that refuse UPDATE and DELETE, on both engines.

The journal and the transaction tables (and the master-data change log) must never change
once written (kassasystemforskrifta: nothing may alter or delete a registered sale). The
refusal lives in the database itself, so no code path and no ad-hoc SQL can get round it.

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
    ``table``, whose rows may change but are never removed (the outbox).

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


def append_only_triggers(db: peewee.Database) -> dict[str, frozenset[str]]:
    """Which append-only triggers exist: table -> {"update", "delete"} (those present).

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
        for kind in KINDS:
            if name != trigger_name(table, kind):
                continue
            if sql and APPEND_ONLY_MARKER not in sql:
                continue
            found.setdefault(table, set()).add(kind)
    return {table: frozenset(kinds) for table, kinds in found.items()}
