"""What an X or Z report holds: :class:`Report` and its rows, in SAF-T ``eventReport`` order.

Built by :func:`omnipos_tui.core.reports.report.build_report`; stored whole in the journal as JSON
(``core/report_json.py``); printed by ``core/report_layout.py``.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode, JsonObject
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money

if TYPE_CHECKING:
    from omnipos_tui.core.document import Document


class ReportKind(enum.StrEnum):
    """X (read, no reset) or Z (day close)."""

    X = "X"
    Z = "Z"

    @property
    def saft_type(self) -> str:
        """SAF-T ``reportType``: "X report" / "Z report"."""
        return f"{self.value} report"

    @property
    def heading(self) -> str:
        """The printed title: "X-rapport" / "Z-rapport"."""
        return f"{self.value}-rapport"

    @property
    def event_code(self) -> EventCode:
        """The journal event that records it (13008 / 13009)."""
        return EventCode.X_REPORT if self is ReportKind.X else EventCode.Z_REPORT


# --- the rows of a report ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountAmount:
    """A number of things and their amount (``...Num`` / ``...Amnt``)."""

    count: int = 0
    amount: Money = field(default_factory=Money.zero)


@dataclass(frozen=True, slots=True)
class GroupLine:
    """Sales of one article group (``reportArtGroup``); ``name`` is for printing."""

    group: str
    name: str
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class EmployeeGroupLine:
    """One employee's sales of one article group (``reportEmpArtGroup``)."""

    employee: str
    group: str
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class TenderLine:
    """Sales settled with one means of payment (``reportPayment``, pay-ins, pay-outs)."""

    tender: TenderKind
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class EmployeeTenderLine:
    """One employee's sales per means of payment (``reportEmpPayment``)."""

    employee: str
    tender: TenderKind
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class VatLine:
    """Sales at one VAT rate (``reportCashSaleVat``): basis excl. VAT and the VAT."""

    vat_code: str
    vat_percent: Decimal
    basis: Money
    vat: Money


@dataclass(frozen=True, slots=True)
class GroupVatLine:
    """Sales of one article group at one VAT rate: basis excl. VAT and the VAT (not in
    SAF-T; the accounting voucher books revenue per group's account and rate from it)."""

    group: str
    vat_code: str
    basis: Money
    vat: Money


@dataclass(frozen=True, slots=True)
class EmployeeAmount:
    """An amount per employee (``reportEmpOpeningChangeFloat``)."""

    employee: str
    amount: Money


@dataclass(frozen=True, slots=True)
class CorrectionLine:
    """Corrections of one type (``reportCorrLine`` / ``reportOtherCorr``).

    Attributes:
        code: Our type code (``corrLineType``), the journal code of that correction.
        label: Norwegian label for printing.
        count: How many.
        amount: Their amount (absolute).
    """

    code: str
    label: str
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class PriceInquiryLine:
    """Price look-ups of one article group (``reportPriceInquiry``)."""

    group: str
    count: int
    amount: Money


@dataclass(frozen=True, slots=True)
class GrandTotals:
    """Cumulative totals of a register since installation; never reset.

    Attributes:
        sales: Sales before returns are deducted.
        returns: Returns (a positive amount).
    """

    sales: Money = field(default_factory=Money.zero)
    returns: Money = field(default_factory=Money.zero)

    @property
    def net(self) -> Money:
        """Sales less returns (``reportGrandTotalSalesNet``)."""
        return self.sales - self.returns


@dataclass(frozen=True, slots=True)
class CashCount:
    """Counted against expected money for one means of payment."""

    tender: TenderKind
    expected: Money
    counted: Money

    @property
    def difference(self) -> Money:
        """Counted less expected: negative when money is missing."""
        return self.counted - self.expected


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """An X or Z report, field for field the SAF-T ``eventReport`` plus what paper needs.

    Attributes:
        kind: X or Z.
        report_no: Number of the report in its kind's series for this register.
        company_ident: Organisation number (``companyIdent``).
        company_name: ``companyName``.
        register_id: ``registerID``.
        register_name: Printed name of the register.
        employee: Who ran the report.
        at: When it was made (aware UTC).
        report_date: Oslo local date "YYYY-MM-DD" (``reportDate``).
        report_time: Oslo local time "HH:MM:SS" (``reportTime``).
        business_day: The business day it reports.
        first_nr: First transaction number covered (None when there were none).
        last_nr: Last transaction number covered.
        total_sales: ``reportTotalCashSales``: sales incl. VAT, net of returns.
        art_groups: ``reportArtGroups``.
        employee_art_groups: ``reportEmpArtGroups``.
        payments: ``reportPayments`` (sales only).
        employee_payments: ``reportEmpPayments``.
        tips: ``reportTip``: tips added on the card terminal (count and amount); not in
            the sales, the payments or the VAT above.
        vat: ``reportCashSalesVat`` (every rate in force, and any other rate used).
        group_vat: Sales per article group and VAT code (basis and VAT; not SAF-T: for
            the accounting voucher).
        opening_float: ``reportOpeningChangeFloat``.
        employee_opening_floats: ``reportEmpOpeningChangeFloats``.
        receipt_count: ``reportReceiptNum``: sales receipts.
        drawer_openings: ``reportOpenCashBoxNum``: openings without a sale.
        copies: ``reportReceiptCopyNum/Amnt``.
        proforma: ``reportReceiptProformaNum/Amnt``.
        returns: ``reportReturnNum/Amnt`` (amount positive).
        discounts: ``reportDiscountNum/Amnt``.
        voided: ``reportVoidTransNum/Amnt``.
        corrections: ``reportCorrLines``.
        price_inquiries: ``reportPriceInquiries``.
        other_corrections: ``reportOtherCorrs`` (price overrides: count and line amounts).
        deliveries: ``reportReceiptDeliveryNum/Amnt``.
        training: ``reportTrainingNum/Amnt``.
        credit_sales: ``reportCreditSales`` (account payments into the customer ledger).
        credit_memos: ``reportCreditMemos`` (account refunds, amount positive).
        pay_ins: ``reportPayIns`` (cash put into the drawer).
        pay_outs: ``reportPayOuts`` (cash taken out, amount positive).
        grand_totals: ``reportGrandTotalSales/Return/SalesNet`` after this period.
        rounding: Sum of cash roundings on sales.
        expected_cash: Opening float + cash taken + pay-ins - pay-outs.
        cash_counts: Counted against expected per tender, when a count was given.
    """

    kind: ReportKind
    report_no: int
    company_ident: str
    company_name: str
    register_id: str
    register_name: str
    employee: str
    at: datetime
    report_date: str
    report_time: str
    business_day: date
    first_nr: int | None
    last_nr: int | None
    total_sales: Money
    art_groups: tuple[GroupLine, ...]
    employee_art_groups: tuple[EmployeeGroupLine, ...]
    payments: tuple[TenderLine, ...]
    employee_payments: tuple[EmployeeTenderLine, ...]
    # A default: reports journaled before tips were recorded have no "tips".
    tips: CountAmount = field(default_factory=CountAmount)
    vat: tuple[VatLine, ...]
    # A default: reports journaled before it was recorded have none (the voucher then
    # books revenue per VAT rate only).
    group_vat: tuple[GroupVatLine, ...] = ()
    opening_float: Money
    employee_opening_floats: tuple[EmployeeAmount, ...]
    receipt_count: int
    drawer_openings: int
    copies: CountAmount
    proforma: CountAmount
    returns: CountAmount
    discounts: CountAmount
    voided: CountAmount
    corrections: tuple[CorrectionLine, ...]
    price_inquiries: tuple[PriceInquiryLine, ...]
    other_corrections: tuple[CorrectionLine, ...]
    deliveries: CountAmount
    training: CountAmount
    credit_sales: CountAmount
    credit_memos: CountAmount
    pay_ins: tuple[TenderLine, ...]
    pay_outs: tuple[TenderLine, ...]
    grand_totals: GrandTotals
    rounding: Money
    expected_cash: Money
    cash_counts: tuple[CashCount, ...] = field(default=())

    @property
    def report_id(self) -> str:
        """Unique across registers and kinds: "<register>-Z-<number>" (``reportID``)."""
        return f"{self.register_id}-{self.kind.value}-{self.report_no}"

    def to_dict(self) -> JsonObject:
        """The whole report as a JSON object (amounts in integer øre)."""
        from omnipos_tui.core.reports.serialise import report_to_dict

        return report_to_dict(self)

    def to_json(self) -> str:
        """The whole report as JSON text, as written into the journal (R-21)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: object) -> Report:
        """Rebuild a report from :meth:`to_dict` output.

        Raises:
            InvalidInput: Naming the first missing or malformed field.
        """
        from omnipos_tui.core.reports.serialise import report_from_dict

        return report_from_dict(data)

    @classmethod
    def from_json(cls, text: str) -> Report:
        """Rebuild a report from :meth:`to_json` output.

        Raises:
            InvalidInput: The text is not a report.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(code="report.not_json", reason=exc.msg, position=exc.pos) from None
        return cls.from_dict(data)

    def to_document(self, columns: int = 42) -> Document:
        """The report laid out for a receipt printer of ``columns`` characters."""
        from omnipos_tui.core.reports.layout import report_document

        return report_document(self, columns)
