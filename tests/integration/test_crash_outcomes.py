"""Crash safety with every outcome of a card payment, on SQLite and on PostgreSQL: a
seller is SIGKILLed at random moments, often while a card payment is pending; the next one
resolves what it finds as the terminal's journal says -- approved, declined, or lost and
then settled by the cashier (paid, or not paid with a manager). Afterwards no numbers are
missing or reused, the chain verifies, a declined or unpaid card payment paid nothing, and
every card payment in a receipt was approved.

The kills are counted, not timed: the test goes on until each outcome has been seen (and
at least ``MIN_KILLS`` times), with a bound on the kills it may take.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from crash_worker import counted, sell_forever, wait_for_sales
from ledger_support import open_shop

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.store import Store

FORK = multiprocessing.get_context("fork")
MIN_KILLS = 25
MAX_KILLS = 300
#: Statuses only a recovery writes (the seller's own card payments are always approved).
RECOVERED = {"declined", "resolved_paid", "resolved_unpaid"}


def _child(data_dir: Path, url: str, ready: Any, sold: Any) -> None:
    try:
        sell_forever(data_dir, ready.set, url=url, outcomes=True, sold=counted(sold))
    finally:
        os._exit(1)  # never return into the test runner's code in the child


def _run_and_kill(data_dir: Path, url: str, rng: random.Random) -> None:
    """A seller completes 1-3 sales (counted, not timed) and is killed 0-50 ms later."""
    ready, sold = FORK.Event(), FORK.Value("i", 0)
    worker = FORK.Process(target=_child, args=(data_dir, url, ready, sold), daemon=True)
    worker.start()
    try:
        assert ready.wait(timeout=60), "the worker did not start"
        wait_for_sales(sold, rng.randint(1, 3), worker.is_alive)
        time.sleep(rng.uniform(0, 0.05))
        assert worker.is_alive(), f"the worker stopped by itself (exit {worker.exitcode})"
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.join(timeout=60)
    assert worker.exitcode == -signal.SIGKILL


def _rows(store: Store, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    return list(execute_sql(store.db, sql, params).fetchall())


def _statuses(store: Store) -> set[str]:
    return {str(s) for (s,) in _rows(store, "SELECT DISTINCT status FROM pending_payment")}


def _gapless(numbers: list[int]) -> bool:
    return numbers == list(range(1, len(numbers) + 1))


@pytest.mark.slow
def test_sellers_killed_while_card_payments_are_pending_resolve_every_outcome_cleanly(
    database_url: str, tmp_path: Path
) -> None:
    url = "" if database_url.startswith("sqlite") else database_url
    services, clock = open_shop(tmp_path, url=url)
    services.close()
    store = Store(database_url, FixedClock(clock.now()))
    rng = random.Random(20261206)
    kills = 0
    while kills < MIN_KILLS or not _statuses(store) >= RECOVERED:
        assert kills < MAX_KILLS, f"after {kills} kills only {_statuses(store)} were seen"
        _run_and_kill(tmp_path, url, rng)
        kills += 1

    nrs = [int(n) for (n,) in _rows(store, "SELECT nr FROM cash_transaction ORDER BY nr")]
    assert len(nrs) > MIN_KILLS  # each seller completed at least one sale before its kill
    assert _gapless(nrs)
    for (series,) in _rows(store, "SELECT DISTINCT receipt_series FROM cash_transaction"):
        numbers = [
            int(n)
            for (n,) in _rows(
                store,
                "SELECT receipt_number FROM cash_transaction WHERE receipt_series = ? "
                "ORDER BY receipt_number",
                (series,),
            )
        ]
        assert _gapless(numbers), series
    seqs = [int(s) for (s,) in _rows(store, "SELECT seq FROM journal_event ORDER BY seq")]
    assert _gapless(seqs)
    (state,) = _rows(store, "SELECT last_nr, last_event_seq FROM register_state")
    assert (int(state[0]), int(state[1])) == (nrs[-1], seqs[-1])
    # A card payment in a receipt was approved (by the terminal or by the cashier after
    # checking it); a declined or not-paid one is in no receipt.
    outcome = {
        str(reference): str(status)
        for reference, status in _rows(store, "SELECT reference, status FROM pending_payment")
    }
    paid = [
        str(reference)
        for (reference,) in _rows(
            store, "SELECT reference FROM transaction_payment WHERE tender = 'card'"
        )
    ]
    assert paid, "no card payment was completed"
    assert {outcome[reference] for reference in paid} <= {"approved", "resolved_paid"}
    assert len(paid) == len(set(paid)), "a card payment was taken twice"
    unpaid = {r for r, s in outcome.items() if s in ("declined", "resolved_unpaid")}
    assert unpaid and not unpaid & set(paid)
    # Every approved payment belongs to a completed sale or to the sale still open.
    orphans = _rows(
        store,
        "SELECT count(*) FROM pending_payment WHERE status IN ('approved', 'resolved_paid') "
        "AND sale_id NOT IN (SELECT sale_id FROM cash_transaction WHERE sale_id IS NOT NULL) "
        "AND sale_id NOT IN (SELECT sale_id FROM open_sale)",
    )
    assert orphans == [(0,)]
    store.close()

    again, _ = open_shop(tmp_path, url=url, initialise=False)
    try:
        [result] = again.journal.verify("1")
        assert result.ok, result.broken
        assert result.checked == len(nrs)
    finally:
        again.close()
