"""Two tills in two processes sell the last unit of one product at the same moment on
PostgreSQL, 100 times: every sale completes, nothing deadlocks, no update is lost, the
stock ends at -1 each round and the product is flagged."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from ledger_support import open_shop
from stock_race_worker import WAIT, till
from stock_support import on_hand, post, supplied

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROUNDS = 100
SPAWN = multiprocessing.get_context("spawn")  # fresh processes: no inherited connections


def test_two_tills_selling_the_last_unit_at_once_both_complete_and_leave_minus_one(
    pg_url: str, tmp_path: Path
) -> None:
    office, _ = open_shop(tmp_path / "office", url=pg_url, algorithm="hmac-sha1")
    office.setup.add_register("2", "Kasse 2")  # the second till, set up as `registers add` does
    start, go = SPAWN.Barrier(3), SPAWN.Barrier(2)
    results: multiprocessing.Queue[tuple[str, int, str, str]] = SPAWN.Queue()
    tills = [
        SPAWN.Process(
            target=till,
            # Register 1's signing key was made by `init` in the office's data directory.
            args=(
                pg_url,
                tmp_path / ("office" if r == "1" else "till2"),
                r,
                ROUNDS,
                start,
                go,
                results,
            ),
        )
        for r in ("1", "2")
    ]
    for process in tills:
        process.start()
    try:
        for n in range(ROUNDS):
            # Bring the shop floor to exactly one unit: from 0 at the start, -1 afterwards.
            post(office, supplied("10001", 1000 if n == 0 else 2000, 1000, doc=f"r{n}"))
            assert on_hand(office, "10001") == 1000
            start.wait(WAIT)
            outcome = sorted(results.get(timeout=WAIT) for _ in range(2))
            assert [(r, i, bool(tx), error) for r, i, tx, error in outcome] == [
                ("1", n, True, ""),
                ("2", n, True, ""),
            ], outcome
            assert on_hand(office, "10001") == -1000, f"round {n}: a lost update"
            _, moves = office.stock.history("10001", limit=2)
            assert sorted(m.negative for m in moves) == [False, True], f"round {n}"
            assert {m.doc_id for m in moves} == {tx for _, _, tx, _ in outcome}
            assert [row.sku for row in office.stock.rows(negative=True)] == ["10001"]
    finally:
        start.abort()  # a failed round releases the tills at once
        go.abort()
        for process in tills:
            process.join(timeout=WAIT)
            if process.is_alive():
                process.kill()
    assert [process.exitcode for process in tills] == [0, 0]
    report = office.stock.verify()
    assert report.clean and report.moves == 3 * ROUNDS
    assert office.stock.show("10001").sold["7d"] == 2 * ROUNDS * 1000
    office.close()
