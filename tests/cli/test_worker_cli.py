"""``omnipos worker``, ``worker status``, ``worker retry`` and what ``doctor`` says about the
outbox, through the real command line on the demo shop."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_support import demo_shop, isolate, ok, omnipos

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.outbox import OutboxMessage, OutboxState, Settlement
from omnipos_tui.settings import PathSettings, Settings

Z = OutboxMessage("accounting.settlement", "Z-1-1", {"register": "1", "z": 1})
RECEIPT = OutboxMessage("device.receipt", "1-17", {"register_id": "1", "receipt_id": "1-17"})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, root / "home")
        demo_shop(root / "data")
    return root / "data"


@pytest.fixture
def shop(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path / "home")
    copy = tmp_path / "shop"
    shutil.copytree(demo, copy)
    return copy


def _services(data_dir: Path, *, ago: timedelta = timedelta(0)) -> Services:
    clock = FixedClock(datetime.now(UTC) - ago)
    return build(Settings(paths=PathSettings(data_dir=str(data_dir))), clock=clock)


def _queue(data_dir: Path, *messages: OutboxMessage, ago: timedelta = timedelta(0)) -> None:
    services = _services(data_dir, ago=ago)
    with services.units() as uow:
        uow.outbox.add_all(messages)
        uow.commit()
    services.close()


def _fail(data_dir: Path, message: OutboxMessage, why: str) -> None:
    services = _services(data_dir)
    now = services.clock.now()
    with services.units() as uow:
        [row] = uow.outbox.claim(
            owner="", kinds={message.kind}, now=now, lease_until=now, by="test", limit=1
        )
        uow.outbox.settle([Settlement(row.id, OutboxState.FAILED, detail=why)], at=now, by="test")
        uow.commit()
    services.close()


def _doctor_outbox(data_dir: Path) -> list[dict[str, str]]:
    result = omnipos(data_dir, "doctor", "--json")
    findings = json.loads(result.stdout)["findings"]
    return [f for f in findings if f["topic"] == "outbox"]


def test_status_shows_each_kind_with_counts_who_delivers_it_and_no_worker(shop: Path) -> None:
    _queue(shop, Z, RECEIPT)
    report = json.loads(ok(shop, "worker", "status", "--json").stdout)
    kinds = {k["kind"]: k for k in report["kinds"]}
    assert kinds["accounting.settlement"]["counts"] == {
        "pending": 1, "working": 0, "done": 0, "failed": 0
    }  # fmt: skip
    assert kinds["accounting.settlement"]["delivered_by"] == "worker"
    assert (kinds["device.receipt"]["delivered_by"], kinds["device.receipt"]["owners"]) == (
        "till",
        ["1"],
    )
    assert kinds["device.receipt"]["oldest_pending"] is not None
    assert report["running"] == []
    text = ok(shop, "worker", "status").stdout
    assert "accounting.settlement" in text and "till 1" in text
    assert "no worker is running" in text


def test_an_empty_outbox_says_so(shop: Path) -> None:
    text = ok(shop, "worker", "status").stdout
    assert "The outbox is empty." in text


def test_worker_once_drains_and_says_what_it_did_and_that_no_kind_is_configured(
    shop: Path,
) -> None:
    _queue(shop, Z)
    result = ok(shop, "worker", "--once")
    assert "delivered 0, deferred 0, failed 0" in result.stdout
    assert "no outbox kinds are configured for the worker" in result.stdout
    # The run left its heartbeat, stopped.
    [beat] = json.loads(ok(shop, "worker", "status", "--json").stdout)["workers"]
    assert beat["stopped_at"] is not None


def test_retry_puts_a_failed_message_back_in_line(shop: Path) -> None:
    _queue(shop, Z)
    _fail(shop, Z, "422 account 3000 does not exist")
    report = json.loads(ok(shop, "worker", "status", "--json").stdout)
    [kind] = report["kinds"]
    assert kind["counts"]["failed"] == 1
    assert kind["last_error"] == "422 account 3000 does not exist"
    assert "0 failed message(s) with key Z-9-9" in ok(shop, "worker", "retry", "Z-9-9").stdout
    assert (
        "1 failed message(s) with key Z-1-1 put back" in ok(shop, "worker", "retry", "Z-1-1").stdout
    )
    [kind] = json.loads(ok(shop, "worker", "status", "--json").stdout)["kinds"]
    assert (kind["counts"]["failed"], kind["counts"]["pending"]) == (0, 1)


def test_a_second_worker_on_the_sqlite_database_is_refused_with_a_clear_message(
    shop: Path,
) -> None:
    services = _services(shop)
    first = services.outbox.worker(poll_s=0.05)
    thread = threading.Thread(target=first.run)
    thread.start()
    try:
        for _ in range(500):
            if services.outbox.status().running:
                break
            time.sleep(0.01)
        result = omnipos(shop, "worker", "--once")
    finally:
        first.stop()
        thread.join(timeout=30)
        services.close()
    assert result.exit_code == 1
    assert "another omnipos worker is running on" in result.stderr
    assert "only one worker runs at a time" in result.stderr
    assert "Traceback" not in result.output


def test_doctor_is_content_with_an_outbox_that_has_nothing_waiting(shop: Path) -> None:
    [finding] = _doctor_outbox(shop)
    assert finding["level"] == "OK"
    assert "nothing late or failed" in finding["text"]


def test_doctor_warns_of_messages_waiting_for_a_worker_that_is_not_running(shop: Path) -> None:
    _queue(shop, Z)
    [finding] = _doctor_outbox(shop)
    assert finding["level"] == "WARN"
    assert "no worker is running and 1 message(s) wait for one" in finding["text"]
    assert "omnipos-worker" in finding["fix"]


def test_doctor_warns_of_a_backlog_and_of_failed_messages(shop: Path) -> None:
    _queue(shop, RECEIPT, ago=timedelta(hours=1))
    _queue(shop, Z)
    _fail(shop, Z, "401 token expired")
    texts = [(f["level"], f["text"], f["fix"]) for f in _doctor_outbox(shop)]
    assert {level for level, _, _ in texts} == {"WARN"}
    assert any(
        "device.receipt: 1 waiting for the till of register 1" in text and "start the till" in fix
        for _, text, fix in texts
    ), texts
    assert any(
        "accounting.settlement: 1 failed (401 token expired)" in text and "worker retry" in fix
        for _, text, fix in texts
    ), texts


def test_the_long_running_worker_lowers_its_own_priority_below_the_tills(shop: Path) -> None:
    command = [str(Path(sys.executable).parent / "omnipos"), "--data-dir", str(shop), "worker"]
    worker = subprocess.Popen(
        [*command, "--poll", "0.1"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        assert worker.stderr is not None
        started = worker.stderr.readline()  # printed after it lowered its priority
        niceness = os.getpriority(os.PRIO_PROCESS, worker.pid)
    finally:
        worker.terminate()
        worker.wait(30)
    assert "at nice" in started
    assert niceness == max(os.nice(0), 10)  # the till keeps its own (0 on a till)
    assert worker.returncode == 0
