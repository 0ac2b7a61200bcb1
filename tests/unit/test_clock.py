"""Time: aware UTC in, Oslo local time out (DST included)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from omnipos_tui.core.clock import business_day, local_date_text, local_time_text


def test_summer_time_is_two_hours_ahead_of_utc() -> None:
    moment = datetime(2026, 7, 1, 21, 59, 59, tzinfo=UTC)
    assert (local_date_text(moment), local_time_text(moment)) == ("2026-07-01", "23:59:59")


def test_winter_time_is_one_hour_ahead_and_moves_the_business_day() -> None:
    moment = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert business_day(moment) == date(2026, 11, 28)
    assert local_time_text(moment) == "00:30:00"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date_text(datetime(2026, 1, 1))  # noqa: DTZ001
