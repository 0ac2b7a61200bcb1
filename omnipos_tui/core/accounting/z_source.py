"""A Z report as a settlement source: the Z's own figures, nothing recomputed (so books, Z
report and SAF-T Cash Register agree to the øre)."""

from __future__ import annotations

from decimal import Decimal

from omnipos_tui.core.accounting.settlement import PaymentFigure, SalesFigure, SettlementSource
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.reports.model import Report, ReportKind

#: The account map's key of each means of payment at the till.
TILL_MEANS: dict[TenderKind, str] = {
    TenderKind.CASH: "cash",
    TenderKind.CARD: "card",
    TenderKind.MOBILE: "vipps",
    TenderKind.VOUCHER: "gift_voucher",
    TenderKind.ACCOUNT: "customer_account",
}

_LABELS = {
    TenderKind.CASH: "Kontant",
    TenderKind.CARD: "Kort",
    TenderKind.MOBILE: "Vipps",
    TenderKind.VOUCHER: "Gavekort innløst",
    TenderKind.ACCOUNT: "Salg på konto",
}


def z_key(register_id: str, z_number: int) -> str:
    """The idempotency key of a Z report's voucher: ``Z-<register>-<z number>``."""
    return f"Z-{register_id}-{z_number}"


def source_from_z(report: Report) -> SettlementSource:
    """The settlement of a Z report.

    Sales come per article group and VAT code where the report has them (reports made
    before that was recorded: per VAT code); card payments name the register, so a
    ``card_<register>`` account (the register's terminal) is used where mapped.
    """
    if report.kind is not ReportKind.Z:
        raise ValueError(f"an accounting voucher is made from a Z report, not {report.kind}")
    if report.group_vat:
        sales = tuple(
            SalesFigure(line.group, line.vat_code, _percent(report, line.vat_code),
                        line.basis.ore, line.vat.ore)
            for line in report.group_vat
            if line.basis.ore or line.vat.ore
        )  # fmt: skip
    else:
        sales = tuple(
            SalesFigure("", line.vat_code, line.vat_percent, line.basis.ore, line.vat.ore)
            for line in report.vat
            if line.basis.ore or line.vat.ore
        )
    payments = tuple(
        PaymentFigure(
            TILL_MEANS[line.tender],
            line.amount.ore,
            report.register_id if line.tender is TenderKind.CARD else "",
            _LABELS[line.tender],
        )
        for line in report.payments
        if line.amount.ore
    )
    cash_difference = sum(
        c.difference.ore for c in report.cash_counts if c.tender is TenderKind.CASH
    )
    return SettlementSource(
        key=z_key(report.register_id, report.report_no),
        day=report.business_day,
        description=f"Dagsoppgjør {report.register_name} Z {report.report_no}",
        sales=sales,
        payments=payments,
        rounding=report.rounding.ore,
        tips=report.tips.amount.ore,
        cash_difference=cash_difference,
        pay_ins=sum(line.amount.ore for line in report.pay_ins),
        pay_outs=sum(line.amount.ore for line in report.pay_outs),
        opening_float=report.opening_float.ore,
    )


def _percent(report: Report, vat_code: str) -> Decimal:
    for line in report.vat:
        if line.vat_code == vat_code:
            return line.vat_percent
    return Decimal(0)
