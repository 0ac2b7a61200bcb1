"""How completed transactions are laid out in rows (``cash_transaction``,
``transaction_line``, ``transaction_payment``): made from records (:func:`stored_rows`) and
turned back into records, fast (:class:`Decoder`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import peewee

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.ledger.transaction import (
    Discount,
    LineKind,
    Payment,
    TenderKind,
    Transaction,
    TransactionKind,
    TransactionLine,
)
from omnipos_tui.core.money import Money
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.db_time import time_to_db

HEADER = (
    "register_id, nr, trans_id, kind, employee, customer, started_at, completed_at, "
    "trans_date, trans_time, business_day, total, total_ex_vat, rounding, receipt_series, "
    "receipt_number, training, voided, note, signature, key_version, previous_signature"
)
LINE_COLUMNS = (
    "trans_id",
    "line_no",
    "kind",
    "sku",
    "name",
    "group_code",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "vat_code",
    "vat_percent",
    "vat_amount",
    "discount_amount",
    "discount_percent",
    "discount_employee",
    "discount_reason",
    "sale_discount_amount",
    "sale_discount_percent",
    "sale_discount_employee",
    "sale_discount_reason",
    "price_override_reason",
    "approved_by",
    "employee",
    "note",
    "corrects_line",
    "returns_receipt",
    "returns_line",
    "returns_trans_id",
    "returns_original_line",
    "at",
)
PAYMENT_COLUMNS = (
    "trans_id",
    "seq",
    "tender",
    "amount",
    "reference",
    "terminal_transaction_id",
    "masked_card",
    "employee",
    "tendered",
    "tip",
)
LINES = ", ".join(LINE_COLUMNS[1:])
PAYMENTS = ", ".join(PAYMENT_COLUMNS[1:])
_KINDS = {k.value: k for k in TransactionKind}
_LINE_KINDS = {k.value: k for k in LineKind}
_TENDERS = {t.value: t for t in TenderKind}
_UNITS = {u.value: u for u in Unit}


def insert_many(
    db: peewee.Database, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Multi-row INSERTs, kept under SQLite's limit of variables per statement."""
    one = "(" + ", ".join("?" * len(columns)) + ")"
    step = max(1, 30_000 // len(columns))
    for start in range(0, len(rows), step):
        part = rows[start : start + step]
        execute_sql(
            db,
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(part))}",
            [value for row in part for value in row],
        )


def _time(text: str) -> datetime:
    # fromisoformat reads the stored "…Z" form (aware UTC) directly and is many times
    # faster than strptime, which matters when a Z report reads thousands of lines.
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time without zone: {text!r}")
    return moment


def stored_rows(
    tx: Transaction, *, sale_id: str | None, return_refs: Mapping[int, str]
) -> tuple[tuple[object, ...], list[tuple[object, ...]], list[tuple[object, ...]]]:
    """A transaction's rows as stored: its ``cash_transaction`` row (``HEADER`` and
    ``sale_id``), its ``transaction_line`` rows (``LINE_COLUMNS``) and its
    ``transaction_payment`` rows (``PAYMENT_COLUMNS``).

    Args:
        tx: The signed transaction.
        sale_id: The open sale it completes, None for cash movements.
        return_refs: For each return line, the original transaction's ``trans_id``.
    """
    header = (
        tx.register_id,
        tx.nr,
        tx.trans_id,
        tx.kind.value,
        tx.employee,
        tx.customer,
        time_to_db(tx.started_at),
        time_to_db(tx.completed_at),
        tx.trans_date,
        tx.trans_time,
        tx.business_day.isoformat(),
        tx.total.ore,
        tx.total_ex_vat.ore,
        tx.rounding.ore,
        str(tx.receipt_series),
        tx.receipt_number,
        tx.training,
        tx.voided,
        tx.note,
        tx.signature,
        tx.key_version,
        tx.previous_signature,
        sale_id,
    )
    # What each line takes back, for ``returned``: a return line names its original
    # transaction and line; a correction of a return line gives part of it back.
    targets = {ln.line_no: ln for ln in tx.lines}
    lines: list[tuple[object, ...]] = []
    for line in tx.lines:
        source = line.line_no
        if line.corrects_line is not None:
            source = line.corrects_line
        original = return_refs.get(source)
        original_line = targets[source].returns_line if original is not None else None
        lines.append(
            (
                tx.trans_id,
                line.line_no,
                line.kind.value,
                line.sku,
                line.name,
                line.group_code,
                str(line.quantity),
                line.unit.value,
                line.unit_price.ore,
                line.amount.ore,
                line.vat_code,
                str(line.vat_percent),
                line.vat_amount.ore,
                *discount_columns(line.discount),
                *discount_columns(line.sale_discount),
                line.price_override_reason,
                line.approved_by,
                line.employee,
                line.note,
                line.corrects_line,
                line.returns_receipt,
                line.returns_line,
                original,
                original_line,
                time_to_db(line.at),
            )
        )
    payments: list[tuple[object, ...]] = [
        (
            tx.trans_id,
            seq,
            p.tender.value,
            p.amount.ore,
            p.reference,
            p.terminal_transaction_id,
            p.masked_card,
            p.employee,
            None if p.tendered is None else p.tendered.ore,
            p.tip.ore,
        )
        for seq, p in enumerate(tx.payments, start=1)
    ]
    return header, lines, payments


def discount_columns(discount: Discount | None) -> tuple[object, ...]:
    if discount is None:
        return (None, None, None, None)
    percent = None if discount.percent is None else str(discount.percent)
    return (discount.amount.ore, percent, discount.employee, discount.reason)


class Decoder:
    """Rows to records, fast: a Z report of a busy day reads tens of thousands of lines.

    Equal amounts, quantities and rates are decoded once (prices repeat all day). A row
    changed by hand into something unreadable is a ``StorageError`` naming it.
    """

    def __init__(self) -> None:
        self._money: dict[object, Money] = {}
        self._decimal: dict[str, Decimal] = {}
        self._where = ""

    def transactions(
        self,
        headers: list[tuple[Any, ...]],
        line_rows: list[tuple[Any, ...]],
        payment_rows: list[tuple[Any, ...]],
    ) -> list[Transaction]:
        try:
            lines: dict[str, list[TransactionLine]] = defaultdict(list)
            for row in line_rows:
                self._where = f"line {row[0]}/{row[1]}"
                lines[row[0]].append(self._line(row))
            payments: dict[str, list[Payment]] = defaultdict(list)
            for row in payment_rows:
                self._where = f"payment {row[0]}/{row[1]}"
                payments[row[0]].append(self._payment(row))
            out = []
            for h in headers:
                self._where = f"transaction {h[2]}"
                out.append(self._transaction(h, lines.get(h[2], ()), payments.get(h[2], ())))
            return out
        except (KeyError, ValueError, TypeError, ArithmeticError, PosError) as exc:
            raise StorageError(f"stored {self._where} cannot be read: {exc!r}") from exc

    def money(self, value: object) -> Money:
        found = self._money.get(value)
        if found is None:
            if not isinstance(value, int | str) or isinstance(value, bool):
                raise TypeError(f"not an amount: {value!r}")
            found = self._money[value] = Money(int(value))
        return found

    def decimal(self, text: str) -> Decimal:
        found = self._decimal.get(text)
        if found is None:
            found = self._decimal[text] = Decimal(text)
            if not found.is_finite():
                raise ValueError(f"not a number: {text!r}")
        return found

    def _discount(
        self, amount: object, percent: str | None, employee: str | None, reason: str | None
    ) -> Discount | None:
        if amount is None:
            return None
        return Discount(
            amount=self.money(amount),
            percent=None if percent is None else self.decimal(percent),
            employee=employee or "",
            reason=reason or "",
        )

    def _line(self, row: tuple[Any, ...]) -> TransactionLine:
        return TransactionLine(
            line_no=int(row[1]),
            kind=_LINE_KINDS[row[2]],
            sku=row[3],
            name=row[4],
            group_code=row[5],
            quantity=self.decimal(row[6]),
            unit=_UNITS[row[7]],
            unit_price=self.money(row[8]),
            amount=self.money(row[9]),
            vat_code=row[10],
            vat_percent=self.decimal(row[11]),
            vat_amount=self.money(row[12]),
            discount=None if row[13] is None else self._discount(*row[13:17]),
            sale_discount=None if row[17] is None else self._discount(*row[17:21]),
            price_override_reason=row[21],
            approved_by=row[22],
            employee=row[23],
            note=row[24],
            corrects_line=None if row[25] is None else int(row[25]),
            returns_receipt=row[26],
            returns_line=None if row[27] is None else int(row[27]),
            at=_time(row[30]),
        )

    def _payment(self, row: tuple[Any, ...]) -> Payment:
        return Payment(
            tender=_TENDERS[row[2]],
            amount=self.money(row[3]),
            reference=row[4],
            terminal_transaction_id=row[5],
            masked_card=row[6],
            employee=row[7],
            tendered=None if row[8] is None else self.money(row[8]),
            tip=self.money(row[9]),
        )

    def _transaction(
        self,
        h: tuple[Any, ...],
        lines: Sequence[TransactionLine],
        payments: Sequence[Payment],
    ) -> Transaction:
        return Transaction(
            register_id=h[0],
            nr=int(h[1]),
            trans_id=h[2],
            kind=_KINDS[h[3]],
            employee=h[4],
            customer=h[5],
            started_at=_time(h[6]),
            completed_at=_time(h[7]),
            trans_date=h[8],
            trans_time=h[9],
            business_day=date.fromisoformat(h[10]),
            lines=tuple(lines),
            payments=tuple(payments),
            rounding=self.money(h[13]),
            total=self.money(h[11]),
            total_ex_vat=self.money(h[12]),
            receipt_series=h[14],
            receipt_number=int(h[15]),
            training=bool(h[16]),
            voided=bool(h[17]),
            note=h[18],
            signature=h[19],
            key_version=h[20],
            previous_signature=h[21],
        )
