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

import textwrap
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.document import (
    Align,
    Barcode,
    Cut,
    Document,
    Feed,
    Item,
    Logo,
    Rule,
    TextLine,
    printable,
)
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    Payment,
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
    TransactionLine,
    vat_by_rate,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.shop.company import Company, Register

WIDTHS = (32, 42, 48)

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
    _check(columns)
    title, marking = _naming(tx)
    markings = [m for m in (marking, COPY if copy else None) if m]
    if tx.voided:
        markings.append(VOIDED)
    out = _Layout(columns)
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
        raise InvalidInput(f"{tx.trans_id} is not a credit sale")
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
    _check(columns)
    out = _Layout(columns)
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
    _check(columns)
    out = _Layout(columns)
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


# --- building blocks ---------------------------------------------------------------------


class _Layout:
    """Collects document items for one paper width."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.items: list[Item] = []

    def document(self, title: str, *, kick_drawer: bool) -> Document:
        return Document(title, self.columns, (*self.items, Cut()), kick_drawer=kick_drawer)

    def text(self, text: str, *, bold: bool = False, align: Align = Align.LEFT) -> None:
        body = printable(text).lstrip()
        indent = " " * (len(text) - len(text.lstrip()))
        for part in _wrap(body, self.columns - len(indent)):
            self.items.append(TextLine(indent + part, bold=bold, align=align))

    def big(self, text: str) -> None:
        for part in _wrap(printable(text), self.columns // 2):
            self.items.append(TextLine(part, bold=True, double=True, align=Align.CENTER))

    def rule(self) -> None:
        self.items.append(Rule())

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        left, right = printable(left), printable(right)
        if len(left) + 1 + len(right) <= self.columns:
            gap = self.columns - len(left) - len(right)
            self.items.append(TextLine(left + " " * gap + right, bold=bold))
            return
        if len(left) <= self.columns:
            self.items.append(TextLine(left, bold=bold))
        else:
            self.text(left, bold=bold)
        for part in _wrap(right, self.columns):
            self.items.append(TextLine(part, bold=bold, align=Align.RIGHT))

    def head(self, title: str | None, markings: Sequence[str]) -> None:
        self.items.append(Logo())
        if title:
            self.text(title, bold=True, align=Align.CENTER)
        for marking in markings:
            self.big(marking)
        self.items.append(Feed())

    def tail(self, markings: Sequence[str]) -> None:
        if markings:
            self.items.append(Feed())
        for marking in markings:
            self.big(marking)

    def seller(self, company: Company) -> None:
        self.text(company.name, bold=True, align=Align.CENTER)
        self.text(company.street, align=Align.CENTER)
        self.text(f"{company.postal_code} {company.city}", align=Align.CENTER)
        self.text(company.org_line, align=Align.CENTER)
        self.items.append(Feed())

    def lines(self, lines: Sequence[TransactionLine]) -> None:
        for line in lines:
            if line.kind is LineKind.CORRECTION:
                self.text(f"Korrigert linje {line.corrects_line}: {line.name}")
            elif line.kind is LineKind.RETURN:
                self.text(f"Retur: {line.name}")
            else:
                self.text(line.name)
            self.pair(
                f"  {_quantity(line.quantity, line.unit)} x {_unit_price(line)}",
                _gross(line).format(),
            )
            if line.discount is not None and line.discount.amount:
                label = "Rabatt (retur)" if line.kind is LineKind.RETURN else "Rabatt"
                off = (-line.discount.amount).format()
                self.pair(f"  {label}{_percent(line.discount.percent)}", off)
            if line.sale_discount is not None and line.sale_discount.amount:
                self.pair("  Rabatt på kjøpet", (-line.sale_discount.amount).format())
            if line.price_override_reason:
                self.text(f"  Prisendring: {line.price_override_reason}")
            if line.returns_receipt:
                self.text(f"  Fra kvittering {line.returns_receipt} linje {line.returns_line}")
            elif line.kind is LineKind.RETURN and line.note:
                self.text(f"  Uten kvittering: {line.note}")

    def totals(self, lines: Sequence[TransactionLine], total: Money, rounding: Money) -> None:
        given = [ln.discount_total for ln in lines if ln.kind is not LineKind.RETURN]
        discounts = Money.sum(given)
        if discounts:
            self.pair("Herav rabatt", (-discounts).format())
        self.pair("TOTALT", total.format(thousands=True), bold=True)
        if rounding:
            self.pair("Øreavrunding", rounding.format())
            self.pair("Å BETALE", (total + rounding).format(thousands=True), bold=True)

    def payments(self, payments: Sequence[Payment]) -> None:
        for payment in payments:
            self.pair(payment.tender.label, payment.given.format(thousands=True))
            if payment.masked_card:
                self.pair("  Kort", payment.masked_card)
            if payment.terminal_transaction_id:
                label = "  Vipps-ID" if payment.tender is TenderKind.MOBILE else "  Terminal-ID"
                self.pair(label, payment.terminal_transaction_id)
            if payment.tender is TenderKind.VOUCHER and payment.reference:
                self.pair("  Gavekort nr", payment.reference)
        change = Money.sum([p.change for p in payments])
        if change:
            self.pair("Veksel", change.format(thousands=True), bold=True)
        self.rule()

    def vat(self, lines: Sequence[TransactionLine]) -> None:
        percents = {ln.vat_code: ln.vat_percent for ln in lines}
        self.columns3("MVA", "Grunnlag", "MVA-beløp")
        for code, (basis, vat) in vat_by_rate(tuple(lines)).items():
            if not basis and not vat:
                continue  # a rate whose lines were all voided
            label = _percent_text(percents[code]) if percents[code] else f"0 % ({code})"
            self.columns3(label, basis.format(thousands=True), vat.format(thousands=True))
        self.rule()

    def columns3(self, label: str, middle: str, right: str) -> None:
        """A label and two right-aligned columns (falls back to lines when too wide)."""
        third = (self.columns - 10) // 2
        last = self.columns - 10 - third
        if len(label) <= 10 and len(middle) < third and len(right) < last:
            self.items.append(TextLine(f"{label:<10}{middle:>{third}}{right:>{last}}"))
            return
        self.text(label)
        self.pair("  Grunnlag", middle)
        self.pair("  MVA", right)


def _check(columns: int) -> None:
    if columns not in WIDTHS:
        raise InvalidInput(f"receipt width must be 32, 42 or 48 columns, got {columns}")


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


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width``. A compound too long for a line that ends in "kvittering"
    breaks after its first part with a hyphen ("Trenings-" / "kvittering"); other long
    words break where they must."""
    words: list[str] = []
    for word in text.split():
        stem = word.lower().rfind("kvittering")
        if len(word) > width and stem > 0:
            words += [word[:stem] + "-", word[stem:]]
        else:
            words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.extend(textwrap.wrap(word, width))
    return lines or [""]


def _date(iso: str) -> str:
    """ "2026-11-27" -> "27.11.2026"."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def _person(name: str, number: str) -> str:
    return f"{name} ({number})" if name.strip() else number


def _quantity(quantity: Decimal, unit: Unit) -> str:
    if unit is Unit.KG:
        return f"{quantity:.3f}".replace(".", ",") + " kg"
    return (
        str(quantity.to_integral_value())
        if quantity == quantity.to_integral_value()
        else str(quantity)
    )


def _unit_price(line: TransactionLine) -> str:
    per = "/kg" if line.unit is Unit.KG else ""
    return line.unit_price.format() + per


def _gross(line: TransactionLine) -> Money:
    """The amount before discounts, as printed on the line."""
    return line.amount + line.discount_total


def _percent(percent: Decimal | None) -> str:
    return f" {_percent_text(percent)}" if percent is not None else ""


def _percent_text(percent: Decimal) -> str:
    text = f"{percent.normalize():f}".replace(".", ",")
    return f"{text} %"
