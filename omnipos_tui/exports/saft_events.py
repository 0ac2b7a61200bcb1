"""What a register's journal events say in a SAF-T Cash Register file (:func:`event_text`),
and the bookkeeping the rest of the register's section needs from them.

Events come before the register's cash transactions (the XSD's order; written from their
rows by ``saft_event_rows.py``). While they stream, the receipt events that name a
transaction (copies, pro formas, delivery receipts, sales concluded without print) are
counted for the transactions' receipt counters (:class:`ReceiptEvents`), and every
reference to an employee, article, customer or group is checked against what the file
declares (:class:`KnownIds`), so the writer fails with a clear message instead of
producing a file that breaks the XSD's keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.money import Money


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


@dataclass
class ReceiptEvents:
    """Receipt events of one register, counted per transaction while events stream.

    Only transactions with such an event get an entry, so memory follows the number of
    copies and pro formas, not the number of sales.
    """

    counts: dict[tuple[str, EventCode], int] = field(default_factory=dict)

    def count(self, trans_id: str, code: EventCode) -> int:
        """How many events of ``code`` name the transaction."""
        return self.counts.get((trans_id, code), 0) if self.counts else 0


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
