"""The record of one completed, numbered and signed cash transaction of one register.

A :class:`Transaction` is immutable: it is what the journal stores and what receipts, X/Z
reports and the SAF-T export are built from. A sale in progress is the mutable
``core.sale.Sale``; it turns into a ``Transaction`` when the service has allocated the
numbers and signed it. Corrections of a registered transaction are new transactions
(returns, voids), never changes to this record (R-7).

Sign convention: amounts and quantities are positive for what the customer buys and
negative for returns, corrections (voided lines) and money paid out. The kinds of
transactions, lines, receipt series and tenders are in ``core/ledger/kinds.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.clock import business_day, local_date_text, local_time_text
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.kinds import (
    SAFT_PAYMENT_TYPES,
    SAFT_TRANSACTION_TYPES,
    TENDER_LABELS,
    LineKind,
    ReceiptSeries,
    TenderKind,
    TransactionKind,
)
from omnipos_tui.core.money import Money

__all__ = [
    "SAFT_PAYMENT_TYPES",
    "SAFT_TRANSACTION_TYPES",
    "TENDER_LABELS",
    "Discount",
    "LineKind",
    "Payment",
    "ReceiptSeries",
    "TenderKind",
    "Transaction",
    "TransactionKind",
    "TransactionLine",
    "cash_movement",
    "receipt_id",
    "trans_id",
    "vat_by_rate",
]

_NO_ROUNDING = Money(0)
_NO_TIP = Money(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Discount:
    """A price reduction given at the till.

    Attributes:
        amount: How much the line amount was reduced by (incl. VAT); positive for a
            discount, negative on a correction line that takes part of it back.
        percent: The percentage given, or None for an amount or a new price.
        employee: Number of the employee who gave it (or approved it).
        reason: Why, as typed or chosen; may be empty.
    """

    amount: Money
    percent: Decimal | None
    employee: str
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TransactionLine:
    """One line of a transaction.

    Attributes:
        line_no: 1-based position within the transaction.
        kind: Item, return or correction.
        sku: Article number (``artID``); empty for open department sales.
        name: Name as printed.
        group_code: Article group code (``artGroupID``).
        quantity: Pieces as whole numbers, kg with three decimals; negative for returns and
            corrections.
        unit: Piece or kg.
        unit_price: Price per unit incl. VAT, before discounts.
        amount: Line amount incl. VAT after all discounts; negative for returns and
            corrections.
        vat_code: Our VAT code (``vatCode``).
        vat_percent: The VAT rate in percent.
        vat_amount: ``line_vat(amount, rate)``.
        discount: The line's own discount, or None.
        sale_discount: This line's share of a whole-sale discount, or None. Whole-sale
            discounts are distributed over lines so VAT stays per line.
        price_override_reason: Why the unit price differs from the shelf price; empty when
            it does not.
        approved_by: Number of the manager who approved the line (a return without
            receipt, a price override); empty when no approval was needed.
        employee: Number of the employee who registered the line (``empID``).
        note: Free text, such as the reason for a return without receipt.
        corrects_line: For a correction, the ``line_no`` it voids or reduces.
        returns_receipt: For a return, the original receipt id "<register>-<number>".
        returns_line: For a return, the ``line_no`` on the original receipt.
        at: When the line was registered (aware UTC).
    """

    line_no: int
    kind: LineKind
    sku: str
    name: str
    group_code: str
    quantity: Decimal
    unit: Unit
    unit_price: Money
    amount: Money
    vat_code: str
    vat_percent: Decimal
    vat_amount: Money
    discount: Discount | None = None
    sale_discount: Discount | None = None
    price_override_reason: str = ""
    approved_by: str = ""
    employee: str = ""
    note: str = ""
    corrects_line: int | None = None
    returns_receipt: str | None = None
    returns_line: int | None = None
    at: datetime

    @property
    def net(self) -> Money:
        """The amount excluding VAT (``lineAmntEx``)."""
        return self.amount - self.vat_amount

    @property
    def discount_total(self) -> Money:
        """The line's own discount plus its share of a whole-sale discount."""
        total = Money.zero()
        if self.discount is not None:
            total += self.discount.amount
        if self.sale_discount is not None:
            total += self.sale_discount.amount
        return total


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """Money that settled (part of) a transaction.

    Attributes:
        tender: Means of payment.
        amount: What this tender settles; negative when money is paid out or refunded. For
            cash this is after change: a 500,00 note for 295,00 is amount 295,00.
        reference: Our unique payment reference (written before a terminal is called).
        terminal_transaction_id: The card terminal's or Vipps' transaction id (R-12).
        masked_card: Masked card number from the terminal ("************1234").
        employee: Number of the employee who took the payment.
        tendered: What the customer handed over, when more than ``amount`` (cash); None
            means exactly ``amount``.
        tip: A tip the customer added on the card terminal on top of ``amount`` (the card
            was charged ``amount + tip``). It is not part of the sale: no revenue, no VAT,
            not in ``total``; it is owed to ``employee`` (SAF-T ``raise``, code 10001, and
            the X/Z report's ``reportTip``). Zero for every other payment.
    """

    tender: TenderKind
    amount: Money
    reference: str = ""
    terminal_transaction_id: str = ""
    masked_card: str = ""
    employee: str = ""
    tendered: Money | None = None
    tip: Money = _NO_TIP

    @property
    def given(self) -> Money:
        """What the customer handed over (``tendered``, or ``amount`` when not recorded)."""
        return self.tendered if self.tendered is not None else self.amount

    @property
    def change(self) -> Money:
        """Change handed back for this payment."""
        return self.given - self.amount


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction:
    """One completed, numbered, signed cash transaction of one register.

    Attributes:
        register_id: ``registerID``.
        nr: Signed transaction number, gapless per register over all kinds incl. training.
        trans_id: Unique id, "<register>-<nr>".
        kind: Sale, return, credit sale, cash in/out, opening float...
        employee: Number of the employee who completed it.
        customer: Customer number (credit sales, attached customers), or None.
        started_at: When the first line was registered (aware UTC).
        completed_at: When it was completed (aware UTC).
        trans_date: Oslo local date "YYYY-MM-DD", exactly as signed.
        trans_time: Oslo local time "HH:MM:SS", exactly as signed.
        business_day: The business day it counts on.
        lines: The lines, in ``line_no`` order.
        payments: The tenders, in the order taken.
        rounding: Cash rounding, signed, at most 50 øre either way; ``total + rounding``
            is what the payments settle.
        total: Sum of line amounts incl. VAT before rounding (``transAmntIn``).
        total_ex_vat: Sum of line nets (``transAmntEx``).
        receipt_series: "sale", "return", "training", "delivery"...
        receipt_number: Number in that series, gapless per register.
        training: A training transaction (own series, outside every real total).
        voided: A voided (annulled) receipt (SAF-T ``voidTransaction``).
        note: Free text (reason for a cash withdrawal, a void...).
        signature: Base64 signature over ``signature_message``.
        key_version: Which key made the signature.
        previous_signature: The previous signature in this register's chain ("0" first).
    """

    register_id: str
    nr: int
    trans_id: str
    kind: TransactionKind
    employee: str
    customer: str | None = None
    started_at: datetime
    completed_at: datetime
    trans_date: str
    trans_time: str
    business_day: date
    lines: tuple[TransactionLine, ...] = ()
    payments: tuple[Payment, ...] = ()
    rounding: Money = _NO_ROUNDING
    total: Money
    total_ex_vat: Money
    receipt_series: str
    receipt_number: int
    training: bool = False
    voided: bool = False
    note: str = ""
    signature: str
    key_version: str
    previous_signature: str

    @property
    def receipt_id(self) -> str:
        """The receipt's id, "<register>-<receipt number>", as printed in its barcode and
        referenced by returns."""
        return receipt_id(self.register_id, self.receipt_number)

    @property
    def vat_total(self) -> Money:
        """Sum of line VAT amounts."""
        return self.total - self.total_ex_vat

    def vat_by_rate(self) -> dict[str, tuple[Money, Money]]:
        """VAT per code: ``{vat_code: (basis excl. VAT, VAT amount)}``, summed from lines.

        Codes appear in order of first use.
        """
        return vat_by_rate(self.lines)

    def paid(self) -> Money:
        """Sum of payment amounts (equals ``total + rounding`` for a balanced transaction)."""
        return Money.sum([p.amount for p in self.payments])

    def change(self) -> Money:
        """Change handed back to the customer."""
        return Money.sum([p.change for p in self.payments])

    def tips(self) -> Money:
        """Tips added on the card terminal: paid by the customer on top of the sale, never
        part of its total (the card payments were charged ``amount + tip``)."""
        return Money.sum([p.tip for p in self.payments])

    def tendered(self) -> Money:
        """What the customer handed over in all."""
        return Money.sum([p.given for p in self.payments])

    def discount_total(self) -> Money:
        """All discounts on the transaction's lines (line and whole-sale)."""
        return Money.sum([line.discount_total for line in self.lines])

    def signed(self, signature: str, key_version: str) -> Transaction:
        """This transaction with its signature filled in.

        The service builds the unsigned record, computes ``signature_message`` from
        ``previous_signature``, ``trans_date``, ``trans_time``, ``nr``, ``total`` and
        ``total_ex_vat``, signs it and calls this.
        """
        return replace(self, signature=signature, key_version=key_version)


_CASH_MOVEMENTS = {
    TransactionKind.CASH_IN: 1,
    TransactionKind.OPENING_FLOAT: 1,
    TransactionKind.CASH_OUT: -1,
}


def cash_movement(
    *,
    kind: TransactionKind,
    register_id: str,
    nr: int,
    amount: Money,
    employee: str,
    at: datetime,
    receipt_number: int,
    previous_signature: str,
    note: str = "",
    training: bool = False,
    receipt_series: str = ReceiptSeries.OTHER,
) -> Transaction:
    """An unsigned cash-in, cash-out or opening-float transaction (no lines).

    Such a transaction has no lines: ``total`` and ``total_ex_vat`` are the amount moved
    (no VAT), and one cash payment carries it: positive into the drawer, negative out.

    Args:
        kind: ``CASH_IN``, ``CASH_OUT`` or ``OPENING_FLOAT``.
        amount: How much money moves, as a positive amount; the sign follows ``kind``.
        at: When it happened (aware UTC).

    Raises:
        InvalidInput: Another kind, a naive time, or an amount that is not positive.
    """
    sign = _CASH_MOVEMENTS.get(kind)
    if sign is None:
        raise InvalidInput(code="cash.not_a_movement", kind=kind)
    if amount.ore <= 0:
        raise InvalidInput(code="cash.not_positive", amount=amount)
    if at.tzinfo is None:
        raise InvalidInput(code="cash.naive_time")
    moved = amount * sign
    return Transaction(
        register_id=register_id,
        nr=nr,
        trans_id=trans_id(register_id, nr),
        kind=kind,
        employee=employee,
        started_at=at,
        completed_at=at,
        trans_date=local_date_text(at),
        trans_time=local_time_text(at),
        business_day=business_day(at),
        payments=(Payment(tender=TenderKind.CASH, amount=moved, employee=employee),),
        total=moved,
        total_ex_vat=moved,
        receipt_series=receipt_series,
        receipt_number=receipt_number,
        training=training,
        note=note,
        signature="",
        key_version="",
        previous_signature=previous_signature,
    )


def trans_id(register_id: str, nr: int) -> str:
    """The unique transaction id "<register>-<nr>"."""
    return f"{register_id}-{nr}"


def receipt_id(register_id: str, receipt_number: int) -> str:
    """The printed receipt id "<register>-<receipt number>"."""
    return f"{register_id}-{receipt_number}"


def vat_by_rate(lines: tuple[TransactionLine, ...]) -> dict[str, tuple[Money, Money]]:
    """VAT per code over lines: ``{vat_code: (basis excl. VAT, VAT amount)}``."""
    out: dict[str, tuple[Money, Money]] = {}
    for line in lines:
        basis, vat = out.get(line.vat_code, (Money.zero(), Money.zero()))
        out[line.vat_code] = (basis + line.net, vat + line.vat_amount)
    return out
