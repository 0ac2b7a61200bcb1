"""Benchmark the accounting integration (issue 13): three figures, measured, never asserted.

1. **Voucher build**: the settlement voucher of one Z report of ``--receipts`` receipts
   (default 5,000; three VAT rates, every means of payment, tips, cash rounding, returns,
   a counted cash difference), built by the real builder (``source_from_z`` +
   ``build_voucher``) from the real Z report: the median of ``--repeat`` builds.
2. **Worker throughput**: ``--vouchers`` Z reports (default 200) of a shop on SQLite queued
   by their own commits, then ``omnipos worker`` started as its own process against the
   stateful local Fiken peer (``tests/fiken_peer.py``, on 127.0.0.1, each request
   validated with openapi-core against Fiken's official spec, answered at once): vouchers
   per second from the first sale the peer receives to the last row recorded done (each
   voucher is four requests: the duplicate check, the journal-entry check, the journal
   entry, the sale).
3. **SAF-T Financial export**: a year of a busy shop, ``--registers`` tills (default 3)
   closing every day of 2026 (3 x 365 = 1,095 vouchers), written by the real writer;
   seconds, the writer's peak Python heap (tracemalloc, a second run) and the peak RSS of
   the process doing it (its own, holding the year's vouchers); the file checked with
   ``xmllint --schema`` against the 1.30 XSD when xmllint is there.

Usage: ./scripts/bench accounting [--receipts 5000] [--repeat 5] [--vouchers 200]
       [--registers 3] [--skip-worker]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "integration")]

from accounting_support import COMPANY, busy_voucher, busy_z  # noqa: E402
from accounting_worker_support import queued_shop, status, worker  # noqa: E402
from fiken_peer import FikenPeer  # noqa: E402

from omnipos_tui.core.accounting.accounts import AccountMap  # noqa: E402
from omnipos_tui.core.accounting.settlement import build_voucher  # noqa: E402
from omnipos_tui.core.accounting.z_source import source_from_z  # noqa: E402
from omnipos_tui.integrations.accounting.saft_financial import (  # noqa: E402
    SCHEMAS,
    FinancialFile,
    write_saft_financial,
)


def voucher_build(receipts: int, repeat: int) -> None:
    started = time.perf_counter()
    report = busy_z(receipts=receipts)
    made = time.perf_counter() - started
    accounts = AccountMap()
    start = time.perf_counter()
    build_voucher(source_from_z(report), accounts)
    cold = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        voucher = build_voucher(source_from_z(report), accounts)
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    print(
        f"1. voucher build, Z of {receipts:,} receipts: median {median:.2f} ms "
        f"(min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f} over {repeat} builds; "
        f"the first in the process {cold * 1000:.1f} ms); {len(voucher.lines)} lines, "
        f"balanced={voucher.balanced}. Built from the Z's own totals, so it does not grow "
        f"with the receipts; the Z report itself (tallying them) took {made:.2f} s"
    )


def worker_throughput(vouchers: int, base: Path) -> None:
    data = base / "shop"
    with FikenPeer() as peer:
        start = time.perf_counter()
        keys = queued_shop(data, peer.url, vouchers, timeout_s=30)
        print(f"   ({vouchers} Z reports queued in {time.perf_counter() - start:.1f} s)")
        log = (base / "worker.log").open("w")
        process = worker(data, log)
        try:
            while not peer.sales:
                if process.poll() is not None:
                    raise SystemExit(f"the worker exited; see {base / 'worker.log'}")
                time.sleep(0.005)
            first = time.perf_counter()
            while len(peer.booked()) < vouchers:
                if time.perf_counter() - first > 600:
                    raise SystemExit("not all booked within 10 minutes")
                time.sleep(0.005)
            booked = time.perf_counter()
            while any(v["state"] != "done" for v in status(data).values()):
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(30)
            log.close()
        twice = {k: n for k, n in peer.booked().items() if n != 1}
        span = booked - first
        print(
            f"2. worker throughput to the local Fiken peer: {vouchers / span:.1f} vouchers/s "
            f"({vouchers} vouchers, {len(keys)} keys, booked in {span:.2f} s from the first "
            f"sale received; duplicates {len(twice)}, invalid requests {len(peer.invalid)})"
        )


def saft_year(registers: int, base: Path) -> None:
    first = date(2026, 1, 1)
    days = [first + timedelta(days=n) for n in range(365)]
    vouchers = [
        busy_voucher(str(r), n + 1, at=datetime(d.year, d.month, d.day, 19, 0, tzinfo=UTC))
        for n, d in enumerate(days)
        for r in range(1, registers + 1)
    ]
    data = FinancialFile(
        org_number=COMPANY.org_number,
        name=COMPANY.name,
        street=COMPANY.street,
        postal_code=COMPANY.postal_code,
        city=COMPANY.city,
        start=days[0],
        end=days[-1],
        created=date(2027, 1, 15),
        vouchers=vouchers,
    )
    out = base / "saft-financial-2026.xml"
    start = time.perf_counter()
    version = write_saft_financial(data, out)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    write_saft_financial(data, base / "again.xml")
    _, heap = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = _peak_rss_mb()
    size = out.stat().st_size / 1e6
    valid = "xmllint not found"
    if shutil.which("xmllint"):
        check = subprocess.run(
            ["xmllint", "--noout", "--schema", str(SCHEMAS[version]), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        valid = "valid" if check.returncode == 0 else f"INVALID: {check.stderr[-300:]}"
    print(
        f"3. SAF-T Financial {version}, a year of {registers} registers' daily vouchers "
        f"({len(vouchers):,} vouchers, {sum(len(v.lines) for v in vouchers):,} lines, "
        f"{size:.1f} MB): {seconds:.2f} s ({len(vouchers) / seconds:,.0f} vouchers/s); "
        f"peak heap of the writer {heap / 2**20:.1f} MB, peak RSS of the process (Python, "
        f"the year's vouchers in memory, the writer) {rss:.0f} MB; "
        f"xmllint against the XSD: {valid}"
    )


def _peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM (``ru_maxrss`` keeps the parent's across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    warnings.filterwarnings("ignore", "Unsupported scheme type")  # openapi-core, the peer
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--vouchers", type=int, default=200)
    parser.add_argument("--registers", type=int, default=3)
    parser.add_argument("--skip-worker", action="store_true")
    parser.add_argument("--saft-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.saft_only:  # its own process, so that its peak RSS is the export's
        saft_year(args.registers, Path(tempfile.mkdtemp(prefix="bench-saft-financial-")))
        return
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    base = Path(tempfile.mkdtemp(prefix="bench-accounting-"))
    voucher_build(args.receipts, args.repeat)
    if not args.skip_worker:
        worker_throughput(args.vouchers, base)
    sys.stdout.flush()
    subprocess.run(
        [sys.executable, __file__, "--saft-only", "--registers", str(args.registers)], check=True
    )
    print(f"load average at the end {os.getloadavg()[0]:.1f}; files in {base}")


if __name__ == "__main__":
    main()
