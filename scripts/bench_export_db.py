"""Benchmark the SAF-T export through the real export service from a real database.

A demo shop on a SQLite file gets ``--transactions`` signed sales spread over days
(``--per-day`` each, with their receipt and drawer events), written in bulk through the
real storage (``bench_ledger.py``). Then a fresh process runs ``ExportService.export_saft``
over the whole period -- master data, every event and transaction streamed page by page
from the database through the lxml writer into a temporary file renamed into place, the
export journaled -- and reports its time and its peak RSS (the whole process: Python,
lxml, peewee and the export).

With ``--split`` the child also says where the CPU went: the time inside the record
writer (filling lxml's cached element trees and lxml serialising them), and, in a second
pass after the export, the time to read the same transactions and events from the
database alone (as plain rows); the rest is describing the records in Python and the
export's checks.

The export reads stored rows and writes them directly (``exports/saft_rows.py``,
``saft_event_rows.py``); a period of 20,000 transactions or more has its rows read by a
helper process (``storage/export_reader.py``; with the describing helper,
``wiring/saft_helper.py``, the records are described there too:
``exports/saft_described.py``) while this one writes; the helper's CPU time and peak RSS are
shown apart (the rate is wall time, so it counts both processes working at once).

``--described K/N`` has the helper describe K of every N transaction pages (and every
event) and send the other pages as rows, described here (``rows``: the helper reads rows
only; without it: what ``bootstrap`` wires).

Usage: ./scripts/bench export [--transactions 100000] [--per-day 300] [--keep DIR] [--split]
                              [--validate] [--described K/N|rows]
       ./scripts/bench export --pure ...   (the writer alone on generated data)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_ledger import bulk_days, open_shop, opening, signer_of

from omnipos_tui.bootstrap import Services, build, write_saft_file
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.exports.xml_records import RecordWriter
from omnipos_tui.services.ledger.export import ExportService
from omnipos_tui.settings import Override, load_settings
from omnipos_tui.storage.export_reader import ExportRowReader
from omnipos_tui.storage.store import Store
from omnipos_tui.wiring import saft_helper

FIRST_DAY = date(2025, 1, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument(
        "--keep", type=Path, help="build the database in DIR once and reuse it on later runs"
    )
    parser.add_argument("--validate", action="store_true", help="check the file with xmllint")
    parser.add_argument("--split", action="store_true", help="say where the CPU time went")
    parser.add_argument(
        "--described",
        default="",
        metavar="K/N",
        help="the helper describes K of every N transaction pages ('rows': none, rows only)",
    )
    parser.add_argument(
        "--child",
        nargs=5,
        metavar=("DATA_DIR", "FIRST", "LAST", "SPLIT", "DESCRIBED"),
        help=argparse.SUPPRESS,
    )
    args = parser.parse_args(argv)
    if args.child:
        return _export(
            Path(args.child[0]),
            date.fromisoformat(args.child[1]),
            date.fromisoformat(args.child[2]),
            split=args.child[3] == "split",
            described=args.child[4],
        )
    days = -(-args.transactions // args.per_day)
    last_day = FIRST_DAY + timedelta(days=days - 1)
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-") as tmp:
        data_dir = args.keep or Path(tmp) / "shop"
        if (data_dir / "omnipos.sqlite3").exists():
            print(f"SAF-T export benchmark: reusing the database in {data_dir}")
            _migrate(data_dir)
        else:
            _build(data_dir, args.transactions, args.per_day)
        return _measure(
            data_dir,
            last_day,
            validate=args.validate,
            split=args.split,
            described=args.described,
        )


def _migrate(data_dir: Path) -> None:
    """Bring a kept database to this code's schema (migrations landed since it was built)."""
    store = Store(f"sqlite:///{data_dir / 'omnipos.sqlite3'}", FixedClock(opening(FIRST_DAY, 7)))
    try:
        applied = store.migrate()
    finally:
        store.close()
    if applied:
        print(f"  migrated it to schema version {applied[-1]}")


def _build(data_dir: Path, count: int, per_day: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    clock = FixedClock(opening(FIRST_DAY, 7))
    services = open_shop(data_dir, clock)
    started = time.perf_counter()
    days, left = [], count
    day = FIRST_DAY
    while left > 0:
        days.append(day)
        day += timedelta(days=1)
        left -= per_day
    signer = signer_of(services)
    written = 0
    try:
        for index, when in enumerate(days):
            n = min(per_day, count - written)
            written += bulk_days(services, signer, [when], n, seed=index)
            if index % 50 == 0 or written == count:
                print(
                    f"  building: {written:,} transactions ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
    finally:
        services.close()
    elapsed = time.perf_counter() - started
    print(f"  built {written:,} signed transactions over {len(days)} days in {elapsed:.0f} s")


def _measure(data_dir: Path, last_day: date, *, validate: bool, split: bool, described: str) -> int:
    run = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(data_dir),
            FIRST_DAY.isoformat(),
            last_day.isoformat(),
            "split" if split else "whole",
            described or "default",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        print(run.stdout, run.stderr, file=sys.stderr)
        return 1
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    seconds, count = figures["seconds"], figures["transactions"]
    rate = count / seconds
    peak = figures["peak_rss_mb"]
    cpu_rate = count / figures["cpu_seconds"]
    path = "stored rows"
    if described:
        path += f", helper describes {described}"
    print(
        f"SAF-T export through ExportService from SQLite ({path}): {count:,} transactions, "
        f"{figures['events']:,} events, {figures['mb']:.0f} MB in {seconds:.1f} s wall, "
        f"{figures['cpu_seconds']:.1f} s CPU (load average {os.getloadavg()[0]:.2f})"
    )
    print(
        f"  rate:      {rate:10,.0f} transactions/s wall ({cpu_rate:,.0f} per CPU second)   "
        f"budget >= 10,000   {_verdict(rate >= 10_000)}"
    )
    print(f"  peak RSS:  {peak:10.0f} MB               budget <= 200 MB   {_verdict(peak <= 200)}")
    if figures["helper_cpu"]:
        print(
            f"  the rows' reader process: {figures['helper_cpu']:.1f} s CPU beside the writer's, "
            f"peak RSS {figures['helper_peak_rss_mb']:.0f} MB "
            f"(together {peak + figures['helper_peak_rss_mb']:.0f} MB at most)"
        )
    if split and figures["helper_cpu"]:
        cpu, writer = figures["cpu_seconds"], figures["writer_cpu"]
        print(
            f"  CPU split: record writer (lxml leaf texts + serialisation) {writer:.1f} s, "
            f"the rest (master data, decoding the helper's frames, describing the records "
            f"unless the helper did) {cpu - writer:.1f} s of {cpu:.1f} s; reading the rows in "
            f"this process alone would take {figures['read_cpu']:.1f} s (a separate pass)"
        )
    elif split:
        cpu, writer, reading = figures["cpu_seconds"], figures["writer_cpu"], figures["read_cpu"]
        print(
            f"  CPU split: record writer (lxml leaf texts + serialisation) {writer:.1f} s, "
            f"reading and decoding rows {reading:.1f} s (a separate pass), the rest "
            f"(records described in Python, checks) {cpu - writer - reading:.1f} s of {cpu:.1f} s"
        )
    if validate:
        started = time.perf_counter()
        check = subprocess.run(
            ["xmllint", "--noout", "--stream", "--schema", figures["schema"], figures["file"]],
            capture_output=True,
            text=True,
            check=False,
        )
        verdict = "validates" if check.returncode == 0 else check.stderr[-500:]
        print(f"  xmllint:   {verdict} ({time.perf_counter() - started:.0f} s)")
    Path(figures["file"]).unlink(missing_ok=True)
    return 0


def _export(data_dir: Path, first: date, last: date, *, split: bool, described: str) -> int:
    """The measured part, alone in its own process."""
    settings = load_settings(
        overrides=(Override("paths.data_dir", str(data_dir), "--data-dir"),),
        environ={},
        fallback_file=data_dir / "none.toml",
    )
    services = build(settings)
    export = services.export
    if described != "default":
        share = None if described == "rows" else tuple(int(n) for n in described.split("/"))
        reader = ExportRowReader(
            Store(settings.database_url, services.clock),
            settings.database_url,
            describer=None if share is None else saft_helper,
            share=None if share is None else (share[0], share[1]),
        )
        export = ExportService(
            services.units, services.clock, services.journal, write_saft_file, reader
        )
    writer = [0.0]
    if split:
        _time_record_writer(writer)
    try:
        target = data_dir / "bench-export.xml"
        started, cpu = time.perf_counter(), time.process_time()
        result = export.export_saft(target, first_day=first, last_day=last)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        read_cpu = _read_only(services, first, last) if split else 0.0
    finally:
        services.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    helper = resource.getrusage(resource.RUSAGE_CHILDREN)  # the rows' reader process, if any
    schema = Path(__file__).resolve().parents[1] / "omnipos_tui" / "exports" / "schemas"
    print(
        json.dumps(
            {
                "transactions": result.transactions,
                "events": result.events,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "writer_cpu": writer[0],
                "read_cpu": read_cpu,
                "peak_rss_mb": peak,
                "helper_cpu": helper.ru_utime + helper.ru_stime,
                "helper_peak_rss_mb": helper.ru_maxrss / 1024,
                "mb": result.path.stat().st_size / 1e6,
                "file": str(result.path),
                "schema": str(schema / "Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd"),
            }
        )
    )
    return 0


def _time_record_writer(total: list[float]) -> None:
    """Add the CPU time spent inside ``RecordWriter.write_shape`` (every record written,
    described here or in the helper) to ``total[0]``."""
    original = RecordWriter.write_shape

    def timed(self: RecordWriter, shape: tuple[str, ...], texts: list[str], *, where: str) -> None:
        started = time.process_time()
        try:
            original(self, shape, texts, where=where)
        finally:
            total[0] += time.process_time() - started

    RecordWriter.write_shape = timed  # type: ignore[method-assign]  # a bench's measuring probe


def _read_only(services: Services, first: date, last: date) -> float:
    """CPU seconds to read the export's transactions and events as plain rows, nothing
    else."""
    started = time.process_time()
    journal = services.journal
    for register in journal.registers():
        rid = register.register_id
        for _ in journal.transaction_rows(rid, first_day=first, last_day=last):
            pass
        for _ in journal.event_rows(rid, since=first, until=last + timedelta(days=1)):
            pass
    return time.process_time() - started


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


if __name__ == "__main__":
    sys.exit(main())
