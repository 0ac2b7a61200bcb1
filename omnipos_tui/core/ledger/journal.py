"""The electronic journal's events: our event codes, their SAF-T meaning, and the event record.

Every action at a register that is not itself a cash transaction (log-in, drawer opening,
price look-up, X/Z report, copy receipt, export...) is a :class:`JournalEvent`. Our own codes
(:class:`EventCode`, SAF-T ``basicID`` of basicType 13) map to Skatteetaten's
PredefinedBasicID-13; several of ours may share one predefined code (DRAWOPEN and
DRAWOPENNOSALE are both 13005), as in Skatteetaten's example file.

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

import enum
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeAlias

from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"
"""A JSON value without floats (money is integer øre, quantities are decimal strings)."""

JsonObject: TypeAlias = "dict[str, JsonValue]"


class EventCode(enum.StrEnum):
    """Our journal event codes (SAF-T ``eventType`` / basicType 13 ``basicID``)."""

    POS_START = "POSSTART"
    POS_STOP = "POSSTOP"
    LOGIN = "LOGIN"
    LOGOUT = "LOGOUT"
    DRAWER_OPEN = "DRAWOPEN"
    """The drawer opened with a transaction (``trans_id`` set)."""
    DRAWER_OPEN_NO_SALE = "DRAWOPENNOSALE"
    """Nullinnslag: opened without a sale or refund, with a reason (counted on X/Z)."""
    DRAWER_CLOSE = "DRAWCLOSE"
    SOFTWARE_UPDATE = "UPDATE"
    X_REPORT = "XREPORT"
    Z_REPORT = "ZREPORT"
    PARK = "PARK"
    RESUME = "RESUME"
    SALES_RECEIPT = "SALESRECEIPT"
    RETURN_RECEIPT = "RETURNRECEIPT"
    COPY_RECEIPT = "COPYRECEIPT"
    PROFORMA_RECEIPT = "PROFORMA"
    DELIVERY_RECEIPT = "DELIVERYRECEIPT"
    TRAINING_RECEIPT = "TRAININGRECEIPT"
    OTHER_REPORT = "OTHERREPORT"
    CASH_OUT = "CASHOUT"
    EXPORT = "EXPORT"
    PRICE_CHANGE = "PRICECHANGE"
    MASTER_DATA_CHANGE = "MASTERDATA"
    PRICE_LOOKUP = "PRICELOOKUP"
    TRAINING_ON = "TRAININGON"
    TRAINING_OFF = "TRAININGOFF"
    VOID_RECEIPT = "VOIDRECEIPT"
    NO_PRINT = "NOPRINT"
    LINE_DELETE = "LINEDELETE"
    LINE_REDUCE = "LINEREDUCE"
    PRICE_OVERRIDE = "PRICEOVERRIDE"
    CASH_IN = "CASHIN"
    OPENING_FLOAT = "OPENFLOAT"
    PRINT_FAILED = "PRINTFAILED"
    KEY_ROTATED = "KEYROTATE"
    OVERRIDE_FAILED = "OVERRIDEFAILED"
    """A manager approval failed (wrong number or PIN, locked, not a manager)."""

    @property
    def predefined(self) -> str:
        """The PredefinedBasicID-13 code this maps to ("13012")."""
        return EVENT_CODES[self][0]

    @property
    def description(self) -> str:
        """Our Norwegian description (SAF-T ``basicDesc``, journal listings)."""
        return EVENT_CODES[self][1]


# Our code -> (PredefinedBasicID-13, Norwegian description). 13999 ("other") carries what
# the code list has no code for, as Skatteetaten's example does with LINEDELETE.
EVENT_CODES: dict[EventCode, tuple[str, str]] = {
    EventCode.POS_START: ("13001", "Oppstart av kasseprogrammet"),
    EventCode.POS_STOP: ("13002", "Avslutning av kasseprogrammet"),
    EventCode.LOGIN: ("13003", "Pålogging ansatt"),
    EventCode.LOGOUT: ("13004", "Avlogging ansatt"),
    EventCode.DRAWER_OPEN: ("13005", "Kasseskuff åpnet ved transaksjon"),
    EventCode.DRAWER_OPEN_NO_SALE: ("13005", "Kasseskuff åpnet uten salg (nullinnslag)"),
    EventCode.DRAWER_CLOSE: ("13006", "Kasseskuff lukket"),
    EventCode.SOFTWARE_UPDATE: ("13007", "Oppdatering av programvare"),
    EventCode.X_REPORT: ("13008", "X-rapport"),
    EventCode.Z_REPORT: ("13009", "Z-rapport"),
    EventCode.PARK: ("13010", "Parkering av kvittering"),
    EventCode.RESUME: ("13011", "Tilbakehenting av parkert kvittering"),
    EventCode.SALES_RECEIPT: ("13012", "Salgskvittering"),
    EventCode.RETURN_RECEIPT: ("13013", "Returkvittering"),
    EventCode.COPY_RECEIPT: ("13014", "Kopi av kvittering"),
    EventCode.PROFORMA_RECEIPT: ("13015", "Foreløpig kvittering"),
    EventCode.DELIVERY_RECEIPT: ("13016", "Utleveringskvittering ved kredittsalg"),
    EventCode.TRAINING_RECEIPT: ("13017", "Treningskvittering"),
    EventCode.OTHER_REPORT: ("13018", "Andre rapporter eller kvitteringer"),
    EventCode.CASH_OUT: ("13019", "Uttak av kontanter fra kassen"),
    EventCode.EXPORT: ("13020", "Eksport av elektronisk journal"),
    EventCode.PRICE_CHANGE: ("13021", "Prisendring"),
    EventCode.MASTER_DATA_CHANGE: ("13021", "Endring av faste data"),
    EventCode.PRICE_LOOKUP: ("13022", "Prisforespørsel"),
    EventCode.TRAINING_ON: ("13023", "Treningsmodus på"),
    EventCode.TRAINING_OFF: ("13024", "Treningsmodus av"),
    EventCode.VOID_RECEIPT: ("13028", "Annulleringskvittering"),
    EventCode.NO_PRINT: ("13030", "Fullført salg uten utskrift av kvittering"),
    EventCode.LINE_DELETE: ("13999", "Sletting av varelinje"),
    EventCode.LINE_REDUCE: ("13999", "Redusert antall på varelinje"),
    EventCode.PRICE_OVERRIDE: ("13999", "Overstyrt pris på varelinje"),
    EventCode.CASH_IN: ("13999", "Innskudd av kontanter i kassen"),
    EventCode.OPENING_FLOAT: ("13999", "Inngående vekselkasse"),
    EventCode.PRINT_FAILED: ("13999", "Utskrift feilet"),
    EventCode.KEY_ROTATED: ("13999", "Ny signaturnøkkel tatt i bruk"),
    EventCode.OVERRIDE_FAILED: ("13999", "Mislykket godkjenning av leder"),
}

# Skatteetaten's PredefinedBasicID-13 code list (Norwegian descriptions), for validation
# and the SAF-T ``basics``.
PREDEFINED_EVENT_CODES: dict[str, str] = {
    "13001": "Oppstart av POS applikasjon",
    "13002": "Avslutning av POS applikasjon",
    "13003": "Pålogging bruker/ansatt",
    "13004": "Avlogging bruker/ansatt",
    "13005": "Kasseskuff åpning",
    "13006": "Kasseskuff lukking",
    "13007": "Oppdatering av programvare",
    "13008": "Kjøring av X-rapport",
    "13009": "Kjøring av Z-rapport",
    "13010": "Parkering av kvittering/bong",
    "13011": "Tilbakehenting av parkert kvittering/bong",
    "13012": "Salgskvittering skrevet ut",
    "13013": "Returkvittering",
    "13014": "Kopi av kvittering",
    "13015": "Foreløpig kvittering",
    "13016": "Utleveringskvittering ved kredittsalg",
    "13017": "Treningsmodus - alle typer kvitteringer",
    "13018": "Andre rapporter eller kvitteringer",
    "13019": "Uttak av kontanter fra kassa",
    "13020": "Overføring av journal til annet lagringsmedie (ROM kasser)",
    "13021": "Prisendringer",
    "13022": "Prisundersøkelse",
    "13023": "Trenings- modus/funksjon på",
    "13024": "Trenings- modus/funksjon av",
    "13025": "Fullt minne (ROM kasser)",
    "13026": "Nødmodus på",
    "13027": "Nødmodus av",
    "13028": "Annulleringskvittering",
    "13029": "STEB kvittering",
    "13030": "Fullført salg uten utskrift av kvittering",
    "13999": "Øvrige hendelser",
}

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
