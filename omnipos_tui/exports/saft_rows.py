"""The ``cashtransaction`` elements of one register, straight from stored rows: the one
way OmniPOS writes them (a big export's helper process runs the same writer on its share
of the pages, ``saft_described.py``).

Rows come in pages of plain tuples in storage's column order (``storage/export_rows.py``)
and no ``Transaction`` with its lines and payments is built for each. Every check that keeps
the file valid is done on the row values: number order, signatures present, references to
exported employees, customers, articles and groups, readable codes, quantities and times.
The register is not checked: storage selects the rows by register. A test reference writes
the same elements from ``Transaction`` records (``tests/saft_reference.py``) and
the export tests compare the two files byte for byte.

Sign conventions follow Skatteetaten's example file: amounts keep their sign (a return line
is ``qnt`` -1, ``lineAmntIn`` -16.40) and ``amntTp`` says the same in words: ``C`` (credit,
income) for zero and positive amounts, ``D`` (debit) for negative ones. ``nr``,
``transDate``, ``transTime``, ``transAmntIn`` and ``transAmntEx`` are written exactly as
they were signed, so every signature can be checked against the file alone.

Receipt counters (0-999 in the XSD: counts, not receipt numbers): ``receiptNum`` is 1 when
a sales, return or training receipt was issued (0 when the journal says the sale ended
without a printed receipt, 13030); ``receiptCopyNum``, ``receiptProformaNum`` and
``receiptDeliveryNum`` count the journal's copy, pro forma and delivery receipt events that
name the transaction, and a credit sale's own delivery receipt counts at least 1.
"""

from __future__ import annotations

from collections.abc import Iterable

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, ReceiptSeries, TransactionKind
from omnipos_tui.exports.saft_codes import LINE_DISCOUNT, SALE_DISCOUNT, TIP
from omnipos_tui.exports.saft_events import KnownIds, ReceiptEvents
from omnipos_tui.exports.saft_row_values import (
    Row,
    RowTexts,
    by_transaction,
    count_text,
    line_description,
)
from omnipos_tui.exports.saft_shapes import (
    CLOSE,
    DISCOUNT_HEAD,
    FLAGS,
    HEAD,
    KINDS,
    LINE_AMOUNTS,
    LINE_COMMON,
    LINE_HEAD,
    LINE_KINDS,
    LINE_TAIL,
    PAYMENT_HEAD,
    RAISE_HEAD,
    RECEIPTS,
    RETURN_KINDS,
    ROUNDING_BLOCK,
    SERIES,
    SIGNED,
    TENDERS,
    TEXT_LIMIT,
    VAT_BLOCK,
    WHEN,
)
from omnipos_tui.exports.xml_records import Record, RecordSink

_ITEM = LineKind.ITEM


class RowTransactionWriter:
    """Writes one register's cash transactions from pages of stored rows.

    Args:
        records: Where the elements go.
        register_id: The register being written (for messages).
        known: The employees, articles and customers the file declares.
        receipts: The register's receipt events, counted while its events were written.
    """

    def __init__(
        self,
        records: RecordSink,
        register_id: str,
        known: KnownIds,
        receipts: ReceiptEvents,
    ) -> None:
        self._records = records
        self._register_id = register_id
        self._known = known
        self._receipts = receipts
        values = RowTexts()
        # Bound here once: the hot loop below reads them as attributes of the writer.
        self._amounts = values.amounts
        self._percents, self._percent = values.percents, values.percent
        self._quantities, self._quantity = values.quantities, values.quantity
        self._oslo = values.oslo
        self.last_nr = 0
        """The number of the last transaction written (0: none yet)."""

    def write_all(self, pages: Iterable[tuple[list[Row], list[Row], list[Row]]]) -> int:
        """Write the pages' transactions, which must come in number order; return how many.

        Raises:
            InvalidInput: A transaction is out of number order, is unsigned, references an
                employee, article or customer not in the export, or holds a value SAF-T
                cannot carry or a row that cannot be read.
        """
        count = 0
        for page in pages:
            count += self.write_page(page)
        return count

    def write_page(self, page: tuple[list[Row], list[Row], list[Row]]) -> int:
        """Write one page's transactions, which must come in number order after
        :attr:`last_nr` (the number of the last transaction written before them, set by
        whoever wrote the pages in between); return how many.

        Raises:
            InvalidInput: As :meth:`write_all`.
        """
        headers, line_rows, payment_rows = page
        records = self._records
        last_nr = self.last_nr
        lines = by_transaction(line_rows)
        payments = by_transaction(payment_rows)
        for h in headers:
            where = f"transaction {h[1]}"
            try:
                nr = int(h[0])
            except (TypeError, ValueError):
                raise InvalidInput(f"{where}: stored number {h[0]!r} is not a number") from None
            if nr <= last_nr:
                raise InvalidInput(
                    f"{where}: transactions must come in number order (after {last_nr})"
                )
            last_nr = nr
            if not h[14] or not h[15]:
                raise InvalidInput(f"{where}: is not signed")
            rec = records.start("cashtransaction")
            try:
                self._transaction(rec, h, lines.get(h[1], ()), payments.get(h[1], ()), where)
            except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
                raise InvalidInput(f"{where}: a stored row cannot be read: {exc!r}") from None
            records.write(rec, where=where)
        self.last_nr = last_nr
        return len(headers)

    def _transaction(
        self,
        rec: Record,
        h: Row,
        lines: Iterable[Row],
        payments: Iterable[Row],
        where: str,
    ) -> None:
        # The record's shape and texts are filled directly (what Record.leaf, .leaves,
        # .optional, .open and .close do, without a call per element): this runs for
        # every element of a year's export.
        known = self._known
        employee = h[3]
        if employee and employee not in known.employees:
            raise InvalidInput(
                f"{where}: employee {employee!r} is not among the exported employees"
            )
        customer = h[4]
        if customer and customer not in known.customers:
            raise InvalidInput(
                f"{where}: customer {customer!r} is not among the exported customers"
            )
        kind, kind_code = KINDS[h[2]]
        amount = self._amounts.__getitem__
        shape, texts = rec.shape, rec.texts
        add_tag, add_tags, add_text, add_texts = (
            shape.append,
            shape.extend,
            texts.append,
            texts.extend,
        )
        total = int(h[7])
        nr_text = str(int(h[0]))
        add_tags(HEAD)
        add_texts(
            (nr_text, h[1], kind_code, amount(total), amount(h[8]), "D" if total < 0 else "C")
        )
        if employee:
            add_tag("empID")
            add_text(employee)
        if customer:
            add_tag("custSupID")
            add_text(customer)
        add_tags(WHEN)
        add_texts((h[5], h[6]))
        if kind in RETURN_KINDS:
            seen = {line[23]: None for line in lines if line[23]}
            if seen:
                add_tag("refID")
                add_text(", ".join(seen)[:TEXT_LIMIT])
        if h[13]:
            add_tag("desc")
            add_text(h[13][:TEXT_LIMIT])
        # VAT per code, summed from the lines in øre: {code: (percent text, basis, vat)}.
        rates: dict[str, tuple[str, int, int]] = {}
        articles, groups, employees = known.articles, known.groups, known.employees
        percents, quantities, oslo = self._percents, self._quantities, self._oslo
        for line in lines:
            sku, group = line[3], line[5]
            if sku and sku not in articles:
                raise InvalidInput(
                    f"{where} line {line[1]}: article {sku!r} is not among the exported articles"
                )
            if group and group not in groups:
                raise InvalidInput(
                    f"{where} line {line[1]}: article group {group!r} is not among the "
                    "exported groups"
                )
            line_employee = line[20] or employee
            if line_employee and line_employee not in employees:
                raise InvalidInput(
                    f"{where} line {line[1]}: employee {line_employee!r} is not among the "
                    "exported employees"
                )
            line_kind, line_code = LINE_KINDS[line[2]]
            gross = int(line[8])
            vat = int(line[11])
            net = gross - vat
            tp = "D" if gross < 0 else "C"
            day, clock = oslo(line[25])
            percent = percents.get(line[10]) or self._percent(line[10])
            quantity = quantities.get(line[6]) or self._quantity(line[6], where, line[1])
            if (
                line_kind is _ITEM
                and line[12] is None
                and line[15] is None
                and not (line[18] or line[19] or line[21])
            ):
                description = line[4][:TEXT_LIMIT]  # the common case of line_description
                if group and sku and line_employee and description:
                    # The common line in one run: no optional element left out, no discount.
                    add_tags(LINE_COMMON)
                    add_texts(
                        (
                            nr_text,
                            str(int(line[1])),
                            line_code,
                            group,
                            sku,
                            quantity,
                            amount(gross),
                            amount(net),
                            tp,
                            amount(line[7]),
                            line_employee,
                            description,
                            day,
                            clock,
                            line[9],
                            percent,
                            amount(vat),
                            tp,
                            amount(net),
                        )
                    )
                    rate = rates.get(line[9])
                    rates[line[9]] = (
                        (percent, net, vat)
                        if rate is None
                        else (rate[0], rate[1] + net, rate[2] + vat)
                    )
                    continue
            else:
                description = line_description(line, line_kind)[:TEXT_LIMIT]
            add_tags(LINE_HEAD)
            add_texts((nr_text, str(int(line[1])), line_code))
            if group:
                add_tag("artGroupID")
                add_text(group)
            if sku:
                add_tag("artID")
                add_text(sku)
            add_tags(LINE_AMOUNTS)
            add_texts((quantity, amount(gross), amount(net), tp, amount(line[7])))
            if line_employee:
                add_tag("empID")
                add_text(line_employee)
            if description:
                add_tag("cashTransLineDescr")
                add_text(description)
            add_tags(LINE_TAIL)
            add_texts((day, clock, line[9], percent, amount(vat), tp, amount(net)))
            for kind_text, column in ((LINE_DISCOUNT, 12), (SALE_DISCOUNT, 15)):
                if line[column] is not None:
                    add_tags(DISCOUNT_HEAD)
                    add_texts((kind_text, amount(line[column])))
                    given_by = line[column + 1] or line_employee
                    if given_by:
                        add_tag("empID")
                        add_text(given_by)
                    add_tag(CLOSE)
            add_tag(CLOSE)
            rate = rates.get(line[9])
            rates[line[9]] = (
                (percent, net, vat) if rate is None else (rate[0], rate[1] + net, rate[2] + vat)
            )
        for code, (percent, basis, vat_sum) in rates.items():
            add_tags(VAT_BLOCK)
            add_texts((code, percent, amount(vat_sum), "D" if vat_sum < 0 else "C", amount(basis)))
        # A card tip is the transaction's raise, owed to who took the payment (see
        # tests/saft_reference.py); paidAmnt is what the card paid: the sale's part and the tip.
        for payment in payments:
            if payment[6]:
                add_tags(RAISE_HEAD)
                add_texts((TIP, amount(payment[6])))
                tipped_to = payment[5] or employee
                if tipped_to:
                    add_tag("empID")
                    add_text(tipped_to)
                add_tag(CLOSE)
        add_tags(ROUNDING_BLOCK)
        add_text(amount(h[9]))
        for payment in payments:
            add_tags(PAYMENT_HEAD)
            paid = payment[2] if not payment[6] else int(payment[2]) + int(payment[6])
            add_texts((TENDERS[payment[1]], amount(paid)))
            paid_by = payment[5] or employee
            if paid_by:
                add_tag("empID")
                add_text(paid_by)
            add_tag("curCode")
            add_text("NOK")
            # The terminal's id is what the receipt shows; our own reference otherwise.
            reference = (payment[4] or payment[3] or "")[:999]
            if reference:
                add_tag("paymentRefID")
                add_text(reference)
            add_tag(CLOSE)
        add_tags(SIGNED)
        add_texts((h[14], h[15]))
        if self._receipts.counts:
            self._receipt_counts(rec, h, kind)
        else:  # no copy, pro forma, delivery or no-print event in the register's journal
            add_tags(RECEIPTS)
            delivery = kind is TransactionKind.CREDIT_SALE or h[10] == ReceiptSeries.DELIVERY
            add_texts(("1" if h[10] in SERIES else "0", "0", "0", "1" if delivery else "0"))
        add_tags(FLAGS)
        add_texts(("true" if h[12] else "false", "true" if h[11] else "false"))

    def _receipt_counts(self, rec: Record, h: Row, kind: TransactionKind) -> None:
        count = self._receipts.count
        trans_id = h[1]
        series = h[10]
        printed = series in SERIES and not count(trans_id, EventCode.NO_PRINT)
        delivery = count(trans_id, EventCode.DELIVERY_RECEIPT)
        if kind is TransactionKind.CREDIT_SALE or series == ReceiptSeries.DELIVERY:
            delivery = max(delivery, 1)
        rec.leaves(
            RECEIPTS,
            "1" if printed else "0",
            count_text(count(trans_id, EventCode.COPY_RECEIPT)),
            count_text(count(trans_id, EventCode.PROFORMA_RECEIPT)),
            count_text(delivery),
        )
