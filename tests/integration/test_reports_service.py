"""X and Z reports through the real services: refusals, one Z a day, grand totals carried
across days, and every Z recomputed from the stored rows by plain SQL."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_support import (
    APPLES,
    BREAD,
    CASHIER,
    COLA,
    CUSTOMER,
    MANAGER,
    MILK,
    cash_sale,
    open_shop,
    tick,
)

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved
from omnipos_tui.core.reports.report import GrandTotals, Report, ReportKind, build_report
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.core.shop.company import Register
from omnipos_tui.services.reports.service import REPORT_EVENTS
from omnipos_tui.services.sales import (
    completion,
    opening,
    parking,
    payments,
    pricing,
    receipts,
    returns,
    ringing,
)


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Services, FixedClock, Path]:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    return services, clock, tmp_path / "omnipos.sqlite3"


def _card_sale(services: Services, clock: FixedClock, *codes: str) -> str:
    sales = services.sales
    sale = opening.resume_or_open(sales, "1", CASHIER)
    for code in codes:
        tick(clock)
        ringing.add_item(sales, sale.sale_id, code, employee=CASHIER)
    due = opening.current(sales, sale.sale_id).remaining()
    pending = payments.begin_card_payment(sales, sale.sale_id, due, employee=CASHIER)
    payments.finish_card_payment(sales, pending.reference, CardApproved(due, "T1", "****1111"))
    return completion.complete(sales, sale.sale_id, employee=CASHIER).receipt_id


def _trading_day(services: Services, clock: FixedClock, earlier_receipt: str | None) -> str:
    """A day with a float, cash, card and Vipps sales, a discount, a void, corrections, a
    return, a credit sale, training, a price look-up, a no-sale and a cash withdrawal."""
    sales, register = services.sales, services.register
    register.opening_float("1", Money.kroner(1500), employee=CASHIER)
    first = cash_sale(services, clock, MILK, BREAD, COLA).receipt_id
    _card_sale(services, clock, COLA, COLA)
    sale = opening.resume_or_open(sales, "1", CASHIER)
    ringing.add_item(sales, sale.sale_id, APPLES, quantity=Decimal("1.235"), employee=CASHIER)
    ringing.add_item(sales, sale.sale_id, BREAD, employee=CASHIER)
    ringing.add_item(sales, sale.sale_id, MILK, quantity=Decimal(4), employee=CASHIER)
    ringing.change_quantity(sales, sale.sale_id, 3, Decimal(2), employee=CASHIER)
    pricing.discount_sale(
        sales,
        sale.sale_id,
        DiscountSpec.percent_off(Decimal(5), employee=CASHIER),
        employee=CASHIER,
    )
    payments.pay(sales, sale.sale_id, TenderKind.MOBILE, None, employee=CASHIER, reference="V-1")
    completion.complete(sales, sale.sale_id, employee=CASHIER)
    sale = opening.resume_or_open(sales, "1", CASHIER)
    ringing.add_item(sales, sale.sale_id, COLA, employee=CASHIER)
    completion.void_sale(sales, sale.sale_id, employee=CASHIER, approved_by=MANAGER)
    sale = opening.resume_or_open(sales, "1", CASHIER)
    # Day one returns the bread of its first sale, day two the milk of that same receipt.
    line = 2 if earlier_receipt is None else 1
    returns.add_return(
        sales, sale.sale_id, earlier_receipt or first, line, Decimal(1), employee=CASHIER
    )
    ringing.add_item(sales, sale.sale_id, MILK, employee=CASHIER)
    if opening.current(
        sales, sale.sale_id
    ).remaining():  # an exchange of equal value settles itself
        payments.pay(sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(sales, sale.sale_id, employee=CASHIER)
    sale = opening.resume_or_open(sales, "1", CASHIER)
    ringing.add_item(sales, sale.sale_id, BREAD, quantity=Decimal(3), employee=CASHIER)
    ringing.attach_customer(sales, sale.sale_id, CUSTOMER)
    payments.pay(sales, sale.sale_id, TenderKind.ACCOUNT, None, employee=CASHIER)
    completion.complete(sales, sale.sale_id, employee=CASHIER)
    register.set_training("1", True, employee=CASHIER, approved_by=MANAGER)
    cash_sale(services, clock, COLA)
    register.set_training("1", False, employee=CASHIER, approved_by=MANAGER)
    ringing.price_lookup(sales, "1", COLA, employee=CASHIER)
    register.no_sale("1", "Veksling", employee=CASHIER, approved_by=MANAGER)
    register.cash_out("1", Money.kroner(500), "Til banken", employee=CASHIER)
    return first


def _sql_totals(db: Path, report: Report) -> dict[str, object]:
    """The report's figures recomputed from the transaction rows with plain SQL."""
    assert report.first_nr is not None and report.last_nr is not None
    sales = (
        "SELECT trans_id FROM cash_transaction WHERE register_id = '1' AND nr BETWEEN ? AND ? "
        "AND NOT training AND NOT voided AND kind IN ('sale', 'return', 'sale_and_return', "
        "'credit_sale')"
    )
    period = (report.first_nr, report.last_nr)
    with sqlite3.connect(db) as raw:

        def one(sql: str, *params: object) -> int:
            return int(raw.execute(sql, params).fetchone()[0] or 0)

        returned_lines = (
            "(l.kind = 'return' OR (l.kind = 'correction' AND EXISTS (SELECT 1 FROM "
            "transaction_line r WHERE r.trans_id = l.trans_id AND r.line_no = l.corrects_line "
            "AND r.kind = 'return')))"
        )
        return {
            "total": one(f"SELECT SUM(amount) FROM transaction_line WHERE trans_id IN ({sales})",
                         *period),
            "groups": dict(raw.execute(
                f"SELECT group_code, SUM(amount) FROM transaction_line WHERE trans_id IN ({sales}) "
                "GROUP BY group_code", period).fetchall()),
            "vat": {code: (basis, vat) for code, basis, vat in raw.execute(
                "SELECT vat_code, SUM(amount - vat_amount), SUM(vat_amount) FROM transaction_line "
                f"WHERE trans_id IN ({sales}) GROUP BY vat_code", period).fetchall()},
            "tenders": dict(raw.execute(
                f"SELECT tender, SUM(amount) FROM transaction_payment WHERE trans_id IN ({sales}) "
                "GROUP BY tender", period).fetchall()),
            "returns": -one(f"SELECT SUM(l.amount) FROM transaction_line l WHERE l.trans_id IN "
                            f"({sales}) AND {returned_lines}", *period),
            "receipts": one(f"SELECT COUNT(*) FROM cash_transaction WHERE trans_id IN ({sales}) "
                            "AND receipt_series = 'sale'", *period),
            "cash": one(
                "SELECT SUM(p.amount) FROM transaction_payment p JOIN cash_transaction t "
                "ON t.trans_id = p.trans_id WHERE t.nr BETWEEN ? AND ? AND NOT t.training "
                "AND NOT t.voided AND p.tender = 'cash'", *period),
            "training": one("SELECT SUM(total) FROM cash_transaction WHERE training AND nr "
                            "BETWEEN ? AND ? AND kind IN ('sale', 'return')", *period),
            "voided": one("SELECT SUM(total) FROM cash_transaction WHERE voided AND nr BETWEEN "
                          "? AND ?", *period),
            "gross_all": one(
                "SELECT SUM(l.amount) FROM transaction_line l JOIN cash_transaction t ON "
                "t.trans_id = l.trans_id WHERE t.nr <= ? AND NOT t.training AND NOT t.voided "
                f"AND NOT {returned_lines}", report.last_nr),
            "returns_all": -one(
                "SELECT SUM(l.amount) FROM transaction_line l JOIN cash_transaction t ON "
                "t.trans_id = l.trans_id WHERE t.nr <= ? AND NOT t.training AND NOT t.voided "
                f"AND {returned_lines}", report.last_nr),
        }  # fmt: skip


def _report_totals(report: Report) -> dict[str, object]:
    return {
        "total": report.total_sales.ore,
        "groups": {g.group: g.amount.ore for g in report.art_groups},
        "vat": {v.vat_code: (v.basis.ore, v.vat.ore) for v in report.vat if v.basis or v.vat},
        "tenders": {t.tender.value: t.amount.ore for t in report.payments},
        "returns": report.returns.amount.ore,
        "receipts": report.receipt_count,
        "cash": report.expected_cash.ore,
        "training": report.training.amount.ore,
        "voided": report.voided.amount.ore,
        "gross_all": report.grand_totals.sales.ore,
        "returns_all": report.grand_totals.returns.ore,
    }


def test_each_z_report_equals_an_independent_sum_of_the_stored_rows(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, db = shop
    first_day_receipt = _trading_day(services, clock, None)
    day1 = services.reports.z_report(
        "1", employee=MANAGER, counted_cash={TenderKind.CASH: Money.kroner(1100)}
    )
    clock.advance(timedelta(days=1))
    _trading_day(services, clock, first_day_receipt)
    day2 = services.reports.z_report("1", employee=MANAGER)
    for report in (day1, day2):
        assert _report_totals(report) == _sql_totals(db, report)
    assert day1.drawer_openings == day2.drawer_openings == 1
    assert [p.count for p in day1.price_inquiries] == [1]
    assert day1.cash_counts[0].counted == Money.kroner(1100)
    assert day2.first_nr == (day1.last_nr or 0) + 1


def test_grand_totals_carry_from_one_z_to_the_next_and_never_reset(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, _ = shop
    cash_sale(services, clock, MILK)
    day1 = services.reports.z_report("1", employee=MANAGER)
    clock.advance(timedelta(days=1))
    cash_sale(services, clock, BREAD)
    day2 = services.reports.z_report("1", employee=MANAGER)
    assert day1.grand_totals.sales == Money(2190)
    assert day2.total_sales == Money(3990)
    assert day2.grand_totals.sales == Money(2190 + 3990)
    assert day2.grand_totals.net == day1.grand_totals.net + day2.total_sales
    assert (day1.report_no, day2.report_no) == (1, 2)


def test_only_one_z_report_per_register_and_day(shop: tuple[Services, FixedClock, Path]) -> None:
    services, clock, _ = shop
    cash_sale(services, clock, MILK)
    services.reports.z_report("1", employee=MANAGER)
    tick(clock, 3600)
    cash_sale(services, clock, BREAD)
    with pytest.raises(RuleViolation, match="Z report for 2026-11-27 already"):
        services.reports.z_report("1", employee=MANAGER)
    # The sale after the Z counts in the next day's Z, and an X still works.
    assert services.reports.x_report("1", employee=MANAGER).total_sales == Money(3990)
    clock.advance(timedelta(days=1))
    assert services.reports.z_report("1", employee=MANAGER).total_sales == Money(3990)


def test_a_z_report_is_refused_while_a_sale_is_parked(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, _, _ = shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    parking.park(services.sales, sale.sale_id, "henter lommebok", employee=CASHIER)
    with pytest.raises(RuleViolation, match="0 open, 1 parked"):
        services.reports.z_report("1", employee=MANAGER)
    assert services.reports.reports("1", "Z", clock_day(services)) == []


def test_a_z_report_is_refused_while_a_card_payment_is_pending(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, _, _ = shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    pending = payments.begin_card_payment(
        services.sales, sale.sale_id, Money(2190), employee=CASHIER
    )
    payments.mark_card_unknown(services.sales, pending.reference)
    with pytest.raises(RuleViolation, match="1 open, 0 parked"):
        services.reports.z_report("1", employee=MANAGER)


def test_an_empty_open_sale_does_not_block_the_z_report(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, _ = shop
    cash_sale(services, clock, MILK)
    opening.resume_or_open(services.sales, "1", CASHIER)
    assert services.reports.z_report("1", employee=MANAGER).receipt_count == 1


def test_reports_are_journaled_whole_and_read_back(shop: tuple[Services, FixedClock, Path]) -> None:
    services, clock, _ = shop
    cash_sale(services, clock, MILK, COLA)
    x = services.reports.x_report("1", employee=MANAGER)
    z = services.reports.z_report("1", employee=MANAGER)
    day = clock_day(services)
    assert services.reports.reports("1", ReportKind.X, day) == [x]
    assert services.reports.reports("1", "z", day) == [z]
    assert services.reports.last_z("1") == z
    events = list(services.journal.events("1", codes=[EventCode.X_REPORT, EventCode.Z_REPORT]))
    assert [e.payload["report"] for e in events] == [x.to_dict(), z.to_dict()]


def clock_day(services: Services) -> date:
    return services.register.status("1").business_day


def test_reports_never_see_a_transaction_whose_unit_of_work_rolled_back(
    shop: tuple[Services, FixedClock, Path], tmp_path: Path
) -> None:
    services, clock, _ = shop
    first = cash_sale(services, clock, MILK).transaction
    ghost = replace(first, nr=2, trans_id="1-2", receipt_number=2, total=Money(999_999))
    with services.units() as uow:
        uow.transactions.add(ghost, sale_id=None, return_refs={})
        # Leaving without commit: the number is free again for the next sale, which
        # another process (with its own cache) completes.
    other, _ = open_shop(tmp_path, clock=clock, initialise=False, algorithm="hmac-sha1")
    second = cash_sale(other, clock, BREAD).transaction
    assert second.nr == 2
    report = services.reports.x_report("1", employee=MANAGER)
    assert report.total_sales == Money(2190 + 3990)
    cache = services._store.transaction_cache  # what this process keeps for its reports
    kept = [cache.facts("1", nr) for nr in (1, 2)]
    assert [None if f is None else Money(f.total) for f in kept] == [
        Money(2190),
        Money(3990),
    ]


def test_a_report_from_the_counted_events_equals_one_from_every_event(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, _ = shop
    _trading_day(services, clock, None)
    receipts.copy_receipt(services.sales, "1-1", employee=CASHIER)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    receipts.pro_forma(services.sales, sale.sale_id, employee=CASHIER)
    x = services.reports.x_report("1", employee=MANAGER)
    every = [*services.journal.events("1")][:-1]  # all but the X report's own event
    transactions = list(services.journal.transactions("1"))
    with services.units(read_only=True) as uow:
        company = uow.shop.company()
        assert company is not None
        rebuilt = build_report(
            ReportKind.X,
            company=company,
            register=Register("1", "Kasse 1"),
            transactions=transactions,
            events=every,
            grand_totals_before=GrandTotals(),
            report_no=x.report_no,
            at=x.at,
            employee=MANAGER,
            groups=uow.catalogue.groups(),
            business_day=x.business_day,
        )
    assert rebuilt == x
    assert {e.code for e in every} > set(REPORT_EVENTS)
    assert (x.copies.count, x.proforma.count, x.drawer_openings) == (1, 1, 1)
