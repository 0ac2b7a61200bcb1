"""Times as the database keeps them: aware UTC as fixed-width text, which sorts in time
order on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["time_from_db", "time_to_db"]
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def time_to_db(moment: datetime) -> str:
    """An aware time as fixed-width UTC text ("2026-11-27T13:30:00.000000Z"), which sorts
    in time order on both engines.

    Raises:
        ValueError: ``moment`` is naive.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: OmniPOS stores aware UTC times only")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def time_from_db(text: str) -> datetime:
    """The aware UTC time stored by :func:`time_to_db`."""
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
