"""Receipts and simple reports laid out as :class:`Document`\\ s for 32, 42 or 48 columns.

Every receipt carries the R-13 fields: seller name, address and organisation number
("MVA" when registered), register, receipt number, Oslo date and time, employee, lines with
quantity, unit price, amount and discounts, VAT per rate with basis and amount, total,
rounding, tenders with change, and the terminal's transaction id and masked card on card
payments. Document names and markings follow R-11 and R-14…R-17; markings are printed in
double size (more than 50 % larger than amounts), at the top and again at the bottom. All
text passes through :func:`printable`, so an en dash is a hyphen on paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.document import (
    Barcode,
    Document,
    printable,
)
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import (
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.receipt_blocks import ReceiptLayout, check_width
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.shop.company import Company, Register

SALES_RECEIPT = "Salgskvittering"
RETURN_RECEIPT = "Returkvittering"
SALES_AND_RETURN_RECEIPT = "Salgskvittering/Returkvittering"
COPY = "KOPI"
PROFORMA = "Foreløpig kvittering – IKKJE KVITTERING FOR KJØP"
TRAINING = "Treningskvittering – IKKJE KVITTERING FOR KJØP"
DELIVERY = "Utleveringskvittering – IKKJE KVITTERING FOR KJØP"
VOIDED = "ANNULLERT"

Row = tuple[str, str] | str | None
"""A report row: (label, value), a heading, or None for a rule."""


def sale_receipt(
    tx: Transaction,
    *,
    company: Company,
    register: Register,
    employee_name: str,
    columns: int = 42,
    customer: Customer | None = None,
    copy: bool = False,
) -> Document:
    """The receipt of a completed transaction: sales, return, mixed, delivery (credit
    sale) or training receipt, chosen from the transaction; ``copy`` marks it «KOPI».
    Cash in/out and opening float transactions get a slip with their note and amount.

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    check_width(columns)
    title, marking = _naming(tx)
    markings = [m for m in (marking, COPY if copy else None) if m]
    if tx.voided:
        markings.append(VOIDED)
    out = ReceiptLayout(columns)
    out.head(title, markings)
    out.seller(company)
    out.pair("Kasse", f"{register.name} ({register.register_id})")
    out.pair(_number_label(tx), str(tx.receipt_number))
    out.pair("Dato", f"{_date(tx.trans_date)} {tx.trans_time}")
    out.pair("Betjent av", _person(employee_name, tx.employee))
    if tx.customer is not None:
        out.pair("Kunde", _person(customer.name if customer else "", tx.customer))
    out.rule()
    if tx.lines:
        out.lines(tx.lines)
        out.rule()
    if tx.note:
        out.text(tx.note)
    out.totals(tx.lines, tx.total, tx.rounding)
    out.payments(tx.payments)
    if tx.lines:
        out.vat(tx.lines)
    out.pair("Transaksjon", tx.trans_id)
    if copy:
        out.pair("Kopi av kvittering", tx.receipt_id)
    if tx.receipt_series == ReceiptSeries.SALE and not tx.training and not tx.voided:
        out.items.append(Barcode(tx.receipt_id, "CODE128"))
    out.tail(markings)
    kick = (
        not copy
        and not tx.training
        and any(p.tender is TenderKind.CASH and p.given.ore for p in tx.payments)
    )
    name = f"{title or marking} {tx.receipt_id}" + (" KOPI" if copy else "")
    return out.document(printable(name), kick_drawer=kick)


def copy_receipt(
    tx: Transaction,
    *,
    company: Company,
    register: Register,
    employee_name: str,
    columns: int = 42,
    customer: Customer | None = None,
) -> Document:
    """The one copy of a receipt the till may print (R-10), marked «KOPI»; never opens
    the drawer.

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    return sale_receipt(
        tx,
        company=company,
        register=register,
        employee_name=employee_name,
        columns=columns,
        customer=customer,
        copy=True,
    )


def delivery_receipt(
    tx: Transaction,
    *,
    company: Company,
    register: Register,
    employee_name: str,
    customer: Customer,
    columns: int = 42,
) -> Document:
    """The delivery receipt of a credit sale (R-16), naming the customer.

    Raises:
        InvalidInput: Not a credit sale, or ``columns`` is not 32, 42 or 48.
    """
    if tx.kind is not TransactionKind.CREDIT_SALE:
        raise InvalidInput(code="receipt.not_credit", trans_id=tx.trans_id)
    return sale_receipt(
        tx,
        company=company,
        register=register,
        employee_name=employee_name,
        columns=columns,
        customer=customer,
    )


def proforma_receipt(
    sale: Sale,
    *,
    company: Company,
    register: Register,
    employee_name: str,
    number: int,
    at: datetime,
    columns: int = 42,
) -> Document:
    """A pro forma receipt of an open sale (R-15), numbered in the pro forma series.

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    check_width(columns)
    out = ReceiptLayout(columns)
    out.head(None, [PROFORMA])
    out.seller(company)
    out.pair("Kasse", f"{register.name} ({register.register_id})")
    out.pair("Foreløpig kvittering nr", str(number))
    out.pair("Dato", f"{_date(local_date_text(at))} {local_time_text(at)}")
    out.pair("Betjent av", _person(employee_name, sale.employee))
    if sale.customer is not None:
        out.pair("Kunde", _person(sale.customer_name, sale.customer))
    out.rule()
    lines = sale.lines()
    out.lines(lines)
    out.rule()
    out.totals(lines, sale.total(), Money.zero())
    out.payments(sale.payments)
    out.vat(lines)
    out.tail([PROFORMA])
    return out.document(printable(f"Foreløpig kvittering {number}"), kick_drawer=False)


def report_document(
    title: str,
    rows: Iterable[Row],
    *,
    columns: int = 42,
    company: Company | None = None,
    register: Register | None = None,
    marking: str | None = None,
) -> Document:
    """A simple printed report: a bold title, optional seller and register, then rows of
    label and right-aligned value, headings (a str) and rules (None).

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    check_width(columns)
    out = ReceiptLayout(columns)
    out.head(title, [marking] if marking else [])
    if company is not None:
        out.seller(company)
    if register is not None:
        out.pair("Kasse", f"{register.name} ({register.register_id})")
    out.rule()
    for row in rows:
        if row is None:
            out.rule()
        elif isinstance(row, str):
            out.text(row, bold=True)
        else:
            out.pair(*row)
    out.tail([marking] if marking else [])
    return out.document(printable(title), kick_drawer=False)


_CASH_SLIPS = {
    TransactionKind.CASH_IN: "Innbetaling til kassen",
    TransactionKind.CASH_OUT: "Uttak fra kassen",
    TransactionKind.OPENING_FLOAT: "Vekselkasse",
}


def _naming(tx: Transaction) -> tuple[str | None, str | None]:
    """(document name, marking) for a transaction's receipt."""
    if tx.training:
        return None, TRAINING
    if tx.kind is TransactionKind.CREDIT_SALE:
        return None, DELIVERY
    if tx.kind in _CASH_SLIPS:
        return _CASH_SLIPS[tx.kind], None
    if tx.kind is TransactionKind.RETURN:
        return RETURN_RECEIPT, None
    if tx.kind is TransactionKind.SALE_AND_RETURN:
        return SALES_AND_RETURN_RECEIPT, None
    return SALES_RECEIPT, None


_NUMBER_LABELS = {
    ReceiptSeries.TRAINING.value: "Treningskvittering nr",
    ReceiptSeries.DELIVERY.value: "Utleveringskvittering nr",
    ReceiptSeries.RETURN.value: "Returkvittering nr",
}


def _number_label(tx: Transaction) -> str:
    return _NUMBER_LABELS.get(str(tx.receipt_series), "Kvittering nr")


def _date(iso: str) -> str:
    """ "2026-11-27" -> "27.11.2026"."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def _person(name: str, number: str) -> str:
    return f"{name} ({number})" if name.strip() else number
