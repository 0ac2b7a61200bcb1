"""What ``omnipos`` says when its surroundings are wrong: a PostgreSQL URL without the
driver installed, a disk that fills up during a write, a database this user may only
read."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import demo_shop, isolate, ok, ok_json, omnipos


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


def test_a_disk_that_fills_up_during_a_write_gives_one_clear_error_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    data = tmp_path / "data"
    demo_shop(data)
    before = len(ok_json(data, "products", "list", "--limit", "100000"))
    rows = "".join(f"9{i:06d};Vare {i} {'y' * 40};10,00;25;10\n" for i in range(20000))
    big = tmp_path / "big.csv"
    big.write_text("sku;name;price;vat;group\n" + rows, encoding="utf-8")
    files = [p for p in data.iterdir() if p.name.startswith("omnipos.sqlite3")]
    limit = max(p.stat().st_size for p in files) + 64 * 1024  # the disk is full after this

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    run = subprocess.run(
        [sys.executable, "-c", "from omnipos_tui.cli.main import main; main()",
         "--data-dir", str(data), "products", "import", str(big)],
        env={**os.environ, "OMNIPOS_EMPLOYEE": "9", "OMNIPOS_PIN": "0000"},
        preexec_fn=full_disk, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "error: cannot write the database: the disk is full or failing (disk I/O error); "
        "nothing was written: free some space (or check the disk) and try again"
    ]
    assert len(ok_json(data, "products", "list", "--limit", "100000")) == before


@contextlib.contextmanager
def _read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders unwritable for this process: by their mode for a normal
    user, by the immutable attribute for root (whom modes do not stop)."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def test_a_database_this_user_may_only_read_is_verified_reported_and_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    data = tmp_path / "data"
    demo_shop(data)
    ok(data, "journal", "verify")  # a read checkpoints the WAL into the file
    database = data / "omnipos.sqlite3"
    assert not Path(f"{database}-wal").exists()
    target = tmp_path / "copy.xml"
    with _read_only(database, data):
        ok(data, "journal", "verify")
        ok(data, "db", "check")
        ok(data, "reports", "sales", "--from", "2026-01-01", "--to", "2026-12-31")
        exported = ok(data, "saft", "export", "--from", "2026-01-01", "-o", str(target))
        assert "read-only here (a copy?): the export is not in its journal" in exported.stdout
        assert target.stat().st_size > 1000
        refused = omnipos(data, "customers", "add", "Ny Kunde")
        assert refused.exit_code == 1
        assert "the database is read-only here" in refused.stderr
        assert "nothing was written" in refused.stderr and "Traceback" not in refused.output
    assert ok_json(data, "journal", "show", "--code", "EXPORT") == []
