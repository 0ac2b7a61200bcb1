"""Time comes from a ``Clock``; nothing else in core or services reads the system time.

Timestamps are timezone-aware UTC. Receipts, business days, reports and SAF-T use
Europe/Oslo local time through :func:`local`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


class Clock(Protocol):
    """Where the time comes from."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock for tests and the demo seeder: stands still until moved.

    Attributes:
        current: The time it reports (aware UTC).
    """

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 27, 13, 30, tzinfo=UTC))

    def now(self) -> datetime:
        """The time it was set to."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.current += delta


def local(moment: datetime) -> datetime:
    """An aware time in Norwegian local time (Europe/Oslo, with DST)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: OmniPOS stores aware UTC times only")
    return moment.astimezone(OSLO)


def business_day(moment: datetime) -> date:
    """The business day (the Oslo calendar date) a moment belongs to."""
    return local(moment).date()


def local_date_text(moment: datetime) -> str:
    """``YYYY-MM-DD`` in Oslo time, as signed and exported."""
    return local(moment).strftime("%Y-%m-%d")


def local_time_text(moment: datetime) -> str:
    """``HH:MM:SS`` in Oslo time, as signed and exported."""
    return local(moment).strftime("%H:%M:%S")
