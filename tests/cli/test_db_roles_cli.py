"""``omnipos db roles`` on PostgreSQL: the owner and till roles made from the command line,
the tills' database URL pointed at the till role, and ``db check`` saying what each
connection may do; on SQLite the command refuses with a message."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import demo_shop, isolate, ok, omnipos


@pytest.fixture
def roles(pg_url: str) -> Iterator[tuple[str, str]]:
    """Role names of this test's own; dropped with what they own afterwards."""
    import psycopg2  # type: ignore[import-untyped]  # no stubs installed

    suffix = uuid.uuid4().hex[:10]
    owner, till = f"omnipos_owner_{suffix}", f"omnipos_till_{suffix}"
    yield owner, till
    admin = psycopg2.connect(pg_url)
    admin.autocommit = True
    try:
        cursor = admin.cursor()
        for role in (till, owner):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            if cursor.fetchone():
                cursor.execute(f'DROP OWNED BY "{role}" CASCADE')
                cursor.execute(f'DROP ROLE "{role}"')
    finally:
        admin.close()


def _has_password(url: str, role: str) -> bool:
    import psycopg2

    raw = psycopg2.connect(url)
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = %s", (role,))
        return bool(cursor.fetchone()[0])
    finally:
        raw.close()


@pytest.mark.postgres
def test_db_roles_makes_a_till_role_that_db_check_reports_as_unable_to_disable_triggers(
    pg_url: str, roles: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    owner, till = roles
    data = tmp_path / "data"
    ok(data, "--db-url", pg_url, "init", "--demo", "--demo-days", "0")
    superuser = json.loads(omnipos(data, "--db-url", pg_url, "db", "check", "--json").stdout)
    assert "a superuser" in superuser["access"]
    monkeypatch.setenv("OMNIPOS_TILL_PASSWORD", "kasse-hemmelig")  # never on the command line
    made = ok(data, "--db-url", pg_url, "db", "roles", "--owner", owner, "--till", till)
    assert _has_password(pg_url, till) and not _has_password(pg_url, owner)
    assert f"{owner} owns" in made.stdout and f"OMNIPOS_DB_URL=postgresql://{till}@" in made.stdout
    till_url = pg_url.replace("postgresql://postgres@", f"postgresql://{till}@", 1)
    owner_url = pg_url.replace("postgresql://postgres@", f"postgresql://{owner}@", 1)
    assert "is up to date" in ok(data, "--db-url", owner_url, "db", "migrate").stdout
    check = json.loads(ok(data, "--db-url", till_url, "db", "check", "--json").stdout)
    assert check["ok"]
    assert "(the recorded till role): neither owner nor superuser" in check["access"]
    as_owner = ok(data, "--db-url", owner_url, "db", "check").stdout
    assert "owner of the ledger tables: it can disable their triggers" in " ".join(as_owner.split())
    again = omnipos(data, "--db-url", pg_url, "db", "roles", "--owner", till, "--till", till)
    assert again.exit_code == 1 and "two roles" in again.stderr


def test_db_roles_on_sqlite_says_it_is_for_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    demo_shop(tmp_path / "data")
    result = omnipos(tmp_path / "data", "db", "roles")
    assert result.exit_code == 1
    assert "database roles are for PostgreSQL" in result.stderr
