"""The electronic journal's events: our event codes, their SAF-T meaning, and the event record.

Every action at a register that is not itself a cash transaction (log-in, drawer opening,
price look-up, X/Z report, copy receipt, export...) is a :class:`JournalEvent`. Our own codes
(:class:`EventCode`, SAF-T ``basicID`` of basicType 13) map to Skatteetaten's
PredefinedBasicID-13; several of ours may share one predefined code (DRAWOPEN and
DRAWOPENNOSALE are both 13005), as in Skatteetaten's example file. The codes are in
``core/ledger/event_codes.py`` (imported here: ``journal.EventCode`` still works).

Payload conventions. An event's ``payload`` is a dict of JSON values (no floats: amounts
are integer øre). The X/Z reports count some things from events, so those events MUST carry
exactly these keys (use the ``*_payload`` builders below):

========================  ============================================================
code                      payload
========================  ============================================================
DRAWOPENNOSALE            ``{"reason": str}``
COPYRECEIPT               ``{"receipt": "<register>-<number>", "amount": øre}`` and
                          ``trans_id`` of the original transaction
PROFORMA                  ``{"number": int, "amount": øre}``
PRICELOOKUP               ``{"sku": str, "group": str, "amount": øre}``
XREPORT / ZREPORT         ``{"report": <the whole Report.to_json()>}`` (R-21)
========================  ============================================================

Other events may carry any JSON payload; the conventional ones are documented on the
builders (:func:`line_correction_payload`, :func:`price_change_payload`,
:func:`export_payload`). Events made while training mode is on have ``training=True`` and
are kept out of every report counter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeAlias

from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.event_codes import EVENT_CODES, PREDEFINED_EVENT_CODES, EventCode
from omnipos_tui.core.money import Money

__all__ = [
    "EVENT_CODES",
    "PREDEFINED_EVENT_CODES",
    "EventCode",
    "JournalEvent",
    "JsonObject",
    "JsonValue",
    "check_json",
    "copy_receipt_payload",
    "drawer_open_payload",
    "export_payload",
    "line_correction_payload",
    "new_event",
    "price_change_payload",
    "price_lookup_payload",
    "proforma_payload",
]

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"
"""A JSON value without floats (money is integer øre, quantities are decimal strings)."""

JsonObject: TypeAlias = "dict[str, JsonValue]"


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}$")
_MAX_TEXT = 9999  # SAF-T String9999 (eventText)
_MAX_ID = 35  # SAF-T IdentificationString35 (transID, empID)


def check_json(value: object, where: str = "payload") -> None:
    """Check that a value is made only of JSON types without floats.

    Raises:
        InvalidInput: Naming the first offending place, for example ``payload.amount``.
    """
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInput(code="journal.key_not_text", where=where, key=key)
            check_json(item, f"{where}.{key}")
        return
    if isinstance(value, float | Decimal):
        raise InvalidInput(code="journal.fraction_not_json", where=where, kind=type(value).__name__)
    raise InvalidInput(code="journal.not_json_value", where=where, kind=type(value).__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class JournalEvent:
    """One entry of the electronic journal that is not a cash transaction.

    Attributes:
        register_id: The register it happened at (``registerID``).
        seq: Its number in the register's journal, 1-based and gapless.
        code: What happened.
        at: When (aware UTC).
        event_date: Oslo local date "YYYY-MM-DD" (``eventDate``).
        event_time: Oslo local time "HH:MM:SS" (``eventTime``).
        employee: Number of the employee who did it; empty when nobody was logged in.
        text: Human-readable detail (``eventText``), at most 9999 characters.
        trans_id: The transaction it belongs to, if any (``transID``).
        training: Made while training mode was on (kept out of report counters).
        payload: Structured detail as JSON values; see the module docstring.
    """

    register_id: str
    seq: int
    code: EventCode
    at: datetime
    event_date: str
    event_time: str
    employee: str = ""
    text: str = ""
    trans_id: str | None = None
    training: bool = False
    payload: JsonObject = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._check()
        # A private deep copy: the caller's dict must not change a recorded event later.
        object.__setattr__(self, "payload", json.loads(json.dumps(self.payload)))

    @classmethod
    def stored(
        cls,
        *,
        register_id: str,
        seq: int,
        code: EventCode,
        at: datetime,
        event_date: str,
        event_time: str,
        employee: str,
        text: str,
        trans_id: str | None,
        training: bool,
        payload_json: str,
    ) -> JournalEvent:
        """An event read back from storage, its payload parsed from the stored JSON text.

        Checked like any event, but without the private copy of the payload: the parsed
        text is nobody else's (an export reads many thousands of events).

        Raises:
            InvalidInput: A field or the payload is not what an event holds.
            ValueError: The payload is not JSON text.
        """
        event = object.__new__(cls)
        setter = object.__setattr__
        setter(event, "register_id", register_id)
        setter(event, "seq", seq)
        setter(event, "code", code)
        setter(event, "at", at)
        setter(event, "event_date", event_date)
        setter(event, "event_time", event_time)
        setter(event, "employee", employee)
        setter(event, "text", text)
        setter(event, "trans_id", trans_id)
        setter(event, "training", training)
        setter(event, "payload", json.loads(payload_json))
        event._check()
        return event

    def _check(self) -> None:
        if not self.register_id:
            raise InvalidInput(code="journal.no_register")
        if isinstance(self.seq, bool) or not isinstance(self.seq, int) or self.seq < 1:
            raise InvalidInput(code="journal.bad_seq", seq=self.seq)
        if not isinstance(self.code, EventCode):
            raise InvalidInput(code="journal.bad_code", event_code=self.code)
        if self.at.tzinfo is None:
            raise InvalidInput(code="journal.naive_time")
        if not _DATE.match(self.event_date) or not _TIME.match(self.event_time):
            raise InvalidInput(
                code="journal.bad_date_time", date=self.event_date, time=self.event_time
            )
        if len(self.text) > _MAX_TEXT:
            raise InvalidInput(code="journal.text_too_long", maximum=_MAX_TEXT)
        if self.trans_id is not None and not 0 < len(self.trans_id) <= _MAX_ID:
            raise InvalidInput(code="journal.bad_trans_id", maximum=_MAX_ID)
        if len(self.employee) > _MAX_ID:
            raise InvalidInput(code="journal.employee_too_long", maximum=_MAX_ID)
        check_json(self.payload)

    @property
    def event_id(self) -> str:
        """A unique id across registers, "<register>-<seq>" (SAF-T ``eventID``)."""
        return f"{self.register_id}-{self.seq}"

    def to_dict(self) -> JsonObject:
        """The event as a JSON object (``at`` as ISO 8601 UTC)."""
        return {
            "register_id": self.register_id,
            "seq": self.seq,
            "code": self.code.value,
            "at": self.at.astimezone(UTC).isoformat(),
            "event_date": self.event_date,
            "event_time": self.event_time,
            "employee": self.employee,
            "text": self.text,
            "trans_id": self.trans_id,
            "training": self.training,
            "payload": self.payload,
        }

    def to_json(self) -> str:
        """The event as compact JSON text (UTF-8 characters kept, keys in a fixed order)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: object) -> JournalEvent:
        """Rebuild an event from :meth:`to_dict` output.

        Raises:
            InvalidInput: A key is missing, has the wrong type, or the code is unknown.
        """
        if not isinstance(data, dict):
            raise InvalidInput(code="journal.not_an_object")
        try:
            code = EventCode(_field(data, "code", str))
        except ValueError:
            raise InvalidInput(code="journal.unknown_code", event_code=data["code"]) from None
        try:
            at = datetime.fromisoformat(_field(data, "at", str))
        except ValueError:
            raise InvalidInput(code="journal.bad_at", at=data["at"]) from None
        trans_id = data.get("trans_id")
        if trans_id is not None and not isinstance(trans_id, str):
            raise InvalidInput(code="journal.trans_id_not_text")
        payload = data.get("payload", {})
        if not isinstance(payload, dict):
            raise InvalidInput(code="journal.payload_not_object")
        return cls(
            register_id=_field(data, "register_id", str),
            seq=_field(data, "seq", int),
            code=code,
            at=at.astimezone(UTC),
            event_date=_field(data, "event_date", str),
            event_time=_field(data, "event_time", str),
            employee=_field(data, "employee", str),
            text=_field(data, "text", str),
            trans_id=trans_id,
            training=_field(data, "training", bool),
            payload=payload,
        )

    @classmethod
    def from_json(cls, text: str) -> JournalEvent:
        """Rebuild an event from :meth:`to_json` output.

        Raises:
            InvalidInput: The text is not JSON or not an event.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(code="journal.not_json", reason=exc.msg, position=exc.pos) from None
        return cls.from_dict(data)

    def amount(self, key: str = "amount") -> Money:
        """An øre amount from the payload.

        Raises:
            InvalidInput: The key is missing or not a whole number.
        """
        value = self.payload.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(
                code="journal.payload_not_ore",
                event=self.event_id,
                event_code=self.code,
                key=key,
                value=value,
            )
        return Money(value)

    def string(self, key: str) -> str:
        """A text value from the payload.

        Raises:
            InvalidInput: The key is missing or not a string.
        """
        value = self.payload.get(key)
        if not isinstance(value, str):
            raise InvalidInput(
                code="journal.payload_not_text",
                event=self.event_id,
                event_code=self.code,
                key=key,
                value=value,
            )
        return value


def _field(data: dict[str, Any], key: str, kind: type[Any]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidInput(code="journal.bad_field", key=key, kind=kind.__name__, value=value)
    return value


def new_event(
    register_id: str,
    seq: int,
    code: EventCode,
    at: datetime,
    *,
    employee: str = "",
    text: str = "",
    trans_id: str | None = None,
    training: bool = False,
    payload: JsonObject | None = None,
) -> JournalEvent:
    """An event with its Oslo date and time strings taken from ``at``.

    Raises:
        InvalidInput: A field is not valid (see :class:`JournalEvent`).
    """
    if at.tzinfo is None:
        raise InvalidInput(code="journal.naive_time")
    return JournalEvent(
        register_id=register_id,
        seq=seq,
        code=code,
        at=at.astimezone(UTC),
        event_date=local_date_text(at),
        event_time=local_time_text(at),
        employee=employee,
        text=text,
        trans_id=trans_id,
        training=training,
        payload=dict(payload or {}),
    )


# --- payload builders: the services write exactly these ---------------------------------


def drawer_open_payload(reason: str) -> JsonObject:
    """DRAWOPENNOSALE: why the drawer was opened without a sale."""
    return {"reason": reason}


def copy_receipt_payload(receipt: str, amount: Money) -> JsonObject:
    """COPYRECEIPT: the original receipt id "<register>-<number>" and its total."""
    return {"receipt": receipt, "amount": amount.ore}


def proforma_payload(number: int, amount: Money) -> JsonObject:
    """PROFORMA: the pro forma receipt's number in its series and its total."""
    return {"number": number, "amount": amount.ore}


def price_lookup_payload(sku: str, group: str, amount: Money) -> JsonObject:
    """PRICELOOKUP: the article, its article group code and the price shown."""
    return {"sku": sku, "group": group, "amount": amount.ore}


def line_correction_payload(line_no: int, sku: str, quantity: Decimal, amount: Money) -> JsonObject:
    """LINEDELETE / LINEREDUCE: the corrected line, the quantity taken off and its amount."""
    return {"line": line_no, "sku": sku, "quantity": str(quantity), "amount": amount.ore}


def price_change_payload(sku: str, old: Money | None, new: Money) -> JsonObject:
    """PRICECHANGE: which article, the old price (None for a new article) and the new one."""
    return {"sku": sku, "old_price": None if old is None else old.ore, "new_price": new.ore}


def export_payload(first_day: str, last_day: str, file_name: str, transactions: int) -> JsonObject:
    """EXPORT: the period exported ("YYYY-MM-DD" both ends), the file and how many
    transactions it holds."""
    return {"from": first_day, "to": last_day, "file": file_name, "transactions": transactions}
