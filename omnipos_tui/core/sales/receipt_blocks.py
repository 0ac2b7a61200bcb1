"""The building blocks receipts and reports are laid out with: a layout for one paper
width that writes the seller, the lines, the totals, the payments and the VAT table, and
the number and text formatting they share (Norwegian decimal comma, "kg", "%")."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.document import (
    Align,
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
    TenderKind,
    TransactionLine,
    vat_by_rate,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.shop.company import Company

WIDTHS = (32, 42, 48)


def check_width(columns: int) -> None:
    """Refuse a paper width other than 32, 42 or 48 columns.

    Raises:
        InvalidInput: Another width.
    """
    if columns not in WIDTHS:
        raise InvalidInput(code="receipt.bad_width", columns=columns)


class ReceiptLayout:
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
            # A card tip was charged with the payment: the card line shows the whole
            # charge, the tip beneath it (not part of TOTALT, no VAT).
            charged = payment.given + payment.tip
            self.pair(payment.tender.label, charged.format(thousands=True))
            if payment.tip:
                who = f" ({payment.employee})" if payment.employee else ""
                self.pair(f"  Herav driks{who}", payment.tip.format(thousands=True))
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
