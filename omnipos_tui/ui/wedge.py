"""Telling a keyboard-wedge scan from typing, by timing (pure, no Textual).

A wedge scanner types its code as very fast key presses ending in Enter. Without evdev the
till sees those keys mixed with the cashier's own, so every printable key and Enter go
through :class:`WedgeDetector` first: a burst of at least ``min_length`` characters, each
less than ``max_gap_ms`` after the one before, ended by Enter, is a :class:`Scan`;
everything else comes back as :class:`TypedKey` in the order it was pressed. A scan that
lands in the middle of typing is taken whole and the typed keys are kept (they come back
before the scan). With a configured prefix the scan starts exactly at the prefix.

Typed keys are held for at most ``max_gap_ms`` (they might be the start of a scan); the
caller arms a timer for :meth:`WedgeDetector.deadline` and calls :meth:`WedgeDetector.flush`.
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

    def __init__(self, *, max_gap_ms: float = 30, min_length: int = 6, prefix: str = "") -> None:
        """Configure the framing.

        Args:
            max_gap_ms: The longest pause between two keys of one scan.
            min_length: The shortest code (after the prefix) taken as a scan.
            prefix: Characters the scanner sends before each code, or "" for none.
        """
        self.max_gap = max_gap_ms / 1000
        self.min_length = min_length
        self.prefix = prefix
        self._burst: list[TypedKey] = []

    @property
    def pending(self) -> bool:
        """Whether keys are held back, waiting to see if they are a scan."""
        return bool(self._burst)

    def deadline(self) -> float | None:
        """When :meth:`flush` should be called if no key arrives before (monotonic seconds)."""
        return self._burst[-1].at + self.max_gap if self._burst else None

    def key(self, key: str, character: str | None, at: float) -> list[WedgeOutput]:
        """Feed one key event; returns what can be passed on now, in order."""
        printable = character is not None and len(character) == 1 and character.isprintable()
        out: list[WedgeOutput] = []
        if self._burst and at - self._burst[-1].at > self.max_gap:
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
        text = "".join(k.character or "" for k in burst)
        if self.prefix:
            start = text.rfind(self.prefix)
            if start < 0 or len(text) - start - len(self.prefix) < self.min_length:
                return None
            return start
        if len(burst) < self.min_length:
            return None
        times = [k.at for k in burst] + [end]
        gaps = [b - a for a, b in pairwise(times)]
        start = 0
        # A key typed just before the scanner started shows as one gap much longer than the
        # scanner's own steady rhythm: peel such keys off the front and keep them as typing.
        while len(burst) - start > self.min_length:
            rhythm = median(gaps[start + 1 :])
            if gaps[start] > 3 * rhythm + 0.004:
                start += 1
            else:
                break
        return start
