"""What an X or Z report needs to know of a transaction, and nothing more.

A Z report of a busy day reads thousands of transactions with tens of thousands of lines.
Decoding every stored column into full :class:`~omnipos_tui.core.ledger.transaction.Transaction`
records (names, times, signatures, Money and Decimal objects) costs several times more
than the report itself, so the report counts these plain tuples instead: amounts in whole
øre as ints, only the columns a report reads. Storage reads them straight from the rows
(``TransactionRepository.report_facts``); :func:`facts_of` makes them from a record, so a
report built from records and one built from rows are computed by the same code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from omnipos_tui.core.ledger.transaction import LineKind, TenderKind, Transaction, TransactionKind


class LineFacts(NamedTuple):
    """One transaction line as a report counts it.

    Attributes:
        line_no: Its number in the transaction.
        kind: Item, return, correction...
        corrects_line: The line a correction corrects, or None.
        amount: Its amount incl. VAT in øre (after discounts).
        discount: Line and whole-sale discount given on it, in øre (0 for none).
        group_code: Its article group.
        employee: Who rang it ("" when the transaction's employee did).
        vat_code: Its VAT code.
        vat_percent: Its VAT rate.
        vat_amount: Its VAT in øre.
        price_overridden: An item line whose price was overridden (a reason is stored).
        quantity: Its quantity (negative for returns and corrections).
    """

    line_no: int
    kind: LineKind
    corrects_line: int | None
    amount: int
    discount: int
    group_code: str
    employee: str
    vat_code: str
    vat_percent: Decimal
    vat_amount: int
    price_overridden: bool
    quantity: Decimal


class PaymentFacts(NamedTuple):
    """One payment as a report counts it: tender, amount in øre, employee ("" for the
    transaction's), and the tip added on the card terminal on top of it (øre, 0 for none)."""

    tender: TenderKind
    amount: int
    employee: str
    tip: int = 0


class TransactionFacts(NamedTuple):
    """One completed transaction as a report counts it (amounts in øre).

    Attributes:
        register_id: Its register.
        trans_id: Its id ("1-17").
        nr: Its number in the register.
        kind: Sale, return, cash in...
        employee: Who completed it.
        total: Its total incl. VAT.
        rounding: Its cash rounding.
        receipt_series: The receipt series it was numbered in.
        training: Made in training mode.
        voided: A voided receipt.
        lines: Its lines in order.
        payments: Its payments in order.
    """

    register_id: str
    trans_id: str
    nr: int
    kind: TransactionKind
    employee: str
    total: int
    rounding: int
    receipt_series: str
    training: bool
    voided: bool
    lines: tuple[LineFacts, ...]
    payments: tuple[PaymentFacts, ...]


def facts_of(tx: Transaction) -> TransactionFacts:
    """The report's view of a transaction record."""
    return TransactionFacts(
        tx.register_id,
        tx.trans_id,
        tx.nr,
        tx.kind,
        tx.employee,
        tx.total.ore,
        tx.rounding.ore,
        str(tx.receipt_series),
        tx.training,
        tx.voided,
        tuple(
            [
                LineFacts(
                    line.line_no,
                    line.kind,
                    line.corrects_line,
                    line.amount.ore,
                    (0 if line.discount is None else line.discount.amount.ore)
                    + (0 if line.sale_discount is None else line.sale_discount.amount.ore),
                    line.group_code,
                    line.employee,
                    line.vat_code,
                    line.vat_percent,
                    line.vat_amount.ore,
                    bool(line.price_override_reason) and line.kind is LineKind.ITEM,
                    line.quantity,
                )
                for line in tx.lines
            ]
        ),
        tuple([PaymentFacts(p.tender, p.amount.ore, p.employee, p.tip.ore) for p in tx.payments]),
    )
