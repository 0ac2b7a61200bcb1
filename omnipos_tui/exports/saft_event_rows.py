"""The journal events of one register, straight from stored rows: the one way OmniPOS
writes them (a test reference writes the same elements from ``JournalEvent`` records,
``tests/saft_reference.py``, and the export tests compare the files).

Most events of a year are sales receipts and drawer openings, whose payload the file does
not show; they are written from the row's values after the checks ``JournalEvent`` makes
of what is written (date and time form, lengths) without building an event or parsing
the payload. An event whose payload shows in ``eventText`` or ``eventReport`` (price
lookups, copies, reports, ...) is built as ``JournalEvent.stored`` (its payload parsed
and checked) and its text and report made from it (``event_text``, ``write_report``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from omnipos_tui.core.errors import InvalidInput, PosError
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.exports.saft_events import _EVENT_DETAILS, KnownIds, ReceiptEvents, event_text
from omnipos_tui.exports.saft_report import write_report
from omnipos_tui.exports.xml_records import RecordSink

_CODES = {code.value: code for code in EventCode}
_REPORTS = frozenset({EventCode.X_REPORT, EventCode.Z_REPORT})
# Events whose payload shows in the file; any other event's payload is not written.
_PARSED = _REPORTS | frozenset(_EVENT_DETAILS)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}:\d{2}")
_MAX_TEXT = 9999  # SAF-T String9999, as JournalEvent checks
_MAX_ID = 35  # SAF-T IdentificationString35, as JournalEvent checks
_IDS = ("eventID", "eventType")
_WHEN = ("eventDate", "eventTime")


def write_event_rows(
    records: RecordSink,
    register_id: str,
    pages: Iterable[list[tuple[Any, ...]]],
    known: KnownIds,
    receipts: ReceiptEvents,
) -> int:
    """Write a register's events from pages of stored rows (``storage/export_rows.py``
    ``EVENT_COLUMNS``, in ``seq`` order); return how many.

    Raises:
        InvalidInput: An event is out of order, names an employee not in the export, or
            holds a value an event cannot hold or XML cannot carry.
    """
    count = 0
    last_seq = 0
    employees = known.employees
    counted = receipts.counts
    good_days: set[str] = set()
    good_times: set[str] = set()
    for rows in pages:
        for row in rows:
            seq = row[0]
            event_id = f"{register_id}-{seq}"
            where = f"event {event_id}"
            if not isinstance(seq, int) or seq <= last_seq:
                raise InvalidInput(f"{where}: events must come in journal order (after {last_seq})")
            last_seq = seq
            code = _CODES.get(row[1])
            if code is None:
                raise InvalidInput(f"{where}: stored event code {row[1]!r} is unknown")
            employee, day, clock, text, trans_id = row[2], row[4], row[5], row[6], row[7]
            if employee and employee not in employees:
                raise InvalidInput(
                    f"{where}: employee {employee!r} is not among the exported employees"
                )
            if code in _PARSED:
                event = _event(register_id, code, row, where)
                description = event_text(event)
            else:
                event = None
                if day not in good_days or clock not in good_times:
                    _check_when(day, clock, where)
                    good_days.add(day)  # at most one per day of the period
                    good_times.add(clock)  # at most 86,400
                _check(row, where)
                description = text
                if row[8]:  # training, as event_text says it
                    description = f"{text}; Treningsmodus" if text else "Treningsmodus"
            if trans_id and code in _COUNTED:
                key = (trans_id, code)
                counted[key] = counted.get(key, 0) + 1
            # Record.leaves and .optional, without a call per element.
            rec = records.start("event")
            shape, texts = rec.shape, rec.texts
            shape.extend(_IDS)
            texts.extend((event_id, code.value))
            if trans_id:
                shape.append("transID")
                texts.append(trans_id)
            if employee:
                shape.append("empID")
                texts.append(employee)
            shape.extend(_WHEN)
            texts.extend((day, clock))
            if description:
                shape.append("eventText")
                texts.append(description[:9999])
            if event is not None and code in _REPORTS:
                write_report(rec, event, employees)
            records.write(rec, where=where)
            count += 1
    return count


_COUNTED = frozenset(
    {
        EventCode.COPY_RECEIPT,
        EventCode.PROFORMA_RECEIPT,
        EventCode.DELIVERY_RECEIPT,
        EventCode.NO_PRINT,
    }
)


def _check(row: tuple[Any, ...], where: str) -> None:
    """What ``JournalEvent`` checks of the values an event without a shown payload writes
    (its date and time: :func:`_check_when`)."""
    employee, at, text, trans_id = row[2], row[3], row[6], row[7]
    if not isinstance(at, str) or not at.endswith("Z"):
        raise InvalidInput(f"{where}: stored time {at!r} is not aware UTC")
    if not isinstance(text, str) or len(text) > _MAX_TEXT:
        raise InvalidInput(f"{where}: text is not text of at most {_MAX_TEXT} characters")
    if trans_id is not None and not (isinstance(trans_id, str) and 0 < len(trans_id) <= _MAX_ID):
        raise InvalidInput(f"{where}: trans_id must be 1-{_MAX_ID} characters")
    if not isinstance(employee, str) or len(employee) > _MAX_ID:
        raise InvalidInput(f"{where}: employee must be text of at most {_MAX_ID} characters")


def _check_when(day: object, clock: object, where: str) -> None:
    if not (
        isinstance(day, str)
        and isinstance(clock, str)
        and _DATE.fullmatch(day)
        and _TIME.fullmatch(clock)
    ):
        raise InvalidInput(f"{where}: date/time {day!r} {clock!r} are not YYYY-MM-DD and HH:MM:SS")


def _event(register_id: str, code: EventCode, row: tuple[Any, ...], where: str) -> JournalEvent:
    """The row as a checked ``JournalEvent`` (its payload parsed)."""
    try:
        at = datetime.fromisoformat(row[3])
        return JournalEvent.stored(
            register_id=register_id,
            seq=row[0],
            code=code,
            at=at,
            event_date=row[4],
            event_time=row[5],
            employee=row[2],
            text=row[6],
            trans_id=row[7],
            training=bool(row[8]),
            payload_json=row[9],
        )
    except (KeyError, ValueError, TypeError, PosError) as exc:
        raise InvalidInput(f"{where}: the stored event cannot be read: {exc!r}") from None
