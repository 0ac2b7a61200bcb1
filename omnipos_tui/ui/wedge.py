"""Telling a keyboard-wedge scan from typing, by timing (pure, no Textual).

A wedge scanner types its code as very fast key presses ending in Enter. Without evdev the
till sees those keys mixed with the cashier's own, so every printable key and Enter go
through :class:`WedgeDetector` first: a burst of at least ``min_length`` characters at the
scanner's rhythm (the median pause between its keys under ``max_gap_ms``), ended by Enter,
is a :class:`Scan`; everything else comes back as :class:`TypedKey` in the order it was
pressed. A scan that lands after typing is taken whole and the typed keys are kept (they
come back before the scan). With a configured prefix the scan starts exactly at the prefix.

Framing is by the terminator, not by one pause: the thread or loop delivering the keys can
stall for tens of milliseconds inside a scan (most often right after its first key). A
burst that is still machine-fast (no keys yet, one held key, or a median pause under
``max_gap_ms``) is therefore kept across a pause shorter than ``stall_grace_ms``; no person
types a key and fires a scan within that time, so a key typed before a scan is always
separated from it by a longer pause and is kept as typing. Human typing has a median pause
far over ``max_gap_ms`` and is released key by key.

Typed keys are held for at most ``max_gap_ms`` (a lone key for ``stall_grace_ms``: it might
be the start of a stalled scan); the caller arms a timer for
:meth:`WedgeDetector.deadline` and calls :meth:`WedgeDetector.flush`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from omnipos_tui.core.ports import Scan

#: A scan longer than this without Enter is not a scan (a held-down key repeating).
MAX_SCAN_LENGTH = 64


@dataclass(frozen=True, slots=True)
class TypedKey:
    """A key the cashier typed, passed on unchanged.

    Attributes:
        key: Textual's key name.
        character: The printable character, if any.
        at: Monotonic seconds when the key arrived.
    """

    key: str
    character: str | None
    at: float


WedgeOutput = TypedKey | Scan


class WedgeDetector:
    """Splits a key stream into typed keys and whole scans."""

    def __init__(
        self,
        *,
        max_gap_ms: float = 30,
        min_length: int = 6,
        prefix: str = "",
        stall_grace_ms: float = 150,
    ) -> None:
        """Configure the framing.

        Args:
            max_gap_ms: The longest usual pause between two keys of one scan.
            min_length: The shortest code (after the prefix) taken as a scan.
            prefix: Characters the scanner sends before each code, or "" for none.
            stall_grace_ms: The longest stall tolerated inside a still machine-fast burst;
                shorter than any person needs to type a key and then fire a scan.
        """
        self.max_gap = max_gap_ms / 1000
        self.stall_grace = max(stall_grace_ms, max_gap_ms) / 1000
        self.min_length = min_length
        self.prefix = prefix
        self._burst: list[TypedKey] = []

    @property
    def pending(self) -> bool:
        """Whether keys are held back, waiting to see if they are a scan."""
        return bool(self._burst)

    def deadline(self) -> float | None:
        """When :meth:`flush` should be called if no key arrives before (monotonic seconds)."""
        if not self._burst:
            return None
        # A lone key may be a scan's first key with the sender stalled after it.
        wait = self.stall_grace if len(self._burst) == 1 else self.max_gap
        return self._burst[-1].at + wait

    def _keeps_burst(self, at: float) -> bool:
        """Whether a key at ``at`` continues the held burst (else the burst is typing)."""
        gap = at - self._burst[-1].at
        if gap <= self.max_gap:
            return True
        return gap < self.stall_grace and self._machine_fast(self._burst)

    def _machine_fast(self, keys: list[TypedKey], end: float | None = None) -> bool:
        """No pauses yet, or a median pause at the scanner's rhythm."""
        times = [k.at for k in keys] if end is None else [*(k.at for k in keys), end]
        if len(times) < 2:
            return True
        return median(b - a for a, b in pairwise(times)) <= self.max_gap

    def key(self, key: str, character: str | None, at: float) -> list[WedgeOutput]:
        """Feed one key event; returns what can be passed on now, in order."""
        printable = character is not None and len(character) == 1 and character.isprintable()
        out: list[WedgeOutput] = []
        if self._burst and not self._keeps_burst(at):
            out.extend(self._release())
        if key == "enter":
            if self._burst:
                out.extend(self._end_burst(at))
            else:
                out.append(TypedKey(key, character, at))
            return out
        if not printable or key == "space":
            out.extend(self._release())
            out.append(TypedKey(key, character, at))
            return out
        self._burst.append(TypedKey(key, character, at))
        if len(self._burst) > MAX_SCAN_LENGTH + len(self.prefix):
            out.extend(self._release())
        return out

    def flush(self, now: float) -> list[WedgeOutput]:
        """Release held keys whose pause has run out (call from the deadline timer)."""
        deadline = self.deadline()
        if deadline is not None and now >= deadline:
            return self._release()
        return []

    def _release(self) -> list[WedgeOutput]:
        released: list[WedgeOutput] = list(self._burst)
        self._burst.clear()
        return released

    def _end_burst(self, at: float) -> list[WedgeOutput]:
        burst, self._burst = self._burst, []
        enter = TypedKey("enter", "\r", at)
        start = self._scan_start(burst, at)
        if start is None:
            return [*burst, enter]
        code = "".join(k.character or "" for k in burst[start:])[len(self.prefix) :]
        return [*burst[:start], Scan(code=code, at=at)]

    def _scan_start(self, burst: list[TypedKey], end: float) -> int | None:
        """Where the scan begins in the burst, or None when the burst is typing."""
        if not self._machine_fast(burst, end):
            return None
        text = "".join(k.character or "" for k in burst)
        if self.prefix:
            start = text.rfind(self.prefix)
            if start < 0 or len(text) - start - len(self.prefix) < self.min_length:
                return None
            return start
        # The whole burst is the code: keys typed before a scan were released by their
        # longer pause, so a slow first key here is the sender stalling, not the cashier.
        return 0 if len(burst) >= self.min_length else None
