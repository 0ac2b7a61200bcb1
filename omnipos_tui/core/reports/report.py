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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.clock import business_day as day_of
from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent, JsonObject
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
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
    PriceInquiryLine,
    Report,
    ReportKind,
    TenderLine,
    VatLine,
)
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
    "PriceInquiryLine",
    "Report",
    "ReportKind",
    "TenderLine",
    "VatLine",
    "build_report",
    "report_from_event",
    "report_payload",
]

# Correction type codes and labels.
LINE_DELETED = ("LINEDELETE", "Slettet linje")
LINE_REDUCED = ("LINEREDUCE", "Redusert antall")
PRICE_OVERRIDDEN = ("PRICEOVERRIDE", "Overstyrt pris")
_SALE_KINDS = frozenset(
    {
        TransactionKind.SALE,
        TransactionKind.RETURN,
        TransactionKind.SALE_AND_RETURN,
        TransactionKind.CREDIT_SALE,
    }
)


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
    tally = _Tally(register.register_id)
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
        vat=_vat_lines(tally, day),
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


def _vat_lines(tally: _Tally, day: date) -> tuple[VatLine, ...]:
    """Every rate in force on the day (zero when unused) and every other rate used."""
    percents = {r.code: r.percent for r in RATES if r.applies_on(day)}
    for code in sorted(tally.vat):
        percents.setdefault(code, tally.vat_percent[code])
    return tuple(
        VatLine(code, percent, Money(tally.vat.get(code, (0, 0))[0]),
                Money(tally.vat.get(code, (0, 0))[1]))
        for code, percent in percents.items()
    )  # fmt: skip


class _Tally:
    """Running sums in whole øre (plain ints: a day of 5,000 receipts sums quickly)."""

    def __init__(self, register_id: str) -> None:
        self.register_id = register_id
        self.first_nr: int | None = None
        self.last_nr: int | None = None
        self.gross_sales = 0
        self.returned = 0
        self.rounding = 0
        self.receipts = 0
        self.drawer_openings = 0
        self.groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.employee_groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.tenders: dict[TenderKind, list[int]] = defaultdict(lambda: [0, 0])
        self.employee_tenders: dict[tuple[str, TenderKind], list[int]] = defaultdict(lambda: [0, 0])
        self.vat: dict[str, list[int]] = {}
        self.vat_percent: dict[str, Decimal] = {}
        self.floats: dict[str, int] = defaultdict(int)
        self.inquiries: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.counted: dict[str, list[int]] = {}
        self._pairs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self._cash = 0

    def pair(self, name: str) -> CountAmount:
        count, amount = self._pairs.get(name, [0, 0])
        return CountAmount(count, Money(amount))

    def expected(self, tender: TenderKind) -> Money:
        if tender is TenderKind.CASH:
            return Money(self._cash)
        return Money(self.tenders[tender][1]) if tender in self.tenders else Money(0)

    def _bump(self, name: str, amount: int, count: int = 1) -> None:
        pair = self._pairs[name]
        pair[0] += count
        pair[1] += amount

    def _bump_correction(self, code: tuple[str, str], amount: int) -> None:
        entry = self.counted.setdefault(code[0], [0, 0])
        entry[0] += 1
        entry[1] += amount

    def add_transaction(self, t: TransactionFacts) -> None:
        if t.register_id != self.register_id:
            raise InvalidInput(
                code="report.other_register_transaction",
                register=self.register_id,
                trans_id=t.trans_id,
                other=t.register_id,
            )
        self.first_nr = t.nr if self.first_nr is None else min(self.first_nr, t.nr)
        self.last_nr = t.nr if self.last_nr is None else max(self.last_nr, t.nr)
        if t.training:
            if t.kind in _SALE_KINDS:
                self._bump("training", t.total)
            return
        self._add_corrections(t)
        if t.voided:
            self._bump("voided", abs(t.total))
            return
        if t.kind not in _SALE_KINDS:
            self._add_cash_movement(t)
            return
        self._add_sale(t)

    def _add_cash_movement(self, t: TransactionFacts) -> None:
        moved = t.total
        self._cash += sum(p.amount for p in t.payments if p.tender is TenderKind.CASH)
        if t.kind is TransactionKind.OPENING_FLOAT:
            self.floats[t.employee] += moved
        elif t.kind is TransactionKind.CASH_IN:
            self._bump("pay_ins", moved)
        else:
            self._bump("pay_outs", -moved)

    def _add_sale(self, t: TransactionFacts) -> None:
        # The hot loop of a Z report: plain ints and dict lookups, no Money or Decimal
        # arithmetic (hashing a Decimal per line alone would double the time).
        kinds: dict[int, LineKind] = {}
        sold = returned = 0
        group_net: dict[str, int] = defaultdict(int)
        employee_group_net: dict[tuple[str, str], int] = defaultdict(int)
        discounts: dict[int, int] = defaultdict(int)
        vat_sums = self.vat
        seller = t.employee
        correction, returning = LineKind.CORRECTION, LineKind.RETURN
        for (
            # One unpacking is much cheaper than an attribute access per field.
            line_no,
            line_kind,
            corrects,
            amount,
            off,
            group,
            employee,
            code,
            percent,
            tax,
            price_overridden,
            _,
        ) in t.lines:
            kinds[line_no] = line_kind
            kind = kinds.get(corrects or 0, LineKind.ITEM) if line_kind is correction else line_kind
            if kind is returning:
                returned -= amount
            else:
                sold += amount
                if off:
                    discounts[corrects or line_no] += off
            group_net[group] += amount
            employee_group_net[(employee or seller, group)] += amount
            vat = vat_sums.get(code)
            if vat is None:
                vat = vat_sums[code] = [0, 0]
                self.vat_percent[code] = percent
            vat[0] += amount - tax
            vat[1] += tax
            if price_overridden:
                self._bump_correction(PRICE_OVERRIDDEN, amount)
        self.gross_sales += sold
        self.returned += returned
        self.rounding += t.rounding
        # A transaction counts +1 for a group it sold in and -1 for one it took back from,
        # as in Skatteetaten's example Z report.
        # _add_signed written out: this runs for every group of every receipt.
        groups, employee_groups = self.groups, self.employee_groups
        for group, amount in group_net.items():
            entry = groups[group]
            entry[0] += (amount > 0) - (amount < 0)
            entry[1] += amount
        for key, amount in employee_group_net.items():
            entry = employee_groups[key]
            entry[0] += (amount > 0) - (amount < 0)
            entry[1] += amount
        given = [d for d in discounts.values() if d]
        if given:
            self._bump("discounts", sum(given), len(given))
        if returned:
            self._bump("returns", returned)
        if t.receipt_series == ReceiptSeries.SALE:
            self.receipts += 1
        if t.receipt_series == ReceiptSeries.DELIVERY:
            self._bump("deliveries", t.total)
        for p in t.payments:
            paid = p.amount
            _add_signed(self.tenders[p.tender], paid)
            _add_signed(self.employee_tenders[(p.employee or t.employee, p.tender)], paid)
            if p.tender is TenderKind.CASH:
                self._cash += paid
            elif p.tender is TenderKind.ACCOUNT and paid > 0:
                self._bump("credit_sales", paid)
            elif p.tender is TenderKind.ACCOUNT and paid < 0:
                self._bump("credit_memos", -paid)

    def _add_corrections(self, t: TransactionFacts) -> None:
        for line in t.lines:  # a plain loop: most receipts have no correction
            if line[2] is not None:  # corrects_line
                break
        else:
            return
        left = {line.line_no: line.quantity for line in t.lines if line.corrects_line is None}
        for line in t.lines:
            if line.kind is not LineKind.CORRECTION or line.corrects_line is None:
                continue
            remaining = left.get(line.corrects_line, Decimal(0)) + line.quantity
            left[line.corrects_line] = remaining
            kind = LINE_DELETED if remaining == 0 else LINE_REDUCED
            self._bump_correction(kind, abs(line.amount))

    def add_event(self, event: JournalEvent) -> None:
        if event.register_id != self.register_id:
            raise InvalidInput(
                code="report.other_register_event",
                register=self.register_id,
                event=event.event_id,
                other=event.register_id,
            )
        if event.training:
            return
        code = event.code
        if code is EventCode.DRAWER_OPEN_NO_SALE:
            self.drawer_openings += 1
        elif code is EventCode.COPY_RECEIPT:
            self._bump("copies", event.amount().ore)
        elif code is EventCode.PROFORMA_RECEIPT:
            self._bump("proforma", event.amount().ore)
        elif code is EventCode.PRICE_LOOKUP:
            entry = self.inquiries[event.string("group")]
            entry[0] += 1
            entry[1] += event.amount().ore


def _add_signed(entry: list[int], amount: int) -> None:
    """Count +1 for a positive amount, -1 for a negative one, and add the amount."""
    entry[0] += (amount > 0) - (amount < 0)
    entry[1] += amount
