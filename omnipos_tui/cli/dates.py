"""Reading dates and amounts typed on the command line, with messages that name the option."""

from __future__ import annotations

from datetime import date

from omnipos_tui.core.errors import InvalidInput


def parse_day(text: str, option: str) -> date:
    """A date typed as ``YYYY-MM-DD``.

    Raises:
        InvalidInput: Naming the option and what was typed.
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{option}: {text!r} is not a date (write YYYY-MM-DD)") from None


def period(
    first: str, last: str | None, *, first_option: str, last_option: str
) -> tuple[date, date]:
    """A period of whole days; the last day defaults to the first.

    Raises:
        InvalidInput: A date cannot be read, or the period ends before it starts.
    """
    first_day = parse_day(first, first_option)
    last_day = first_day if last is None else parse_day(last, last_option)
    if last_day < first_day:
        raise InvalidInput(
            f"{last_option} {last_day} is before {first_option} {first_day}: nothing to do"
        )
    return first_day, last_day
