"""A shop whose Z reports wait in the outbox for Fiken, and ``omnipos worker`` run as its own
process against the stateful Fiken peer (``tests/fiken_peer.py``): for the worker tests
and ``./scripts/bench accounting``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from ledger_support import COLA, MANAGER, MILK, cash_sale, open_shop

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.settings import AccountingSettings

OMNIPOS = Path(sys.executable).with_name("omnipos")
COMPANY = "butikken"


def fiken_settings(url: str, *, timeout_s: int = 1) -> AccountingSettings:
    """``[accounting]`` for the peer at ``url``."""
    return AccountingSettings(
        kind="fiken", fiken_company=COMPANY, fiken_url=url, timeout_s=timeout_s
    )


def queued_shop(data_dir: Path, url: str, days: int, *, timeout_s: int = 1) -> list[str]:
    """A shop in ``data_dir`` with ``days`` business days each closed by a Z report (a
    cash sale; every other day the drawer counted empty, so its voucher has a cash
    difference and Fiken gets a journal entry besides the sale); its config file and
    ``secrets.toml`` written for the worker. The Z keys, in order."""
    # The days end yesterday: the worker runs on the real clock, and a row is due from
    # the moment its Z was committed.
    first = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    clock = FixedClock(first - timedelta(days=days + 1))
    services, _ = open_shop(
        data_dir, clock=clock, accounting=fiken_settings(url, timeout_s=timeout_s)
    )
    keys = []
    try:
        for day in range(days):
            cash_sale(services, clock, MILK, COLA)
            counted = {TenderKind.CASH: Money(0)} if day % 2 else None
            report = services.reports.z_report("1", employee=MANAGER, counted_cash=counted)
            keys.append(f"Z-1-{report.report_no}")
            clock.advance(timedelta(days=1))
    finally:
        services.close()
    (data_dir / "config.toml").write_text(
        f'[paths]\ndata_dir = "{data_dir}"\n[shop]\nregister_id = "1"\n'
        f'[accounting]\nkind = "fiken"\nfiken_company = "{COMPANY}"\n'
        f'fiken_url = "{url}"\ntimeout_s = {timeout_s}\n',
        encoding="utf-8",
    )
    secrets = data_dir / "secrets.toml"
    secrets.write_text('[accounting]\ntoken = "personal-api-token"\n', encoding="utf-8")
    secrets.chmod(0o600)
    return keys


def omnipos(data_dir: Path, *args: str, log: IO[str] | None = None) -> subprocess.Popen[str]:
    """``omnipos --config DATA/config.toml ARGS`` as its own process."""
    return subprocess.Popen(
        [str(OMNIPOS), "--config", str(data_dir / "config.toml"), *args],
        stdout=log or subprocess.PIPE,
        stderr=subprocess.STDOUT if log else subprocess.PIPE,
        text=True,
        env=_env(),
    )


def worker(data_dir: Path, log: IO[str]) -> subprocess.Popen[str]:
    """``omnipos worker --poll 0.2`` (logging to ``log``)."""
    return omnipos(data_dir, "worker", "--poll", "0.2", log=log)


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``omnipos ARGS`` to the end (a minute at most)."""
    return subprocess.run(
        [str(OMNIPOS), "--config", str(data_dir / "config.toml"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        check=False,
    )


def status(data_dir: Path) -> dict[str, dict[str, Any]]:
    """``omnipos accounting status --json`` by key."""
    done = run(data_dir, "accounting", "status", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    return {v["key"]: v for v in json.loads(done.stdout)}


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("OMNIPOS_")} | {
        "COLUMNS": "200"
    }
