"""X and Z reports (KSF § 2-8-2 / § 2-8-3, NORWAY-COMPLIANCE.md R-30).

:func:`build_report` summarises one register's transactions and journal events of a period
into a frozen :class:`Report` whose fields follow the SAF-T ``eventReport`` element order,
so the export maps it one to one. The whole report goes into the journal as JSON (R-21)
and to paper through :meth:`Report.to_document`.

What counts where (decided once; the tests pin it):

- *Sales* are the real transactions of kind sale, return, sale and return, and credit sale
  that are neither training nor voided. Credit sales are included (their account tender
  shows on the tender lines) and also summarised on their own; ``total_sales`` is their
  total incl. VAT before cash rounding, net of returns.
- Article groups, tenders and VAT rates are net of returns. As in Skatteetaten's example,
  a group's or tender's *count* is the number of transactions (payments) that added to it
  less those that took from it; tender counts never go below 0 (the XSD type).
- Receipts: the sales receipts (series "sale"); returns count once per transaction that
  returns something, with the refunded amount; discounts once per item line that ends up
  discounted, with the discount given (line and whole-sale share, less corrections).
- Line corrections (only reductions exist as correction lines) by type: a line deleted to
  zero, or a quantity reduced; amounts are absolute. They count in voided receipts too.
- Voided receipts count with their amount (and their line corrections) and nowhere else;
  training sales count with their amount and nowhere else (not in grand totals either).
- Cash in/out and opening float are not sales; they count on their own and in the
  expected cash.
- Copies, pro forma receipts, drawer openings without sale and price look-ups come from the
  journal events (payload keys in ``core/journal.py``); events with ``training`` set are
  ignored.
- Grand totals (sales before returns, returns, net; credit sales included) are passed in
  from the last Z report and carried forward by adding this period; they are never reset.
  So the grand net grows by exactly ``total_sales`` per report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.clock import business_day as day_of
from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent, JsonObject
from omnipos_tui.core.ledger.transaction import (
    TenderKind,
    Transaction,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.facts import TransactionFacts, facts_of
from omnipos_tui.core.reports.model import (
    CashCount,
    CorrectionLine,
    CountAmount,
    EmployeeAmount,
    EmployeeGroupLine,
    EmployeeTenderLine,
    GrandTotals,
    GroupLine,
    GroupVatLine,
    PriceInquiryLine,
    Report,
    ReportKind,
    TenderLine,
    VatLine,
)
from omnipos_tui.core.reports.tally import LINE_DELETED, LINE_REDUCED, PRICE_OVERRIDDEN, Tally
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.vat import RATES

__all__ = [
    "CashCount",
    "CorrectionLine",
    "CountAmount",
    "EmployeeAmount",
    "EmployeeGroupLine",
    "EmployeeTenderLine",
    "GrandTotals",
    "GroupLine",
    "GroupVatLine",
    "PriceInquiryLine",
    "Report",
    "ReportKind",
    "TenderLine",
    "VatLine",
    "build_report",
    "report_from_event",
    "report_payload",
]


def report_payload(report: Report) -> JsonObject:
    """The XREPORT/ZREPORT event payload: ``{"report": <the whole report>}``."""
    return {"report": report.to_dict()}


def report_from_event(event: JournalEvent) -> Report:
    """The report stored in an XREPORT or ZREPORT event.

    Raises:
        InvalidInput: The event is not a report event or its payload is damaged.
    """
    if event.code not in (EventCode.X_REPORT, EventCode.Z_REPORT):
        raise InvalidInput(code="report.not_a_report", event=event.event_id, event_code=event.code)
    return Report.from_dict(event.payload.get("report"))


# --- building ---------------------------------------------------------------------------


def build_report(
    kind: ReportKind,
    *,
    company: Company,
    register: Register,
    transactions: Iterable[Transaction | TransactionFacts],
    events: Iterable[JournalEvent],
    grand_totals_before: GrandTotals,
    report_no: int,
    at: datetime,
    employee: str = "",
    counted_cash: Mapping[TenderKind, Money] | None = None,
    groups: Iterable[ArticleGroup] = (),
    business_day: date | None = None,
) -> Report:
    """Summarise a register's period into an X or Z report.

    Args:
        kind: X or Z.
        company: The seller.
        register: The register reported.
        transactions: Its transactions since the last Z report, in any order (read once):
            records, or the report's view of them (``core/report_facts.py``).
        events: Its journal events of the same period (read once).
        grand_totals_before: The grand totals of the last Z report (zero for the first).
        report_no: The report's number in its series.
        at: When the report is made (aware UTC).
        employee: Who runs it.
        counted_cash: Money counted per tender, to compare with what is expected.
        groups: Article groups, for their names on paper.
        business_day: The day reported; by default the Oslo date of ``at``.

    Raises:
        InvalidInput: A transaction or event of another register, or a damaged payload.
    """
    if at.tzinfo is None:
        raise InvalidInput(code="report.naive_time")
    tally = Tally(register.register_id)
    for transaction in transactions:
        tally.add_transaction(
            transaction if isinstance(transaction, TransactionFacts) else facts_of(transaction)
        )
    for event in events:
        tally.add_event(event)
    day = business_day or day_of(at)
    names = {g.code: g.name for g in groups}
    grand = GrandTotals(
        grand_totals_before.sales + Money(tally.gross_sales),
        grand_totals_before.returns + Money(tally.returned),
    )
    counts = tuple(
        CashCount(tender, tally.expected(tender), counted)
        for tender, counted in sorted((counted_cash or {}).items(), key=lambda kv: _order(kv[0]))
    )
    return Report(
        kind=kind,
        report_no=report_no,
        company_ident=company.org_number,
        company_name=company.name,
        register_id=register.register_id,
        register_name=register.name,
        employee=employee,
        at=at.astimezone(UTC),
        report_date=local_date_text(at),
        report_time=local_time_text(at),
        business_day=day,
        first_nr=tally.first_nr,
        last_nr=tally.last_nr,
        total_sales=Money(tally.gross_sales - tally.returned),
        art_groups=tuple(
            GroupLine(g, names.get(g, ""), n, Money(a))
            for g, (n, a) in sorted(tally.groups.items())
        ),
        employee_art_groups=tuple(
            EmployeeGroupLine(e, g, n, Money(a))
            for (e, g), (n, a) in sorted(tally.employee_groups.items())
        ),
        payments=tuple(
            TenderLine(t, max(0, n), Money(a))
            for t, (n, a) in sorted(tally.tenders.items(), key=lambda kv: _order(kv[0]))
        ),
        employee_payments=tuple(
            EmployeeTenderLine(e, t, max(0, n), Money(a))
            for (e, t), (n, a) in sorted(
                tally.employee_tenders.items(), key=lambda kv: (kv[0][0], _order(kv[0][1]))
            )
        ),
        tips=tally.pair("tips"),
        vat=_vat_lines(tally, day),
        group_vat=tuple(
            GroupVatLine(g, code, Money(b), Money(v))
            for (g, code), (b, v) in sorted(tally.group_vat.items())
        ),
        opening_float=Money(sum(tally.floats.values())),
        employee_opening_floats=tuple(
            EmployeeAmount(e, Money(a)) for e, a in sorted(tally.floats.items())
        ),
        receipt_count=tally.receipts,
        drawer_openings=tally.drawer_openings,
        copies=tally.pair("copies"),
        proforma=tally.pair("proforma"),
        returns=tally.pair("returns"),
        discounts=tally.pair("discounts"),
        voided=tally.pair("voided"),
        corrections=tuple(
            CorrectionLine(code, label, tally.counted[code][0], Money(tally.counted[code][1]))
            for code, label in (LINE_DELETED, LINE_REDUCED)
            if code in tally.counted
        ),
        price_inquiries=tuple(
            PriceInquiryLine(g, n, Money(a)) for g, (n, a) in sorted(tally.inquiries.items())
        ),
        other_corrections=tuple(
            CorrectionLine(code, label, tally.counted[code][0], Money(tally.counted[code][1]))
            for code, label in (PRICE_OVERRIDDEN,)
            if code in tally.counted
        ),
        deliveries=tally.pair("deliveries"),
        training=tally.pair("training"),
        credit_sales=tally.pair("credit_sales"),
        credit_memos=tally.pair("credit_memos"),
        pay_ins=_cash_line(tally.pair("pay_ins")),
        pay_outs=_cash_line(tally.pair("pay_outs")),
        grand_totals=grand,
        rounding=Money(tally.rounding),
        expected_cash=tally.expected(TenderKind.CASH),
        cash_counts=counts,
    )


def _order(tender: TenderKind) -> int:
    return list(TenderKind).index(tender)


def _cash_line(pair: CountAmount) -> tuple[TenderLine, ...]:
    return (TenderLine(TenderKind.CASH, pair.count, pair.amount),) if pair.count else ()


def _vat_lines(tally: Tally, day: date) -> tuple[VatLine, ...]:
    """Every rate in force on the day (zero when unused) and every other rate used."""
    percents = {r.code: r.percent for r in RATES if r.applies_on(day)}
    for code in sorted(tally.vat):
        percents.setdefault(code, tally.vat_percent[code])
    return tuple(
        VatLine(code, percent, Money(tally.vat.get(code, (0, 0))[0]),
                Money(tally.vat.get(code, (0, 0))[1]))
        for code, percent in percents.items()
    )  # fmt: skip
