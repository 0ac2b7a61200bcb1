"""What guessing a PIN costs (issue 10, item 22): ``./scripts/bench pins [--runs N]``.

Prints, on this machine and one core, the time of one PIN check at the cost PINs were
hashed at before (scrypt N=2^14) and at the shipped cost (``PIN_HASH_COST``), what that
makes an offline guess of every 4- and 6-digit PIN from a stolen copy of the database, and
how long the lock-out makes guessing every 4-digit PIN at a till or on the command line.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import time
from datetime import timedelta

from omnipos_tui.services.staff.service import PIN_HASH_COST, hash_pin, lock_time

OLD_COST = 14


def check_seconds(cost: int, runs: int) -> float:
    """The median seconds of one PIN hash at ``cost``."""
    salt = secrets.token_bytes(16)
    times = []
    for n in range(runs):
        started = time.perf_counter()
        hash_pin(f"{n:04d}", salt, cost)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def shown(seconds: float) -> str:
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:7.1f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:7.1f} hours"
    return f"{seconds / 60:7.1f} minutes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="PIN checks timed per cost")
    runs = parser.parse_args().runs
    print("PIN hashes, one core (offline guessing from a copy of the database):")
    for label, cost in (("before", OLD_COST), ("now", PIN_HASH_COST)):
        seconds = check_seconds(cost, runs)
        memory = 128 * 2**cost * 8 / 2**20
        print(
            f"  {label:6} scrypt N=2^{cost} ({memory:4.0f} MiB): "
            f"one check {seconds * 1000:6.0f} ms;"
            f" every 4-digit PIN {shown(seconds * 1e4)}, every 6-digit PIN {shown(seconds * 1e6)}"
        )
    waited = sum((lock_time(n) for n in range(1, 10**4 + 1)), timedelta())
    print(
        "Online (till or omnipos, the lock-out): every 4-digit PIN takes "
        f"{waited / timedelta(days=1):.0f} days of locks (was {10**4 // 5 * 5 / 1440:.0f} days "
        "with a flat five-minute lock)"
    )


if __name__ == "__main__":
    main()
