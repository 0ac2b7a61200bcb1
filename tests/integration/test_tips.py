"""Card tips (issue 10, item 27) in the ledger: recorded on the card payment when the
terminal approves more than it was sent, stored and read back on both engines, counted in
the X/Z report's ``reportTip`` only, and exported as the transaction's ``raise`` (code
10001, with the employee) by both export paths with the same bytes, valid against the XSD.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_support import CASHIER, COLA, cash_sale, open_shop, settings_for
from lxml import etree
from test_saft_export import (
    DAY,
    MILK,
    NS,
    REGISTERS,
    SODA,
    Shop,
    Till,
    t,
    xmllint,
)
from test_saft_rows import event_rows_of, rows_of

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.clock import OSLO, FixedClock
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import Payment, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved
from omnipos_tui.core.reports.model import CountAmount, Report
from omnipos_tui.core.reports.report import ReportKind
from omnipos_tui.core.sales.snapshot import Reader, payment_from_dict, payment_to_dict
from omnipos_tui.core.sales.tender import take_exact
from omnipos_tui.demo.seed import SeedPlan, seed_demo
from omnipos_tui.demo.shop import initialise_demo
from omnipos_tui.exports.saft import SCHEMA
from omnipos_tui.services.sales import completion, opening, payments, receipts, ringing
from omnipos_tui.services.sales import returns as sale_returns
from omnipos_tui.storage import migrations
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.store import Store


def tipped_shop() -> Shop:
    """Register 1: a card sale with a tip, a card sale without, a cash sale; an X report."""
    till = Till("1")
    till.event(EventCode.LOGIN, t(1))
    sale = till.sale(t(10))
    sale.add_product(MILK, Decimal(2), at=t(10), employee="1")
    sale.pay_card(
        Money(4380), terminal_transaction_id="T1", masked_card="****1", employee="2",
        tip=Money(1500),
    )  # fmt: skip
    till.complete(sale, t(11))
    sale = till.sale(t(20))
    sale.add_product(SODA, at=t(20), employee="1")
    sale.pay_card(Money(3490), terminal_transaction_id="T2", masked_card="****2", employee="1")
    till.complete(sale, t(21))
    till.report(ReportKind.X, 1, t(30))
    return Shop({"1": till, "2": Till("2")})


def stored(shop: Shop, path: Path) -> Store:
    store = Store(f"sqlite:///{path}", FixedClock(DAY))
    store.migrate()
    with store.unit_of_work() as uow:
        for register in REGISTERS:
            uow.shop.add_register(register)
        for till in shop.tills.values():
            for tx in till.transactions:
                uow.transactions.add(tx, sale_id=None, return_refs={})
            uow.journal.append_all(till.events)
        uow.commit()
    return store


def test_a_tip_is_the_transactions_raise_and_both_export_paths_write_the_same_valid_bytes(
    tmp_path: Path,
) -> None:
    shop = tipped_shop()
    store = stored(shop, tmp_path / "shop.sqlite3")
    from_records, from_rows = io.BytesIO(), io.BytesIO()
    shop.export(from_records)
    shop.export(
        from_rows,
        transaction_rows_by_register=lambda rid: rows_of(store, rid, 1),
        event_rows_by_register=lambda rid: event_rows_of(store, rid, 1),
    )
    assert from_rows.getvalue() == from_records.getvalue()
    target = tmp_path / "tips.xml"
    target.write_bytes(from_records.getvalue())
    check = xmllint(target, SCHEMA)
    assert check.returncode == 0, check.stderr
    root = etree.fromstring(from_records.getvalue())
    basics = {
        b.findtext("s:basicID", namespaces=NS): (
            b.findtext("s:basicType", namespaces=NS),
            b.findtext("s:predefinedBasicID", namespaces=NS),
        )
        for b in root.iterfind(".//s:basics/s:basic", NS)
    }
    assert basics["DRIKS"] == ("10", "10001")
    tipped, plain = root.iterfind(".//s:cashtransaction", NS)
    assert tipped.findtext("s:transAmntIn", namespaces=NS) == "43.80"  # the sale only
    assert [
        (r.findtext("s:raiseType", namespaces=NS), r.findtext("s:raiseAmnt", namespaces=NS),
         r.findtext("s:empID", namespaces=NS))
        for r in tipped.iterfind("s:raise", NS)
    ] == [("DRIKS", "15.00", "2")]  # fmt: skip
    assert tipped.findtext("s:payment/s:paidAmnt", namespaces=NS) == "58.80"  # what the card paid
    vat_parts = [
        Decimal(v.text or "0")
        for path in ("s:vat/s:vatBasAmnt", "s:vat/s:vatAmnt")
        for v in tipped.iterfind(path, NS)
    ]
    assert sum(vat_parts, Decimal(0)) == Decimal("43.80")
    assert plain.find("s:raise", NS) is None
    assert plain.findtext("s:payment/s:paidAmnt", namespaces=NS) == "34.90"
    report = root.find(".//s:event/s:eventReport", NS)
    assert report is not None
    assert report.findtext("s:reportTip/s:tipNum", namespaces=NS) == "1"
    assert report.findtext("s:reportTip/s:tipAmnt", namespaces=NS) == "15.00"
    assert report.findtext("s:reportTotalCashSales/s:totalCashSaleAmnt", namespaces=NS) == "78.70"
    store.close()


def test_a_report_without_tips_writes_no_report_tip_and_an_old_report_reads_as_none() -> None:
    till = Till("1")
    sale = till.sale(t(10))
    sale.add_product(MILK, at=t(10), employee="1")
    sale.pay_cash(employee="1")
    till.complete(sale, t(11))
    report = till.report(ReportKind.Z, 1, t(20))
    assert report.tips == CountAmount()
    stored_before = report.to_dict()
    del stored_before["tips"]  # a Z report journaled before tips were recorded
    again = Report.from_dict(json.loads(json.dumps(stored_before)))
    assert again == report


def test_tips_count_in_the_report_and_in_the_terminals_expected_total_only() -> None:
    till = Till("1")
    for tip in (Money(1000), Money(0), Money(2500)):
        sale = till.sale(t(10))
        sale.add_product(SODA, at=t(10), employee="1")
        sale.pay_card(
            Money(3490), terminal_transaction_id="T", masked_card="*", employee="1", tip=tip
        )
        till.complete(sale, t(11))
    report = till.report(ReportKind.Z, 1, t(20))
    assert report.tips == CountAmount(2, Money(3500))
    assert report.total_sales == Money(3 * 3490)
    assert [(p.tender, p.count, p.amount) for p in report.payments] == [
        (TenderKind.CARD, 3, Money(3 * 3490))
    ]


@pytest.mark.parametrize(
    ("remaining", "tender", "amount", "tip"),
    [
        (Money(3490), TenderKind.CARD, Money(3490), Money(-1)),  # negative
        (Money(-3490), TenderKind.CARD, Money(-3490), Money(100)),  # on a refund
        (Money(3490), TenderKind.MOBILE, Money(3490), Money(100)),  # not a card
        (Money(3490), TenderKind.VOUCHER, Money(3490), Money(100)),
    ],
)
def test_a_tip_is_refused_unless_it_is_on_a_card_payment(
    remaining: Money, tender: TenderKind, amount: Money, tip: Money
) -> None:
    with pytest.raises(InvalidInput):
        take_exact(remaining, tender, amount, employee="1", tip=tip)


def test_a_payment_with_a_tip_survives_the_open_sale_snapshot() -> None:
    payment = Payment(tender=TenderKind.CARD, amount=Money(100), employee="1", tip=Money(50))
    assert payment_from_dict(Reader(payment_to_dict(payment), "p")) == payment
    old = payment_to_dict(payment)
    del old["tip"]  # an open sale stored before tips were recorded
    assert payment_from_dict(Reader(old, "p")).tip == Money(0)


@pytest.fixture
def tip_shop(database_url: str, tmp_path: Path) -> Iterator[tuple[Services, str, FixedClock]]:
    url = "" if database_url.startswith("sqlite") else database_url
    services, clock = open_shop(tmp_path, url=url, algorithm="hmac-sha1")
    yield services, url, clock
    services.close()


def test_what_the_terminal_approves_beyond_the_amount_is_stored_as_the_tip_on_both_engines(
    tip_shop: tuple[Services, str, FixedClock], tmp_path: Path
) -> None:
    services, url, clock = tip_shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, COLA, employee=CASHIER)
    pending = payments.begin_card_payment(
        services.sales, sale.sale_id, Money(2990), employee=CASHIER
    )
    # A Concert V2 answer only says what it approved: the difference is the tip.
    approved = CardApproved(Money(4990), "T9")
    payments.finish_card_payment(services.sales, pending.reference, approved)
    done = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert done.transaction.tips() == Money(2000)
    # Read back by new services (nothing cached) from the same database.
    fresh, _ = open_shop(tmp_path, url=url, algorithm="hmac-sha1", clock=clock, initialise=False)
    try:
        tx = receipts.transaction(fresh.sales, done.receipt_id)
        ((tender, amount, tip, employee),) = [
            (p.tender, p.amount, p.tip, p.employee) for p in tx.payments
        ]
        assert (tender, amount, tip, employee) == (
            TenderKind.CARD,
            Money(2990),
            Money(2000),
            CASHIER,
        )
        assert tx.total == Money(2990)
        report = fresh.reports.x_report("1", employee=CASHIER)  # read from the rows
        assert report.tips == CountAmount(1, Money(2000))
        assert [(p.tender, p.amount) for p in report.payments] == [(TenderKind.CARD, Money(2990))]
    finally:
        fresh.close()


def test_a_refund_approved_on_the_terminal_carries_no_tip(
    tip_shop: tuple[Services, str, FixedClock],
) -> None:
    services, _, clock = tip_shop
    receipt = cash_sale(services, clock, COLA).receipt_id
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    sale_returns.add_return(services.sales, sale.sale_id, receipt, 1, Decimal(1), employee=CASHIER)
    pending = payments.begin_card_payment(
        services.sales, sale.sale_id, Money(2990), employee=CASHIER, refund=True
    )
    after = payments.finish_card_payment(
        services.sales, pending.reference, CardApproved(Money(2990), "T-R")
    )
    assert [(p.amount, p.tip) for p in after.payments] == [(Money(-2990), Money(0))]


def test_migration_10_gives_every_stored_payment_no_tip(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(database_url, FixedClock(DAY))
    before_tips = tuple(m for m in migrations.MIGRATIONS if m.version != 10)
    monkeypatch.setattr(migrations, "MIGRATIONS", before_tips)
    store.migrate()
    shop = tipped_shop()
    (tx, *_) = shop.tills["1"].transactions
    with store.unit_of_work() as uow:
        uow.shop.add_register(REGISTERS[0])
        uow.commit()
    header = ", ".join(["?"] * 23)
    execute_sql(
        store.db,
        "INSERT INTO cash_transaction (register_id, nr, trans_id, kind, employee, customer, "
        "started_at, completed_at, trans_date, trans_time, business_day, total, "
        "total_ex_vat, rounding, receipt_series, receipt_number, training, voided, note, "
        f"signature, key_version, previous_signature, sale_id) VALUES ({header})",
        ("1", tx.nr, tx.trans_id, tx.kind.value, tx.employee, None, DAY.isoformat(),
         DAY.isoformat(), tx.trans_date, tx.trans_time, tx.business_day.isoformat(),
         tx.total.ore, tx.total_ex_vat.ore, 0, str(tx.receipt_series), tx.receipt_number,
         False, False, "", tx.signature, tx.key_version, tx.previous_signature, None),
    )  # fmt: skip
    execute_sql(
        store.db,
        "INSERT INTO transaction_payment (trans_id, seq, tender, amount, reference, "
        "terminal_transaction_id, masked_card, employee, tendered) "
        "VALUES (?, 1, 'card', ?, '', 'T1', '', '2', NULL)",
        (tx.trans_id, tx.total.ore),
    )
    monkeypatch.undo()
    assert store.migrate() == [10]
    with store.unit_of_work(read_only=True) as uow:
        read = uow.transactions.by_trans_id(tx.trans_id)
    assert read is not None
    assert [(p.amount, p.tip) for p in read.payments] == [(tx.total, Money(0))]
    store.close()


def test_the_demo_seed_adds_a_few_tips_and_its_z_reports_count_them(tmp_path: Path) -> None:
    first = date(2026, 3, 2)
    clock = FixedClock(datetime.combine(first, time(7, 0), tzinfo=OSLO).astimezone(UTC))
    services = build(settings_for(tmp_path, algorithm="hmac-sha1"), clock=clock)
    try:
        initialise_demo(services.setup, clock)
        plan = SeedPlan(days=3, sales_per_day=20, seed=2026, last_day=first + timedelta(days=2))
        result = seed_demo(services, clock, plan)
        assert result.counts.get("tip", 0) >= 2
        tipped = [
            p
            for tx in services.journal.transactions("1")
            for p in tx.payments
            if p.tip.ore and not tx.training
        ]
        assert len(tipped) == result.counts["tip"]
        assert all(p.tender is TenderKind.CARD and p.employee for p in tipped)
        zs = [
            z
            for day in (first + timedelta(days=n) for n in range(3))
            for z in services.reports.reports("1", "Z", day)
        ]
        assert len(zs) == 3
        assert sum(z.tips.count for z in zs) == len(tipped)
        assert sum(z.tips.amount.ore for z in zs) == sum(p.tip.ore for p in tipped)
    finally:
        services.close()
