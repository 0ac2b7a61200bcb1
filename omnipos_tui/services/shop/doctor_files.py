"""``omnipos doctor``'s checks of what protects the data at rest: the modes of the files in
the data directory (the database holds PIN hashes, sales and customers) and what an offline
guess of the PINs would cost someone holding a copy of it."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from omnipos_tui.services.shop.findings import Finding, Level
from omnipos_tui.services.staff import service as staff

LooseFile = tuple[Path, str]
"""A file and what is looser about it than allowed ("mode 0644: every user ...")."""


@dataclass(frozen=True, slots=True)
class AtRest:
    """What the doctor needs to check the data at rest.

    Attributes:
        loose: The files of the data directory looser than ``mode`` allows.
        mode: The mode files are made with (0600, or 0640 with a group).
        group: ``security.file_group``.
        pin_min_digits: ``security.pin_min_digits``.
    """

    loose: Callable[[], Sequence[LooseFile]]
    mode: int
    group: str
    pin_min_digits: int


def at_rest_findings(at_rest: AtRest) -> Iterator[Finding]:
    """The file modes, then the PIN hashes."""
    yield from file_findings(at_rest.loose(), mode=at_rest.mode, group=at_rest.group)
    yield from pin_findings(at_rest.pin_min_digits)


def file_findings(loose: Sequence[LooseFile], *, mode: int, group: str) -> Iterator[Finding]:
    """One finding per file looser than ``mode`` (a warning, with the chmod that fixes
    it), or one OK."""
    allowed = f"{mode:04o}" + (f", group {group}" if group else "")
    if not loose:
        yield Finding(Level.OK, "file modes", f"database and data files are {allowed} or tighter")
        return
    for path, problem in loose:
        fix = f"chmod {mode:o} {path}" + (f" && chgrp {group} {path}" if group else "")
        yield Finding(
            Level.WARN,
            "file modes",
            f"{path}: {problem}; it holds PIN hashes, sales and customers",
            f"run '{fix}' (security.file_group sets who else may read it)",
        )


def pin_findings(min_digits: int) -> Iterator[Finding]:
    """What one PIN guess costs on this machine, and so every PIN of the shortest length a
    new PIN may have (a warning below 6 digits would be every shop: it is said as OK)."""
    salt = secrets.token_bytes(16)
    started = time.perf_counter()
    staff.hash_pin("0" * min_digits, salt)
    seconds = time.perf_counter() - started
    every_short = _duration(seconds * 10**min_digits)
    every_six = _duration(seconds * 10**6)
    text = (
        f"one guess costs {seconds:.2f} s here (scrypt N=2^{staff.PIN_HASH_COST}): every "
        f"{min_digits}-digit PIN in {every_short} on one core"
    )
    if min_digits < 6:
        text += f"; require 6 digits (security.pin_min_digits = 6) for {every_six}"
    yield Finding(Level.OK, "PIN hashes", text)


def _duration(seconds: float) -> str:
    span = timedelta(seconds=seconds)
    if span >= timedelta(days=2):
        return f"{seconds / 86400:.0f} days"
    if span >= timedelta(hours=2):
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 60:.0f} minutes"
