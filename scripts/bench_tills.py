"""Several tills on one PostgreSQL server under load and faults (issue 15).

``./scripts/bench tills --tills 8 --minutes 10 --faults`` starts a private PostgreSQL server
(``bench_tills_server.py``: a cluster of its own on a free port, so restarting it disturbs
no other database), sets up a shop on it through the real services (a catalogue of
``--products`` products with barcodes; one employee per till), starts ``omnipos worker``,
and runs ``--tills`` till processes (``bench_tills_till.py``) that sell flat out through the
real sale services for ``--minutes``. Half of the tills reach the server through a TCP proxy
on 127.0.0.1 (``tests/fault_proxy.py``).

With ``--faults`` it breaks things while they sell: the proxy's line is cut for 5 s (the
tills behind it lose their connections and cannot connect), the server is restarted
(``fast``, and in a long run also ``immediate``, i.e. as after a crash), and the worker is
killed (SIGKILL) and started again. A short run (under 3 minutes, or ``--plan short``) has
one of each; a longer one (``--plan long``) two kills, three cuts and both restarts.

It prints sales/s in total and per till, completion p50/p99/max (from the payment to the
completed sale, retries during an outage included), the outages survived, the lock waits
the server logged (over 200 ms) and sampled, deadlocks and serialization failures (from the
server's log and the tills' errors), and then the checks of ``bench_tills_checks.py``.
Exit code 0 only when every check is green. ``--json FILE`` writes the figures.

Usage: ./scripts/bench tills [--tills 8] [--minutes 10] [--faults [--plan short|long]]
                             [--products 100000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg2
from bench_tills_checks import believed, run_checks
from bench_tills_faults import Faults, LockSampler, Worker
from bench_tills_server import PrivateServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fault_proxy import FaultProxy

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.money import Money
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.settings import Override, load_settings

ROOT = Path(__file__).resolve().parents[1]
HOT = 20
ADMIN = "99"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tills", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--faults", action="store_true", help="restart, cut and kill while selling")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument(
        "--plan",
        choices=("short", "long"),
        help="the faults: short = a kill, a cut, a restart; long = 2 kills, 3 cuts, a fast "
        "and an immediate restart (default: long from 3 minutes on)",
    )
    parser.add_argument("--json", type=Path, help="write the figures and checks to this file")
    args = parser.parse_args()
    seconds = args.minutes * 60
    print(
        f"Tills benchmark: {args.tills} tills x {args.minutes:g} min on one private PostgreSQL "
        f"server, {args.products:,} products, faults {'on' if args.faults else 'off'} "
        f"(load average {os.getloadavg()[0]:.2f})",
        flush=True,
    )
    server = PrivateServer().start()
    work = Path(tempfile.mkdtemp(prefix="omnipos-tills-"))
    proxy = FaultProxy(server.port).start()
    worker: Worker | None = None
    try:
        url = _database(server)
        data_dir = work / "shop"
        started = time.perf_counter()
        barcodes = _shop(data_dir, url, args.tills, args.products)
        print(f"  shop set up in {time.perf_counter() - started:.1f} s", flush=True)
        worker = Worker(data_dir, url)
        registers = [str(n) for n in range(1, args.tills + 1)]
        tills = [
            _start_till(
                work,
                data_dir,
                proxy.url(url) if n % 2 == 0 else url,
                n,
                barcodes=barcodes,
                seconds=seconds,
            )
            for n in range(1, args.tills + 1)
        ]
        sampler = LockSampler(url)
        plan = args.plan or ("long" if seconds >= 180 else "short")
        faults = Faults(server, proxy, worker, seconds, plan=plan if args.faults else "none")
        began = time.perf_counter()
        summaries = [_finish(till) for till in tills]
        elapsed = time.perf_counter() - began
        faults.join()
        sampler.stop()
        worker.stop()
        figures = _report(work, summaries, elapsed, faults=faults, sampler=sampler, server=server)
        services = _services(data_dir, url, ADMIN)
        try:
            checks = run_checks(url, services, registers, believed(_results(work, args.tills)))
        finally:
            services.close()
        figures.update(checks.figures)
        checks.add(figures["deadlocks"] == 0, f"deadlocks: {figures['deadlocks']}")
        checks.add(
            figures["serialization_failures"] == 0,
            f"serialization failures: {figures['serialization_failures']}",
        )
        print("\nChecks")
        for ok, text in checks.lines:
            print(f"  {'OK  ' if ok else 'FAIL'} {text}")
        failed_tills = [s for s in summaries if "failed" in s]
        for summary in failed_tills:
            print(f"  FAIL till {summary.get('register', '?')}: {summary['failed']}")
        ok = checks.ok and not failed_tills
        figures["ok"] = ok
        figures["checks"] = [{"ok": c_ok, "text": text} for c_ok, text in checks.lines]
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
        print("\n" + ("every check green" if ok else "SOME CHECKS FAILED"))
        return 0 if ok else 1
    finally:
        if worker is not None:
            worker.stop()
        proxy.stop()
        server.stop()


# --- set-up ---------------------------------------------------------------------------


def _database(server: PrivateServer) -> str:
    raw = psycopg2.connect(server.url())
    raw.autocommit = True
    raw.cursor().execute("CREATE DATABASE shop")
    raw.close()
    return server.url("shop")


def _services(data_dir: Path, url: str, register: str) -> Services:
    settings = load_settings(
        overrides=(
            Override("paths.data_dir", str(data_dir), "--data-dir"),
            Override("database.url", url, "--db-url"),
            Override("shop.register_id", register, "bench"),
        ),
        environ={},
        fallback_file=data_dir / "none.toml",
    )
    return build(settings)


def ean13(number: int) -> str:
    body = f"70{number:010d}"
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return body + str((10 - (odd + 3 * even) % 10) % 10)


def _shop(data_dir: Path, url: str, tills: int, count: int) -> Path:
    """The shop: company, register 1, an admin and one cashier per till, registers 2..tills
    (set up as ``omnipos registers add`` does: a till never makes its own), the catalogue."""
    data_dir.mkdir(parents=True)
    services = _services(data_dir, url, "1")
    try:
        rate, food = rate_by_code("3"), rate_by_code("31")
        services.setup.initialise(
            company=Company("Lasttest AS", "923609016", "Storgata 1", "0155", "Oslo"),
            register=Register("1", "Kasse 1"),
            admin=Employee(ADMIN, "Admin Lastesen", Role.ADMIN),
            admin_pin="9999",
            groups=(ArticleGroup("10", "Mat", "04006"), ArticleGroup("20", "Diverse", "04999")),
            staff=[
                (Employee(str(n), f"Kasserer {n}", Role.CASHIER), "1234")
                for n in range(1, tills + 1)
            ],
        )
        for n in range(2, tills + 1):
            services.setup.add_register(str(n), f"Kasse {n}", actor=ADMIN)
        batch: list[Product] = []
        for n in range(count):
            batch.append(
                Product(
                    f"L{n:06d}",
                    f"Lastvare {n}",
                    Money(990 + (n * 37) % 20000),
                    food if n % 3 else rate,
                    "10" if n % 3 else "20",
                    barcodes=(ean13(n),),
                )
            )
            if len(batch) == 5000 or n == count - 1:
                with services.units() as uow:
                    uow.catalogue.upsert_products(batch)
                    uow.commit()
                batch = []
    finally:
        services.close()
    codes = data_dir / "barcodes.txt"
    codes.write_text("\n".join(ean13(n) for n in range(count)) + "\n")
    return codes


def _start_till(
    work: Path, data_dir: Path, url: str, n: int, *, barcodes: Path, seconds: float
) -> subprocess.Popen[str]:
    config = {
        "register": str(n),
        "employee": str(n),
        "seconds": seconds,
        "z_after": seconds / 2,
        "seed": n,
        "barcodes": str(barcodes),
        "hot": HOT,
        "results": str(work / f"till{n}.jsonl"),
        "data_dir": str(data_dir),
        "url": url,
    }
    path = work / f"till{n}.json"
    path.write_text(json.dumps(config))
    script = Path(__file__).with_name("bench_tills_till.py")
    return subprocess.Popen(
        [sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True
    )


def _finish(till: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = till.communicate()
    last = out.strip().splitlines()[-1] if out.strip() else "{}"
    summary: dict[str, Any] = json.loads(last)
    if till.returncode and "failed" not in summary:
        summary["failed"] = f"exit code {till.returncode}"
    return summary


def _results(work: Path, tills: int) -> list[Path]:
    return [work / f"till{n}.jsonl" for n in range(1, tills + 1)]


# --- the report ---------------------------------------------------------------------------


def _report(
    work: Path,
    summaries: list[dict[str, Any]],
    elapsed: float,
    *,
    faults: Faults,
    sampler: LockSampler,
    server: PrivateServer,
) -> dict[str, Any]:
    rows = believed(_results(work, len(summaries)))
    times = sorted(float(r["ms"]) for r in rows)
    total = len(rows)
    errors: dict[str, int] = {}
    for summary in summaries:
        for kind, n in summary.get("errors", {}).items():
            errors[kind] = errors.get(kind, 0) + n
    log = server.log_text()
    deadlocks = log.count("deadlock detected")
    serialization = log.count("could not serialize")
    lock_waits = log.count("still waiting for")
    q = statistics.quantiles(times, n=100) if len(times) >= 2 else [0.0] * 99
    print(f"\nSold {total} sales in {elapsed:.0f} s: {total / elapsed:.1f} sales/s")
    for summary in summaries:
        print(
            f"  till {summary.get('register', '?')}: {summary.get('sales', 0)} sales "
            f"({summary.get('sales', 0) / elapsed:.1f}/s), retried {summary.get('errors', {})}"
        )
    print(
        f"  completion (payment to completed sale): p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms, "
        f"max {times[-1] if times else 0:.0f} ms"
    )
    print(
        f"  outages: {len(faults.log)} faults, worker killed {faults.worker.kills}x, "
        f"server restarted {server.restarts}x, line cut {faults.proxy.cuts}x"
    )
    for line in faults.log:
        print(f"    {line}")
    peak = max(sampler.samples, default=0)
    mean = statistics.fmean(sampler.samples) if sampler.samples else 0.0
    print(
        f"  lock waits over 200 ms (server log): {lock_waits}; sessions waiting for a lock, "
        f"sampled each second: mean {mean:.2f}, peak {peak}"
    )
    print(
        f"  deadlocks: {deadlocks}; serialization failures: {serialization}; "
        f"steps retried by the tills: {errors or 'none'}"
    )
    return {
        "sales": total,
        "seconds": round(elapsed, 1),
        "sales_per_s": round(total / elapsed, 2),
        "per_till": {s.get("register", "?"): s.get("sales", 0) for s in summaries},
        "p50_ms": round(q[49], 1),
        "p99_ms": round(q[98], 1),
        "max_ms": round(times[-1], 0) if times else 0,
        "faults": faults.log,
        "worker_kills": faults.worker.kills,
        "restarts": server.restarts,
        "cuts": faults.proxy.cuts,
        "lock_waits": lock_waits,
        "lock_waiters_peak": peak,
        "deadlocks": deadlocks,
        "serialization_failures": serialization,
        "retried": errors,
    }


if __name__ == "__main__":
    sys.exit(main())
