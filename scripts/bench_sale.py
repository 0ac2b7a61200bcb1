"""Benchmark completing a sale, and a Z report over a day of 5,000 receipts.

1. Sale completion through the real sale service on a real SQLite file (WAL,
   ``synchronous=FULL``: every commit is fsynced): each sale is rung up (3 items) and paid
   in cash through the service, then only ``complete()`` is timed -- number allocation,
   signing (RSA-SHA1-1024), the transaction, lines, payments, journal events, the register
   state, removing the open sale, one commit.
2. The same rows of each completed sale written with the bare ``sqlite3`` module into a
   fresh file with the same tables, indexes and pragmas, one transaction per sale: the
   transaction, lines and payments, its journal events, the register's state row updated
   (numbers, signature chain) and the open sale's row deleted -- every row ``complete()``
   writes, as executemany batches. The floor any implementation pays for these rows and
   the fsync; the ratio says what the service costs on top (p50 against p50, p99 against
   p99). The narrower floor of inserting only the four ledger tables is printed too.
3. A Z report (and an X report before it) through the real report service over a day of
   5,000 receipts written in bulk through the real storage (see ``bench_ledger.py``):
   warm, in the process that wrote the day; cold, in a fresh process on a copy of the
   same database (nothing decoded yet: what ``omnipos reports z`` pays); and after a
   restart of the till, which reads the period in the background when the F12 menu opens
   (``ReportService.prepare``, untimed: the cashier picks Z and counts the cash meanwhile)
   -- in a fresh process on another copy.

With ``--paper`` the shop is a till that owns register 1's devices (the default devices:
a receipt printer and a drawer kicked through it): each completion's commit also writes
the sale's paper, its receipt and drawer-kick outbox rows (one INSERT, ``services.sales.paper``),
and the bare floor writes those rows as well. Their delivery runs after the commit and is
not timed (the till does it in a thread).

Usage: ./scripts/bench sale [--sales 500] [--receipts 5000] [--paper]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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

from omnipos_tui.bootstrap import build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.services.sales import completion
from omnipos_tui.settings import Override, load_settings

DAY = date(2026, 3, 2)
WARM_UP = 20
_TABLES = ("cash_transaction", "transaction_line", "transaction_payment", "journal_event")
_STATE_TABLES = ("register_state", "open_sale")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=500, help="completions to time")
    parser.add_argument("--receipts", type=int, default=5000, help="receipts in the Z day")
    parser.add_argument("--child-z", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--paper", action="store_true", help="complete at a till that queues its paper"
    )
    args = parser.parse_args()
    if args.child_z:
        return _z_child(args.child_z, prepare=args.prepare)
    print(
        f"Sale benchmark (SQLite, WAL, synchronous=FULL; {args.sales} completions"
        f"{', with their paper queued' if args.paper else ''}; "
        f"load average {os.getloadavg()[0]:.2f})"
    )
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-") as tmp:
        sales, service_ms = _completions(Path(tmp) / "shop", args.sales, paper=args.paper)
        bare_ms = _bare_writes(Path(tmp), sales, whole=True, name="bare.sqlite3", paper=args.paper)
        ledger_ms = _bare_writes(Path(tmp), sales, whole=False, name="ledger.sqlite3")
    p50, p99 = _percentiles(service_ms)
    b50, b99 = _percentiles(bare_ms)
    l50, l99 = _percentiles(ledger_ms)
    print(
        f"  complete():      p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {max(service_ms):6.2f} ms"
        f"   budget p99 <= 10 ms   {_verdict(p99 <= 10)}"
    )
    print(
        f"  bare writes:     p50 {b50:6.2f} ms   p99 {b99:6.2f} ms   (every row complete() "
        "writes, one transaction each, sqlite3 module)"
    )
    ratio50, ratio99 = p50 / b50, p99 / b99
    print(
        f"  ratio:           p50 {ratio50:6.2f}      p99 {ratio99:6.2f}      budget <= 5      "
        f"{_verdict(max(ratio50, ratio99) <= 5)}"
    )
    print(
        f"  (ledger rows only: p50 {l50:6.2f} ms   p99 {l99:6.2f} ms; ratio p50 {p50 / l50:.2f}, "
        f"p99 {p99 / l99:.2f}: without the register state and the open sale)"
    )
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-") as tmp:
        _z_report(Path(tmp), args.receipts)
    return 0


@dataclass(frozen=True)
class _Done:
    """A completed sale: its transaction, and the open sale's row as it was just before."""

    trans_id: str
    open_sale: tuple[object, ...]
    receipt_id: str = ""


def _completions(
    data_dir: Path, count: int, *, paper: bool = False
) -> tuple[list[_Done], list[float]]:
    data_dir.mkdir()
    clock = FixedClock(opening(DAY))
    services = open_shop(data_dir, clock)
    if paper:
        services.own_devices(REGISTER)  # its sales queue their paper in their commit
    peek = sqlite3.connect(data_dir / "omnipos.sqlite3")
    try:
        rng = random.Random(1)
        codes = [p.barcodes[0] if p.barcodes else p.sku for p in pieces(services)]
        done_sales: list[_Done] = []
        timings: list[float] = []
        for index in range(WARM_UP + count):
            sale_id = ring_and_pay(services, [rng.choice(codes) for _ in range(3)])
            clock.advance(timedelta(seconds=40))
            row = peek.execute("SELECT * FROM open_sale WHERE sale_id = ?", (sale_id,)).fetchone()
            started = time.perf_counter()
            done = completion.complete(services.sales, sale_id, employee=CASHIER)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= WARM_UP:
                timings.append(elapsed)
                done_sales.append(_Done(done.transaction.trans_id, tuple(row), done.receipt_id))
    finally:
        peek.close()
        services.close()
    return done_sales, timings


def _bare_writes(
    tmp: Path, sales: list[_Done], *, whole: bool, name: str, paper: bool = False
) -> list[float]:
    """Each sale's rows written into an empty twin database, one transaction per sale.

    With ``whole`` every row the completion writes: the ledger rows, the register state
    updated and the open sale deleted (its row is put back, untimed, before each sale);
    with ``paper`` also the sale's outbox rows.
    """
    source = sqlite3.connect(tmp / "shop" / "omnipos.sqlite3")
    target = sqlite3.connect(tmp / name, isolation_level=None)
    for pragma in ("journal_mode = wal", "synchronous = full", "foreign_keys = on"):
        target.execute(f"PRAGMA {pragma}")
    tables = _TABLES + (_STATE_TABLES if whole else ()) + (("outbox",) if paper else ())
    schema = source.execute(
        "SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(tables))}) ORDER BY type DESC",
        tables,
    ).fetchall()
    for (sql,) in schema:
        target.execute(sql)
    state = source.execute("SELECT * FROM register_state WHERE register_id = ?", (REGISTER,))
    state_row = state.fetchone()
    state_columns = [d[0] for d in state.description]
    if whole:
        target.execute(
            f"INSERT INTO register_state VALUES ({', '.join('?' * len(state_row))})", state_row
        )
    update = (
        f"UPDATE register_state SET {', '.join(f'{c} = ?' for c in state_columns[1:])} "
        "WHERE register_id = ?"
    )
    timings: list[float] = []
    for sale in sales:
        rows = [
            (table, source.execute(f"SELECT * FROM {table} WHERE trans_id = ?", (sale.trans_id,)))
            for table in _TABLES
        ]
        batches = [(table, cursor.fetchall()) for table, cursor in rows]
        if paper:
            outbox = source.execute("SELECT * FROM outbox WHERE key = ?", (sale.receipt_id,))
            batches.append(("outbox", outbox.fetchall()))
        if whole:
            marks = ", ".join("?" * len(sale.open_sale))
            target.execute(f"INSERT INTO open_sale VALUES ({marks})", sale.open_sale)
        started = time.perf_counter()
        target.execute("BEGIN IMMEDIATE")
        for table, values in batches:
            if values:
                marks = ", ".join("?" * len(values[0]))
                target.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        if whole:
            target.execute("DELETE FROM open_sale WHERE sale_id = ?", (sale.open_sale[0],))
            target.execute(update, (*state_row[1:], REGISTER))
        target.execute("COMMIT")
        timings.append((time.perf_counter() - started) * 1000)
    source.close()
    target.close()
    return timings


def _z_report(tmp: Path, receipts: int) -> None:
    data_dir, cold_dir = tmp / "shop", tmp / "cold"
    data_dir.mkdir()
    clock = FixedClock(opening(DAY, 7))
    services = open_shop(data_dir, clock)
    try:
        started = time.perf_counter()
        written = bulk_days(services, signer_of(services), [DAY], receipts)
        print(
            f"  built a day of {written:,} receipts in {time.perf_counter() - started:.1f} s "
            "(bulk, signed, through the storage)"
        )
        _copy_shop(data_dir, cold_dir)
        _copy_shop(data_dir, tmp / "prepared")
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
        f"  Z report warm:   {z_ms:7.1f} ms   budget <= 200 ms   {_verdict(z_ms <= 200)}   "
        "(build + journal the whole report + commit; the day's transactions decoded already)"
    )
    for label, copy, prepare, what in (
        ("cold:   ", cold_dir, False, "a fresh process on a copy of the database"),
        ("restart:", tmp / "prepared", True, "a fresh process that prepared it first"),
    ):
        figures = _z_in_child(copy, prepare=prepare)
        if figures["receipts"] != receipts or figures["total"] != z.total_sales.ore:
            raise SystemExit(f"the Z report in a new process differs from the warm one: {figures}")
        ms, cpu_ms = figures["ms"], figures["cpu_ms"]
        print(
            f"  Z report {label}{ms:7.1f} ms   budget <= 200 ms   {_verdict(ms <= 200)}   "
            f"({what}; {cpu_ms:.0f} ms CPU; same totals)"
        )


def _z_in_child(data_dir: Path, *, prepare: bool) -> dict[str, int]:
    run = subprocess.run(
        [sys.executable, __file__, "--child-z", str(data_dir), *(["--prepare"] if prepare else [])],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        print(run.stdout, run.stderr, file=sys.stderr)
        raise SystemExit(1)
    figures: dict[str, int] = json.loads(run.stdout.strip().splitlines()[-1])
    return figures


def _copy_shop(source: Path, target: Path) -> None:
    """A consistent copy of a shop's database and keys (SQLite's online backup)."""
    shutil.copytree(source / "keys", target / "keys")
    for path in source.iterdir():
        if path.is_file() and not path.name.startswith("omnipos.sqlite3"):
            shutil.copy2(path, target / path.name)
    src = sqlite3.connect(source / "omnipos.sqlite3")
    dst = sqlite3.connect(target / "omnipos.sqlite3")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def _z_child(data_dir: Path, *, prepare: bool = False) -> int:
    """A new process opens the shop and makes the Z report, timed alone; with ``prepare``
    it first reads the period as the till does in the background when its menu opens
    (untimed)."""
    settings = load_settings(
        overrides=(Override("paths.data_dir", str(data_dir), "--data-dir"),),
        environ={},
        fallback_file=data_dir / "none.toml",
    )
    services = build(settings, clock=FixedClock(opening(DAY, 21)))
    try:
        if prepare:
            services.reports.prepare(REGISTER)
        started, cpu = time.perf_counter(), time.process_time()
        z = services.reports.z_report(REGISTER, employee="2")
        ms, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    finally:
        services.close()
    print(
        json.dumps(
            {"ms": ms, "cpu_ms": cpu_ms, "receipts": z.receipt_count, "total": z.total_sales.ore}
        )
    )
    return 0


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


if __name__ == "__main__":
    sys.exit(main())
