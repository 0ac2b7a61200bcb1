"""Crash safety: a process completing sales in a loop is killed (SIGKILL) at random moments,
again and again; afterwards nothing is half-written, numbering has no gap or reuse and the
signature chain verifies.

The seller is a forked child of the test process (the shop's code is already imported, so
each cycle spends its time selling, not starting Python); it opens its own database
connection after the fork.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from crash_worker import counted, sell_forever, wait_for_sales
from ledger_support import open_shop

from omnipos_tui.core.ledger.journal import EventCode

KILLS = 50
FORK = multiprocessing.get_context("fork")


def _child(data_dir: Path, ready: Any, sold: Any) -> None:
    try:
        sell_forever(data_dir, ready.set, sold=counted(sold))
    finally:
        os._exit(1)  # never return into the test runner's code in the child


def _run_and_kill(data_dir: Path, rng: random.Random) -> None:
    """Fork a seller, let it complete 1-3 sales, then SIGKILL it at a random moment of the
    sale after (0-50 ms on): the sales are counted, not timed, so a slow machine sells as
    many before the kills as a fast one."""
    ready, sold = FORK.Event(), FORK.Value("i", 0)
    worker = FORK.Process(target=_child, args=(data_dir, ready, sold), daemon=True)
    worker.start()
    try:
        assert ready.wait(timeout=60), "the worker did not start"
        wait_for_sales(sold, rng.randint(1, 3), worker.is_alive)
        time.sleep(rng.uniform(0, 0.05))
        assert worker.is_alive(), f"the worker stopped by itself (exit {worker.exitcode})"
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.join(timeout=30)
    assert worker.exitcode == -signal.SIGKILL


def _gapless(numbers: list[int]) -> bool:
    return numbers == list(range(1, len(numbers) + 1))


@pytest.mark.slow
def test_sales_killed_at_random_moments_leave_no_partial_sale_gap_or_broken_chain(
    tmp_path: Path,
) -> None:
    services, _ = open_shop(tmp_path)
    services.close()
    rng = random.Random(20261127)
    for _ in range(KILLS):
        _run_and_kill(tmp_path, rng)

    db = tmp_path / "omnipos.sqlite3"
    with sqlite3.connect(db) as raw:
        nrs = [n for (n,) in raw.execute("SELECT nr FROM cash_transaction ORDER BY nr")]
        assert len(nrs) > KILLS  # each worker completed at least one sale before its kill
        assert _gapless(nrs)
        for (series,) in raw.execute("SELECT DISTINCT receipt_series FROM cash_transaction"):
            numbers = [
                n
                for (n,) in raw.execute(
                    "SELECT receipt_number FROM cash_transaction WHERE receipt_series = ? "
                    "ORDER BY receipt_number",
                    (series,),
                )
            ]
            assert _gapless(numbers), series
        seqs = [s for (s,) in raw.execute("SELECT seq FROM journal_event ORDER BY seq")]
        assert _gapless(seqs)
        state = raw.execute("SELECT last_nr, last_event_seq FROM register_state").fetchone()
        assert state == (nrs[-1], seqs[-1])
        sales = raw.execute(
            "SELECT t.trans_id, t.kind, "
            "(SELECT count(*) FROM transaction_line l WHERE l.trans_id = t.trans_id), "
            "(SELECT count(*) FROM transaction_payment p WHERE p.trans_id = t.trans_id), "
            "(SELECT count(*) FROM journal_event e WHERE e.trans_id = t.trans_id AND e.code = ?) "
            "FROM cash_transaction t",
            (EventCode.SALES_RECEIPT.value,),
        ).fetchall()
        for trans_id, kind, lines, payments, receipts in sales:
            assert payments >= 1, trans_id
            if kind == "sale":
                assert lines >= 1 and receipts == 1, trans_id
        unsettled = raw.execute(
            "SELECT count(*) FROM pending_payment WHERE status = 'approved' AND sale_id NOT IN "
            "(SELECT sale_id FROM cash_transaction WHERE sale_id IS NOT NULL) AND sale_id NOT "
            "IN (SELECT sale_id FROM open_sale)"
        ).fetchone()[0]
        assert unsettled == 0, "an approved card payment belongs to no sale"

    again, _ = open_shop(tmp_path, initialise=False)
    [result] = again.journal.verify("1")
    assert result.ok, result.broken
    assert result.checked == len(nrs)
