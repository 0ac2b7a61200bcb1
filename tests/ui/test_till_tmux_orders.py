"""The real ``omnipos till`` in tmux at 80x24 with a keyboard-wedge scanner: an order taken
on the command line is picked up at the till by scanning its barcode (the scanner types it
into the terminal at machine speed), paid in cash; ``omnipos orders show`` then says picked
up and ``omnipos stock show`` has the goods gone once, nothing left reserved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .test_till_tmux import Screen, keys, omnipos, tmux

ROOT = Path(__file__).resolve().parents[2]
OMNIPOS = Path(sys.executable).with_name("omnipos")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.tool("tmux"),
]


def _floor(env: dict[str, str], sku: str) -> tuple[float, float]:
    shown = json.loads(omnipos(env, "stock", "show", sku, "--json"))
    floor = next(loc for loc in shown["locations"] if loc["location"] == "butikk")
    return float(floor["on_hand"]), float(floor["reserved"])


def test_a_pickup_is_completed_in_the_real_till_by_scanning_the_orders_barcode(
    tmp_path: Path,
) -> None:
    shipped = (ROOT / "config" / "simulated.toml").read_text(encoding="utf-8")
    head, _, rest = shipped.partition("[devices.scanner]")
    _, _, tail = rest.partition("\n[")
    config = tmp_path / "wedge.toml"
    config.write_text(f'{head}[devices.scanner]\nkind = "wedge"\n\n[{tail}', encoding="utf-8")
    env = {
        **os.environ,
        "OMNIPOS_DATA_DIR": str(tmp_path / "data"),
        "OMNIPOS_CONFIG": str(config),
        "TERM": "xterm-256color",
    }
    env.pop("OMNIPOS_DB_URL", None)
    omnipos(env, "init", "--demo", "--demo-days", "0")
    rows = json.loads(omnipos(env, "stock", "list", "--location", "butikk", "--json"))
    sku = next(r["sku"] for r in rows if r["unit"] == "piece" and r["available"] >= 5)
    cashier = {**env, "OMNIPOS_EMPLOYEE": "1", "OMNIPOS_PIN": "1234"}  # the demo's Kari
    order = json.loads(
        omnipos(cashier, "orders", "new", "--customer", "20001", "--line", f"{sku}=2", "--json")
    )
    before = _floor(env, sku)
    assert before[1] >= 2

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
        see.wait("(1)")
        keys(session, order["barcode"], "Enter")  # the wedge scanner, at machine speed
        see.wait(f"Ordre {order['number']}")
        see.wait(order["lines"][0]["name"][:20])
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

    shown = json.loads(omnipos(env, "orders", "show", str(order["number"]), "--json"))
    assert shown["status"] == "picked_up"
    assert shown["history"][-1]["employee"] == "1"
    after = _floor(env, sku)
    assert after == (before[0] - 2, before[1] - 2)
    assert json.loads(omnipos(env, "stock", "verify", "--json"))["clean"]
