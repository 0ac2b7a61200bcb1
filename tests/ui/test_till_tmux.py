"""The real ``omnipos till`` in a real terminal (tmux at 80x24) on a demo shop with every
device simulated: log in, type three EANs, pay cash, lock and quit, then find the sale with
``omnipos journal show``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OMNIPOS = Path(sys.executable).with_name("omnipos")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.tool("tmux"),
]


def omnipos(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(OMNIPOS), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"omnipos {' '.join(args)}: {done.stderr}"
    return done.stdout


def tmux(session: str, *args: str) -> list[str]:
    """A tmux command on the test's own server (its own socket, so the till gets the test's
    environment even when another tmux server runs)."""
    return ["tmux", "-L", session, *args]


def screen(session: str) -> str:
    done = subprocess.run(
        tmux(session, "capture-pane", "-p", "-t", session),
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout


def keys(session: str, *what: str) -> None:
    subprocess.run(tmux(session, "send-keys", "-t", session, *what), check=True)


def wait_for(what: Callable[[], bool], explain: Callable[[], str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return
        time.sleep(0.1)
    raise AssertionError(explain())


class Screen:
    """What a tmux session shows."""

    def __init__(self, session: str) -> None:
        self.session = session

    def text(self) -> str:
        return screen(self.session)

    def explain(self) -> str:
        return f"the terminal shows:\n{self.text()}"

    def wait(self, text: str) -> None:
        wait_for(lambda: text in self.text(), self.explain)


def test_the_till_sells_three_items_for_cash_in_a_real_terminal(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OMNIPOS_DATA_DIR": str(tmp_path / "data"),
        "OMNIPOS_CONFIG": str(ROOT / "config" / "simulated.toml"),
        "TERM": "xterm-256color",
    }
    env.pop("OMNIPOS_DB_URL", None)
    omnipos(env, "init", "--demo")
    products = json.loads(omnipos(env, "products", "list", "--json", "--limit", "50"))
    chosen = [p for p in products if p["barcodes"] and p["unit"] == "piece" and p["active"]][:3]
    total = sum(p["price_ore"] for p in chosen)
    kroner = f"{total // 100},{total % 100:02d}"

    session = f"omnipos-{uuid.uuid4().hex[:8]}"
    # The shell stays after the till so its exit code (or a traceback) can be read.
    command = f"{OMNIPOS} till; echo till-exit-code=$?; sleep 120"
    subprocess.run(
        tmux(session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command),
        env=env,
        check=True,
    )
    try:
        see = Screen(session)
        see.wait("Ansattnummer")
        keys(session, "1", "Enter")
        keys(session, "1234", "Enter")
        see.wait("Kari (1)")
        for product in chosen:
            keys(session, product["barcodes"][0], "Enter")
            see.wait(product["name"][:20])
        see.wait(kroner)
        keys(session, "F9")
        see.wait("Betalt")
        keys(session, "C-l")
        see.wait("Ansattnummer")
        keys(session, "F12")
        see.wait("Avslutte kassen?")
        keys(session, "1")
        see.wait("till-exit-code=0")
    finally:
        subprocess.run(tmux(session, "kill-server"), capture_output=True, check=False)

    receipts = json.loads(
        omnipos(env, "journal", "show", "--code", "SALESRECEIPT", "--json", "--limit", "100000")
    )
    last = receipts[-1]
    assert last["employee"] == "1"
    assert last["payload"]["amount"] == total
    starts_and_stops = json.loads(
        omnipos(env, "journal", "show", "--code", "POSSTART,POSSTOP", "--json", "--limit", "100000")
    )
    assert [e["code"] for e in starts_and_stops][-2:] == ["POSSTART", "POSSTOP"]
    log = (tmp_path / "data" / "logs" / "till.log").read_text(encoding="utf-8")
    assert "queued print job" in log


def test_a_manager_voids_a_whole_sale_in_a_real_terminal(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OMNIPOS_DATA_DIR": str(tmp_path / "data"),
        "OMNIPOS_CONFIG": str(ROOT / "config" / "simulated.toml"),
        "TERM": "xterm-256color",
    }
    env.pop("OMNIPOS_DB_URL", None)
    omnipos(env, "init", "--demo")
    products = json.loads(omnipos(env, "products", "list", "--json", "--limit", "50"))
    chosen = [p for p in products if p["barcodes"] and p["unit"] == "piece" and p["active"]][:2]
    total = sum(p["price_ore"] for p in chosen)

    session = f"omnipos-{uuid.uuid4().hex[:8]}"
    command = f"{OMNIPOS} till; echo till-exit-code=$?; sleep 120"
    subprocess.run(
        tmux(session, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command),
        env=env,
        check=True,
    )
    try:
        see = Screen(session)
        see.wait("Ansattnummer")
        keys(session, "1", "Enter")
        keys(session, "1234", "Enter")
        see.wait("Kari (1)")
        for product in chosen:
            keys(session, product["barcodes"][0], "Enter")
            see.wait(product["name"][:20])
        keys(session, "F12")
        see.wait("Annuller hele salget (leder)")
        keys(session, "a")
        see.wait("Annullere hele salget?")
        keys(session, "1")
        see.wait("Krever godkjenning")
        keys(session, "2", "Enter")
        keys(session, "9999", "Enter")
        see.wait("Salget er annullert")
        assert "Varer 0" in see.text()
        keys(session, "C-l")
        see.wait("Ansattnummer")
        keys(session, "F12")
        see.wait("Avslutte kassen?")
        keys(session, "1")
        see.wait("till-exit-code=0")
    finally:
        subprocess.run(tmux(session, "kill-server"), capture_output=True, check=False)

    voids = json.loads(
        omnipos(env, "journal", "show", "--code", "VOIDRECEIPT", "--json", "--limit", "100000")
    )
    last = voids[-1]
    assert (last["employee"], last["payload"]["approved_by"]) == ("1", "2")
    assert last["payload"]["amount"] == total
