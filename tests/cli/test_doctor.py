"""``omnipos doctor``: all green on the demo shop; every kind of trouble named with its fix
and a non-zero exit code."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hw_support import SIMULATED, demo_shop, device_config, isolate, live_state, omnipos

import omnipos_tui.services.shop.doctor as doctor_module
from omnipos_tui.bootstrap import build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.services.shop.doctor import Finding, Level
from omnipos_tui.storage.append_only import trigger_name


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop with its days of signed history, made once for this module."""
    root = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, root / "home")
        demo_shop(SIMULATED, root / "data", days=2)
    return root / "data"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path / "home")


@pytest.fixture
def shop(demo: Path, tmp_path: Path) -> Path:
    """A copy of the demo shop this test may change."""
    copy = tmp_path / "shop"
    shutil.copytree(demo, copy)
    return copy


def lines(output: str) -> list[str]:
    """The finding lines (OK/WARN/FAIL ...), without the fix lines and the summary."""
    return [line for line in output.splitlines() if line.split(" ", 1)[0] in Level.__members__]


def test_doctor_on_the_demo_shop_reports_all_green(demo: Path) -> None:
    result = omnipos(SIMULATED, demo, "doctor")

    assert result.exit_code == 0, result.output
    found = lines(result.stdout)
    assert found, result.stdout
    assert all(line.startswith("OK ") for line in found), result.stdout
    topics = [line.split(maxsplit=1)[1].split(":", 1)[0] for line in found]
    for expected in (
        "configuration",
        "database",
        "append-only triggers",
        "hash chain (register 1)",
        "signature chain (register 1)",
        "signing key",
        "printer 'receipt' (simulated)",
        "drawer (simulated)",
        "terminal (simulated)",
        "scanner (simulated)",
        "display (simulated)",
        "disk",
        "time zone",
        "clock",
    ):
        assert expected in topics, (expected, topics)
    assert "signed transactions verify" in result.stdout
    assert result.stdout.rstrip().endswith("all checks passed")


def test_doctor_json_lists_every_finding(demo: Path) -> None:
    result = omnipos(SIMULATED, demo, "doctor", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert {f["level"] for f in report["findings"]} == {"OK"}
    assert any(f["topic"] == "printer 'receipt' (simulated)" for f in report["findings"])


def test_a_wrong_serial_port_names_the_device_and_the_fix_and_fails(
    demo: Path, tmp_path: Path
) -> None:
    config = device_config(
        tmp_path / "nope.toml", printer={"kind": "escpos-serial", "port": "/dev/ttyNOPE"}
    )

    result = omnipos(config, demo, "doctor")

    assert result.exit_code == 1
    out = result.stdout.splitlines()
    failing = [i for i, line in enumerate(out) if line.startswith("FAIL")]
    assert len(failing) == 1, result.stdout
    line = out[failing[0]]
    assert line.startswith("FAIL  printer 'receipt' (escpos-serial, /dev/ttyNOPE): ")
    assert "serial port /dev/ttyNOPE not found" in line
    assert out[failing[0] + 1].startswith("      fix: check the cable and power, then the port")
    assert "[devices.printer]" in out[failing[0] + 1]
    assert "OK    clock" in result.stdout  # the later checks still ran
    assert "1 failed, 0 warning(s)" in result.stdout


def test_an_invalid_configuration_is_one_failure_naming_key_and_line(
    demo: Path, tmp_path: Path
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[devices.printer]\nkind = "simulated"\nhost = "x"\n', encoding="utf-8")

    result = omnipos(config, demo, "doctor")

    assert result.exit_code == 1
    [line] = lines(result.stdout)
    assert line.startswith(f"FAIL  configuration: {config} line 3: devices.printer.host")
    assert "fix: correct the file" in result.stdout


def test_a_data_directory_without_a_shop_says_to_run_init_and_creates_nothing(
    tmp_path: Path,
) -> None:
    data = tmp_path / "empty"

    result = omnipos(SIMULATED, data, "doctor")

    assert result.exit_code == 1
    assert "FAIL  database: sqlite" in result.stdout
    assert "is not set up" in result.stdout
    assert "fix: run 'omnipos init'" in result.stdout
    assert "FAIL  signing key: no signing key" in result.stdout
    assert "signature chain" not in result.stdout
    assert not (data / "omnipos.sqlite3").exists()


def test_a_key_file_readable_by_others_fails_with_the_chmod_fix(shop: Path) -> None:
    [key] = (shop / "keys").iterdir()
    key.chmod(0o644)

    result = omnipos(SIMULATED, shop, "doctor")

    assert result.exit_code == 1
    [line] = [x for x in lines(result.stdout) if "signing key" in x]
    assert line.startswith("FAIL")
    assert f"chmod 600 {key}" in line


def test_a_dropped_trigger_and_a_changed_total_are_both_reported(shop: Path) -> None:
    with sqlite3.connect(shop / "omnipos.sqlite3") as raw:
        raw.execute(f'DROP TRIGGER "{trigger_name("cash_transaction", "update")}"')
        changed = raw.execute(
            "UPDATE cash_transaction SET total = total + 100 WHERE trans_id = '1-2'"
        )
        assert changed.rowcount == 1
    raw.close()

    result = omnipos(SIMULATED, shop, "doctor")

    assert result.exit_code == 1
    assert "FAIL  append-only triggers: missing: cash_transaction: update" in result.stdout
    assert "fix: run 'omnipos db migrate' to re-create them" in result.stdout
    assert "FAIL  signature chain (register 1): broken at transaction 2 (1-2)" in result.stdout


def test_a_changed_employee_on_a_sale_fails_the_hash_chain_naming_the_transaction(
    shop: Path,
) -> None:
    with sqlite3.connect(shop / "omnipos.sqlite3") as raw:
        raw.execute(f'DROP TRIGGER "{trigger_name("cash_transaction", "update")}"')
        raw.execute("UPDATE cash_transaction SET employee = '2' WHERE trans_id = '1-2'")
    raw.close()
    assert omnipos(SIMULATED, shop, "db", "migrate").exit_code == 0  # the trigger back

    result = omnipos(SIMULATED, shop, "doctor")

    assert result.exit_code == 1
    assert "OK    signature chain (register 1)" in result.stdout  # the signed fields hold
    assert "FAIL  hash chain (register 1): transaction 1-2: transaction 1-2 (nr 2) was changed" in (
        result.stdout
    )


def test_an_unreachable_database_fails_but_devices_and_clock_are_still_checked(
    tmp_path: Path,
) -> None:
    result = omnipos(
        SIMULATED, tmp_path / "data", "--db-url", "postgresql://nobody@127.0.0.1:1/none", "doctor"
    )

    assert result.exit_code == 1
    assert "FAIL  database server: does not answer: cannot open the database" in result.stdout
    assert "fix: start the PostgreSQL server" in result.stdout
    assert "OK    printer 'receipt'" in result.stdout
    assert "OK    clock" in result.stdout


def _run(data: Path, clock: FixedClock) -> list[Finding]:
    settings = live_state(SIMULATED, data).settings
    services = build(settings, clock=clock)
    try:
        return list(services.doctor.run())
    finally:
        services.close()


def test_a_clock_behind_the_journal_is_a_failure(demo: Path) -> None:
    findings = _run(demo, FixedClock(datetime.now(UTC) - timedelta(days=5)))

    [clock] = [f for f in findings if str(f.topic) == "clock"]
    assert clock.level is Level.FAIL
    assert "the clock went back" in str(clock.text)
    assert "timedatectl" in str(clock.fix)


def test_a_clock_that_was_never_set_is_a_failure(demo: Path) -> None:
    findings = _run(demo, FixedClock(datetime(2001, 1, 1, tzinfo=UTC)))

    [clock] = [f for f in findings if str(f.topic) == "clock"]
    assert clock.level is Level.FAIL
    assert "2001-01-01" in str(clock.text)
    assert "it is not set" in str(clock.text)


def test_little_free_disk_is_a_warning_that_does_not_fail(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doctor_module, "DISK_WARN_BYTES", 1 << 62)

    result = omnipos(SIMULATED, demo, "doctor")

    assert result.exit_code == 0, result.output
    assert "WARN  disk:" in result.stdout
    assert "fix: free some space soon" in result.stdout
    assert "0 failed, 1 warning(s)" in result.stdout


def test_a_key_map_the_till_refuses_fails_the_doctor_too(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10, item 9: the doctor said all was well on a key map the till will not start on."""
    monkeypatch.setenv("OMNIPOS_TILL__KEYMAP", "shopp")

    result = omnipos(SIMULATED, demo, "doctor")

    assert result.exit_code == 1, result.output
    assert "FAIL  till start: till.keymap: no key map file" in result.stdout
    assert "shopp.toml" in result.stdout
    assert "fix: set [till] keymap to one of: default" in result.stdout


def test_a_register_the_shop_does_not_have_fails_the_doctor(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNIPOS_SHOP__REGISTER_ID", "7")

    result = omnipos(SIMULATED, demo, "doctor")

    assert result.exit_code == 1, result.output
    assert "FAIL  till start: this till is register 7, which the shop does not have" in (
        result.stdout
    )
    assert "fix: omnipos registers add 7 NAME" in result.stdout


def test_another_registers_broken_signature_chain_fails_the_doctor(shop: Path) -> None:
    """Issue 10, item 9: the doctor verified only its own register's signatures."""
    until = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    seeded = omnipos(
        SIMULATED, shop, "demo", "seed", "--register", "2", "--days", "1",
        "--sales-per-day", "3", "--until", until,
    )  # fmt: skip
    assert seeded.exit_code == 0, seeded.output
    with sqlite3.connect(shop / "omnipos.sqlite3") as raw:
        # Register 2's recorded public key swapped for register 1's (outside the hash chain).
        raw.execute(f'DROP TRIGGER "{trigger_name("signing_key", "update")}"')
        raw.execute(
            "UPDATE signing_key SET "
            "public_pem = (SELECT public_pem FROM signing_key WHERE register_id = '1'), "
            "fingerprint = (SELECT fingerprint FROM signing_key WHERE register_id = '1') "
            "WHERE register_id = '2'"
        )
    raw.close()
    assert omnipos(SIMULATED, shop, "db", "migrate").exit_code == 0  # the trigger back

    result = omnipos(SIMULATED, shop, "doctor")

    assert result.exit_code == 1, result.output
    assert "OK    signature chain (register 1)" in result.stdout
    assert "FAIL  signature chain (register 2): broken at transaction 1 (2-1)" in result.stdout
