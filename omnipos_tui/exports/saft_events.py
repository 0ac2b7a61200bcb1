"""The journal events of one register in a SAF-T Cash Register file, and the bookkeeping
that the rest of the register's section needs from them.

Events come before the register's cash transactions (the XSD's order). While they stream,
the receipt events that name a transaction (copies, pro formas, delivery receipts, sales
concluded without print) are counted for the transactions' receipt counters, and every
reference to an employee is checked against the exported employees, so the writer fails
with a clear message instead of producing a file that breaks the XSD's keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.money import Money
from omnipos_tui.exports.saft_report import write_report
from omnipos_tui.exports.xml_records import RecordWriter

_COUNTED_EVENTS = frozenset(
    {
        EventCode.COPY_RECEIPT,
        EventCode.PROFORMA_RECEIPT,
        EventCode.DELIVERY_RECEIPT,
        EventCode.NO_PRINT,
    }
)


@dataclass
class KnownIds:
    """What the file's master data declared, so references can be checked as they stream.

    Attributes:
        employees: Every exported ``empID``.
        articles: Every exported ``artID``.
        customers: Every exported ``custSupID``.
        groups: Every exported article group code.
    """

    employees: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    customers: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)

    def employee(self, number: str, where: str) -> None:
        """Check an employee reference (the XSD keys ``empID``).

        Raises:
            InvalidInput: The employee is not in the export.
        """
        if number and number not in self.employees:
            raise InvalidInput(f"{where}: employee {number!r} is not among the exported employees")


@dataclass
class ReceiptEvents:
    """Receipt events of one register, counted per transaction while events stream.

    Only transactions with such an event get an entry, so memory follows the number of
    copies and pro formas, not the number of sales.
    """

    counts: dict[tuple[str, EventCode], int] = field(default_factory=dict)

    def add(self, event: JournalEvent) -> None:
        """Count the event if it is a receipt event naming a transaction."""
        if event.trans_id and event.code in _COUNTED_EVENTS:
            key = (event.trans_id, event.code)
            self.counts[key] = self.counts.get(key, 0) + 1

    def count(self, trans_id: str, code: EventCode) -> int:
        """How many events of ``code`` name the transaction."""
        return self.counts.get((trans_id, code), 0) if self.counts else 0


def write_events(
    records: RecordWriter,
    register_id: str,
    events: Iterable[JournalEvent],
    known: KnownIds,
    receipts: ReceiptEvents,
) -> int:
    """Write a register's events in the order given; return how many.

    Raises:
        InvalidInput: An event belongs to another register, is out of order, names an
            employee not in the export, or holds text XML cannot carry.
    """
    count = 0
    last_seq = 0
    for event in events:
        where = f"event {event.event_id}"
        if event.register_id != register_id:
            raise InvalidInput(f"{where}: belongs to register {event.register_id!r}")
        if event.seq <= last_seq:
            raise InvalidInput(f"{where}: events must come in journal order (after {last_seq})")
        last_seq = event.seq
        known.employee(event.employee, where)
        receipts.add(event)
        rec = records.start("event")
        rec.leaves(("eventID", "eventType"), event.event_id, event.code.value)
        rec.optional("transID", event.trans_id)
        rec.optional("empID", event.employee)
        rec.leaves(("eventDate", "eventTime"), event.event_date, event.event_time)
        rec.optional("eventText", event_text(event)[:9999])
        if event.code in (EventCode.X_REPORT, EventCode.Z_REPORT):
            write_report(rec, event, known.employees)
        records.write(rec, where=where)
        count += 1
    return count


# How a payload value is written: a code or number always (the structured part that
# Skatteetaten's example shows), free text only when the event's text does not already
# say it, an amount in øre as SAF-T money.
_CODE, _TEXT, _ORE = "code", "text", "ore"

# What each event's payload adds to its ``eventText``: (label, payload key, kind).
_EVENT_DETAILS: dict[EventCode, tuple[tuple[str, str, str], ...]] = {
    EventCode.PRICE_LOOKUP: (
        ("artID", "sku", _CODE),
        ("artGroupID", "group", _CODE),
        ("lineAmntIn", "amount", _ORE),
    ),
    EventCode.LINE_DELETE: (
        ("lineID", "line", _CODE),
        ("artID", "sku", _CODE),
        ("qnt", "quantity", _CODE),
        ("lineAmntIn", "amount", _ORE),
    ),
    EventCode.LINE_REDUCE: (
        ("lineID", "line", _CODE),
        ("artID", "sku", _CODE),
        ("qnt", "quantity", _CODE),
        ("lineAmntIn", "amount", _ORE),
    ),
    EventCode.DRAWER_OPEN_NO_SALE: (("Årsak", "reason", _TEXT),),
    EventCode.COPY_RECEIPT: (("Kvittering", "receipt", _TEXT), ("Beløp", "amount", _ORE)),
    EventCode.PROFORMA_RECEIPT: (("Nr", "number", _CODE), ("Beløp", "amount", _ORE)),
    EventCode.PRICE_CHANGE: (
        ("artID", "sku", _CODE),
        ("Gammel pris", "old_price", _ORE),
        ("Ny pris", "new_price", _ORE),
    ),
    EventCode.EXPORT: (
        ("Fra", "from", _TEXT),
        ("Til", "to", _TEXT),
        ("Fil", "file", _TEXT),
        ("Transaksjoner", "transactions", _CODE),
    ),
}


def event_text(event: JournalEvent) -> str:
    """The ``eventText``: the event's own text plus what its payload says, in the style of
    Skatteetaten's example ("artID 1003; artGroupID 100; lineAmntIn 27.80").

    Payload values of an unexpected type are left out rather than failing the export, and
    free text the event's text already holds is not repeated.
    """
    parts = [event.text] if event.text else []
    for label, key, kind in _EVENT_DETAILS.get(event.code, ()):
        value = event.payload.get(key)
        if isinstance(value, bool) or value is None or value == "":
            continue
        if kind == _ORE:
            if isinstance(value, int):
                parts.append(f"{label} {Money(value).saft()}")
        elif isinstance(value, str | int) and not (kind == _TEXT and str(value) in event.text):
            parts.append(f"{label} {value}")
    if event.training:
        parts.append("Treningsmodus")
    return "; ".join(parts)
