"""Completed transactions: one ``cash_transaction`` row, its ``transaction_line`` and
``transaction_payment`` rows (all append-only), written and read with plain SQL.

Reading is the hot path of reports and the SAF-T export, so rows become ``Transaction``
records without an ORM in between: one query for a page of headers, one for their lines,
one for their payments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import peewee

from omnipos_tui.core.catalogue import Unit
from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.money import Money
from omnipos_tui.core.transaction import (
    Discount,
    LineKind,
    Payment,
    TenderKind,
    Transaction,
    TransactionKind,
    TransactionLine,
)
from omnipos_tui.storage.database import execute_sql, time_to_db, translated

_HEADER = (
    "register_id, nr, trans_id, kind, employee, customer, started_at, completed_at, "
    "trans_date, trans_time, business_day, total, total_ex_vat, rounding, receipt_series, "
    "receipt_number, training, voided, note, signature, key_version, previous_signature"
)
_LINE_COLUMNS = (
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
_PAYMENT_COLUMNS = (
    "trans_id",
    "seq",
    "tender",
    "amount",
    "reference",
    "terminal_transaction_id",
    "masked_card",
    "employee",
    "tendered",
)
_LINES = ", ".join(_LINE_COLUMNS[1:])
_PAYMENTS = ", ".join(_PAYMENT_COLUMNS[1:])
_KINDS = {k.value: k for k in TransactionKind}
_LINE_KINDS = {k.value: k for k in LineKind}
_TENDERS = {t.value: t for t in TenderKind}
_UNITS = {u.value: u for u in Unit}


def _insert(
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
    # fromisoformat reads the stored "…Z" form directly and is many times faster than
    # strptime, which matters when a Z report reads thousands of lines.
    return datetime.fromisoformat(text).astimezone(UTC)


def _discount_columns(discount: Discount | None) -> tuple[object, ...]:
    if discount is None:
        return (None, None, None, None)
    percent = None if discount.percent is None else str(discount.percent)
    return (discount.amount.ore, percent, discount.employee, discount.reason)


def _discount(amount: int | None, percent: str | None, employee: str | None, reason: str | None
              ) -> Discount | None:  # fmt: skip
    if amount is None:
        return None
    return Discount(
        amount=Money(int(amount)),
        percent=None if percent is None else Decimal(percent),
        employee=employee or "",
        reason=reason or "",
    )


class PeeweeTransactionRepository:
    """:class:`~omnipos_tui.core.ledger.TransactionRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    @translated
    def add(self, tx: Transaction, *, sale_id: str | None, return_refs: Mapping[int, str]) -> None:
        """Store a transaction with its lines and payments."""
        placeholders = ", ".join("?" * 23)
        execute_sql(
            self._db,
            f"INSERT INTO cash_transaction ({_HEADER}, sale_id) VALUES ({placeholders})",
            (
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
            ),
        )
        # What each line takes back, for ``returned``: a return line names its original
        # transaction and line; a correction of a return line gives part of it back.
        targets = {ln.line_no: ln for ln in tx.lines}
        rows = []
        for line in tx.lines:
            source = line.line_no
            if line.corrects_line is not None:
                source = line.corrects_line
            original = return_refs.get(source)
            original_line = targets[source].returns_line if original is not None else None
            rows.append(
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
                    *_discount_columns(line.discount),
                    *_discount_columns(line.sale_discount),
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
        _insert(self._db, "transaction_line", _LINE_COLUMNS, rows)
        payments = [
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
            )
            for seq, p in enumerate(tx.payments, start=1)
        ]
        _insert(self._db, "transaction_payment", _PAYMENT_COLUMNS, payments)

    @translated
    def by_sale_id(self, sale_id: str) -> Transaction | None:
        """The transaction that completed an open sale."""
        return self._one("sale_id = ?", (sale_id,))

    @translated
    def by_trans_id(self, trans_id: str) -> Transaction | None:
        """The transaction with this id."""
        return self._one("trans_id = ?", (trans_id,))

    @translated
    def by_receipt(self, register_id: str, series: str, number: int) -> Transaction | None:
        """The transaction with a receipt number of a series."""
        return self._one(
            "register_id = ? AND receipt_series = ? AND receipt_number = ?",
            (register_id, series, number),
        )

    @translated
    def last(self, register_id: str) -> Transaction | None:
        """The register's last transaction."""
        found = self._select("register_id = ?", (register_id,), order="nr DESC", limit=1)
        return found[0] if found else None

    @translated
    def returned(self, trans_id: str) -> dict[int, Decimal]:
        """Quantities of each original line taken back by later, not voided transactions."""
        rows = execute_sql(
            self._db,
            "SELECT l.returns_original_line, l.quantity FROM transaction_line l "
            "JOIN cash_transaction t ON t.trans_id = l.trans_id "
            "WHERE l.returns_trans_id = ? AND NOT t.voided",
            (trans_id,),
        ).fetchall()
        out: dict[int, Decimal] = defaultdict(Decimal)
        for line_no, quantity in rows:
            if line_no is not None:
                out[int(line_no)] -= Decimal(quantity)
        return {k: v for k, v in out.items() if v}

    @translated
    def page(
        self,
        register_id: str,
        *,
        after_nr: int = 0,
        limit: int = 500,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> list[Transaction]:
        """Up to ``limit`` transactions of a register after ``after_nr``, in ``nr`` order."""
        where = "register_id = ? AND nr > ?"
        params: list[object] = [register_id, after_nr]
        if first_day is not None:
            where += " AND business_day >= ?"
            params.append(first_day.isoformat())
        if last_day is not None:
            where += " AND business_day <= ?"
            params.append(last_day.isoformat())
        return self._select(where, params, order="nr", limit=limit)

    # --- reading rows -------------------------------------------------------------------

    def _one(self, where: str, params: Sequence[object]) -> Transaction | None:
        found = self._select(where, params, order="nr", limit=1)
        return found[0] if found else None

    def _select(
        self, where: str, params: Sequence[object], *, order: str, limit: int
    ) -> list[Transaction]:
        headers = execute_sql(
            self._db,
            f"SELECT {_HEADER} FROM cash_transaction WHERE {where} ORDER BY {order} LIMIT ?",
            (*params, max(0, limit)),
        ).fetchall()
        if not headers:
            return []
        ids = [str(h[2]) for h in headers]
        marks = ", ".join("?" * len(ids))
        lines: dict[str, list[TransactionLine]] = defaultdict(list)
        for row in execute_sql(
            self._db,
            f"SELECT trans_id, {_LINES} FROM transaction_line WHERE trans_id IN ({marks}) "
            "ORDER BY trans_id, line_no",
            ids,
        ).fetchall():
            with _readable("line", f"{row[0]}/{row[1]}"):
                lines[str(row[0])].append(_line(row))
        payments: dict[str, list[Payment]] = defaultdict(list)
        for row in execute_sql(
            self._db,
            f"SELECT trans_id, {_PAYMENTS} FROM transaction_payment WHERE trans_id IN ({marks}) "
            "ORDER BY trans_id, seq",
            ids,
        ).fetchall():
            with _readable("payment", f"{row[0]}/{row[1]}"):
                payments[str(row[0])].append(_payment(row))
        out = []
        for h in headers:
            with _readable("transaction", str(h[2])):
                out.append(_transaction(h, lines.get(str(h[2]), []), payments.get(str(h[2]), [])))
        return out


@contextmanager
def _readable(what: str, key: str) -> Iterator[None]:
    """Turn a stored row that cannot be read (changed by hand) into a StorageError."""
    try:
        yield
    except (KeyError, ValueError, TypeError, ArithmeticError, PosError) as exc:
        raise StorageError(f"stored {what} {key} cannot be read: {exc!r}") from exc


def _line(row: tuple[Any, ...]) -> TransactionLine:
    return TransactionLine(
        line_no=int(row[1]),
        kind=_LINE_KINDS[row[2]],
        sku=row[3],
        name=row[4],
        group_code=row[5],
        quantity=Decimal(row[6]),
        unit=_UNITS[row[7]],
        unit_price=Money(int(row[8])),
        amount=Money(int(row[9])),
        vat_code=row[10],
        vat_percent=Decimal(row[11]),
        vat_amount=Money(int(row[12])),
        discount=_discount(row[13], row[14], row[15], row[16]),
        sale_discount=_discount(row[17], row[18], row[19], row[20]),
        price_override_reason=row[21],
        approved_by=row[22],
        employee=row[23],
        note=row[24],
        corrects_line=None if row[25] is None else int(row[25]),
        returns_receipt=row[26],
        returns_line=None if row[27] is None else int(row[27]),
        at=_time(row[30]),
    )


def _payment(row: tuple[Any, ...]) -> Payment:
    return Payment(
        tender=_TENDERS[row[2]],
        amount=Money(int(row[3])),
        reference=row[4],
        terminal_transaction_id=row[5],
        masked_card=row[6],
        employee=row[7],
        tendered=None if row[8] is None else Money(int(row[8])),
    )


def _transaction(
    h: tuple[Any, ...], lines: list[TransactionLine], payments: list[Payment]
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
        rounding=Money(int(h[13])),
        total=Money(int(h[11])),
        total_ex_vat=Money(int(h[12])),
        receipt_series=h[14],
        receipt_number=int(h[15]),
        training=bool(h[16]),
        voided=bool(h[17]),
        note=h[18],
        signature=h[19],
        key_version=h[20],
        previous_signature=h[21],
    )
