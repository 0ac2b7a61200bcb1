"""Running ``omnipos`` in-process on a shop in a temporary data directory.

Every command goes through the real Typer app (``omnipos_tui.cli.root.app``) with
``--data-dir``, so settings, bootstrap, storage (a real SQLite file), services and the
error handling at the root are all the real ones.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from omnipos_tui.cli.root import app
from omnipos_tui.cli.state import CliState
from omnipos_tui.core.clock import OSLO, Clock

SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "omnipos_tui"
    / "exports"
    / "schemas"
    / "Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd"
)
"""The official XSD: the unmodified copy the product ships (see the README beside it)."""

SEEDED_DAYS = 3
_LAST = datetime.now(UTC).astimezone(OSLO).date() - timedelta(days=7)
SEEDED_TO = _LAST.isoformat()
"""The last seeded day: a week ago, so it is in the past on any machine."""
SEEDED_FROM = (_LAST - timedelta(days=SEEDED_DAYS - 1)).isoformat()


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Keep the developer's OMNIPOS_* variables and config file out of a test."""
    import os

    for key in list(os.environ):
        if key.startswith("OMNIPOS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("COLUMNS", "160")


DEMO_ADMIN = ("9", "0000")
"""The demo shop's admin: number and PIN."""
DEMO_MANAGER = ("2", "9999")
DEMO_CASHIER = ("1", "1234")
Who = tuple[str, str] | None
"""Who is at the keyboard: (employee number, PIN) as OMNIPOS_EMPLOYEE and OMNIPOS_PIN, or
None for nobody."""


def omnipos(
    data_dir: Path,
    *args: str,
    input: str | None = None,
    who: Who = DEMO_ADMIN,
    clock: Clock | None = None,
) -> Result:
    """Run ``omnipos --data-dir DATA_DIR ARGS...`` and return its result (never raises).

    ``who`` is the employee at the keyboard, given as OMNIPOS_EMPLOYEE and OMNIPOS_PIN
    (the demo's admin unless told; read-only commands ignore them). ``clock`` is the
    services' clock (the system clock unless given)."""
    env = {"OMNIPOS_EMPLOYEE": who[0], "OMNIPOS_PIN": who[1]} if who else {}
    return CliRunner(env=env).invoke(
        app, ["--data-dir", str(data_dir), *args], input=input, obj=CliState(clock=clock)
    )


def ok(data_dir: Path, *args: str, who: Who = DEMO_ADMIN, clock: Clock | None = None) -> Result:
    """Run a command that must succeed; fail the test with its output otherwise."""
    result = omnipos(data_dir, *args, who=who, clock=clock)
    if result.exit_code != 0:
        pytest.fail(
            f"omnipos {' '.join(args)} exited {result.exit_code}:\n{result.output}\n"
            f"{result.exception!r}"
        )
    return result


def ok_json(data_dir: Path, *args: str, who: Who = DEMO_ADMIN, clock: Clock | None = None) -> Any:
    """Run a command with ``--json`` that must succeed; its parsed standard output."""
    return json.loads(ok(data_dir, *args, "--json", who=who, clock=clock).stdout)


def demo_shop(data_dir: Path) -> None:
    """The demo shop without history (catalogue, staff, customers, signing key)."""
    ok(data_dir, "init", "--demo", "--demo-days", "0")


def seeded_shop(data_dir: Path, *, days: int = SEEDED_DAYS, sales: int = 50, seed: int = 7) -> None:
    """The demo shop with ``days`` days of ``sales`` customers ending on SEEDED_TO."""
    demo_shop(data_dir)
    ok(
        data_dir,
        "demo", "seed",
        "--days", str(days),
        "--sales-per-day", str(sales),
        "--seed", str(seed),
        "--until", SEEDED_TO,
    )  # fmt: skip


def database(data_dir: Path) -> sqlite3.Connection:
    """A raw sqlite3 connection to the shop's database file (for tampering)."""
    return sqlite3.connect(data_dir / "omnipos.sqlite3")
