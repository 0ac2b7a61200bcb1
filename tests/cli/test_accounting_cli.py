"""``omnipos accounting`` on the demo shop with the file adapter: every Z report's voucher is
queued in the Z's own commit, the worker books each exactly once (a file that is there
already is found, not written again), and status, preview, retry and export show it."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_support import DEMO_CASHIER, DEMO_MANAGER, isolate, ok, ok_json, omnipos

from omnipos_tui.bootstrap import build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.outbox import OutboxState, Settlement
from omnipos_tui.settings import AccountingSettings, PathSettings, Settings

FILE = {"OMNIPOS_ACCOUNTING__KIND": "file"}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``omnipos init --demo`` with the file adapter: three days, three Z reports."""
    data_dir = tmp_path_factory.mktemp("accounting") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data_dir.parent)
        patch.setenv("OMNIPOS_ACCOUNTING__KIND", "file")
        ok(data_dir, "init", "--demo")
    return data_dir


@pytest.fixture
def shop(history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("OMNIPOS_ACCOUNTING__KIND", "file")
    return Path(shutil.copytree(history, tmp_path / "data"))


def _z_reports(data_dir: Path) -> dict[str, dict[str, object]]:
    events = ok_json(data_dir, "journal", "show", "--code", "ZREPORT")
    reports = [e["payload"]["report"] for e in events]
    return {f"Z-{r['register_id']}-{r['report_no']}": r for r in reports}


def test_the_demos_z_reports_are_booked_once_each_as_a_file(shop: Path) -> None:
    zs = _z_reports(shop)
    assert len(zs) == 3
    booked = ok_json(shop, "accounting", "status")
    assert [v["key"] for v in booked] == ["Z-1-1", "Z-1-2", "Z-1-3"] and set(zs) == {
        v["key"] for v in booked
    }
    for v in booked:
        assert (v["state"], v["tries"], v["last_error"]) == ("done", 1, None)
        assert v["remote_id"] == f"{v['key']}.csv"
        assert (shop / "accounting" / v["remote_id"]).stat().st_mode & 0o777 == 0o600
        rows = list(csv.DictReader((shop / "accounting" / v["remote_id"]).open(), delimiter=";"))
        debit = sum(round(float(r["debit"]) * 100) for r in rows)
        credit = sum(round(float(r["credit"]) * 100) for r in rows)
        assert debit == credit > 0
        assert {r["voucher"] for r in rows} == {v["key"]}
    text = ok(shop, "accounting", "status").stdout
    assert "Z-1-1" in text and "done" in text


def _z_now(shop: Path) -> dict[str, object]:
    """Take today's Z (no relay in the CLI: the voucher waits for the worker)."""
    ok(shop, "reports", "z", "--counted", "0")
    return {v["key"]: v for v in ok_json(shop, "accounting", "status")}["Z-1-4"]  # type: ignore[no-any-return]


def test_a_z_taken_now_queues_its_voucher_in_its_own_commit_and_the_worker_books_it(
    shop: Path,
) -> None:
    queued = _z_now(shop)
    assert (queued["state"], queued["tries"], queued["remote_id"]) == ("pending", 0, None)
    ok(shop, "worker", "--once")
    booked = {v["key"]: v for v in ok_json(shop, "accounting", "status")}["Z-1-4"]
    assert (booked["state"], booked["remote_id"]) == ("done", "Z-1-4.csv")
    assert (shop / "accounting" / "Z-1-4.csv").is_file()


def test_preview_json_is_the_voucher_with_the_zs_revenue_and_vat_per_rate(shop: Path) -> None:
    zs = _z_reports(shop)
    for key, report in zs.items():
        voucher = ok_json(shop, "accounting", "preview", "--z", key)
        assert voucher["key"] == key and voucher["balanced"] is True
        assert voucher["date"] == report["business_day"]
        lines = voucher["lines"]
        assert all(
            {"account", "debit", "credit", "vat_code", "description"} <= set(line) for line in lines
        )
        assert sum(x["debit"] for x in lines) == sum(x["credit"] for x in lines)
        for rate in report["vat"]:  # type: ignore[attr-defined]
            code = rate["vat_code"]
            revenue = sum(x["credit"] - x["debit"] for x in lines
                          if x["vat_code"] == code and x["kind"] != "vat")  # fmt: skip
            vat = sum(x["credit"] - x["debit"] for x in lines
                      if x["vat_code"] == code and x["kind"] == "vat")  # fmt: skip
            assert (revenue, vat) == (rate["basis"], rate["vat"]), key
    table = ok(shop, "accounting", "preview", "--z", "Z-1-1").stdout
    assert "3000" in table and "Sum" in table and "booked as Z-1-1.csv" in table


def test_a_voucher_booked_before_a_crash_is_found_and_not_written_again(shop: Path) -> None:
    _z_now(shop)
    folder = shop / "accounting"
    (folder / "Z-1-4.csv").write_text("booked before the crash\n", encoding="utf-8")
    ok(shop, "worker", "--once")
    assert (folder / "Z-1-4.csv").read_text(encoding="utf-8") == "booked before the crash\n"
    by_key = {v["key"]: v for v in ok_json(shop, "accounting", "status")}
    assert by_key["Z-1-4"]["state"] == "done" and by_key["Z-1-4"]["remote_id"] == "Z-1-4.csv"


def test_a_folder_that_cannot_be_written_leaves_the_voucher_waiting_with_the_error(
    shop: Path,
) -> None:
    _z_now(shop)
    shutil.rmtree(shop / "accounting")
    (shop / "accounting").write_text("not a folder", encoding="utf-8")
    ok(shop, "worker", "--once")
    waiting = {v["key"]: v for v in ok_json(shop, "accounting", "status")}["Z-1-4"]
    assert waiting["state"] == "pending" and waiting["tries"] == 1
    assert "cannot write" in waiting["last_error"]


def test_retry_puts_a_failed_voucher_back_in_line_and_names_an_unknown_key(shop: Path) -> None:
    _z_now(shop)
    settings = Settings(
        paths=PathSettings(data_dir=str(shop)), accounting=AccountingSettings(kind="file")
    )
    app = build(settings, clock=FixedClock(datetime.now(UTC)))
    now = app.clock.now()
    with app.units() as uow:
        rows = uow.outbox.claim(
            owner="", kinds={"accounting.settlement"}, now=now, lease_until=now, by="t", limit=1
        )
        failed = Settlement(rows[0].id, OutboxState.FAILED, detail="422 konto 1940 finnes ikke")
        uow.outbox.settle([failed], at=now, by="t")
        uow.commit()
    app.close()
    before = {v["key"]: v for v in ok_json(shop, "accounting", "status")}
    assert before["Z-1-4"]["state"] == "failed"
    assert before["Z-1-4"]["last_error"] == "422 konto 1940 finnes ikke"
    nobody = omnipos(shop, "accounting", "retry", "Z-1-4", who=None)
    assert nobody.exit_code != 0 and "--employee" in nobody.output
    cashier = omnipos(shop, "accounting", "retry", "Z-1-4", who=DEMO_CASHIER)
    assert cashier.exit_code != 0  # a manager's job
    wrong = omnipos(shop, "accounting", "retry", "Z-1-4", who=(DEMO_MANAGER[0], "0000"))
    assert wrong.exit_code != 0
    retried = ok(shop, "accounting", "retry", "Z-1-4", who=DEMO_MANAGER)
    assert "1 failed voucher(s) Z-1-4" in retried.stdout
    after = {v["key"]: v for v in ok_json(shop, "accounting", "status")}
    assert after["Z-1-4"]["state"] == "pending"
    unknown = omnipos(shop, "accounting", "retry", "Z-9-9", who=DEMO_MANAGER)
    assert unknown.exit_code != 0 and "Z-9-9" in unknown.output


def test_preview_of_a_z_that_does_not_exist_says_how_to_write_the_key(shop: Path) -> None:
    missing = omnipos(shop, "accounting", "preview", "--z", "Z-1-99")
    assert missing.exit_code != 0 and "Z-1-99" in missing.output
    wrong = omnipos(shop, "accounting", "preview", "--z", "42")
    assert wrong.exit_code != 0 and "Z-<register>-<number>" in wrong.output


def test_export_csv_writes_every_voucher_of_the_period(shop: Path, tmp_path: Path) -> None:
    days = sorted(str(r["business_day"]) for r in _z_reports(shop).values())
    out = tmp_path / "vouchers.csv"
    result = ok(shop, "accounting", "export", "--from", days[0], "--to", days[-1], "-o", str(out))
    assert "3 voucher(s)" in result.stdout
    rows = list(csv.DictReader(out.open(), delimiter=";"))
    assert {r["voucher"] for r in rows} == {"Z-1-1", "Z-1-2", "Z-1-3"}


def _accounting_finding(shop: Path) -> dict[str, str]:
    # No simulated devices here: doctor fails on them; only its accounting line matters.
    report = json.loads(omnipos(shop, "doctor", "--json").stdout)
    [line] = [f for f in report["findings"] if f["topic"] == "accounting"]
    return line  # type: ignore[no-any-return]


def test_doctor_shows_the_backlog_and_the_last_error(shop: Path) -> None:
    line = _accounting_finding(shop)
    assert line["level"] == "OK" and "3 voucher(s) booked, 0 waiting" in line["text"]
    _z_now(shop)
    shutil.rmtree(shop / "accounting")
    (shop / "accounting").write_text("not a folder", encoding="utf-8")
    ok(shop, "worker", "--once")
    line = _accounting_finding(shop)
    assert line["level"] == "WARN" and "1 waiting (oldest Z-1-4)" in line["text"]
    assert "last error Z-1-4: cannot write" in line["text"]


def test_webshop_settle_queues_only_with_a_manager_s_pin_and_preview_needs_none(
    shop: Path,
) -> None:
    day = min(
        o["created_at"][:10]
        for o in ok_json(shop, "orders", "list", who=None)
        if o["channel"] == "web"
    )
    preview = ok_json(shop, "webshop", "settle", "--day", day, "--preview", who=None)
    assert preview is not None
    for who, message in (
        (None, "omnipos webshop settle changes data: give --employee NUMBER"),
        (DEMO_CASHIER, "Kari is cashier; manager needed"),
    ):
        refused = omnipos(shop, "webshop", "settle", "--day", day, "--json", who=who)
        assert refused.exit_code == 1
        assert message in refused.stderr
    queued = ok_json(shop, "webshop", "settle", "--day", day, who=DEMO_MANAGER)
    assert queued == {"day": day, "queued": preview["key"]}
