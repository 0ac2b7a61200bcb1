"""The TEST reference of the SAF-T writer: the same file written from ``Transaction`` and
``JournalEvent`` records instead of stored rows.

OmniPOS writes SAF-T records one way, from stored rows (``exports/saft_rows.py``,
``exports/saft_event_rows.py``; in a big export's helper process too). This is the other
way, kept only here: it formats records straight from the core's records, in the plainest
code, so that ``test_saft_rows.py`` can prove the production path writes the very same
bytes. It writes the document with the production :func:`write_document` and the
registers' sections itself.

It checks what the records path always checked, besides what the row path checks: that
every event and transaction belongs to the register being written (the row path is given
rows that storage selected by register).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from omnipos_tui.core.clock import OSLO
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    ReceiptSeries,
    Transaction,
    TransactionKind,
    TransactionLine,
)
from omnipos_tui.core.money import saft_amount
from omnipos_tui.core.shop.company import Register
from omnipos_tui.exports.saft import ExportSummary, write_document
from omnipos_tui.exports.saft_codes import (
    LINE_CODES,
    LINE_DISCOUNT,
    PAYMENT_CODES,
    SALE_DISCOUNT,
    TIP,
    TRANSACTION_CODES,
)
from omnipos_tui.exports.saft_events import KnownIds, ReceiptEvents, event_text
from omnipos_tui.exports.saft_master import NAMESPACE, XmlFile, put
from omnipos_tui.exports.saft_report import write_report
from omnipos_tui.exports.saft_shapes import (
    DISCOUNT,
    FLAGS,
    HEAD,
    LINE_AMOUNTS,
    LINE_IDS,
    LINE_WHEN,
    QNT_DECIMALS,
    RECEIPT_SERIES,
    RECEIPTS,
    SIGNED,
    TEXT_LIMIT,
    VAT,
    WHEN,
)
from omnipos_tui.exports.xml_records import Record, RecordWriter

_MAX_QUANTITIES = 8_192  # remembered quantity texts (there are few distinct ones)
_Q = "{" + NAMESPACE + "}"
_COUNTED_EVENTS = frozenset(
    {
        EventCode.COPY_RECEIPT,
        EventCode.PROFORMA_RECEIPT,
        EventCode.DELIVERY_RECEIPT,
        EventCode.NO_PRINT,
    }
)


def write_saft_records(
    out: BinaryIO,
    *,
    events_by_register: Callable[[str], Iterable[JournalEvent]],
    transactions_by_register: Callable[[str], Iterable[Transaction]],
    **document: Any,
) -> ExportSummary:
    """:func:`~omnipos_tui.exports.saft.write_saft` from records: each register's events
    and transactions come as ``JournalEvent`` and ``Transaction`` records (the other
    arguments are :func:`write_document`'s)."""

    def sections(
        xf: XmlFile, records: RecordWriter, registers: Sequence[Register], known: KnownIds
    ) -> tuple[int, int, dict[str, int]]:
        events = transactions = 0
        counts: dict[str, int] = {}
        for register in registers:
            with xf.element(_Q + "cashregister"):
                put(xf, "registerID", register.register_id, "register")
                put(xf, "regDesc", register.name, "register")
                rid = register.register_id
                receipts = ReceiptEvents()
                events += write_events(records, rid, events_by_register(rid), known, receipts)
                written = TransactionWriter(records, rid, known, receipts).write_all(
                    transactions_by_register(rid)
                )
                transactions += written
                counts[rid] = written
        return events, transactions, counts

    return write_document(out, sections=sections, **document)


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
        if event.employee and event.employee not in known.employees:
            raise InvalidInput(
                f"{where}: employee {event.employee!r} is not among the exported employees"
            )
        if event.trans_id and event.code in _COUNTED_EVENTS:
            key = (event.trans_id, event.code)
            receipts.counts[key] = receipts.counts.get(key, 0) + 1
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


class TransactionWriter:
    """Writes one register's cash transactions.

    Args:
        records: Where the elements go.
        register_id: The register being written.
        known: The employees, articles and customers the file declares.
        receipts: The register's receipt events, counted while its events were written.
    """

    def __init__(
        self,
        records: RecordWriter,
        register_id: str,
        known: KnownIds,
        receipts: ReceiptEvents,
    ) -> None:
        self._records = records
        self._register_id = register_id
        self._known = known
        self._receipts = receipts
        self._percents: dict[Decimal, str] = {}
        self._quantities: dict[Decimal, str] = {}

    def write_all(self, transactions: Iterable[Transaction]) -> int:
        """Write the transactions, which must come in number order; return how many.

        Raises:
            InvalidInput: A transaction belongs to another register, is out of number
                order, is unsigned, references an employee, article or customer not in the
                export, or holds a value SAF-T cannot carry.
        """
        count = 0
        last_nr = 0
        records = self._records
        for tx in transactions:
            where = f"transaction {tx.trans_id}"
            if tx.register_id != self._register_id:
                raise InvalidInput(f"{where}: belongs to register {tx.register_id!r}")
            if tx.nr <= last_nr:
                raise InvalidInput(
                    f"{where}: transactions must come in number order (after {last_nr})"
                )
            last_nr = tx.nr
            if not tx.signature or not tx.key_version:
                raise InvalidInput(f"{where}: is not signed")
            rec = records.start("cashtransaction")
            self._transaction(rec, tx, where)
            records.write(rec, where=where)
            count += 1
        return count

    def _transaction(self, rec: Record, tx: Transaction, where: str) -> None:
        known = self._known
        if tx.employee and tx.employee not in known.employees:
            raise InvalidInput(
                f"{where}: employee {tx.employee!r} is not among the exported employees"
            )
        if tx.customer and tx.customer not in known.customers:
            raise InvalidInput(
                f"{where}: customer {tx.customer!r} is not among the exported customers"
            )
        amount = saft_amount
        total = tx.total.ore
        rec.leaves(
            HEAD,
            str(tx.nr),
            tx.trans_id,
            TRANSACTION_CODES[tx.kind][0],
            amount(total),
            amount(tx.total_ex_vat.ore),
            "D" if total < 0 else "C",
        )
        rec.optional("empID", tx.employee)
        rec.optional("custSupID", tx.customer)
        rec.leaves(WHEN, tx.trans_date, tx.trans_time)
        rec.optional("refID", _returned_receipts(tx)[:TEXT_LIMIT])
        rec.optional("desc", tx.note[:TEXT_LIMIT])
        # VAT per code, summed from the lines in øre: {code: (percent, basis, vat)}.
        rates: dict[str, tuple[Decimal, int, int]] = {}
        for line in tx.lines:
            vat = line.vat_amount.ore
            net = line.amount.ore - vat
            self._line(rec, tx, line, net, where)
            rate = rates.get(line.vat_code)
            if rate is None:
                rates[line.vat_code] = (line.vat_percent, net, vat)
            else:
                rates[line.vat_code] = (rate[0], rate[1] + net, rate[2] + vat)
        for code, (percent, basis, vat_sum) in rates.items():
            rec.open("vat")
            rec.leaves(
                VAT,
                code,
                self._percent(percent),
                amount(vat_sum),
                "D" if vat_sum < 0 else "C",
                amount(basis),
            )
            rec.close()
        # A tip added on the card terminal is a raise of the transaction, owed to the
        # employee who took the payment: not in transAmntIn, not in the VAT; the card
        # payment's paidAmnt is what the card paid (the sale's part and the tip).
        for payment in tx.payments:
            if payment.tip.ore:
                rec.open("raise")
                rec.leaf("raiseType", TIP)
                rec.leaf("raiseAmnt", amount(payment.tip.ore))
                rec.optional("empID", payment.employee or tx.employee)
                rec.close()
        rec.open("rounding")
        rec.leaf("roundingAmnt", amount(tx.rounding.ore))
        rec.close()
        for payment in tx.payments:
            rec.open("payment")
            rec.leaf("paymentType", PAYMENT_CODES[payment.tender][0])
            rec.leaf("paidAmnt", amount(payment.amount.ore + payment.tip.ore))
            rec.optional("empID", payment.employee or tx.employee)
            rec.leaf("curCode", "NOK")
            # The terminal's id is what the receipt shows; our own reference otherwise.
            reference = payment.terminal_transaction_id or payment.reference
            rec.optional("paymentRefID", reference[:999])
            rec.close()
        rec.leaves(SIGNED, tx.signature, tx.key_version)
        self._receipt_counts(rec, tx)
        rec.leaves(FLAGS, "true" if tx.voided else "false", "true" if tx.training else "false")

    def _line(
        self, rec: Record, tx: Transaction, line: TransactionLine, net: int, where: str
    ) -> None:
        known = self._known
        if line.sku and line.sku not in known.articles:
            raise InvalidInput(
                f"{where} line {line.line_no}: article {line.sku!r} is not among the "
                "exported articles"
            )
        if line.group_code and line.group_code not in known.groups:
            raise InvalidInput(
                f"{where} line {line.line_no}: article group {line.group_code!r} is not "
                "among the exported groups"
            )
        employee = line.employee or tx.employee
        if employee and employee not in known.employees:
            raise InvalidInput(
                f"{where} line {line.line_no}: employee {employee!r} is not among the "
                "exported employees"
            )
        amount = saft_amount
        gross = line.amount.ore
        tp = "D" if gross < 0 else "C"
        at = line.at.astimezone(OSLO)
        rec.open("ctLine")
        rec.leaves(LINE_IDS, str(tx.nr), str(line.line_no), LINE_CODES[line.kind][0])
        rec.optional("artGroupID", line.group_code)
        rec.optional("artID", line.sku)
        rec.leaves(
            LINE_AMOUNTS,
            self._quantity(line.quantity, where, line.line_no),
            amount(gross),
            amount(net),
            tp,
            amount(line.unit_price.ore),
        )
        rec.optional("empID", employee)
        rec.optional("cashTransLineDescr", _line_description(line)[:TEXT_LIMIT])
        rec.leaves(
            LINE_WHEN,
            f"{at.year:04d}-{at.month:02d}-{at.day:02d}",
            f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}",
        )
        rec.open("vat")
        rec.leaves(
            VAT,
            line.vat_code,
            self._percent(line.vat_percent),
            amount(line.vat_amount.ore),
            tp,
            amount(net),
        )
        rec.close()
        for kind, discount in ((LINE_DISCOUNT, line.discount), (SALE_DISCOUNT, line.sale_discount)):
            if discount is not None:
                rec.open("discount")
                rec.leaves(DISCOUNT, kind, amount(discount.amount.ore))
                rec.optional("empID", discount.employee or employee)
                rec.close()
        rec.close()

    def _receipt_counts(self, rec: Record, tx: Transaction) -> None:
        count = self._receipts.count
        trans_id = tx.trans_id
        printed = tx.receipt_series in RECEIPT_SERIES and not count(trans_id, EventCode.NO_PRINT)
        delivery = count(trans_id, EventCode.DELIVERY_RECEIPT)
        if tx.kind is TransactionKind.CREDIT_SALE or tx.receipt_series == ReceiptSeries.DELIVERY:
            delivery = max(delivery, 1)
        rec.leaves(
            RECEIPTS,
            "1" if printed else "0",
            _count(count(trans_id, EventCode.COPY_RECEIPT)),
            _count(count(trans_id, EventCode.PROFORMA_RECEIPT)),
            _count(delivery),
        )

    def _quantity(self, quantity: Decimal, where: str, line_no: int) -> str:
        """``qnt`` text ("2", "-1", "0.755"), remembered: quantities repeat. Equal values
        give one text whatever their trailing zeros ("0.750" is written "0.75").

        Raises:
            InvalidInput: Not finite, or more than six decimals (``Amount6decimals``).
        """
        text = self._quantities.get(quantity)
        if text is None:
            exponent = quantity.as_tuple().exponent
            if not isinstance(exponent, int) or exponent < -QNT_DECIMALS:
                raise InvalidInput(
                    f"{where} line {line_no}: quantity {quantity} is not a SAF-T quantity"
                )
            if len(self._quantities) >= _MAX_QUANTITIES:
                self._quantities.clear()
            text = self._quantities[quantity] = format(quantity.normalize(), "f")
        return text

    def _percent(self, percent: Decimal) -> str:
        text = self._percents.get(percent)
        if text is None:
            text = self._percents[percent] = f"{percent:.2f}"
        return text


def _line_description(line: TransactionLine) -> str:
    if (
        line.kind is LineKind.ITEM
        and line.discount is None
        and line.sale_discount is None
        and not (line.price_override_reason or line.approved_by or line.note)
    ):
        return line.name
    parts = [line.name]
    if line.kind is LineKind.CORRECTION and line.corrects_line is not None:
        parts.append(f"korrigerer linje {line.corrects_line}")
    if line.kind is LineKind.RETURN:
        if line.returns_receipt:
            of_line = f" linje {line.returns_line}" if line.returns_line is not None else ""
            parts.append(f"retur fra kvittering {line.returns_receipt}{of_line}")
        else:
            parts.append("retur uten kvittering")
    for discount in (line.discount, line.sale_discount):
        if discount is not None and discount.reason:
            parts.append(f"rabatt: {discount.reason}")
    if line.price_override_reason:
        parts.append(f"overstyrt pris: {line.price_override_reason}")
    if line.approved_by:
        parts.append(f"godkjent av {line.approved_by}")
    if line.note:
        parts.append(line.note)
    return "; ".join(part for part in parts if part)


def _returned_receipts(tx: Transaction) -> str:
    if tx.kind not in (TransactionKind.RETURN, TransactionKind.SALE_AND_RETURN):
        return ""
    seen: dict[str, None] = {}
    for line in tx.lines:
        if line.returns_receipt:
            seen[line.returns_receipt] = None
    return ", ".join(seen)


def _count(n: int) -> str:
    return str(min(n, 999))
