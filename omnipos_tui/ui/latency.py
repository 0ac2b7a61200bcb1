"""The latency probe: time from a scan or Enter key event to the screen after the refresh.

``pilot.press`` waits for idle after each key, so timing it from a test measures the test;
the till measures inside itself instead (HARDWARE.md) and ``scripts/bench till`` reads the
figures from here.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LatencySummary:
    """Percentiles in milliseconds over the recorded samples."""

    count: int
    p50_ms: float
    p99_ms: float
    max_ms: float


class LatencyProbe:
    """Keeps the last ``capacity`` samples (milliseconds)."""

    def __init__(self, capacity: int = 100_000) -> None:
        """Start empty."""
        self._samples: deque[float] = deque(maxlen=capacity)

    def record(self, started: float) -> None:
        """One sample: from ``started`` (``time.monotonic()`` of the key event) until now."""
        self._samples.append((time.monotonic() - started) * 1000)

    @property
    def samples(self) -> tuple[float, ...]:
        """The samples in the order recorded."""
        return tuple(self._samples)

    def clear(self) -> None:
        """Forget the samples (before a benchmark run)."""
        self._samples.clear()

    def summary(self) -> LatencySummary | None:
        """p50, p99 and max, or None before the first sample."""
        if not self._samples:
            return None
        ordered = sorted(self._samples)

        def percentile(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

        return LatencySummary(len(ordered), percentile(50), percentile(99), ordered[-1])
