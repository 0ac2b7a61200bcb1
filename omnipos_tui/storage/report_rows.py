"""Completed transactions read for an X or Z report: only the columns a report counts,
straight into :mod:`omnipos_tui.core.reports.facts` tuples.

A fresh process (a till after a restart) has nothing decoded yet; reading whole records for
a 5,000-receipt day costs about half a second, these narrow rows a fraction of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import peewee

from omnipos_tui.core.errors import StorageError
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind, TransactionKind
from omnipos_tui.core.reports.facts import LineFacts, PaymentFacts, TransactionFacts
from omnipos_tui.storage.database import execute_sql

_HEADER = (
    "register_id, trans_id, nr, kind, employee, total, rounding, receipt_series, training, voided"
)
_LINE = (
    "trans_id, line_no, kind, corrects_line, amount, "
    "COALESCE(discount_amount, 0) + COALESCE(sale_discount_amount, 0), group_code, employee, "
    "vat_code, vat_percent, vat_amount, price_override_reason, quantity"
)
_PAYMENT = "trans_id, tender, amount, employee, tip"
# The same columns reached from the header (``c``), for a page read by its number range.
_LINE_FROM_HEADER = (
    "l.trans_id, l.line_no, l.kind, l.corrects_line, l.amount, "
    "COALESCE(l.discount_amount, 0) + COALESCE(l.sale_discount_amount, 0), l.group_code, "
    "l.employee, l.vat_code, l.vat_percent, l.vat_amount, l.price_override_reason, l.quantity"
)
_PAYMENT_FROM_HEADER = "p.trans_id, p.tender, p.amount, p.employee, p.tip"
_KINDS = {k.value: k for k in TransactionKind}
_LINE_KINDS = {k.value: k for k in LineKind}
_TENDERS = {t.value: t for t in TenderKind}


def report_headers(
    db: peewee.Database, register_id: str, after_nr: int, limit: int
) -> list[tuple[Any, ...]]:
    """The narrow header rows of up to ``limit`` transactions after ``after_nr``, by
    number (``trans_id`` second, ``nr`` third)."""
    return execute_sql(
        db,
        f"SELECT {_HEADER} FROM cash_transaction WHERE register_id = ? AND nr > ? "
        "ORDER BY nr LIMIT ?",
        (register_id, after_nr, max(0, limit)),
    ).fetchall()


def report_facts(
    db: peewee.Database, headers: Sequence[tuple[Any, ...]], *, whole_range: bool = False
) -> list[TransactionFacts]:
    """The transactions of ``headers`` (from :func:`report_headers`) with their lines and
    payments: read by the range of their numbers when they are every transaction of their
    register in that range (``whole_range``, a page nothing of which was cached), else by
    one IN list (at most a few hundred).

    Raises:
        StorageError: A row changed by hand into something a report cannot count (names it).
    """
    if not headers:
        return []
    if whole_range:
        span = (headers[0][0], _int(headers[0][2]), _int(headers[-1][2]))
        within = "c.register_id = ? AND c.nr >= ? AND c.nr <= ?"
        line_rows = execute_sql(
            db,
            f"SELECT {_LINE_FROM_HEADER} FROM cash_transaction c "
            f"JOIN transaction_line l ON l.trans_id = c.trans_id WHERE {within} "
            "ORDER BY c.nr, l.line_no",
            span,
        ).fetchall()
        payment_rows = execute_sql(
            db,
            f"SELECT {_PAYMENT_FROM_HEADER} FROM cash_transaction c "
            f"JOIN transaction_payment p ON p.trans_id = c.trans_id WHERE {within} "
            "ORDER BY c.nr, p.seq",
            span,
        ).fetchall()
    else:
        ids = [h[1] for h in headers]
        marks = ", ".join("?" * len(ids))
        line_rows = execute_sql(
            db,
            f"SELECT {_LINE} FROM transaction_line WHERE trans_id IN ({marks}) "
            "ORDER BY trans_id, line_no",
            ids,
        ).fetchall()
        payment_rows = execute_sql(
            db,
            f"SELECT {_PAYMENT} FROM transaction_payment WHERE trans_id IN ({marks}) "
            "ORDER BY trans_id, seq",
            ids,
        ).fetchall()
    row: tuple[Any, ...] = ()
    # The hot loop of a report after a restart (tens of thousands of lines): rows are
    # unpacked once, repeated texts decoded once, and the facts made with tuple.__new__
    # (a NamedTuple's own __new__ is a Python function call per line).
    new = tuple.__new__
    try:
        decimals: dict[str, Decimal] = {}
        lines: dict[str, list[LineFacts]] = {}
        kinds, item = _LINE_KINDS, LineKind.ITEM
        for row in line_rows:
            (trans_id, line_no, kind_text, corrects, amount, off, group, employee) = row[:8]
            (vat_code, percent_text, vat, override, quantity_text) = row[8:]
            kind = kinds[kind_text]
            percent = decimals.get(percent_text)
            if percent is None:
                percent = decimals[percent_text] = _decimal(percent_text)
            quantity = decimals.get(quantity_text)
            if quantity is None:
                quantity = decimals[quantity_text] = _decimal(quantity_text)
            if (
                type(amount) is not int
                or type(off) is not int
                or type(vat) is not int
                or type(line_no) is not int
            ):
                amount, off, vat, line_no = _int(amount), _int(off), _int(vat), _int(line_no)
            if corrects is not None and type(corrects) is not int:
                corrects = _int(corrects)
            found = lines.get(trans_id)
            if found is None:
                found = lines[trans_id] = []
            found.append(
                new(
                    LineFacts,
                    (
                        line_no,
                        kind,
                        corrects,
                        amount,
                        off,
                        group,
                        employee or "",
                        vat_code,
                        percent,
                        vat,
                        bool(override) and kind is item,
                        quantity,
                    ),
                )
            )
        payments: dict[str, list[PaymentFacts]] = {}
        tenders = _TENDERS
        for row in payment_rows:
            paid = row[2] if type(row[2]) is int else _int(row[2])
            found_payments = payments.get(row[0])
            if found_payments is None:
                found_payments = payments[row[0]] = []
            tip = row[4] if type(row[4]) is int else _int(row[4])
            found_payments.append(new(PaymentFacts, (tenders[row[1]], paid, row[3] or "", tip)))
        out = []
        no_lines: tuple[LineFacts, ...] = ()
        no_payments: tuple[PaymentFacts, ...] = ()
        for row in headers:
            (register_id, trans_id, nr, kind_text, employee, total, rounding) = row[:7]
            if type(nr) is not int or type(total) is not int or type(rounding) is not int:
                nr, total, rounding = _int(nr), _int(total), _int(rounding)
            its_lines = lines.get(trans_id)
            its_payments = payments.get(trans_id)
            out.append(
                new(
                    TransactionFacts,
                    (
                        register_id,
                        trans_id,
                        nr,
                        _KINDS[kind_text],
                        employee or "",
                        total,
                        rounding,
                        row[7],
                        bool(row[8]),
                        bool(row[9]),
                        no_lines if its_lines is None else tuple(its_lines),
                        no_payments if its_payments is None else tuple(its_payments),
                    ),
                )
            )
        return out
    except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
        raise StorageError(
            f"a stored row of transaction {row[0] if row else '?'} cannot be read for a "
            f"report: {exc!r} (row {row!r})"
        ) from exc


def _int(value: object) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"not an amount: {value!r}")
    return int(value)


def _decimal(text: str) -> Decimal:
    number = Decimal(text)
    if not number.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return number
