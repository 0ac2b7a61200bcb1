"""Benchmark stock (ERP.md §3) on a shop of 100,000 products x 3 locations and 10 million
moves: a year of a busy shop.

Building it: the demo shop (catalogue, staff, RSA key) through the real services, 100,000
products upserted through the real catalogue repository, a third real location ("nett"),
then a year of moves (sales from the shop floor and the web warehouse, returns, goods
receipts into the back store, transfers, count differences; popular products move far more
than the rest) written in bulk with the bare ``sqlite3`` module into ``stock_move``
(indexes dropped during the load and built after it), with the balances, owned totals,
average costs and daily figures computed beside them -- the same rows the services keep.
``stock verify`` at the end checks that they agree.

Measured through the real services and commands:
1. completing a sale (3 lines) with its stock moves, and the same kind of sale without
   them (the posting switched off), interleaved in the same run: p50/p99 and the
   difference at p50;
2. ``stock show`` in-process (random products, popular ones weighted), p50/p99;
3. ``omnipos stock show SKU --json`` (the Typer-less fast path) and ``omnipos stock show
   SKU`` (the tables) as fresh processes with byte code, as installed: wall and CPU, p50
   and p99 of the runs, judged on the p99;
4. a goods receipt of 500 lines posted;
5. ``omnipos stock verify`` as a fresh process: wall time and peak RSS.

Usage: ./scripts/bench stock [--products 100000] [--moves 10000000] [--runs 15] [--keep DIR]
       (--keep: build into DIR once, reuse it on later runs)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from bench_ledger import CASHIER, open_shop, opening, ring_and_pay

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.money import Money
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.services.sales import completion
from omnipos_tui.services.stock import posting
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.settings import Override, load_settings

END = date(2026, 11, 27)
"""The last day of the year of moves (the clock stands at its evening)."""
DAYS = 365
WARM_UP = 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--moves", type=int, default=10_000_000)
    parser.add_argument("--sales", type=int, default=400, help="completions to time (each way)")
    parser.add_argument("--shows", type=int, default=500, help="in-process stock show calls")
    parser.add_argument("--runs", type=int, default=15, help="fresh processes per command")
    parser.add_argument("--keep", type=Path, help="build into this folder once and reuse it")
    args = parser.parse_args()
    print(
        f"Stock benchmark (SQLite, WAL, synchronous=FULL; {args.products:,} products x 3 "
        f"locations, {args.moves:,} moves; load average {os.getloadavg()[0]:.2f})"
    )
    if args.keep is not None:
        data_dir = args.keep
        if not (data_dir / "omnipos.sqlite3").exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            _build(data_dir, args.products, args.moves)
        else:
            print(f"  reusing the shop in {data_dir}")
        _measure(data_dir, args)
        return 0
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-stock-") as tmp:
        data_dir = Path(tmp) / "shop"
        data_dir.mkdir()
        _build(data_dir, args.products, args.moves)
        _measure(data_dir, args)
    return 0


# --- building ---------------------------------------------------------------------------


def _build(data_dir: Path, products: int, moves: int) -> None:
    started = time.perf_counter()
    clock = FixedClock(opening(END - timedelta(days=DAYS), 6))
    services = open_shop(data_dir, clock)
    try:
        _products(services, products)
        services.stock.add_location("nett", "Nettlager")
    finally:
        services.close()
    print(f"  catalogue built in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    _moves(data_dir / "omnipos.sqlite3", moves)
    print(f"  {moves:,} moves and their balances written in {time.perf_counter() - started:.1f} s")


def _products(services: Services, count: int) -> None:
    rate, groups = rate_by_code("31"), ["10", "11", "12", "20", "21", "30", "60"]
    have = services.catalogue.count()
    batch: list[Product] = []
    for n in range(count - have):
        sku = f"B{n:07d}"
        batch.append(
            Product(sku, f"Benchvare {n}", Money(1000 + n % 9000), rate, groups[n % len(groups)])
        )
        if len(batch) == 5000:
            _upsert(services, batch)
            batch = []
    if batch:
        _upsert(services, batch)


def _upsert(services: Services, batch: list[Product]) -> None:
    with services.units() as uow:
        uow.catalogue.upsert_products(batch)
        uow.commit()


def _moves(path: Path, total: int) -> None:
    """A year of moves in time order, with the balances they add up to."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA journal_mode = wal")
    raw.execute("PRAGMA synchronous = off")
    raw.execute("PRAGMA cache_size = -200000")
    ids = {code: i for code, i in raw.execute("SELECT code, id FROM stock_location")}
    products = [pid for (pid,) in raw.execute("SELECT id FROM product ORDER BY id")]
    count = len(products)
    cost = {pid: 500 + (pid * 7919) % 20000 for pid in products}
    for index in ("stock_move_by_product", "stock_move_by_document"):
        raw.execute(f"DROP INDEX IF EXISTS {index}")
    floor, back, web = ids["butikk"], ids["lager"], ids["nett"]
    supplier, customer, diff = ids["supplier"], ids["customer"], ids["count-difference"]
    owned = {floor, back, web}
    levels: dict[tuple[int, int], int] = defaultdict(int)
    rng = random.Random(11)
    per_day = total // DAYS
    insert = (
        "INSERT INTO stock_move (product_id, quantity, from_location, to_location, unit_cost, "
        "doc_type, doc_id, doc_line, employee, register_id, at, negative, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    written = 0
    for offset in range(DAYS):
        day = END - timedelta(days=DAYS - 1 - offset)
        stamp = day.isoformat()
        todays = per_day + (total - per_day * DAYS if offset == DAYS - 1 else 0)
        rows: list[tuple[object, ...]] = []
        sold: dict[int, int] = defaultdict(int)
        net: dict[int, int] = defaultdict(int)
        for n in range(todays):
            pid = products[int(count * rng.random() ** 3)]  # a few products sell most
            second = 7 * 3600 + n * 43_200 // todays
            at = f"{stamp}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000000Z"
            roll = rng.random()
            if roll < 0.80:
                source, target, q, doc = (floor if roll < 0.66 else web), customer, 1000, "sale"
            elif roll < 0.81:
                source, target, q, doc = customer, floor, 1000, "sale"
            elif roll < 0.89:
                source, target, q, doc = supplier, back, 12_000 * rng.randint(1, 4), "receipt"
            elif roll < 0.99:
                source, target, q, doc = back, (floor if roll < 0.97 else web), 6000, "transfer"
            else:
                up = rng.random() < 0.5
                (source, target), q, doc = ((diff, floor) if up else (floor, diff)), 1000, "count"
            below = False
            if source in owned:
                levels[(pid, source)] -= q
                below = levels[(pid, source)] < 0
            if target in owned:
                levels[(pid, target)] += q
            change = (q if target in owned else 0) - (q if source in owned else 0)
            net[pid] += change
            if target == customer:
                sold[pid] += q
            elif source == customer:
                sold[pid] -= q
            rows.append(
                (pid, q, source, target, cost[pid], doc, f"{offset}-{n}", 1, CASHIER, "1", at,
                 below, "")
            )  # fmt: skip
        raw.execute("BEGIN")
        raw.executemany(insert, rows)
        raw.executemany(
            "INSERT INTO stock_day (product_id, day, sold, net) VALUES (?, ?, ?, ?)",
            [(pid, stamp, sold.get(pid, 0), change) for pid, change in net.items()],
        )
        raw.execute("COMMIT")
        written += len(rows)
        if offset % 30 == 0:
            print(f"    {written:,} moves ...", flush=True)
    print("    building the move indexes ...", flush=True)
    raw.execute("CREATE INDEX stock_move_by_product ON stock_move (product_id, id)")
    raw.execute("CREATE INDEX stock_move_by_document ON stock_move (doc_type, doc_id)")
    raw.execute("BEGIN")
    raw.executemany(
        "INSERT INTO stock_level (product_id, location_id, on_hand) VALUES (?, ?, ?)",
        [(pid, lid, q) for (pid, lid), q in levels.items()],
    )
    totals: dict[int, int] = defaultdict(int)
    for (pid, _), q in levels.items():
        totals[pid] += q
    raw.executemany(
        "INSERT INTO stock_product (product_id, on_hand, average_cost) VALUES (?, ?, ?)",
        [(pid, q, cost[pid]) for pid, q in totals.items()],
    )
    raw.execute("COMMIT")
    raw.execute("ANALYZE")
    raw.close()


# --- measuring --------------------------------------------------------------------------


def _services(data_dir: Path, clock: FixedClock) -> Services:
    settings = load_settings(
        overrides=(Override("paths.data_dir", str(data_dir), "--data-dir"),),
        environ={},
        fallback_file=data_dir / "none.toml",
    )
    return build(settings, clock=clock)


def _measure(data_dir: Path, args: argparse.Namespace) -> None:
    clock = FixedClock(opening(END + timedelta(days=1), 9))
    services = _services(data_dir, clock)
    try:
        popular, pieces = _popular(services)
        _sales(services, clock, pieces, args.sales)
        _shows(services, popular, args.shows)
        _receipt(services)
    finally:
        services.close()
    _cli_show(data_dir, popular[0], args.runs)
    _verify(data_dir)


def _popular(services: Services) -> tuple[list[str], list[str]]:
    """SKUs weighted like the moves (the first ids, the demo's, most often), and the same
    for products sold by the piece (what the timed sales ring up)."""
    with services.units(read_only=True) as uow:
        rows = sorted(uow.catalogue.list_products(limit=1_000_000), key=lambda p: p.sku)
    rng = random.Random(3)
    chosen = [rows[int(len(rows) * rng.random() ** 3)] for _ in range(2000)]
    return [p.sku for p in chosen], [p.sku for p in chosen if p.unit is Unit.PIECE]


def _sales(services: Services, clock: FixedClock, skus: list[str], count: int) -> None:
    real = posting.post_transaction

    def off(uow: object, tx: object) -> object:
        return posting.PostResult(0)

    rng = random.Random(5)
    timed: dict[bool, list[float]] = {True: [], False: []}
    for index in range(WARM_UP + 2 * count):
        with_stock = index % 2 == 0
        sale_id = ring_and_pay(services, [rng.choice(skus) for _ in range(3)])
        clock.advance(timedelta(seconds=20))
        completion.post_transaction = real if with_stock else off  # type: ignore[assignment]
        started = time.perf_counter()
        completion.complete(services.sales, sale_id, employee=CASHIER)
        elapsed = (time.perf_counter() - started) * 1000
        if index >= WARM_UP:
            timed[with_stock].append(elapsed)
    completion.post_transaction = real  # type: ignore[assignment]
    s50, s99 = _percentiles(timed[True])
    n50, n99 = _percentiles(timed[False])
    print(
        f"  sale with stock:    p50 {s50:6.2f} ms   p99 {s99:6.2f} ms   budget p99 <= 10 ms   "
        f"{_verdict(s99 <= 10)}"
    )
    print(f"  sale without stock: p50 {n50:6.2f} ms   p99 {n99:6.2f} ms   (same run, interleaved)")
    print(
        f"  the moves add:      p50 {s50 - n50:6.2f} ms   budget <= 1 ms   "
        f"{_verdict(s50 - n50 <= 1)}"
    )


def _shows(services: Services, skus: list[str], count: int) -> None:
    for sku in skus[:WARM_UP]:
        services.stock.show(sku)
    timings = []
    for sku in skus[WARM_UP : WARM_UP + count]:
        started = time.perf_counter()
        services.stock.show(sku)
        timings.append((time.perf_counter() - started) * 1000)
    p50, p99 = _percentiles(timings)
    print(
        f"  stock show:         p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   budget p99 <= 20 ms   "
        f"{_verdict(p99 <= 20)}"
    )


def _receipt(services: Services) -> None:
    with services.units(read_only=True) as uow:
        some = [p for p in uow.catalogue.list_products(limit=2000) if p.unit is Unit.PIECE]
    lines = [LineInput(p.sku, "24", "9,90") for p in some[-500:]]
    started = time.perf_counter()
    services.stock_documents.receive(lines, location="lager", delivery_note="BENCH")
    elapsed = (time.perf_counter() - started) * 1000
    print(
        f"  goods receipt of {len(lines)} lines: {elapsed:7.1f} ms   budget <= 1000 ms   "
        f"{_verdict(elapsed <= 1000)}"
    )


def _omnipos(data_dir: Path, *args: str) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), exit code and output of
    ``omnipos --data-dir D ARGS`` in a fresh process. Byte code is written and used (the
    PYTHONDONTWRITEBYTECODE of a checkout's environment is left out), as an installed
    OmniPOS has it: otherwise every start compiles each module from source."""
    command = [str(Path(sys.executable).with_name("omnipos")), "--data-dir", str(data_dir), *args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode, done.stdout + done.stderr


def _cli_show(data_dir: Path, sku: str, runs: int) -> None:
    for variant, name in (
        (("--json",), "stock show SKU --json (fast path)"),
        ((), "stock show SKU (tables)"),
    ):
        _omnipos(data_dir, "stock", "show", sku, *variant)  # byte code and file cache warm
        timed = [_omnipos(data_dir, "stock", "show", sku, *variant) for _ in range(runs)]
        walls = sorted(run[0] * 1000 for run in timed)
        cpus = sorted(run[1] * 1000 for run in timed)
        w50, w99 = _percentiles(walls)
        c50, c99 = _percentiles(cpus)
        print(
            f"  omnipos {name}, fresh process ({runs} runs): wall p50 {w50:5.0f} ms "
            f"p99 {w99:5.0f} ms; CPU p50 {c50:4.0f} ms p99 {c99:4.0f} ms   budget <= 300 ms "
            f"(judged on p99)   {_verdict(w99 <= 300)}"
        )
    base = [_omnipos(data_dir, "products", "show", sku, "--json")[0] * 1000 for _ in range(3)]
    print(f"  (omnipos products show --json beside it: {statistics.median(base):.0f} ms wall)")


def _verify(data_dir: Path) -> None:
    wall, _cpu, code, output = _omnipos(data_dir, "stock", "verify")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child: verify
    last = output.strip().splitlines()[-1] if output.strip() else ""
    print(
        f"  omnipos stock verify: {wall:6.1f} s   peak RSS {peak / 1024:5.0f} MB   "
        f"budget <= 60 s   {_verdict(wall <= 60 and code == 0)}   ({last})"
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


if __name__ == "__main__":
    sys.exit(main())
