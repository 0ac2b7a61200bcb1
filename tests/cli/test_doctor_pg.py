"""``omnipos doctor`` on PostgreSQL (issue 15): a server that refuses the till is told apart
from one that does not answer, and a reachable one reports its version, the time limits
the till's session runs under, the connections in use and what the connected role may do
to the append-only tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from hw_support import SIMULATED, isolate, omnipos

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path / "home")


def test_a_server_that_refuses_the_till_is_a_failure_with_the_login_fix(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:5432/omnipos_no_such_database"
    result = omnipos(SIMULATED, tmp_path / "data", "--db-url", url, "doctor")

    assert result.exit_code == 1
    assert "FAIL  database server: refuses this till:" in result.stdout
    assert 'database "omnipos_no_such_database" does not exist' in result.stdout
    assert "fix: check the user, password and database name" in result.stdout
    assert "OK    clock" in result.stdout


def test_a_reachable_server_reports_version_limits_connections_and_the_role(
    pg_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    made = omnipos(SIMULATED, data, "--db-url", pg_url, "init", "--demo", "--demo-days", "0")
    assert made.exit_code == 0, made.output
    result = omnipos(SIMULATED, data, "--db-url", pg_url, "doctor")

    out = result.stdout
    assert "OK    database server: PostgreSQL 1" in out, out
    assert "OK    database time limits: lock wait 10s, statement 1min" in out, out
    assert "database connections: " in out and "the server allows" in out, out
    # the tests connect as a superuser: a warning that says how to harden it, not a failure
    assert "WARN  database role: connected as postgres, a superuser" in out, out
    assert "fix: run 'omnipos db roles' once as the owner" in out
    assert "OK    database: postgresql" in out
    assert result.exit_code == 0, out
