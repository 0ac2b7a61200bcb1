"""The real ``omnipos till`` in tmux at 80x24: a manager takes in a delivery of three
scanned items from the F12 menu; ``omnipos stock show`` then has one more of each."""

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


def _on_hand(env: dict[str, str], sku: str) -> float:
    shown = json.loads(omnipos(env, "stock", "show", sku, "--json"))
    return float(shown["locations"][0]["on_hand"])


def test_a_manager_receives_three_scanned_items_at_the_till(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OMNIPOS_DATA_DIR": str(tmp_path / "data"),
        "OMNIPOS_CONFIG": str(ROOT / "config" / "simulated.toml"),
        "TERM": "xterm-256color",
    }
    env.pop("OMNIPOS_DB_URL", None)
    omnipos(env, "init", "--demo", "--demo-days", "0")
    products = json.loads(omnipos(env, "products", "list", "--json", "--limit", "60"))
    chosen = [p for p in products if p["barcodes"] and p["unit"] == "piece" and p["active"]][:3]
    before = {p["sku"]: _on_hand(env, p["sku"]) for p in chosen}

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
        keys(session, "2", "Enter")
        keys(session, "9999", "Enter")
        see.wait("(2)")
        keys(session, "F12")
        see.wait("Varemottak")
        keys(session, "v")
        see.wait("Innkjøpsordre nr")
        keys(session, "Enter")
        see.wait("Følgeseddel nr")
        keys(session, "Enter")
        see.wait("Skann varene")
        for product in chosen:
            keys(session, product["barcodes"][0], "Enter")
            see.wait(product["name"][:20])
        keys(session, "+")
        see.wait("bokført")
        keys(session, "C-l")
        see.wait("Ansattnummer")
        keys(session, "F12")
        see.wait("Avslutte kassen?")
        keys(session, "1")
        see.wait("till-exit-code=0")
    finally:
        subprocess.run(tmux(session, "kill-server"), capture_output=True, check=False)

    after = {p["sku"]: _on_hand(env, p["sku"]) for p in chosen}
    assert after == {sku: quantity + 1 for sku, quantity in before.items()}
    receipts = json.loads(omnipos(env, "stock", "history", chosen[0]["sku"], "--json"))
    assert receipts[0]["document"] == "receipt" and receipts[0]["employee"] == "2"
