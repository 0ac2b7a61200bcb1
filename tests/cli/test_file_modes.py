"""What protects the data at rest (issue 10, item 22): the database, its backups and the
exports are made 0600 (0640 and the group's with ``security.file_group``), ``doctor`` warns
about a looser file, and the PIN rules are the configured ones."""

from __future__ import annotations

import grp
import os
import shutil
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cli_support import DEMO_ADMIN, demo_shop, isolate, ok, omnipos

from omnipos_tui.bootstrap import build
from omnipos_tui.core.clock import OSLO
from omnipos_tui.settings import Override, load_settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("modes") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data.parent)
        old = os.umask(0o022)  # the usual umask: files would be 0644 without the fix
        try:
            demo_shop(data)
            ok(data, "journal", "verify")  # a read opens (and so checkpoints) the WAL
        finally:
            os.umask(old)
    return data


@pytest.fixture
def shop(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path)
    copy = Path(shutil.copytree(demo, tmp_path / "data"))
    for path in copy.glob("omnipos.sqlite3*"):  # copytree keeps the modes; made sure
        assert mode(path) == mode(demo / path.name)
    return copy


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def a_group() -> grp.struct_group:
    """A group this user may give files to, other than its own where it can (root: any)."""
    own = os.getgid()
    if os.geteuid() == 0:
        others = [g for g in grp.getgrall() if g.gr_gid != own]
        if others:
            return others[0]
    return grp.getgrgid(next((g for g in os.getgroups() if g != own), own))


def group_config(tmp_path: Path, group: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[security]\nfile_group = "{group}"\n', encoding="utf-8")
    return config


def yesterday() -> str:
    from datetime import UTC, datetime

    return (datetime.now(UTC).astimezone(OSLO).date() - timedelta(days=1)).isoformat()


def test_the_database_and_its_wal_are_made_for_the_owner_only(demo: Path) -> None:
    files = sorted(demo.glob("omnipos.sqlite3*"))
    assert demo / "omnipos.sqlite3" in files
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_the_wal_and_shm_files_take_the_database_s_mode(shop: Path) -> None:
    settings = load_settings(None, overrides=(Override("paths.data_dir", str(shop), "test"),))
    services = build(settings)
    try:
        services.staff.set_pin("3", "2469")  # a write: the WAL is there while open
        wal, shm = shop / "omnipos.sqlite3-wal", shop / "omnipos.sqlite3-shm"
        assert (mode(wal), mode(shm)) == (0o600, 0o600)
    finally:
        services.close()


def test_backups_and_exports_are_made_for_the_owner_only(shop: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        ok(shop, "db", "backup", str(tmp_path / "b.sqlite3"))
        ok(shop, "products", "export", "-o", str(tmp_path / "varer.csv"))
        day = yesterday()
        ok(shop, "saft", "export", "--from", day, "--to", day, "-o", str(tmp_path / "s.xml"))
    finally:
        os.umask(old)
    written = {p.name: mode(p) for p in tmp_path.iterdir() if p.is_file()}
    assert written == {"b.sqlite3": 0o600, "varer.csv": 0o600, "s.xml": 0o600}


def test_with_a_file_group_they_are_0640_and_the_group_s(shop: Path, tmp_path: Path) -> None:
    group = a_group()
    config = str(group_config(tmp_path, group.gr_name))
    out = tmp_path / "out"
    out.mkdir()
    ok(shop, "--config", config, "db", "backup", str(out / "b.sqlite3"))
    ok(shop, "--config", config, "products", "export", "-o", str(out / "varer.csv"))
    day = yesterday()
    ok(shop, "--config", config, "saft", "export", "--from", day, "--to", day,
       "-o", str(out / "s.xml"))  # fmt: skip
    for path in out.iterdir():
        assert (path.name, mode(path), path.stat().st_gid) == (path.name, 0o640, group.gr_gid)
    fresh = tmp_path / "fresh"
    ok(fresh, "--config", config, "init", "--demo", "--demo-days", "0")
    database = fresh / "omnipos.sqlite3"
    assert (mode(database), database.stat().st_gid) == (0o640, group.gr_gid)


def test_an_unknown_file_group_is_a_clear_error(shop: Path, tmp_path: Path) -> None:
    config = str(group_config(tmp_path, "no-such-group-omnipos"))
    result = omnipos(shop, "--config", config, "db", "backup", str(tmp_path / "b.sqlite3"))
    assert result.exit_code == 1
    assert "security.file_group: there is no group 'no-such-group-omnipos'" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.glob("*b.sqlite3*")) == []  # nothing half-written


def test_doctor_warns_about_a_database_others_can_read(shop: Path) -> None:
    database = shop / "omnipos.sqlite3"
    clean = omnipos(shop, "doctor", who=None)
    assert "OK    file modes: database and data files are 0600 or tighter" in clean.stdout
    database.chmod(0o644)
    result = omnipos(shop, "doctor", who=None)
    [warning] = [line for line in result.stdout.splitlines() if f"{database}:" in line]
    assert warning.startswith(f"WARN  file modes: {database}: mode 0644: group ")
    assert warning.endswith(
        "every user of this machine can read or change it; it holds PIN hashes, sales and customers"
    )
    assert f"run 'chmod 600 {database}'" in result.stdout


def test_doctor_says_what_a_pin_guess_costs(shop: Path, shipped_pin_cost: int) -> None:
    result = omnipos(shop, "doctor", who=None)
    [line] = [x for x in result.stdout.splitlines() if "PIN hashes" in x]
    assert "(scrypt N=2^17): every 4-digit PIN in" in line
    assert "require 6 digits (security.pin_min_digits = 6) for" in line


def test_a_shop_can_require_six_digit_pins(shop: Path, tmp_path: Path) -> None:
    config = tmp_path / "six.toml"
    config.write_text("[security]\npin_min_digits = 6\n", encoding="utf-8")
    short = omnipos(shop, "--config", str(config), "employees", "add", "5", "Per",
                    "--new-pin", "1357")  # fmt: skip
    assert short.exit_code == 1
    assert "a new PIN must have at least 6 digits (security.pin_min_digits)" in short.stderr
    # The admin's 4-digit PIN set before still works (they get a new one with set-pin).
    ok(shop, "--config", str(config), "employees", "add", "5", "Per", "--new-pin", "135790",
       who=DEMO_ADMIN)  # fmt: skip
