"""PostgreSQL roles: an owner for migrations, a till role that cannot switch the append-only
triggers off (``omnipos db roles``).

The append-only triggers (``storage/append_only.py``) stop an UPDATE or DELETE by anyone
who cannot remove them. On PostgreSQL that is everyone except a superuser (who may
``SET session_replication_role = replica``, which silences every trigger) and the tables'
owner (who may ``ALTER TABLE ... DISABLE TRIGGER`` or drop them). So the tills must connect
as a role that is neither:

* the **owner role** owns the schema's tables, sequences and the trigger function, and
  runs ``omnipos db migrate`` (and ``omnipos init``);
* the **till role** may read every table and insert into every table, update and delete
  only the working data (register counters, open sales, card payments in flight,
  catalogue, staff, customers...), and nothing in the append-only tables, ``schema_version``
  or ``database_role``. It is not a superuser and owns nothing, so it cannot disable the
  triggers, set ``session_replication_role``, truncate, or change the trigger function.

:func:`setup_roles` (run once by a superuser or a role with CREATEROLE that owns the
tables) creates the roles if needed, hands the tables over to the owner role, grants the
till role exactly that, and records both names in ``database_role``; :func:`grant` runs
again after every migration so new tables are granted the same way.
"""

from __future__ import annotations

import re

import peewee

from omnipos_tui.core.database_admin import RoleSetup
from omnipos_tui.core.errors import InvalidInput, StorageError
from omnipos_tui.storage.database import engine_of, execute_sql
from omnipos_tui.storage.migrations import append_only_tables, current_version

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_READ_ONLY = ("schema_version", "database_role")
"""Tables the till role may only read."""
ROLES_VERSION = 6
"""The schema version that brought ``database_role``."""


def _check_name(name: str, what: str) -> str:
    if not _ROLE.match(name):
        raise InvalidInput(
            f"{what}: {name!r} is not a role name (lower-case letters, digits and _, "
            "starting with a letter or _, at most 63)",
        )
    return name


def recorded(db: peewee.Database) -> dict[str, str]:
    """The recorded roles: ``{"owner": name, "till": name}`` (empty when none, or before
    schema 6)."""
    if engine_of(db) != "postgresql" or current_version(db) < ROLES_VERSION:
        return {}
    rows = execute_sql(db, "SELECT kind, role_name FROM database_role").fetchall()
    return {str(kind): str(name) for kind, name in rows}


def _current(db: peewee.Database) -> tuple[str, bool]:
    row = execute_sql(
        db, "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if row is None:  # pragma: no cover - the connected role always exists
        raise StorageError("cannot read the connected role from pg_roles")
    return str(row[0]), bool(row[1])


def _tables(db: peewee.Database) -> list[tuple[str, str]]:
    rows = execute_sql(
        db,
        "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "ORDER BY tablename",
    ).fetchall()
    return [(str(name), str(owner)) for name, owner in rows]


def access(db: peewee.Database) -> str:
    """What the connection's role may do to the append-only tables, in a sentence."""
    if engine_of(db) != "postgresql":
        return (
            "SQLite file: whoever may write the file may remove the triggers; the hash "
            "chain finds what was changed"
        )
    user, superuser = _current(db)
    roles = recorded(db)
    owners = {owner for name, owner in _tables(db) if name in append_only_tables()}
    if superuser:
        return (
            f"connected as {user}, a superuser: it can switch the append-only triggers off "
            "(session_replication_role); let the tills connect as the till role "
            "(omnipos db roles)"
        )
    if user in owners:
        return (
            f"connected as {user}, owner of the ledger tables: it can disable their triggers; "
            "use it for migrations only and let the tills connect as the till role "
            "(omnipos db roles)"
        )
    named = " (the recorded till role)" if roles.get("till") == user else ""
    return (
        f"connected as {user}{named}: neither owner nor superuser, it cannot disable the "
        "append-only triggers"
    )


def setup_roles(
    db: peewee.Database,
    owner: str,
    till: str,
    *,
    owner_password: str | None = None,
    till_password: str | None = None,
) -> RoleSetup:
    """Create (or reuse) the owner and till roles, hand the schema's tables to the owner
    and grant the till role what a till needs; record both names. Run it inside one
    transaction, connected as a superuser (or a CREATEROLE role owning the tables), on a
    migrated database.

    Raises:
        InvalidInput: A name is not a role name, the two are the same, or the till role is
            a superuser or may create roles or databases.
        StorageError: Not PostgreSQL, or the database is not migrated to schema 6.
    """
    if engine_of(db) != "postgresql":
        raise StorageError(
            "database roles are for PostgreSQL; an SQLite file is protected by the file's "
            "owner and mode (and the hash chain finds changes)"
        )
    if current_version(db) < ROLES_VERSION:
        raise StorageError("migrate the database first: omnipos db migrate")
    _check_name(owner, "--owner")
    _check_name(till, "--till")
    if owner == till:
        raise InvalidInput(
            "the owner and the till role must be two roles",
        )
    created = []
    for name, password in ((owner, owner_password), (till, till_password)):
        exists = execute_sql(db, "SELECT 1 FROM pg_roles WHERE rolname = ?", (name,)).fetchone()
        if exists is None:
            execute_sql(
                db,
                f'CREATE ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION'
                + (" PASSWORD ?" if password else ""),
                (password,) if password else (),
            )
            created.append(name)
        elif password:
            execute_sql(db, f'ALTER ROLE "{name}" PASSWORD ?', (password,))
    row = execute_sql(
        db,
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
        "FROM pg_roles WHERE rolname = ?",
        (till,),
    ).fetchone()
    if row is not None and any(row):
        raise InvalidInput(
            f"role {till} is a superuser or may create roles or databases, replicate or "
            "bypass row security: choose another till role",
        )
    schema = str(execute_sql(db, "SELECT current_schema()").fetchone()[0])  # type: ignore[index]
    execute_sql(db, f'GRANT USAGE, CREATE ON SCHEMA "{schema}" TO "{owner}"')
    execute_sql(db, f'GRANT USAGE ON SCHEMA "{schema}" TO "{till}"')
    execute_sql(db, f'REVOKE CREATE ON SCHEMA "{schema}" FROM "{till}"')
    for table, _ in _tables(db):
        execute_sql(db, f'ALTER TABLE "{table}" OWNER TO "{owner}"')
    execute_sql(db, f'ALTER FUNCTION omnipos_refuse_change() OWNER TO "{owner}"')
    execute_sql(db, "DELETE FROM database_role")
    execute_sql(
        db,
        "INSERT INTO database_role (kind, role_name) VALUES ('owner', ?), ('till', ?)",
        (owner, till),
    )
    tables = grant(db)
    # Tables a later migration creates (as the owner) are readable and insertable at once;
    # grant() after that migration gives the working ones UPDATE and DELETE.
    execute_sql(
        db,
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "{schema}" '
        f'GRANT SELECT, INSERT ON TABLES TO "{till}"',
    )
    execute_sql(
        db,
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "{schema}" '
        f'GRANT USAGE, SELECT ON SEQUENCES TO "{till}"',
    )
    return RoleSetup(owner=owner, till=till, schema=schema, tables=tables, created=tuple(created))


def grant(db: peewee.Database) -> int:
    """Grant the recorded till role its privileges on every table of the schema (after
    ``db roles`` and after every migration). Returns how many tables; 0 when no roles
    are recorded (or not PostgreSQL).

    Append-only tables, ``schema_version`` and ``database_role``: never UPDATE, DELETE,
    TRUNCATE, TRIGGER or REFERENCES. Working tables: SELECT, INSERT, UPDATE, DELETE.
    """
    roles = recorded(db)
    till = roles.get("till")
    if not till:
        return 0
    append_only = set(append_only_tables())
    tables = _tables(db)
    for table, _ in tables:
        execute_sql(db, f'REVOKE ALL ON "{table}" FROM "{till}"')
        if table in _READ_ONLY:
            rights = "SELECT"
        elif table in append_only:
            rights = "SELECT, INSERT"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        execute_sql(db, f'GRANT {rights} ON "{table}" TO "{till}"')
    schema = str(execute_sql(db, "SELECT current_schema()").fetchone()[0])  # type: ignore[index]
    execute_sql(db, f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{till}"')
    return len(tables)
