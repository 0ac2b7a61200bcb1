"""The outbox tables on both engines: one row per (kind, key), written in the use case's own
transaction; never deleted; every state change kept; claims, outcomes and retries."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import AppendOnlyViolation, Conflict, RuleViolation
from omnipos_tui.core.outbox import OutboxMessage, OutboxState, Settlement
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.store import Store

LEASE = timedelta(minutes=5)
Z = OutboxMessage("accounting.settlement", "Z-1-42", {"register": "1", "z": 42, "total": 1250})


def _add(store: Store, *messages: OutboxMessage) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.add_all(messages)
        uow.commit()


def test_a_message_is_stored_with_its_payload_and_is_pending_for_any_worker(
    store: Store, fixed_clock: FixedClock
) -> None:
    _add(store, Z)
    with store.unit_of_work(read_only=True) as uow:
        row = uow.outbox.get(Z.kind, Z.key)
        assert uow.outbox.history(row.id if row else 0) == []
    assert row is not None
    assert row.message == Z
    assert (row.state, row.owner, row.attempts) == (OutboxState.PENDING, "", 0)
    assert row.created_at == row.available_at == fixed_clock.now()


def test_the_same_kind_and_key_twice_is_refused_and_the_second_unit_writes_nothing(
    store: Store,
) -> None:
    _add(store, Z)
    other = OutboxMessage("webshop.stock", "7038010009457", {"available": 4})
    with pytest.raises(RuleViolation, match="Z-1-42 exists already"), store.unit_of_work() as uow:
        uow.outbox.add_all([other, OutboxMessage(Z.kind, Z.key, {"changed": True})])
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        assert uow.outbox.get(other.kind, other.key) is None
        stored = uow.outbox.get(Z.kind, Z.key)
    assert stored is not None and stored.message.payload == Z.payload
    # The same key under another kind is another message.
    _add(store, OutboxMessage("carrier.track", Z.key, {}))


def test_one_message_twice_in_one_batch_is_refused(store: Store) -> None:
    with pytest.raises(RuleViolation, match="exists already"), store.unit_of_work() as uow:
        uow.outbox.add_all([Z, Z])
    with store.unit_of_work(read_only=True) as uow:
        assert uow.outbox.get(Z.kind, Z.key) is None


def test_a_message_written_in_a_unit_that_rolls_back_is_not_there(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.outbox.add(Z)
    with store.unit_of_work(read_only=True) as uow:
        assert uow.outbox.get(Z.kind, Z.key) is None


def test_an_outbox_row_cannot_be_deleted_and_its_history_cannot_be_changed(store: Store) -> None:
    _add(store, Z)
    now = store.clock.now()
    with store.unit_of_work() as uow:
        [row] = uow.outbox.claim(
            owner="", kinds={Z.kind}, now=now, lease_until=now, by="w", limit=5
        )
        uow.commit()
    with pytest.raises(AppendOnlyViolation), store.unit_of_work():
        execute_sql(store.db, "DELETE FROM outbox")
    if store.engine == "sqlite":  # REPLACE would delete the stored row without a trigger
        with pytest.raises(Conflict), store.unit_of_work():
            execute_sql(
                store.db,
                "INSERT OR REPLACE INTO outbox (kind, key, payload, created_at, available_at, "
                "updated_at) VALUES (?, ?, '{}', 'x', 'x', 'x')",
                (Z.kind, Z.key),
            )
    with pytest.raises(AppendOnlyViolation), store.unit_of_work():
        execute_sql(store.db, "UPDATE outbox_history SET detail = 'rewritten'")
    with pytest.raises(AppendOnlyViolation), store.unit_of_work():
        execute_sql(store.db, "DELETE FROM outbox_history")
    with store.unit_of_work(read_only=True) as uow:
        assert [c.detail for c in uow.outbox.history(row.id)] == ["claimed"]


def test_a_claim_takes_due_rows_of_the_kinds_asked_oldest_first_and_keeps_the_change(
    store: Store, fixed_clock: FixedClock
) -> None:
    messages = [OutboxMessage("a.kind", f"k{n}", {"n": n}) for n in range(5)]
    _add(store, *messages, OutboxMessage("b.kind", "other", {}))
    now = fixed_clock.now()
    with store.unit_of_work() as uow:
        first = uow.outbox.claim(
            owner="",
            kinds={"a.kind"},
            now=now,
            lease_until=now + timedelta(minutes=5),
            by="w1",
            limit=3,
        )
        second = uow.outbox.claim(
            owner="",
            kinds={"a.kind"},
            now=now,
            lease_until=now + timedelta(minutes=5),
            by="w2",
            limit=10,
        )
        uow.commit()
    assert [r.message.key for r in first] == ["k0", "k1", "k2"]
    assert [r.message.key for r in second] == ["k3", "k4"]
    assert {(r.state, r.attempts, r.claimed_by) for r in first} == {(OutboxState.WORKING, 1, "w1")}
    with store.unit_of_work(read_only=True) as uow:
        [change] = uow.outbox.history(first[0].id)
        assert uow.outbox.get("b.kind", "other").state is OutboxState.PENDING  # type: ignore[union-attr]
    assert (change.state, change.attempt, change.by) == (OutboxState.WORKING, 1, "w1")


def test_a_row_whose_lease_ran_out_goes_to_the_next_claim_and_the_late_outcome_is_ignored(
    store: Store, fixed_clock: FixedClock
) -> None:
    _add(store, Z)
    now = fixed_clock.now()
    with store.unit_of_work() as uow:
        [row] = uow.outbox.claim(
            owner="",
            kinds={Z.kind},
            now=now,
            lease_until=now + timedelta(seconds=60),
            by="slow",
            limit=1,
        )
        uow.commit()
    fixed_clock.advance(timedelta(seconds=61))
    later = fixed_clock.now()
    with store.unit_of_work() as uow:
        [again] = uow.outbox.claim(
            owner="",
            kinds={Z.kind},
            now=later,
            lease_until=later + timedelta(seconds=60),
            by="fast",
            limit=1,
        )
        assert again.attempts == 2
        assert (
            uow.outbox.settle(
                [Settlement(row.id, OutboxState.DONE, far_id="x")], at=later, by="slow"
            )
            == 0
        )
        assert (
            uow.outbox.settle(
                [Settlement(row.id, OutboxState.DONE, far_id="y")], at=later, by="fast"
            )
            == 1
        )
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        done = uow.outbox.get(Z.kind, Z.key)
        history = uow.outbox.history(row.id)
    assert done is not None and (done.state, done.far_id) == (OutboxState.DONE, "y")
    assert [(c.state, c.by) for c in history] == [
        (OutboxState.WORKING, "slow"),
        (OutboxState.WORKING, "fast"),
        (OutboxState.DONE, "fast"),
    ]


def test_rows_of_a_claimer_that_is_gone_are_released_at_once_and_others_keep_their_lease(
    store: Store, fixed_clock: FixedClock
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # reaped: its pid names no process now
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    host = socket.gethostname()
    claimers = {
        "Z-1-1": f"{host}:{dead.pid}",
        "Z-1-2": f"{host}:{alive.pid}",
        "Z-1-3": f"elsewhere:{dead.pid}",
        "Z-1-4": f"{host}:{os.getpid()}",  # this process claims nothing before it releases
    }
    now = fixed_clock.now()
    try:
        for key, by in claimers.items():
            _add(store, OutboxMessage(Z.kind, key, {}))
            with store.unit_of_work() as uow:
                uow.outbox.claim(owner="", kinds={Z.kind}, now=now, keys={key},
                                 lease_until=now + LEASE, by=by, limit=1)  # fmt: skip
                uow.commit()
        with store.unit_of_work() as uow:
            released = uow.outbox.release_abandoned(at=now, by="worker")
            uow.commit()
    finally:
        alive.kill()
        alive.wait()
    assert sorted(released) == [(Z.kind, "Z-1-1"), (Z.kind, "Z-1-4")]
    with store.unit_of_work() as uow:
        rows = {k: uow.outbox.get(Z.kind, k) for k in claimers}
        again = uow.outbox.claim(owner="", kinds={Z.kind}, now=now,
                                 lease_until=now + LEASE, by="next", limit=10)  # fmt: skip
        history = uow.outbox.history(rows["Z-1-1"].id)  # type: ignore[union-attr]
    pending, working = (OutboxState.PENDING, 1), (OutboxState.WORKING, 1)
    states = {k: (r.state, r.attempts) for k, r in rows.items() if r is not None}
    assert states == {"Z-1-1": pending, "Z-1-2": working, "Z-1-3": working, "Z-1-4": pending}
    assert sorted(r.message.key for r in again) == ["Z-1-1", "Z-1-4"]
    assert history[1].state is OutboxState.PENDING and "is gone" in history[1].detail


def test_a_failed_row_waits_for_a_retry_and_then_counts_its_attempts_afresh(
    store: Store, fixed_clock: FixedClock
) -> None:
    _add(store, Z)
    now = fixed_clock.now()
    with store.unit_of_work() as uow:
        [row] = uow.outbox.claim(
            owner="", kinds={Z.kind}, now=now, lease_until=now, by="w", limit=1
        )
        uow.outbox.settle(
            [Settlement(row.id, OutboxState.FAILED, detail="422 saleNumber is invalid")],
            at=now,
            by="w",
        )
        uow.commit()
    fixed_clock.advance(timedelta(hours=1))
    later = fixed_clock.now()
    with store.unit_of_work() as uow:
        assert (
            uow.outbox.claim(
                owner="", kinds={Z.kind}, now=later, lease_until=later, by="w", limit=1
            )
            == []
        )
        [status] = uow.outbox.status()
        assert status.counts[OutboxState.FAILED] == 1
        assert status.last_error == "422 saleNumber is invalid"
        assert uow.outbox.retry(at=later, by="cli", key="no such key") == 0
        assert uow.outbox.retry(at=later, by="cli", key=Z.key) == 1
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        again = uow.outbox.get(Z.kind, Z.key)
        history = uow.outbox.history(row.id)
    assert again is not None and (again.state, again.attempts) == (OutboxState.PENDING, 0)
    assert [(c.state, c.detail) for c in history] == [
        (OutboxState.WORKING, "claimed"),
        (OutboxState.FAILED, "422 saleNumber is invalid"),
        (OutboxState.PENDING, "retry by cli"),
    ]


def test_status_counts_each_kind_by_state_with_the_oldest_waiting_row(
    store: Store, fixed_clock: FixedClock
) -> None:
    first = fixed_clock.now()
    _add(store, OutboxMessage("a.kind", "1", {}))
    fixed_clock.advance(timedelta(minutes=3))
    _add(
        store,
        OutboxMessage("a.kind", "2", {}),
        OutboxMessage("device.receipt", "1-5", {"register_id": "3"}),
    )
    now = fixed_clock.now()
    with store.unit_of_work() as uow:
        [row] = uow.outbox.claim(
            owner="", kinds={"a.kind"}, now=now, lease_until=now, by="w", limit=1
        )
        uow.outbox.settle([Settlement(row.id, OutboxState.DONE)], at=now, by="w")
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        kinds = {s.kind: s for s in uow.outbox.status()}
    assert kinds["a.kind"].counts == {
        OutboxState.PENDING: 1,
        OutboxState.WORKING: 0,
        OutboxState.DONE: 1,
        OutboxState.FAILED: 0,
    }
    assert kinds["a.kind"].oldest_pending == now  # the first was delivered
    assert kinds["device.receipt"].owners == ("3",)
    assert kinds["device.receipt"].oldest_pending == now
    assert first < now


def test_a_worker_heartbeat_is_kept_and_its_clean_stop_recorded(
    store: Store, fixed_clock: FixedClock
) -> None:
    start = fixed_clock.now()
    with store.unit_of_work() as uow:
        uow.outbox.beat("host:1", start, started_at=start)
        uow.commit()
    fixed_clock.advance(timedelta(seconds=30))
    with store.unit_of_work() as uow:
        uow.outbox.beat("host:1", fixed_clock.now(), started_at=start, stopped=True)
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        [beat] = uow.outbox.workers()
    assert (beat.started_at, beat.seen_at, beat.stopped_at) == (
        start,
        fixed_clock.now(),
        fixed_clock.now(),
    )


def test_an_sqlite_without_returning_refuses_a_duplicate_and_settles_all_the_same(
    sqlite_url: str, fixed_clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))  # Ubuntu 20.04's
    store = Store(sqlite_url, fixed_clock)
    store.migrate()
    _add(store, Z)
    with pytest.raises(RuleViolation, match="Z-1-42 exists already"), store.unit_of_work() as uow:
        uow.outbox.add_all([OutboxMessage("b.kind", "new", {}), Z])
    now = fixed_clock.now()
    with store.unit_of_work() as uow:
        assert uow.outbox.get("b.kind", "new") is None
        [row] = uow.outbox.claim(
            owner="", kinds={Z.kind}, now=now, lease_until=now, by="w", limit=1
        )
        assert (
            uow.outbox.settle([Settlement(row.id, OutboxState.DONE, far_id="f")], at=now, by="w")
            == 1
        )
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        assert [(c.state, c.attempt) for c in uow.outbox.history(row.id)] == [
            (OutboxState.WORKING, 1),
            (OutboxState.DONE, 1),
        ]
    store.close()


def test_finding_the_waiting_rows_reads_the_index_of_waiting_rows_not_the_delivered_ones(
    sqlite_url: str, fixed_clock: FixedClock
) -> None:
    # Every sale leaves delivered rows for ever: the till's look-up after each sale must
    # not grow with them (SQLite, after ANALYZE, would rather scan a plain index).
    store = Store(sqlite_url, fixed_clock)
    store.migrate()
    now = fixed_clock.now()
    with store.unit_of_work() as uow:
        uow.outbox.add_all(
            [OutboxMessage("device.receipt", f"1-{n}", {"register_id": "1"}) for n in range(300)]
        )
        uow.outbox.add_all([OutboxMessage("a.kind", f"k{n}", {}) for n in range(300)])
        uow.outbox.settle(
            [Settlement(n, OutboxState.DONE) for n in (*range(1, 291), *range(301, 591))],
            at=now,
            by="till",
        )
        uow.commit()
    execute_sql(store.db, "ANALYZE")
    seen: list[str] = []
    raw: sqlite3.Connection = store.db.connection()  # type: ignore[no-untyped-call]
    raw.set_trace_callback(seen.append)
    with store.unit_of_work() as uow:
        assert len(uow.outbox.due(owner="1", now=now, kinds={"device.receipt"})) == 10
        claimed = uow.outbox.claim(
            owner="", kinds={"a.kind"}, now=now, lease_until=now, by="w", limit=50
        )
        assert len(claimed) == 10
        uow.commit()
    raw.set_trace_callback(None)
    selects = [s for s in seen if s.startswith("SELECT") and "FROM outbox WHERE" in s]
    assert len(selects) == 2
    for statement in selects:
        plan = " ".join(str(r[3]) for r in raw.execute(f"EXPLAIN QUERY PLAN {statement}"))
        assert "outbox_waiting" in plan, plan
    store.close()
