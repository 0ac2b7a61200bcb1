"""The dispatcher and ``omnipos worker``'s loop on real databases: outcomes and retries,
device rows left to their till, the SQLite lock, the in-process relay, and two workers on
one PostgreSQL database that never handle a row twice."""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ledger_support import open_shop

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected, RuleViolation, StorageError
from omnipos_tui.core.outbox import OutboxMessage, OutboxState
from omnipos_tui.services.outbox.dispatcher import OutboxDispatcher

KIND = "test.post"
FORK = multiprocessing.get_context("fork")


class Recorder:
    """A far end that takes everything and says which id it gave."""

    kind = KIND

    def __init__(self) -> None:
        self.keys: list[str] = []

    def handle(self, message: OutboxMessage) -> str | None:
        self.keys.append(message.key)
        return f"far-{message.key}"


class Scripted:
    """A far end that answers each key as told (an exception to raise, or an id)."""

    kind = KIND

    def __init__(self, answers: dict[str, Exception | str]) -> None:
        self.answers = answers
        self.calls: Counter[str] = Counter()

    def handle(self, message: OutboxMessage) -> str | None:
        self.calls[message.key] += 1
        answer = self.answers.get(message.key, "ok")
        if isinstance(answer, Exception):
            raise answer
        return answer


def _queue(services: Services, *keys: str, kind: str = KIND, **payload: Any) -> None:
    with services.units() as uow:
        uow.outbox.add_all([OutboxMessage(kind, key, dict(payload)) for key in keys])
        uow.commit()


def _row(services: Services, key: str, kind: str = KIND) -> Any:
    with services.units(read_only=True) as uow:
        row = uow.outbox.get(kind, key)
        assert row is not None
        return row, uow.outbox.history(row.id)


def test_the_worker_delivers_each_due_row_once_and_keeps_the_far_ends_id(
    tmp_path: Path,
) -> None:
    services, _ = open_shop(tmp_path)
    recorder = Recorder()
    services.outbox.dispatcher.register(recorder)
    _queue(services, "Z-1-1", "Z-1-2", "Z-1-3")
    report = services.outbox.worker().run(once=True)
    assert (report.done, report.deferred, report.failed) == (3, 0, 0)
    assert recorder.keys == ["Z-1-1", "Z-1-2", "Z-1-3"]
    assert services.outbox.worker().run(once=True).handled == 0
    row, history = _row(services, "Z-1-2")
    assert (row.state, row.far_id, row.attempts) == (OutboxState.DONE, "far-Z-1-2", 1)
    assert [(c.state, c.detail) for c in history] == [
        (OutboxState.WORKING, "claimed"),
        (OutboxState.DONE, "far id far-Z-1-2"),
    ]
    status = services.outbox.status()
    assert [w.stopped_at is not None for w in status.workers] == [True]
    services.close()


def test_a_deferred_row_waits_at_least_what_the_far_end_asked_then_goes_through(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path)
    far = Scripted({"busy": DeliveryDeferred("429 Too Many Requests", retry_after=120)})
    services.outbox.dispatcher.register(far)
    _queue(services, "busy", "fine")
    report = services.outbox.dispatcher.drain()
    assert (report.done, report.deferred) == (1, 1)
    [failure] = report.errors
    assert (failure.key, failure.final, failure.error.detail) == (
        "busy",
        False,
        "429 Too Many Requests",
    )
    row, _ = _row(services, "busy")
    assert row.state is OutboxState.PENDING and row.last_error == "429 Too Many Requests"
    assert row.available_at >= clock.now() + timedelta(seconds=120)
    clock.advance(timedelta(seconds=119))
    assert services.outbox.dispatcher.drain().handled == 0
    far.answers["busy"] = "far-7"
    clock.advance(row.available_at - clock.now())
    assert services.outbox.dispatcher.drain().done == 1
    row, history = _row(services, "busy")
    assert (row.state, row.far_id, row.attempts, row.last_error) == (
        OutboxState.DONE,
        "far-7",
        2,
        "",
    )
    assert [c.state for c in history] == [
        OutboxState.WORKING,
        OutboxState.PENDING,
        OutboxState.WORKING,
        OutboxState.DONE,
    ]
    services.close()


def test_rows_claimed_by_a_worker_that_was_killed_go_out_when_the_next_one_starts(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path)
    recorder = Recorder()
    services.outbox.dispatcher.register(recorder)
    _queue(services, "dead", "alive", "till")
    ended = subprocess.Popen(["true"])
    ended.wait()
    running = subprocess.Popen(["sleep", "60"])
    host = socket.gethostname()
    try:
        for key, by in (("dead", f"{host}:{ended.pid}"), ("alive", f"{host}:{running.pid}")):
            with services.units() as uow:
                uow.outbox.claim(
                    owner="", kinds=[KIND], now=clock.now(),
                    lease_until=clock.now() + timedelta(minutes=5), by=by, limit=1, keys=[key],
                )  # fmt: skip
                uow.commit()
        with services.units() as uow:
            uow.outbox.claim(
                owner="", kinds=[KIND], now=clock.now(),
                lease_until=clock.now() + timedelta(minutes=5), by="till 1", limit=1,
                keys=["till"],
            )  # fmt: skip
            uow.commit()
        assert services.outbox.worker().run(once=True).done == 1
        assert recorder.keys == ["dead"]  # not five minutes later: at once
        assert _row(services, "alive")[0].state is OutboxState.WORKING  # its owner runs
        assert _row(services, "till")[0].state is OutboxState.WORKING
        row, history = _row(services, "dead")
        assert row.state is OutboxState.DONE
        assert f"{host}:{ended.pid} is gone" in history[1].detail
    finally:
        running.kill()
        running.wait()
    services.close()


def test_a_rejected_row_stops_as_failed_with_the_far_ends_words_until_retried(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path)
    far = Scripted({"bad": DeliveryRejected("422 account 3000 does not exist")})
    services.outbox.dispatcher.register(far)
    _queue(services, "bad")
    assert services.outbox.dispatcher.drain().failed == 1
    clock.advance(timedelta(days=1))
    assert services.outbox.dispatcher.drain().handled == 0
    row, _ = _row(services, "bad")
    assert (row.state, row.last_error) == (OutboxState.FAILED, "422 account 3000 does not exist")
    [kind] = services.outbox.status().kinds
    assert kind.last_error == "422 account 3000 does not exist"
    far.answers["bad"] = "far-1"  # the account was created
    assert services.outbox.retry("bad") == 1
    assert services.outbox.dispatcher.drain().done == 1
    assert far.calls["bad"] == 2
    services.close()


def test_a_row_deferred_too_often_stops_as_failed(tmp_path: Path) -> None:
    services, clock = open_shop(tmp_path)
    dispatcher = OutboxDispatcher(services.units, clock, by="t", max_attempts=3, jitter=lambda: 0.0)
    dispatcher.register(Scripted({"down": DeliveryDeferred("503 Service Unavailable")}))
    _queue(services, "down")
    for _ in range(3):
        dispatcher.drain()
        clock.advance(timedelta(hours=2))
    row, _ = _row(services, "down")
    assert row.state is OutboxState.FAILED
    assert row.last_error == "gave up after 3 attempts: 503 Service Unavailable"
    services.close()


def test_a_handler_that_crashes_is_tried_again_later_and_the_others_still_go(
    tmp_path: Path,
) -> None:
    services, _ = open_shop(tmp_path)
    services.outbox.dispatcher.register(Scripted({"bug": ZeroDivisionError("division by zero")}))
    _queue(services, "bug", "next")
    report = services.outbox.dispatcher.drain()
    assert (report.done, report.deferred) == (1, 1)
    row, _ = _row(services, "bug")
    assert row.state is OutboxState.PENDING
    assert row.last_error == "handler error: ZeroDivisionError: division by zero"
    services.close()


def test_device_rows_are_never_taken_by_a_worker_even_with_a_handler_for_them(
    tmp_path: Path,
) -> None:
    services, _ = open_shop(tmp_path)

    class Printer(Recorder):
        kind = "device.receipt"

    printer = Printer()
    services.outbox.dispatcher.register(printer)
    _queue(services, "1-1", kind="device.receipt", register_id="1")
    assert services.outbox.worker().run(once=True).handled == 0
    assert printer.keys == []
    row, history = _row(services, "1-1", kind="device.receipt")
    assert (row.state, row.owner, history) == (OutboxState.PENDING, "1", [])
    # Only the register's own till delivers it.
    assert services.outbox.dispatcher.deliver_owned("2").handled == 0
    assert services.outbox.dispatcher.deliver_owned("1").done == 1
    assert printer.keys == ["1-1"]
    services.close()


def test_a_second_worker_on_one_sqlite_database_is_refused_with_a_clear_message(
    tmp_path: Path,
) -> None:
    services, _ = open_shop(tmp_path)
    running = services.outbox.worker(poll_s=0.05)
    thread = threading.Thread(target=running.run)
    thread.start()
    try:
        other, _ = open_shop(tmp_path, initialise=False)
        for _ in range(500):  # until the first one holds the lock
            if other.outbox.status().running:
                break
            time.sleep(0.01)
        with pytest.raises(RuleViolation) as refused:
            other.outbox.worker().run(once=True)
    finally:
        running.stop()
        thread.join(timeout=30)
    text = str(refused.value)
    assert "another omnipos worker is running" in text
    assert str(tmp_path / "omnipos.sqlite3") in text
    assert f"{running.dispatcher.by} since" in text  # who holds it
    assert other.outbox.worker().run(once=True).handled == 0  # free again
    other.close()
    services.close()


def test_the_in_process_relay_delivers_a_message_right_after_its_commit(tmp_path: Path) -> None:
    services, _ = open_shop(tmp_path)
    recorder = Recorder()
    services.outbox.dispatcher.register(recorder)
    services.own_devices("1")  # a till: the relay runs
    _queue(services, "Z-1-9")
    row = None
    for _ in range(500):
        row, _history = _row(services, "Z-1-9")
        if row.state is OutboxState.DONE:
            break
        time.sleep(0.01)
    assert row is not None and row.state is OutboxState.DONE
    assert recorder.keys == ["Z-1-9"]
    services.close()


def test_a_worker_on_an_unreachable_database_says_so(tmp_path: Path) -> None:
    services, _ = open_shop(tmp_path, url="postgresql://nobody@127.0.0.1:1/none", initialise=False)
    with pytest.raises(StorageError):
        services.outbox.worker().run(once=True)
    services.close()


# --- two workers on PostgreSQL ------------------------------------------------------------

ROWS = 1000


class SlowFile:
    """A far end that writes each key it is given to its own file (slowly enough for two
    workers to interleave)."""

    kind = KIND

    def __init__(self, path: Path) -> None:
        self.path = path

    def handle(self, message: OutboxMessage) -> str | None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(message.key + "\n")
        time.sleep(0.0005)
        return None


def _worker_child(data_dir: Path, url: str, out: Path, go: Any) -> None:
    try:
        services, _ = open_shop(data_dir, url=url, initialise=False, clock=FixedClock())
        services.outbox.dispatcher.register(SlowFile(out))
        go.wait(30)
        services.outbox.dispatcher.drain(limit=7)
        services.close()
        os._exit(0)
    finally:
        os._exit(1)


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_on_one_postgresql_database_handle_each_of_1000_rows_once(
    tmp_path: Path, pg_url: str
) -> None:
    services, _ = open_shop(tmp_path, url=pg_url, clock=FixedClock())
    _queue(services, *(f"K-{n:04d}" for n in range(ROWS)))
    services.close()
    go = FORK.Event()
    outs = [tmp_path / "worker-a.txt", tmp_path / "worker-b.txt"]
    workers = [
        FORK.Process(target=_worker_child, args=(tmp_path, pg_url, out, go), daemon=True)
        for out in outs
    ]
    for worker in workers:
        worker.start()
    go.set()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    handled = [out.read_text().split() if out.exists() else [] for out in outs]
    everything = Counter(key for keys in handled for key in keys)
    assert len(everything) == ROWS
    assert set(everything.values()) == {1}, "a row was handled twice"
    assert all(handled), "one worker did everything: nothing ran side by side"
    again, _ = open_shop(tmp_path, url=pg_url, initialise=False)
    [kind] = again.outbox.status().kinds
    assert kind.counts[OutboxState.DONE] == ROWS
    with again.units(read_only=True) as uow:
        rows = [uow.outbox.get(KIND, f"K-{n:04d}") for n in range(0, ROWS, 97)]
        claims = [
            sum(1 for c in uow.outbox.history(r.id) if c.state is OutboxState.WORKING)
            for r in rows
            if r is not None
        ]
    assert claims == [1] * len(claims)
    again.close()


def test_a_worker_asked_to_stop_finishes_the_rows_in_hand_and_leaves_the_rest(
    tmp_path: Path,
) -> None:
    services, _ = open_shop(tmp_path)
    loop = services.outbox.worker()

    class StopsTheWorker(Recorder):
        def handle(self, message: OutboxMessage) -> str | None:
            loop.stop()  # SIGTERM arrives while the first batch is delivered
            return super().handle(message)

    handler = StopsTheWorker()
    services.outbox.dispatcher.register(handler)
    _queue(services, *(f"K-{n}" for n in range(30)))
    report = loop.run()
    assert report.done == len(handler.keys) == 20  # one batch, none cut off
    [kind] = services.outbox.status().kinds
    assert kind.counts[OutboxState.PENDING] == 10
    assert kind.counts[OutboxState.WORKING] == 0
    services.close()
