"""X and Z reports on paper: a :class:`~omnipos_tui.core.document.Document` for 32, 42 or
48 columns, with Norwegian labels and only characters the printer's code page has."""

from __future__ import annotations

from omnipos_tui.core.document import Align, Cut, Document, Item, Rule, TextLine, printable
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.model import CorrectionLine, CountAmount, Report

_NARROW = 40  # below this width (32 columns) the figure columns are tighter


def _date(iso: str) -> str:
    """ "2026-11-27" as "27.11.2026"."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


class _Page:
    """Collects report lines at a paper width."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.items: list[Item] = []
        # Widths for a count and an amount such as "-123 456,78", kept aligned.
        self.count_width = 4 if columns < _NARROW else 6
        self.amount_width = 11 if columns < _NARROW else 13

    def text(self, text: str, *, bold: bool = False, center: bool = False) -> None:
        line = printable(text)[: self.columns]
        self.items.append(TextLine(line, bold=bold, align=Align.CENTER if center else Align.LEFT))

    def heading(self, text: str) -> None:
        self.items.append(Rule())
        self.text(text, bold=True)

    def row(self, label: str, amount: Money | None = None, count: int | None = None) -> None:
        """A label on the left, an optional count and an optional amount on the right."""
        right = ""
        if count is not None:
            right += str(count).rjust(self.count_width)
        if amount is not None:
            right += amount.format(thousands=True).rjust(self.amount_width)
        label = printable(label)
        if len(label) + 1 + len(right) > self.columns:
            # Narrow paper: the whole label on its own line, the figures under it.
            self.items.append(TextLine(label[: self.columns]))
            self.items.append(TextLine(right.rjust(self.columns)))
            return
        self.items.append(TextLine(label.ljust(self.columns - len(right)) + right))

    def pair(self, label: str, value: CountAmount) -> None:
        self.row(label, value.amount, value.count)

    def corrections(self, lines: tuple[CorrectionLine, ...], empty: str) -> None:
        if not lines:
            self.row(empty, Money.zero(), 0)
        for line in lines:
            self.row(line.label, line.amount, line.count)


def report_document(report: Report, columns: int = 42) -> Document:
    """The report laid out for a receipt printer of ``columns`` characters (32, 42, 48)."""
    page = _Page(columns)
    page.items.append(TextLine(report.kind.heading, bold=True, double=True, align=Align.CENTER))
    page.text(report.company_name, bold=True, center=True)
    page.text(f"Org.nr. {report.company_ident}", center=True)
    page.items.append(Rule())
    page.text(f"Kasse: {report.register_name} ({report.register_id})")
    page.text(f"Rapport nr: {report.report_no}")
    page.text(f"Tidspunkt: {_date(report.report_date)} {report.report_time}")
    page.text(f"Forretningsdag: {_date(report.business_day.isoformat())}")
    if report.employee:
        page.text(f"Utført av: {report.employee}")
    if report.first_nr is not None:
        page.text(f"Transaksjoner nr {report.first_nr}-{report.last_nr}")

    page.heading("Salg")
    page.row("Totalt salg", report.total_sales)
    page.row("Antall salgskvitteringer", count=report.receipt_count)

    page.heading("Varegrupper (antall, beløp)")
    for group in report.art_groups:
        page.row(f"{group.group} {group.name}".strip(), group.amount, group.count)
    if report.employee_art_groups:
        page.text("Per ansatt:")
        for emp_group in report.employee_art_groups:
            page.row(f" {emp_group.employee} {emp_group.group}", emp_group.amount, emp_group.count)

    page.heading("Betalingsmidler")
    for tender in report.payments:
        page.row(tender.tender.label, tender.amount, tender.count)
    page.row("Øreavrunding", report.rounding)
    if report.employee_payments:
        page.text("Per ansatt:")
        for emp in report.employee_payments:
            page.row(f" {emp.employee} {emp.tender.label}", emp.amount, emp.count)
    if report.tips.count:
        page.pair("Driks (kort, ikke omsetning)", report.tips)

    page.heading("Mva (grunnlag / mva)")
    for vat in report.vat:
        page.text(f"{vat.vat_percent} % (kode {vat.vat_code})")
        page.row("  Grunnlag", vat.basis)
        page.row("  Mva", vat.vat)

    page.heading("Kontanter")
    page.row("Vekselkasse", report.opening_float)
    for float_ in report.employee_opening_floats:
        page.row(f" {float_.employee}", float_.amount)
    for pay_in in report.pay_ins:
        page.row("Innskudd", pay_in.amount, pay_in.count)
    for pay_out in report.pay_outs:
        page.row("Uttak", pay_out.amount, pay_out.count)
    page.row("Forventet kontant", report.expected_cash)
    for count in report.cash_counts:
        page.text(f"Opptelling {count.tender.label}:")
        page.row("  Forventet", count.expected)
        page.row("  Talt", count.counted)
        page.row("  Differanse", count.difference)

    page.heading("Kontrolltall (antall, beløp)")
    page.row("Skuffeåpninger uten salg", count=report.drawer_openings)
    page.pair("Kopikvitteringer", report.copies)
    page.pair("Foreløpige kvitteringer", report.proforma)
    page.pair("Returer", report.returns)
    page.pair("Rabatter", report.discounts)
    page.pair("Annullerte kvitteringer", report.voided)
    page.corrections(report.corrections, "Linjekorreksjoner")
    page.corrections(report.other_corrections, "Andre korreksjoner")
    page.pair("Utleveringskvitteringer", report.deliveries)
    page.pair("Treningskvitteringer", report.training)
    page.pair("Kredittsalg", report.credit_sales)
    page.pair("Kreditnotaer", report.credit_memos)

    page.heading("Prisforespørsler (antall, beløp)")
    if not report.price_inquiries:
        page.row("Ingen", Money.zero(), 0)
    for inquiry in report.price_inquiries:
        page.row(f"Varegruppe {inquiry.group}", inquiry.amount, inquiry.count)

    page.heading("Grand total (siden installasjon)")
    page.row("Salg", report.grand_totals.sales)
    page.row("Retur", report.grand_totals.returns)
    page.row("Netto", report.grand_totals.net)
    page.items.append(Cut())
    title = f"{report.kind.heading} {report.report_no} kasse {report.register_id}"
    return Document(title=title, columns=columns, items=tuple(page.items))
