"""``omnipos worker`` as a real process booking Z reports in a stateful Fiken on 127.0.0.1
(``tests/fiken_peer.py``: every request validated against Fiken's official spec, every
booking kept, duplicates included).

- Killed with SIGKILL at random moments while it books 50 settlements, and started again
  each time, it leaves each settlement booked exactly once: none missing, none twice (the
  adapter asks Fiken for the sale number before every send and every retry, and looks for
  the journal entry before posting it again; the restarted worker takes back the rows the
  killed one held).
- 429, 503 and a timeout (the sale booked while the worker gave up waiting) are retried
  with backoff and booked once; 422 stops the row as failed, and ``accounting status``
  shows Fiken's message.
- ``omnipos accounting test`` says all is well, or names the accounts Fiken lacks.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from accounting_worker_support import queued_shop, run, status, worker
from fiken_peer import ACCOUNTS, REFUSAL, FikenPeer

SETTLEMENTS = 50


@pytest.fixture
def peer() -> Iterator[FikenPeer]:
    with FikenPeer(delay_s=0.03) as running:
        yield running


def _until(what: str, condition: Callable[[], bool], log: Path, seconds: float = 60) -> None:
    """Wait for ``condition`` (bounded; the worker's log shown when it never comes)."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"{what}: not within {seconds} s; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _crash_and_restart(
    data: Path, peer: FikenPeer, keys: list[str], kills: int, out: IO[str], log: Path
) -> int:
    """Start the worker, SIGKILL it a random moment after it booked something, ``kills``
    times (fewer if all is booked first); then let a last one finish. Kills made."""
    seed = int(os.environ.get("OMNIPOS_CRASH_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    out.write(f"seed {seed}\n")
    out.flush()
    made = 0
    for _ in range(kills):
        before = len(peer.sales)
        if len(peer.booked()) == len(keys):
            break
        process = worker(data, out)
        try:
            _until("the worker books something", _more_than(peer, before), log)
            time.sleep(rng.uniform(0.0, 0.4))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        made += 1
        out.write(f"--- SIGKILL {made} after {len(peer.sales)} sales ---\n")
        out.flush()
    last = worker(data, out)
    try:
        _until("every settlement booked", lambda: len(peer.booked()) == len(keys), log)
        _until("every row done", lambda: _all_done(data, keys), log)
    finally:
        _stop(last)
    return made


def _more_than(peer: FikenPeer, sales: int) -> Callable[[], bool]:
    return lambda: len(peer.sales) > sales


def _all_done(data: Path, keys: list[str]) -> bool:
    found = status(data)
    return all(found.get(k, {}).get("state") == "done" for k in keys)


def _exactly_once(data: Path, peer: FikenPeer, keys: list[str], seed_note: str) -> None:
    booked = peer.booked()
    twice = {k: n for k, n in booked.items() if n != 1}
    assert not twice, f"booked more than once: {twice} ({seed_note})"
    assert set(booked) == set(keys), f"missing: {set(keys) - set(booked)} ({seed_note})"
    assert peer.invalid == []
    # Each voucher has cash rounding (and every other one a cash difference): its
    # journal entry, posted before the sale, went to Fiken once too.
    assert {k: peer.journals_of(k) for k in keys} == dict.fromkeys(keys, 1), seed_note
    sale_ids = {str(s["saleNumber"]): str(s["saleId"]) for s in peer.sales}
    rows = status(data)
    assert {k: (rows[k]["state"], rows[k]["remote_id"]) for k in keys} == {
        k: ("done", sale_ids[k]) for k in keys
    }


def _crash_test(tmp_path: Path, peer: FikenPeer, settlements: int, kills: int) -> None:
    data = tmp_path / "data"
    keys = queued_shop(data, peer.url, settlements)
    assert keys == [f"Z-1-{n}" for n in range(1, settlements + 1)]
    waiting = status(data)
    assert {waiting[k]["state"] for k in keys} == {"pending"}  # queued by each Z's commit
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        made = _crash_and_restart(data, peer, keys, kills, out, log)
    seed = log.read_text().splitlines()[0]
    assert made >= 3, f"only {made} kills landed before all was booked ({seed})"
    _exactly_once(data, peer, keys, f"{seed}, rerun with OMNIPOS_CRASH_SEED")


def test_a_worker_killed_at_random_moments_books_each_of_50_settlements_exactly_once(
    tmp_path: Path, peer: FikenPeer
) -> None:
    _crash_test(tmp_path, peer, SETTLEMENTS, kills=5)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("OMNIPOS_LONG_CRASH"),
    reason="the 200-voucher, 20-kill run (about two minutes) runs with OMNIPOS_LONG_CRASH=1",
)
def test_a_worker_killed_twenty_times_books_each_of_200_settlements_exactly_once(
    tmp_path: Path, peer: FikenPeer
) -> None:
    _crash_test(tmp_path, peer, 200, kills=20)


def test_429_503_and_a_timeout_are_retried_and_booked_once_and_422_stops_the_row(
    tmp_path: Path, peer: FikenPeer
) -> None:
    data = tmp_path / "data"
    keys = queued_shop(data, peer.url, 5)
    peer.script("Z-1-1", "429", "503")
    peer.script("Z-1-2", "422")
    peer.script("Z-1-3", "slow")  # booked, but the answer comes after the 1 s timeout
    peer.script("Z-1-4", "503")
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = worker(data, out)
        try:

            def settled() -> bool:
                rows = status(data)
                return rows["Z-1-2"]["state"] == "failed" and all(
                    rows[k]["state"] == "done" for k in keys if k != "Z-1-2"
                )

            _until("the good ones booked and the refused one failed", settled, log)
        finally:
            _stop(process)
    assert peer.booked() == {k: 1 for k in keys if k != "Z-1-2"}
    assert peer.invalid == []
    rows = status(data)
    tries = {k: rows[k]["tries"] for k in keys}
    assert tries == {"Z-1-1": 3, "Z-1-2": 1, "Z-1-3": 2, "Z-1-4": 2, "Z-1-5": 1}
    assert rows["Z-1-1"]["last_error"] is None and rows["Z-1-3"]["remote_id"] is not None
    refused = rows["Z-1-2"]
    assert refused["remote_id"] is None and REFUSAL in refused["last_error"]
    assert "422" in refused["last_error"]
    table = run(data, "accounting", "status")
    assert table.returncode == 0 and "failed" in table.stdout and "account 3050" in table.stdout
    text = log.read_text()
    assert "429" in text and "503" in text and "in time" in text  # each logged as deferred


def test_accounting_test_checks_the_token_and_names_the_accounts_fiken_lacks(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with FikenPeer() as complete:
        queued_shop(data, complete.url, 1)
        good = run(data, "accounting", "test")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "credentials, accounts and VAT codes OK" in good.stdout
    lacking = tuple(a for a in ACCOUNTS if a not in ("3030", "7790"))
    with FikenPeer(accounts=lacking) as partial:
        config = (data / "config.toml").read_text().replace(complete.url, partial.url)
        (data / "config.toml").write_text(config)
        bad = run(data, "accounting", "test")
    assert bad.returncode == 1
    assert "account 3030 is not in Fiken" in bad.stderr
    assert "account 7790 is not in Fiken" in bad.stderr
    (data / "secrets.toml").write_text('[accounting]\ntoken = ""\n')
    missing = run(data, "accounting", "test")
    assert missing.returncode != 0 and "token" in (missing.stdout + missing.stderr)
