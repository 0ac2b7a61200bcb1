"""What ``omnipos doctor`` reports: one :class:`Finding` per check, at a :class:`Level`."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.StrEnum):
    """How serious a finding is."""

    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the doctor's report.

    Attributes:
        level: OK, WARN or FAIL.
        topic: What was checked ("database", "printer 'receipt'", "clock", ...).
        text: What was found.
        fix: What to do about it ("" when nothing).
    """

    level: Level
    topic: str
    text: str
    fix: str = ""
