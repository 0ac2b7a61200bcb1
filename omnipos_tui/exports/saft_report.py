"""An X or Z report as the SAF-T ``eventReport`` of its journal event (R-30, R-31).

The report is read back from the event's payload (where it is stored whole, R-21) and
written field by field in the XSD's order. Codes are the file's own: tenders as our
payment ``basicID``, article groups as the shop's group codes.

Several lists are mandatory with at least one row (article groups, payments, VAT, line
corrections, price look-ups, other corrections). When a report has nothing to list there,
one row of type ``None`` with zero count and amount is written, as in Skatteetaten's example
file. Optional lists (per employee, pay-ins, pay-outs) are left out when empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import JournalEvent
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.model import CorrectionLine, CountAmount, Report, TenderLine
from omnipos_tui.core.reports.report import report_from_event
from omnipos_tui.exports.saft_codes import PAYMENT_CODES
from omnipos_tui.exports.xml_records import Record

NONE = "None"
"""The type written in a mandatory list with nothing in it."""


def write_report(rec: Record, event: JournalEvent, employees: set[str]) -> None:
    """Add the ``eventReport`` of an XREPORT or ZREPORT event to its event record.

    Args:
        rec: The event's record, after its ``eventText``.
        event: The report event.
        employees: The exported employee numbers (report rows per employee must name one).

    Raises:
        InvalidInput: The payload is not a report, or a row names an employee who is not
            in the export.
    """
    report = report_from_event(event)
    _check_employees(report, employees, event.event_id)
    rec.open("eventReport")
    rec.leaves(
        ("reportID", "reportType", "companyIdent", "companyName"),
        report.report_id,
        report.kind.saft_type,
        report.company_ident,
        report.company_name,
    )
    rec.leaves(
        ("reportDate", "reportTime", "registerID"),
        report.report_date,
        report.report_time,
        report.register_id,
    )
    rec.open("reportTotalCashSales")
    rec.leaf("totalCashSaleAmnt", report.total_sales.saft())
    rec.close()
    _art_groups(rec, report)
    _payments(rec, report)
    _vat(rec, report)
    rec.leaf("reportOpeningChangeFloat", report.opening_float.saft())
    if report.employee_opening_floats:
        rec.open("reportEmpOpeningChangeFloats")
        for row in report.employee_opening_floats:
            rec.open("reportEmpOpeningChangeFloat")
            rec.leaves(("empID", "openingChangeFloatAmnt"), row.employee, row.amount.saft())
            rec.close()
        rec.close()
    rec.leaves(
        ("reportReceiptNum", "reportOpenCashBoxNum"),
        str(report.receipt_count),
        str(report.drawer_openings),
    )
    _count_amount(rec, "reportReceiptCopy", report.copies)
    _count_amount(rec, "reportReceiptProforma", report.proforma)
    _count_amount(rec, "reportReturn", report.returns)
    _count_amount(rec, "reportDiscount", report.discounts)
    _count_amount(rec, "reportVoidTrans", report.voided)
    _corrections(rec, "reportCorrLines", "reportCorrLine", "corrLine", report.corrections)
    rec.open("reportPriceInquiries")
    inquiries = [(row.group, row.count, row.amount) for row in report.price_inquiries]
    for group, count, amount in inquiries or [(NONE, 0, Money.zero())]:
        rec.open("reportPriceInquiry")
        rec.leaves(
            ("priceInquiryGroup", "priceInquiryNum", "priceInquiryAmnt"),
            group,
            str(count),
            amount.saft(),
        )
        rec.close()
    rec.close()
    _corrections(rec, "reportOtherCorrs", "reportOtherCorr", "otherCorr", report.other_corrections)
    _count_amount(rec, "reportReceiptDelivery", report.deliveries)
    _count_amount(rec, "reportTraining", report.training)
    rec.open("reportCreditSales")
    rec.leaves(
        ("creditSalesNum", "creditSalesAmnt"),
        str(report.credit_sales.count),
        report.credit_sales.amount.saft(),
    )
    rec.close()
    rec.open("reportCreditMemos")
    rec.leaves(
        ("creditMemosNum", "creditMemosAmnt"),
        str(report.credit_memos.count),
        report.credit_memos.amount.saft(),
    )
    rec.close()
    _cash_moves(rec, "reportPayIns", "reportPayIn", "payIn", report.pay_ins)
    _cash_moves(rec, "reportPayOuts", "reportPayOut", "payOut", report.pay_outs)
    grand = report.grand_totals
    rec.leaves(
        ("reportGrandTotalSales", "reportGrandTotalReturn", "reportGrandTotalSalesNet"),
        grand.sales.saft(),
        grand.returns.saft(),
        grand.net.saft(),
    )
    rec.close()


def _check_employees(report: Report, employees: set[str], event_id: str) -> None:
    named: Iterable[str] = (
        *(row.employee for row in report.employee_art_groups),
        *(row.employee for row in report.employee_payments),
        *(row.employee for row in report.employee_opening_floats),
    )
    for employee in named:
        if employee not in employees:
            raise InvalidInput(
                f"event {event_id}: the report names employee {employee!r}, who is not "
                "among the exported employees"
            )


def _art_groups(rec: Record, report: Report) -> None:
    rec.open("reportArtGroups")
    rows = [(row.group, row.count, row.amount) for row in report.art_groups]
    for group, count, amount in rows or [(NONE, 0, Money.zero())]:
        rec.open("reportArtGroup")
        rec.leaves(("artGroupID", "artGroupNum", "artGroupAmnt"), group, str(count), amount.saft())
        rec.close()
    rec.close()
    if report.employee_art_groups:
        rec.open("reportEmpArtGroups")
        for emp_row in report.employee_art_groups:
            rec.open("reportEmpArtGroup")
            rec.leaves(
                ("empID", "artGroupID", "artGroupNum", "artGroupAmnt"),
                emp_row.employee,
                emp_row.group,
                str(emp_row.count),
                emp_row.amount.saft(),
            )
            rec.close()
        rec.close()


def _payments(rec: Record, report: Report) -> None:
    rec.open("reportPayments")
    rows = [(PAYMENT_CODES[row.tender][0], row.count, row.amount) for row in report.payments]
    for code, count, amount in rows or [(NONE, 0, Money.zero())]:
        rec.open("reportPayment")
        rec.leaves(("paymentType", "paymentNum", "paymentAmnt"), code, str(count), amount.saft())
        rec.close()
    rec.close()
    if report.employee_payments:
        rec.open("reportEmpPayments")
        for emp_row in report.employee_payments:
            rec.open("reportEmpPayment")
            rec.leaves(
                ("empID", "paymentType", "paymentNum", "paymentAmnt"),
                emp_row.employee,
                PAYMENT_CODES[emp_row.tender][0],
                str(emp_row.count),
                emp_row.amount.saft(),
            )
            rec.close()
        rec.close()
    if report.tips.count:
        rec.open("reportTip")
        rec.leaves(("tipNum", "tipAmnt"), str(report.tips.count), report.tips.amount.saft())
        rec.close()


def _vat(rec: Record, report: Report) -> None:
    rec.open("reportCashSalesVat")
    rows = [(row.vat_code, row.vat_percent, row.basis, row.vat) for row in report.vat]
    for code, percent, basis, vat in rows or [(NONE, Decimal(0), Money.zero(), Money.zero())]:
        rec.open("reportCashSaleVat")
        # cashSaleAmnt is the basis excluding VAT, as in Skatteetaten's example.
        rec.leaves(
            ("vatCode", "vatPerc", "cashSaleAmnt", "vatAmnt", "vatAmntTp"),
            code,
            f"{percent:.2f}",
            basis.saft(),
            vat.saft(),
            "D" if vat.ore < 0 else "C",
        )
        rec.close()
    rec.close()


def _count_amount(rec: Record, prefix: str, value: CountAmount) -> None:
    rec.leaves((f"{prefix}Num", f"{prefix}Amnt"), str(value.count), value.amount.saft())


def _corrections(
    rec: Record, outer: str, row_tag: str, prefix: str, lines: tuple[CorrectionLine, ...]
) -> None:
    rec.open(outer)
    rows = [(line.code, line.count, line.amount) for line in lines]
    for code, count, amount in rows or [(NONE, 0, Money.zero())]:
        rec.open(row_tag)
        rec.leaves(
            (f"{prefix}Type", f"{prefix}Num", f"{prefix}Amnt"), code, str(count), amount.saft()
        )
        rec.close()
    rec.close()


def _cash_moves(
    rec: Record, outer: str, row_tag: str, prefix: str, lines: tuple[TenderLine, ...]
) -> None:
    if not lines:
        return
    rec.open(outer)
    for line in lines:
        rec.open(row_tag)
        rec.leaves(
            (f"{prefix}Type", f"{prefix}Num", f"{prefix}Amnt"),
            PAYMENT_CODES[line.tender][0],
            str(line.count),
            line.amount.saft(),
        )
        rec.close()
    rec.close()
