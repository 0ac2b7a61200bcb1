"""Benchmark completing a sale, and a Z report over a day of 5,000 receipts.

1. Sale completion through the real sale service on a real SQLite file (WAL,
   ``synchronous=FULL``: every commit is fsynced): each sale is rung up (3 items) and paid
   in cash through the service, then only ``complete()`` is timed -- number allocation,
   signing (RSA-SHA1-1024), the transaction, lines, payments, journal events, the register
   state, removing the open sale, one commit.
2. The same rows (transaction, lines, payments, journal events) of each completed sale are
   inserted with the bare ``sqlite3`` module into a fresh file with the same tables and the
   same pragmas, one transaction per sale: the floor any implementation pays for the fsync.
   The ratio says what the service costs on top.
3. A Z report (and an X report before it) through the real report service over a day of
   5,000 receipts written in bulk through the real storage (see ``bench_ledger.py``).

Usage: ./scripts/bench sale [--sales 500] [--receipts 5000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_ledger import (
    CASHIER,
    REGISTER,
    bulk_days,
    open_shop,
    opening,
    pieces,
    ring_and_pay,
    signer_of,
)

from omnipos_tui.core.clock import FixedClock

DAY = date(2026, 3, 2)
WARM_UP = 20
_TABLES = ("cash_transaction", "transaction_line", "transaction_payment", "journal_event")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=500, help="completions to time")
    parser.add_argument("--receipts", type=int, default=5000, help="receipts in the Z day")
    args = parser.parse_args()
    print(f"Sale benchmark (SQLite, WAL, synchronous=FULL; {args.sales} completions)")
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-") as tmp:
        trans_ids, service_ms = _completions(Path(tmp) / "shop", args.sales)
        bare_ms = _bare_inserts(Path(tmp), trans_ids)
    p50, p99 = _percentiles(service_ms)
    b50, b99 = _percentiles(bare_ms)
    print(
        f"  complete():      p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {max(service_ms):6.2f} ms"
        f"   budget p99 <= 10 ms   {_verdict(p99 <= 10)}"
    )
    print(
        f"  bare insert:     p50 {b50:6.2f} ms   p99 {b99:6.2f} ms   (same rows, one "
        "transaction each, sqlite3 module)"
    )
    ratio50, ratio99 = p50 / b50, p99 / b99
    print(
        f"  ratio:           p50 {ratio50:6.2f}      p99 {ratio99:6.2f}      budget <= 5      "
        f"{_verdict(max(ratio50, ratio99) <= 5)}"
    )
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-") as tmp:
        _z_report(Path(tmp) / "shop", args.receipts)
    return 0


def _completions(data_dir: Path, count: int) -> tuple[list[str], list[float]]:
    data_dir.mkdir()
    clock = FixedClock(opening(DAY))
    services = open_shop(data_dir, clock)
    try:
        rng = random.Random(1)
        codes = [p.barcodes[0] if p.barcodes else p.sku for p in pieces(services)]
        trans_ids: list[str] = []
        timings: list[float] = []
        for index in range(WARM_UP + count):
            sale_id = ring_and_pay(services, [rng.choice(codes) for _ in range(3)])
            clock.advance(timedelta(seconds=40))
            started = time.perf_counter()
            done = services.sales.complete(sale_id, employee=CASHIER)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= WARM_UP:
                timings.append(elapsed)
                trans_ids.append(done.transaction.trans_id)
    finally:
        services.close()
    return trans_ids, timings


def _bare_inserts(tmp: Path, trans_ids: list[str]) -> list[float]:
    """Each sale's rows copied into an empty twin database, one transaction per sale."""
    source = sqlite3.connect(tmp / "shop" / "omnipos.sqlite3")
    target = sqlite3.connect(tmp / "bare.sqlite3", isolation_level=None)
    for pragma in ("journal_mode = wal", "synchronous = full", "foreign_keys = on"):
        target.execute(f"PRAGMA {pragma}")
    schema = source.execute(
        "SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(_TABLES))}) ORDER BY type DESC",
        _TABLES,
    ).fetchall()
    for (sql,) in schema:
        target.execute(sql)
    timings: list[float] = []
    for trans_id in trans_ids:
        rows = [
            (table, source.execute(f"SELECT * FROM {table} WHERE trans_id = ?", (trans_id,)))
            for table in _TABLES
        ]
        batches = [(table, cursor.fetchall()) for table, cursor in rows]
        started = time.perf_counter()
        target.execute("BEGIN IMMEDIATE")
        for table, values in batches:
            if values:
                marks = ", ".join("?" * len(values[0]))
                target.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        target.execute("COMMIT")
        timings.append((time.perf_counter() - started) * 1000)
    source.close()
    target.close()
    return timings


def _z_report(data_dir: Path, receipts: int) -> None:
    data_dir.mkdir()
    clock = FixedClock(opening(DAY, 7))
    services = open_shop(data_dir, clock)
    try:
        started = time.perf_counter()
        written = bulk_days(services, signer_of(data_dir), [DAY], receipts)
        print(
            f"  built a day of {written:,} receipts in {time.perf_counter() - started:.1f} s "
            "(bulk, signed, through the storage)"
        )
        clock.current = opening(DAY, 21)
        started = time.perf_counter()
        x = services.reports.x_report(REGISTER, employee="2")
        x_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        z = services.reports.z_report(REGISTER, employee="2")
        z_ms = (time.perf_counter() - started) * 1000
    finally:
        services.close()
    assert x.receipt_count == z.receipt_count == receipts, (x.receipt_count, receipts)
    print(
        f"  X report:        {x_ms:7.1f} ms   ({x.receipt_count:,} receipts, "
        f"{x.total_sales.format(thousands=True)} kr)"
    )
    print(
        f"  Z report:        {z_ms:7.1f} ms   budget <= 200 ms   {_verdict(z_ms <= 200)}   "
        "(build + journal the whole report + commit)"
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


if __name__ == "__main__":
    sys.exit(main())
