"""Temporary files of exports and backups that an interrupted run left (issue 10, item 11):
the next run for the same target removes them and says so; a temporary file another run is
writing right now is left alone."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import demo_shop, isolate, ok, omnipos


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("stale") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data.parent)
        demo_shop(data)
    return data


@pytest.fixture
def shop(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path)
    return Path(shutil.copytree(demo, tmp_path / "data"))


_KILLED_EXPORT = """
import sys, time
from pathlib import Path
from omnipos_tui.exports.saft import export_saft_file

def write(out):
    out.write(b"<AuditFile>" * 100_000)
    out.flush()
    print("writing", flush=True)
    time.sleep(600)

export_saft_file(Path(sys.argv[1]), write)
"""


def test_an_export_killed_mid_write_is_swept_by_the_next_run_which_says_so(
    shop: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "x.xml"
    killed = subprocess.Popen(
        [sys.executable, "-c", _KILLED_EXPORT, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert killed.stdout is not None and killed.stdout.readline() == "writing\n"
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    [left] = list(out.iterdir())
    assert left.name.startswith(".x.xml.") and left.stat().st_size >= 1_000_000

    result = omnipos(shop, "saft", "export", "--from", "2026-01-01", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"Removed 1 temporary file(s) an interrupted run left in {out}: {left.name}" in (
        result.stderr
    )
    assert sorted(p.name for p in out.iterdir()) == ["x.xml"]


def test_a_killed_backup_s_partial_copy_and_its_wal_and_shm_are_swept(
    shop: Path, tmp_path: Path
) -> None:
    target = tmp_path / "b.sqlite3"
    left = [tmp_path / f".b.sqlite3.partial{s}" for s in ("", "-wal", "-shm")]
    for path in left:
        path.write_bytes(b"\0" * 4096)
    other = tmp_path / ".other.sqlite3.partial"  # another target's: not ours to touch
    other.write_bytes(b"")
    result = ok(shop, "db", "backup", str(target))
    assert "Removed 3 temporary file(s)" in result.stderr
    assert not any(p.exists() for p in left) and other.exists() and target.is_file()


def test_a_temporary_file_another_run_is_writing_is_left_alone(shop: Path, tmp_path: Path) -> None:
    target = tmp_path / "varer.csv"
    busy = tmp_path / ".varer.csv.busy1234"
    fd = os.open(busy, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running export holds its file
        stale = tmp_path / ".varer.csv.dead5678"
        stale.write_text("half", encoding="utf-8")
        result = ok(shop, "products", "export", "-o", str(target))
        assert f"Removed 1 temporary file(s) an interrupted run left in {tmp_path}: " in (
            result.stderr
        )
        assert busy.exists() and not stale.exists()
    finally:
        os.close(fd)
