"""``omnipos doctor``'s checks of what protects the data at rest: the modes of the files in
the data directory (the database holds PIN hashes, sales and customers) and what an offline
guess of the PINs would cost someone holding a copy of it."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from omnipos_tui.core.errors import Message
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
    allowed = (
        Message("doctor.files.allowed_group", mode=f"{mode:04o}", group=group)
        if group
        else Message("doctor.files.allowed", mode=f"{mode:04o}")
    )
    topic = Message("doctor.topic.file_modes")
    if not loose:
        yield Finding(Level.OK, topic, Message("doctor.files.ok", allowed=allowed))
        return
    for path, problem in loose:
        command = f"chmod {mode:o} {path}" + (f" && chgrp {group} {path}" if group else "")
        yield Finding(
            Level.WARN,
            topic,
            Message("doctor.files.loose", path=path, problem=problem),
            Message("doctor.files.loose_fix", command=command),
        )


def pin_findings(min_digits: int) -> Iterator[Finding]:
    """What one PIN guess costs on this machine, and so every PIN of the shortest length a
    new PIN may have (a warning below 6 digits would be every shop: it is said as OK)."""
    salt = secrets.token_bytes(16)
    started = time.perf_counter()
    staff.hash_pin("0" * min_digits, salt)
    seconds = time.perf_counter() - started
    advice = (
        Message("doctor.pins.advice", every=_duration(seconds * 10**6)) if min_digits < 6 else ""
    )
    text = Message(
        "doctor.pins.cost",
        seconds=Decimal(f"{seconds:.2f}"),
        cost=staff.PIN_HASH_COST,
        digits=min_digits,
        every=_duration(seconds * 10**min_digits),
        advice=advice,
    )
    yield Finding(Level.OK, Message("doctor.topic.pin_hashes"), text)


def _duration(seconds: float) -> Message:
    span = timedelta(seconds=seconds)
    if span >= timedelta(days=2):
        return Message("doctor.duration.days", count=f"{seconds / 86400:.0f}")
    if span >= timedelta(hours=2):
        return Message("doctor.duration.hours", count=f"{seconds / 3600:.0f}")
    return Message("doctor.duration.minutes", count=f"{seconds / 60:.0f}")
