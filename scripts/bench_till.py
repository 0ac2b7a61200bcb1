"""Benchmark the till: start-up, scan-to-screen, a wedge scanner burst, memory after 1,000 sales.

A shop with a 100,000-product catalogue (imported through the real import service) on a
real SQLite file; every device simulated (the drawer without a sensor, so the drawer
rule does not stop the run).

Each measurement runs in its own fresh process started after the catalogue was built, so
the figures are the till's alone (not the generator's or importer's memory):

1. Start to log-in screen: the real ``omnipos till`` (the console script, config/simulated.toml
   on the bench's shop) in an 80x24 pseudo-terminal, timed from the spawn to the first
   output that holds the log-in screen's field label; then the cashier's way out (F12 and 1
   from the lock screen). Five runs after one that is not counted, each way Python may run
   it: with its byte code cached (as installed: pip compiles the modules) and compiled from
   source at every start (a checkout run with PYTHONDONTWRITEBYTECODE). The CPU time of
   each whole run (start, log-in screen, quit) is given too: it moves less with the load.
2. 1,000 sales of 1-5 scanned items (random products of the 100,000), each paid with F9,
   in the till from ``ui.wiring.build_till`` run headless by Textual's test driver at
   80x24: scan-to-screen p50/p99 measured inside the app by its LatencyProbe (from the
   scan's arrival to the refresh after it), and the resident memory after the 1,000 sales
   (with --trace-memory: where the Python heap grew from sale 100 to the last).
3. A burst of 1,000 scans typed by a keyboard-wedge scanner at 2 ms per character (13
   digits and Enter each) through the app's key path and the wedge detector: every scan
   must be rung exactly once, in order, none lost or merged, and the total must be right.
   The keys are made in another thread, as Textual's input thread makes them, with the
   thread switch interval ``omnipos till`` sets for a wedge scanner.

Usage: ./scripts/bench till [--products 100000] [--sales 1000] [--burst 1000] [--seed 1]
       [--data DIR]   (keep the shop in DIR and reuse it on the next run: no re-import)
       [--only start|sales|burst]... [--trace-memory]
"""

# Textual is imported after the till's frame rate is set (as `omnipos till` does it).
# ruff: noqa: E402
from __future__ import annotations

import argparse
import asyncio
import fcntl
import io
import json
import os
import pty
import random
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import tracemalloc
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from omnipos_tui.startup import use_till_frame_rate

use_till_frame_rate()  # before Textual is imported, as `omnipos till` does

from textual import events
from textual.pilot import Pilot

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.shop.company import Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.device_settings import device
from omnipos_tui.services.sales import receipts
from omnipos_tui.settings import Override, Settings, load_settings
from omnipos_tui.ui.app import OmniposTill
from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.wiring import build_till

ROOT = Path(__file__).resolve().parents[1]
CASHIER, PIN = "1", "1234"
CHAR_GAP_S = 0.002
#: The sellable barcodes with their SKU and price, written once by the parent for the
#: children (so no child generates the catalogue).
CODES_FILE = "bench-codes.json"
#: What the children scan (picked by the parent from CODES_FILE with the seed).
PLAN_FILE = "bench-plan.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--burst-sale", type=int, default=50, help="scans per burst sale")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="reuse (or build once) the shop in DIR")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="sales: what grew between sale 100 and the last (tracemalloc; slows the scans)",
    )
    parser.add_argument(
        "--only",
        choices=("start", "sales", "burst"),
        action="append",
        help="run only this part (repeatable); all three by default",
    )
    parser.add_argument("--child-sales", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-burst", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_sales:
        plan = json.loads((args.child_sales / PLAN_FILE).read_text())
        asyncio.run(_sales(args.child_sales, plan["baskets"], trace=args.trace_memory))
        return 0
    if args.child_burst:
        plan = json.loads((args.child_burst / PLAN_FILE).read_text())
        wanted = [(code, sku, Money(ore)) for code, sku, ore in plan["burst"]]
        ok = asyncio.run(_burst(args.child_burst, wanted, per_sale=args.burst_sale))
        return 0 if ok else 1
    print(
        f"Till benchmark ({args.products:,} products; load average {os.getloadavg()[0]:.2f}; "
        "each part in a fresh process)"
    )
    if args.data is not None:
        args.data.mkdir(parents=True, exist_ok=True)
        return _run(args.data, args)
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-") as tmp:
        return _run(Path(tmp), args)


def _run(data: Path, args: argparse.Namespace) -> int:
    if not (data / CODES_FILE).exists():
        _, products = _shop(data, args.products, args.seed)
        (data / CODES_FILE).write_text(
            json.dumps({c: [s, p.ore] for c, (s, p) in products.items()})
        )
    else:
        print(f"  catalogue reused from {data}")
    _write_plan(data, args)
    parts = set(args.only or ("start", "sales", "burst"))
    if "start" in parts:
        _report_start(data)
    common = ["--sales", str(args.sales), "--burst", str(args.burst), "--seed", str(args.seed)]
    common += ["--burst-sale", str(args.burst_sale)]
    failed = 0
    for part in ("sales", "burst"):
        if part in parts:
            child = [sys.executable, __file__, f"--child-{part}", str(data), *common]
            child += ["--trace-memory"] if args.trace_memory and part == "sales" else []
            failed += subprocess.run(child, check=False).returncode != 0
    print(f"  load average after: {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


def _write_plan(data: Path, args: argparse.Namespace) -> None:
    """The scans the children make, picked here: a child holds its few thousand codes, not
    the catalogue's (which would count in its memory)."""
    raw: dict[str, list[Any]] = json.loads((data / CODES_FILE).read_text())
    codes = list(raw)
    rng = random.Random(args.seed)
    baskets = [[rng.choice(codes) for _ in range(rng.randint(1, 5))] for _ in range(args.sales)]
    rng = random.Random(args.seed + 1)
    burst = [[c, *raw[c]] for c in (rng.choice(codes) for _ in range(args.burst))]
    (data / PLAN_FILE).write_text(json.dumps({"baskets": baskets, "burst": burst}))


def settings_for(data: Path, *, wedge: bool = False) -> Settings:
    """config/simulated.toml in ``data``, the drawer without a sensor."""
    settings = load_settings(
        ROOT / "config" / "simulated.toml",
        overrides=(
            Override("paths.data_dir", str(data), "--data-dir"),
            Override("database.url", "", "--db-url"),
        ),
        environ={},
    )
    devices = replace(
        settings.devices,
        drawer=device("drawer", "simulated", has_sensor=False),
        scanner=device("scanner", "wedge") if wedge else settings.devices.scanner,
    )
    return replace(settings, devices=devices)


def _shop(data: Path, count: int, seed: int) -> tuple[list[str], dict[str, tuple[str, Money]]]:
    # Imported here: the children (whose start-up is measured) never load the generator.
    from omnipos_tui.demo.data import demo_company, demo_groups, synthetic_products
    from omnipos_tui.services.catalogue.product_csv import write_products_csv

    services = build(settings_for(data))
    try:
        services.setup.initialise(
            company=demo_company(),
            register=Register("1", "Kasse 1"),
            admin=Employee("99", "Bench Admin", Role.ADMIN),
            admin_pin="4321",
            groups=demo_groups(),
            staff=[(Employee(CASHIER, "Kari Nordmann", Role.CASHIER), PIN)],
        )
        started = time.perf_counter()
        products = [p for p in synthetic_products(count, seed)]
        text = io.StringIO()
        write_products_csv(products, text)
        services.catalogue.import_csv(text.getvalue().encode(), source="bench.csv", actor="bench")
        print(f"  catalogue of {count:,} imported in {time.perf_counter() - started:.1f} s")
        pieces = [p for p in products if p.unit.value == "piece" and p.barcodes]
        return [p.barcodes[0] for p in pieces], {p.barcodes[0]: (p.sku, p.price) for p in pieces}
    finally:
        services.close()


# --- 1. start-up ------------------------------------------------------------------------

#: What F12 and then 1 send from the lock screen (TILL-UX.md: leave the till).
F12 = b"\x1b[24~"
START_RUNS = 5
START_TIMEOUT_S = 30.0


def till_command() -> list[str]:
    """The real ``omnipos till`` of this environment (the console script beside Python)."""
    script = Path(sys.executable).with_name("omnipos")
    if script.exists():
        return [str(script), "till"]
    return [sys.executable, "-c", "from omnipos_tui.cli.main import main; main()", "till"]


def till_environment(data: Path, *, byte_code: bool) -> dict[str, str]:
    """``omnipos till`` on the shop in ``data`` with the bench's settings (as
    :func:`settings_for`: config/simulated.toml, the drawer without a sensor).

    With ``byte_code`` Python keeps its compiled modules (in ``data/pycache``, not in the
    checkout), as an installed till does (pip compiles them at install); without it every
    module of OmniPOS is compiled from source at each start (PYTHONDONTWRITEBYTECODE, as a
    checkout that never writes byte code runs; site-packages are compiled either way).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OMNIPOS_", "PYTHONDONT"))}
    env.pop("PYTHONPYCACHEPREFIX", None)
    if byte_code:
        env["PYTHONPYCACHEPREFIX"] = str(data / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(
        OMNIPOS_CONFIG=str(ROOT / "config" / "simulated.toml"),
        OMNIPOS_DATA_DIR=str(data),
        OMNIPOS_DEVICES__DRAWER__HAS_SENSOR="false",
        TERM="xterm-256color",
    )
    return env


@dataclass(frozen=True, slots=True)
class StartRun:
    """One start of the real till in a terminal.

    Attributes:
        login_ms: From the spawn to the first output that shows the log-in screen.
        cpu_ms: The process's CPU time (user + system) for the whole run, start to quit.
    """

    login_ms: float
    cpu_ms: float


def _start_to_login(data: Path, *, byte_code: bool) -> list[StartRun]:
    """Start the real ``omnipos till`` ``START_RUNS`` times in an 80x24 terminal, after one
    run that is not counted (it writes the byte code; the page cache warms up)."""
    texts = Translator(settings_for(data).shop.language)
    title, quit_prompt = texts.text("login.number").encode(), texts.text("quit.title").encode()
    env = till_environment(data, byte_code=byte_code)
    _start_once(env, title, quit_prompt)
    return [_start_once(env, title, quit_prompt) for _ in range(START_RUNS)]


def _start_once(env: dict[str, str], title: bytes, quit_prompt: bytes) -> StartRun:
    """Spawn ``omnipos till`` in a pseudo-terminal, time it to the first output holding the
    log-in screen's field label, then leave it as a cashier does (F12, then 1). The
    terminal's output is read all the time, so the till never waits on a full pipe."""
    command = till_command()
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: an 80x24 terminal, then the real command
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(command[0], command, env)
    shown: float | None = None
    seen = b""
    deadline = started + START_TIMEOUT_S
    asked = False
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal (EIO)
                break
            if not chunk:
                break
            seen = (seen + chunk)[-65536:]
            if shown is None and title in seen:
                shown = time.perf_counter()
                seen = b""
                os.write(fd, F12)
            elif shown is not None and not asked and quit_prompt in seen:
                asked = True
                os.write(fd, b"1")
    finally:
        if shown is None or not asked:
            os.kill(pid, signal.SIGTERM)
        _, status, usage = os.wait4(pid, 0)
        os.close(fd)
    if shown is None:
        raise SystemExit(f"omnipos till showed no log-in screen in {START_TIMEOUT_S:.0f} s")
    if not asked or status != 0:
        raise SystemExit(f"omnipos till did not quit from the lock screen (status {status})")
    return StartRun((shown - started) * 1000, (usage.ru_utime + usage.ru_stime) * 1000)


def _report_start(data: Path) -> None:
    print(
        f"  start to log-in screen: the real `omnipos till` in an 80x24 pseudo-terminal, "
        f"spawn to the log-in screen's output; median of {START_RUNS} runs (min-max); CPU "
        "time of the whole run (start, log-in screen, quit)"
    )
    for byte_code, what in ((True, "byte code cached (installed)"), (False, "from source")):
        runs = _start_to_login(data, byte_code=byte_code)
        login = sorted(run.login_ms for run in runs)
        cpu = sorted(run.cpu_ms for run in runs)
        print(
            f"    {what + ':':30} {statistics.median(login):5.0f} ms "
            f"({login[0]:.0f}-{login[-1]:.0f})   CPU {statistics.median(cpu):5.0f} ms "
            f"({cpu[0]:.0f}-{cpu[-1]:.0f})   load average {os.getloadavg()[0]:.2f}"
        )


# --- 2. sales ---------------------------------------------------------------------------


#: A log-in that has not reached the sale screen by then is reported, not waited for.
LOG_IN_TIMEOUT_S = 30.0


async def _log_in(pilot: Pilot[None], app: OmniposTill) -> None:
    await pilot.press(*CASHIER, "enter", *PIN, "enter")
    deadline = time.monotonic() + LOG_IN_TIMEOUT_S
    while app.sale_screen is None:
        if time.monotonic() > deadline or not app.is_running:
            screen = app.screen if app.is_running else None
            shown = getattr(screen, "error", "") if screen is not None else "the app stopped"
            raise SystemExit(
                f"log-in did not reach the sale screen in {LOG_IN_TIMEOUT_S:.0f} s: "
                f"{type(screen).__name__} shows {shown!r}"
            )
        await pilot.pause(0.01)
    await _idle(pilot)


async def _idle(pilot: Pilot[None]) -> None:
    for worker in list(pilot.app.workers):
        if worker.group != "scanner" and not worker.is_finished:
            await worker.wait()
    await pilot.pause()


#: With --trace-memory: the heap is compared between the end of this sale and the last one.
TRACE_FROM_SALE = 100


async def _sales(data: Path, baskets: list[list[str]], *, trace: bool = False) -> None:
    services = build(settings_for(data))
    till = build_till(services, poll_interval=0, debounce_s=0)
    till.app.freeze_heap_at_log_in = True  # as `omnipos till` does
    sales = len(baskets)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, till.app)
        rss_before = _rss_mb()
        till.app.latency.clear()
        started = time.perf_counter()
        scans = 0
        early: tracemalloc.Snapshot | None = None
        rss_early = 0.0
        if trace:
            tracemalloc.start(1)
        for number, basket in enumerate(baskets):
            if number == 1:
                till.app.latency.clear()  # the first sale warms caches up: not counted
            if trace and number == TRACE_FROM_SALE:
                early, rss_early = tracemalloc.take_snapshot(), _rss_mb()
            for code in basket:
                till.app.deliver_scan(Scan(code, time.monotonic()))
                await pilot.pause()
                scans += 1
            await pilot.press("f9")
            await _idle(pilot)
        elapsed = time.perf_counter() - started
        summary = till.app.latency.summary()
        done = receipts.last_receipt_id(services.sales, "1")
        rss_after = _rss_mb()
        if early is not None:
            _print_growth(early, tracemalloc.take_snapshot(), (rss_early, rss_after), sales)
    services.close()
    assert summary is not None
    print(
        f"  {sales:,} sales, {scans:,} scans in {elapsed:.1f} s (last receipt {done}); "
        f"scan-to-screen p50 {summary.p50_ms:.1f} ms  p99 {summary.p99_ms:.1f} ms  "
        f"max {summary.max_ms:.1f} ms  (budget p99 <= 16 ms)"
    )
    print(
        f"  resident memory: {rss_before:.0f} MB after log-in, {rss_after:.0f} MB after "
        f"{sales:,} sales (the simulated printer keeps every receipt's bytes)"
    )


def _print_growth(
    early: tracemalloc.Snapshot, late: tracemalloc.Snapshot, rss: tuple[float, float], sales: int
) -> None:
    """Where the Python heap grew from sale TRACE_FROM_SALE to the last (source lines)."""
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    diffs = late.filter_traces(ignore).compare_to(early.filter_traces(ignore), "lineno")
    grown = sum(d.size_diff for d in diffs) / 1e6
    print(
        f"  memory from sale {TRACE_FROM_SALE} to {sales}: RSS {rss[0]:.0f} -> {rss[1]:.0f} MB, "
        f"Python heap {grown:+.1f} MB; the biggest growths:"
    )
    for diff in diffs[:12]:
        where = diff.traceback[0]
        path = Path(where.filename)
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else Path(*path.parts[-2:])
        size, count = diff.size_diff / 1e6, diff.count_diff
        print(f"    {size:+7.2f} MB {count:+8,} blocks  {name}:{where.lineno}")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- 3. wedge burst ---------------------------------------------------------------------


async def _burst(data: Path, plan: list[tuple[str, str, Money]], *, per_sale: int) -> bool:
    services = build(settings_for(data, wedge=True))
    till = build_till(services, poll_interval=0, debounce_s=0)
    till.app.freeze_heap_at_log_in = True  # as `omnipos till` does
    default_interval = sys.getswitchinterval()
    from omnipos_tui.startup import SWITCH_INTERVAL_S  # not in the start-up child

    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as `omnipos till` does with a wedge scanner
    wanted = [code for code, _, _ in plan]
    count = len(wanted)
    first = _receipt_number(services) + 1
    async with till.app.run_test(size=(80, 24)) as pilot:
        await _log_in(pilot, till.app)
        screen = till.app.sale_screen
        assert screen is not None
        till.app.latency.clear()
        started = time.perf_counter()
        # Keys come from another thread, as Textual's input thread delivers them: each
        # event carries the moment it was made, whatever the app's loop is doing.
        typist = threading.Thread(target=_type_codes, args=(screen, wanted, per_sale), daemon=True)
        typist.start()
        while typist.is_alive():
            await pilot.pause(0.05)
        typed_s = time.perf_counter() - started
        sales = -(-count // per_sale)
        quiet_since, seen = time.monotonic(), -1
        while time.monotonic() - quiet_since < 5 and seen < sales:
            now = _receipt_number(services) - first + 1
            if now != seen:
                seen, quiet_since = now, time.monotonic()
            await pilot.pause(0.05)
        await _idle(pilot)
        behind_s = time.perf_counter() - started - typed_s
        summary = till.app.latency.summary()
        last = _receipt_number(services)
        lines = [
            line
            for number in range(first, last + 1)
            for line in receipts.transaction(services.sales, f"1-{number}").lines
        ]
        total = Money.sum(
            [receipts.transaction(services.sales, f"1-{n}").total for n in range(first, last + 1)]
        )
    services.close()
    sys.setswitchinterval(default_interval)
    rung = [line.sku for line in lines]
    total_ok = total == Money.sum([price for _, _, price in plan])
    in_order = rung == [sku for _, sku, _ in plan] and all(line.quantity == 1 for line in lines)
    print(
        f"  wedge burst: {count:,} scans ({per_sale} a sale, F9 typed after each) at 2 ms/char "
        f"typed in {typed_s:.1f} s, all rung {behind_s:.1f} s later; {len(rung):,} lines on "
        f"{last - first + 1} receipts, "
        f"{'none lost or merged' if in_order else 'LOST OR MERGED'}, total "
        f"{total} {'right' if total_ok else 'WRONG'}"
        + (
            f"; scan-to-screen p50 {summary.p50_ms:.1f} ms p99 {summary.p99_ms:.1f} ms"
            if summary
            else ""
        )
    )
    return in_order and total_ok


def _receipt_number(services: Services) -> int:
    last = receipts.last_receipt_id(services.sales, "1")
    return int(last.rsplit("-", 1)[1]) if last else 0


def _type_codes(screen: SaleScreen, codes: list[str], per_sale: int) -> None:
    """Type every code and Enter at 2 ms per key (a wedge scanner's burst), and F9 after
    every ``per_sale`` codes."""
    slot = time.monotonic()
    for index, code in enumerate(codes, start=1):
        keys: list[tuple[str, str | None]] = [*((c, c) for c in code), ("enter", "\r")]
        if index % per_sale == 0 or index == len(codes):
            keys.append(("f9", None))
        for key, char in keys:
            slot += CHAR_GAP_S
            time.sleep(max(0.0, slot - time.monotonic()))
            screen.post_message(events.Key(key, char))


if __name__ == "__main__":
    sys.exit(main())
