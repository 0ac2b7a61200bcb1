"""The ``cashtransaction`` elements of one register, straight from stored rows.

The fast path of :mod:`saft_transactions`: the same elements, byte for byte, but made from
pages of plain rows (``core/export_rows.py``) without building a ``Transaction`` with its
lines and payments for each. Every check that keeps the file valid stays, done on the row
values: number order, signatures present, references to exported employees, customers,
articles and groups, readable codes, quantities and times. The register is not checked:
storage selects the rows by register.

Line times are stored as fixed-width UTC text (``…T13:30:05.000000Z``); Oslo differs from
UTC by whole hours that change only on a whole UTC hour, so the Oslo date and hour are
worked out once per UTC hour and minutes and seconds are copied.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import groupby
from operator import itemgetter
from typing import Any

from omnipos_tui.core.clock import OSLO
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, ReceiptSeries, TransactionKind
from omnipos_tui.core.money import saft_amount
from omnipos_tui.exports.saft_codes import (
    LINE_CODES,
    LINE_DISCOUNT,
    PAYMENT_CODES,
    SALE_DISCOUNT,
    TIP,
    TRANSACTION_CODES,
)
from omnipos_tui.exports.saft_events import KnownIds, ReceiptEvents
from omnipos_tui.exports.saft_transactions import (
    _DISCOUNT,
    _FLAGS,
    _HEAD,
    _LINE_AMOUNTS,
    _LINE_IDS,
    _LINE_WHEN,
    _QNT_DECIMALS,
    _RECEIPT_SERIES,
    _RECEIPTS,
    _SIGNED,
    _TEXT,
    _VAT,
    _WHEN,
)
from omnipos_tui.exports.xml_records import _CLOSE, _OPEN, Record, RecordSink

Row = tuple[Any, ...]

_KINDS = {kind.value: (kind, codes[0]) for kind, codes in TRANSACTION_CODES.items()}
_LINE_KINDS = {kind.value: (kind, codes[0]) for kind, codes in LINE_CODES.items()}
_TENDERS = {tender.value: codes[0] for tender, codes in PAYMENT_CODES.items()}
_RETURN_KINDS = frozenset({TransactionKind.RETURN, TransactionKind.SALE_AND_RETURN})
_SERIES = frozenset(str(series) for series in _RECEIPT_SERIES)
_MINUTES_SECONDS = frozenset(f"{m:02d}:{s:02d}" for m in range(60) for s in range(60))
# Runs of shape tokens (``xml_records``: "+tag" opens, "-" closes) in the XSD's order.
_VAT_BLOCK = (_OPEN + "vat", *_VAT, _CLOSE)
_ROUNDING_BLOCK = (_OPEN + "rounding", "roundingAmnt", _CLOSE)
_PAYMENT_HEAD = (_OPEN + "payment", "paymentType", "paidAmnt")
_RAISE_HEAD = (_OPEN + "raise", "raiseType", "raiseAmnt")
_LINE_HEAD = (_OPEN + "ctLine", *_LINE_IDS)
_LINE_TAIL = (*_LINE_WHEN, *_VAT_BLOCK)
_DISCOUNT_HEAD = (_OPEN + "discount", *_DISCOUNT)
# A line with every optional element and no discount: most lines of a year.
_LINE_COMMON = (
    *_LINE_HEAD,
    "artGroupID",
    "artID",
    *_LINE_AMOUNTS,
    "empID",
    "cashTransLineDescr",
    *_LINE_TAIL,
    _CLOSE,
)
_CACHE_LIMIT = 8_192  # remembered texts per kind (few distinct ones; bounded memory)
_FIRST = itemgetter(0)
_ITEM = LineKind.ITEM
_AMOUNTS_LIMIT = 65_536  # remembered amount texts (bounded memory)


class _Amounts(dict[object, str]):
    """SAF-T texts of stored øre amounts, remembered (prices and totals repeat): a hit is
    a plain dict lookup instead of formatting."""

    def __missing__(self, stored: object) -> str:
        if isinstance(stored, bool) or not isinstance(stored, int | str):
            raise TypeError(f"not an amount: {stored!r}")
        if len(self) >= _AMOUNTS_LIMIT:
            self.clear()
        text = self[stored] = saft_amount(int(stored))
        return text


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
        self._percents: dict[str, str] = {}
        self._quantities: dict[str, str] = {}
        self._hours: dict[str, tuple[str, str]] = {}
        self._amounts = _Amounts()
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
        lines = _by_transaction(line_rows)
        payments = _by_transaction(payment_rows)
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
        kind, kind_code = _KINDS[h[2]]
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
        add_tags(_HEAD)
        add_texts(
            (nr_text, h[1], kind_code, amount(total), amount(h[8]), "D" if total < 0 else "C")
        )
        if employee:
            add_tag("empID")
            add_text(employee)
        if customer:
            add_tag("custSupID")
            add_text(customer)
        add_tags(_WHEN)
        add_texts((h[5], h[6]))
        if kind in _RETURN_KINDS:
            seen = {line[23]: None for line in lines if line[23]}
            if seen:
                add_tag("refID")
                add_text(", ".join(seen)[:_TEXT])
        if h[13]:
            add_tag("desc")
            add_text(h[13][:_TEXT])
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
            line_kind, line_code = _LINE_KINDS[line[2]]
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
                description = line[4][:_TEXT]  # the common case of _line_description
                if group and sku and line_employee and description:
                    # The common line in one run: no optional element left out, no discount.
                    add_tags(_LINE_COMMON)
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
                description = _line_description(line, line_kind)[:_TEXT]
            add_tags(_LINE_HEAD)
            add_texts((nr_text, str(int(line[1])), line_code))
            if group:
                add_tag("artGroupID")
                add_text(group)
            if sku:
                add_tag("artID")
                add_text(sku)
            add_tags(_LINE_AMOUNTS)
            add_texts((quantity, amount(gross), amount(net), tp, amount(line[7])))
            if line_employee:
                add_tag("empID")
                add_text(line_employee)
            if description:
                add_tag("cashTransLineDescr")
                add_text(description)
            add_tags(_LINE_TAIL)
            add_texts((day, clock, line[9], percent, amount(vat), tp, amount(net)))
            for kind_text, column in ((LINE_DISCOUNT, 12), (SALE_DISCOUNT, 15)):
                if line[column] is not None:
                    add_tags(_DISCOUNT_HEAD)
                    add_texts((kind_text, amount(line[column])))
                    given_by = line[column + 1] or line_employee
                    if given_by:
                        add_tag("empID")
                        add_text(given_by)
                    add_tag(_CLOSE)
            add_tag(_CLOSE)
            rate = rates.get(line[9])
            rates[line[9]] = (
                (percent, net, vat) if rate is None else (rate[0], rate[1] + net, rate[2] + vat)
            )
        for code, (percent, basis, vat_sum) in rates.items():
            add_tags(_VAT_BLOCK)
            add_texts((code, percent, amount(vat_sum), "D" if vat_sum < 0 else "C", amount(basis)))
        # A card tip is the transaction's raise, owed to who took the payment (see
        # saft_transactions); paidAmnt is what the card paid: the sale's part and the tip.
        for payment in payments:
            if payment[6]:
                add_tags(_RAISE_HEAD)
                add_texts((TIP, amount(payment[6])))
                tipped_to = payment[5] or employee
                if tipped_to:
                    add_tag("empID")
                    add_text(tipped_to)
                add_tag(_CLOSE)
        add_tags(_ROUNDING_BLOCK)
        add_text(amount(h[9]))
        for payment in payments:
            add_tags(_PAYMENT_HEAD)
            paid = payment[2] if not payment[6] else int(payment[2]) + int(payment[6])
            add_texts((_TENDERS[payment[1]], amount(paid)))
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
            add_tag(_CLOSE)
        add_tags(_SIGNED)
        add_texts((h[14], h[15]))
        if self._receipts.counts:
            self._receipt_counts(rec, h, kind)
        else:  # no copy, pro forma, delivery or no-print event in the register's journal
            add_tags(_RECEIPTS)
            delivery = kind is TransactionKind.CREDIT_SALE or h[10] == ReceiptSeries.DELIVERY
            add_texts(("1" if h[10] in _SERIES else "0", "0", "0", "1" if delivery else "0"))
        add_tags(_FLAGS)
        add_texts(("true" if h[12] else "false", "true" if h[11] else "false"))

    def _receipt_counts(self, rec: Record, h: Row, kind: TransactionKind) -> None:
        count = self._receipts.count
        trans_id = h[1]
        series = h[10]
        printed = series in _SERIES and not count(trans_id, EventCode.NO_PRINT)
        delivery = count(trans_id, EventCode.DELIVERY_RECEIPT)
        if kind is TransactionKind.CREDIT_SALE or series == ReceiptSeries.DELIVERY:
            delivery = max(delivery, 1)
        rec.leaves(
            _RECEIPTS,
            "1" if printed else "0",
            _count(count(trans_id, EventCode.COPY_RECEIPT)),
            _count(count(trans_id, EventCode.PROFORMA_RECEIPT)),
            _count(delivery),
        )

    def _oslo(self, stored: str) -> tuple[str, str]:
        """A stored UTC time as Oslo ``(date, time)`` texts."""
        if len(stored) == 27 and stored[26] == "Z" and stored[19] == ".":
            minutes_seconds = stored[14:19]
            if minutes_seconds in _MINUTES_SECONDS and stored[20:26].isdigit():
                hour = self._hours.get(stored[:13])
                if hour is None:
                    if len(self._hours) >= _CACHE_LIMIT:
                        self._hours.clear()
                    at = datetime.fromisoformat(stored[:13] + ":00:00+00:00").astimezone(OSLO)
                    hour = self._hours[stored[:13]] = (
                        f"{at.year:04d}-{at.month:02d}-{at.day:02d}",
                        f"{at.hour:02d}:",
                    )
                return hour[0], hour[1] + minutes_seconds
        # Any other form is read as the slow path reads it (and refused the same way).
        at = datetime.fromisoformat(stored)
        if at.tzinfo is None:
            raise ValueError(f"time without zone: {stored!r}")
        at = at.astimezone(OSLO)
        return (
            f"{at.year:04d}-{at.month:02d}-{at.day:02d}",
            f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}",
        )

    def _quantity(self, stored: str, where: str, line_no: object) -> str:
        """``qnt`` text as :meth:`TransactionWriter._quantity` writes it, remembered.

        Raises:
            InvalidInput: Not a finite number or more than six decimals.
        """
        text = self._quantities.get(stored)
        if text is None:
            try:
                quantity = Decimal(stored)
            except (InvalidOperation, TypeError):
                quantity = Decimal("NaN")
            exponent = quantity.as_tuple().exponent
            if not isinstance(exponent, int) or exponent < -_QNT_DECIMALS:
                raise InvalidInput(
                    f"{where} line {line_no}: quantity {stored} is not a SAF-T quantity"
                )
            if len(self._quantities) >= _CACHE_LIMIT:
                self._quantities.clear()
            text = self._quantities[stored] = format(quantity.normalize(), "f")
        return text

    def _percent(self, stored: str) -> str:
        text = self._percents.get(stored)
        if text is None:
            percent = Decimal(stored)
            if not percent.is_finite():
                raise ValueError(f"not a number: {stored!r}")
            if len(self._percents) >= _CACHE_LIMIT:
                self._percents.clear()
            text = self._percents[stored] = f"{percent:.2f}"
        return text


def _by_transaction(rows: list[Row]) -> dict[str, list[Row]]:
    """Rows ordered by transaction id, grouped by it (order within a group kept)."""
    out: dict[str, list[Row]] = {}
    for trans_id, group in groupby(rows, _FIRST):
        found = out.get(trans_id)
        if found is None:
            out[trans_id] = list(group)
        else:  # not with ORDER BY trans_id; kept correct all the same
            found.extend(group)
    return out


def _line_description(line: Row, kind: LineKind) -> str:
    """``cashTransLineDescr`` as ``saft_transactions._line_description`` makes it."""
    discount, sale_discount = line[12] is not None, line[15] is not None
    if (
        kind is LineKind.ITEM
        and not discount
        and not sale_discount
        and not (line[18] or line[19] or line[21])
    ):
        name: str = line[4]
        return name
    parts = [line[4]]
    if kind is LineKind.CORRECTION and line[22] is not None:
        parts.append(f"korrigerer linje {int(line[22])}")
    if kind is LineKind.RETURN:
        if line[23]:
            of_line = f" linje {int(line[24])}" if line[24] is not None else ""
            parts.append(f"retur fra kvittering {line[23]}{of_line}")
        else:
            parts.append("retur uten kvittering")
    if discount and line[14]:
        parts.append(f"rabatt: {line[14]}")
    if sale_discount and line[17]:
        parts.append(f"rabatt: {line[17]}")
    if line[18]:
        parts.append(f"overstyrt pris: {line[18]}")
    if line[19]:
        parts.append(f"godkjent av {line[19]}")
    if line[21]:
        parts.append(line[21])
    return "; ".join(part for part in parts if part)


def _count(n: int) -> str:
    return str(min(n, 999))
