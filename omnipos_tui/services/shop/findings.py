"""What ``omnipos doctor`` reports: one :class:`Finding` per check, at a :class:`Level`.

A finding holds no words: its topic, what was found and the fix are
:class:`~omnipos_tui.core.errors.Message` s (``doctor.*`` in
:mod:`omnipos_tui.messages.doctor`), worded by the front end in its language."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from omnipos_tui.core.errors import Message


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
        fix: What to do about it (None when nothing).
    """

    level: Level
    topic: Message
    text: Message
    fix: Message | None = None


def as_found(text: object) -> Message:
    """Words that come as someone else wrote them (the database's, a server's, a device's
    own text, or an error rendered in the front end's language)."""
    return Message("doctor.as_found", text=text)
