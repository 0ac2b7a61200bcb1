"""What ``omnipos`` says when its surroundings are wrong: a PostgreSQL URL without the
driver installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import isolate, omnipos


def test_a_postgres_url_without_psycopg2_names_the_extra_and_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    monkeypatch.setattr("peewee.psycopg2", None)  # as in an install without the extra
    monkeypatch.setenv("OMNIPOS_DB_URL", "postgresql://postgres@127.0.0.1:5432/test")
    result = omnipos(tmp_path / "data", "journal", "verify", who=None)
    assert result.exit_code == 1
    assert "its driver (psycopg2) is not installed: it comes with the postgres extra" in (
        result.stderr
    )
    assert "pip install 'omnipos[postgres]'" in result.stderr
    assert "driver not found" not in result.stderr and "Traceback" not in result.output
