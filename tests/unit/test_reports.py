"""X and Z reports from hand-built transactions and journal events."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnipos_tui.core.catalogue.products import ArticleGroup, Unit
from omnipos_tui.core.document import TextLine, printable
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import (
    EventCode,
    JournalEvent,
    JsonObject,
    copy_receipt_payload,
    drawer_open_payload,
    new_event,
    price_lookup_payload,
    proforma_payload,
)
from omnipos_tui.core.ledger.transaction import (
    Discount,
    LineKind,
    Payment,
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
    TransactionLine,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.report import (
    CashCount,
    CountAmount,
    GrandTotals,
    Report,
    ReportKind,
    build_report,
    report_from_event,
    report_payload,
)
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.vat import line_vat, rate_by_code

COMPANY = Company("Selskapet ASA", "999999999", "Gata 1", "0150", "Oslo")
REGISTER = Register("1", "Kasse 1")
AT = datetime(2020, 1, 1, 8, 0, tzinfo=UTC)
K = TenderKind
SALES = {
    TransactionKind.SALE,
    TransactionKind.RETURN,
    TransactionKind.SALE_AND_RETURN,
    TransactionKind.CREDIT_SALE,
}


def ln(
    no: int,
    group: str,
    ore: int,
    *,
    kind: LineKind = LineKind.ITEM,
    qty: str = "1",
    vat: str = "3",
    employee: str = "",
    discount: int = 0,
    sale_discount: int = 0,
    corrects: int | None = None,
    override: str = "",
) -> TransactionLine:
    rate = rate_by_code(vat)
    amount = Money(ore)

    def disc(off: int) -> Discount | None:
        return Discount(amount=Money(off), percent=None, employee="1001") if off else None

    return TransactionLine(
        line_no=no,
        kind=kind,
        sku=f"SKU{group}",
        name=f"Vare {group}",
        group_code=group,
        quantity=Decimal(qty),
        unit=Unit.PIECE,
        unit_price=Money(abs(ore)),
        amount=amount,
        vat_code=vat,
        vat_percent=rate.percent,
        vat_amount=line_vat(amount, rate),
        discount=disc(discount),
        sale_discount=disc(sale_discount),
        price_override_reason=override,
        employee=employee,
        corrects_line=corrects,
        at=AT,
    )


def tx(
    nr: int,
    kind: TransactionKind,
    lines: Iterable[TransactionLine] = (),
    payments: Iterable[tuple[TenderKind, int]] = (),
    *,
    employee: str = "1001",
    series: str = ReceiptSeries.SALE,
    rounding: int = 0,
    training: bool = False,
    voided: bool = False,
    total: int | None = None,
    register: str = "1",
    day: int = 0,
) -> Transaction:
    lines = tuple(lines)
    at = AT + timedelta(days=day, minutes=nr)
    return Transaction(
        register_id=register,
        nr=nr,
        trans_id=f"{register}-{nr}",
        kind=kind,
        employee=employee,
        started_at=at,
        completed_at=at,
        trans_date=at.date().isoformat(),
        trans_time="09:00:00",
        business_day=at.date(),
        lines=lines,
        payments=tuple(Payment(tender=t, amount=Money(a), employee=employee) for t, a in payments),
        rounding=Money(rounding),
        total=Money(total) if total is not None else Money.sum([x.amount for x in lines]),
        total_ex_vat=Money(total) if total is not None else Money.sum([x.net for x in lines]),
        receipt_series=series,
        receipt_number=nr,
        training=training,
        voided=voided,
        signature=f"sig{nr}",
        key_version="1",
        previous_signature=f"sig{nr - 1}" if nr > 1 else "0",
    )


def ev(seq: int, code: EventCode, payload: JsonObject | None = None, **kw: object) -> JournalEvent:
    return new_event("1", seq, code, AT + timedelta(seconds=seq), payload=payload, **kw)  # type: ignore[arg-type]


def z(
    transactions: Iterable[Transaction],
    events: Iterable[JournalEvent] = (),
    before: GrandTotals | None = None,
    **kw: object,
) -> Report:
    return build_report(
        ReportKind.Z,
        company=COMPANY,
        register=REGISTER,
        transactions=transactions,
        events=events,
        grand_totals_before=before or GrandTotals(),
        report_no=1,
        at=AT + timedelta(hours=15),
        employee="1000",
        **kw,  # type: ignore[arg-type]
    )


# --- Skatteetaten's example Z report, reproduced ----------------------------------------

FOOD, TOBACCO, BEER = "100", "200", "300"
EXAMPLE = [
    tx(1000, TransactionKind.SALE,
       [ln(1, FOOD, 3280, qty="2", vat="31"), ln(2, FOOD, 2580, vat="31"),
        ln(3, FOOD, 2780, vat="31")],
       [(K.CARD, 8640)]),
    tx(1001, TransactionKind.SALE,
       [ln(1, TOBACCO, 11600), ln(2, BEER, 17940, qty="6")],
       [(K.CASH, 29500)], rounding=-40),
    tx(1002, TransactionKind.SALE,
       [ln(1, TOBACCO, 11600, employee="1000"), ln(2, FOOD, 3280, qty="2", vat="31")],
       [(K.CARD, 14880)], employee="1000"),
    tx(1003, TransactionKind.RETURN,
       [ln(1, FOOD, -1640, kind=LineKind.RETURN, qty="-1", vat="31")],
       [(K.CARD, -1640)], employee="1000", series=ReceiptSeries.RETURN),
]  # fmt: skip
EXAMPLE[0:2] = [dataclasses.replace(t, employee="1001") for t in EXAMPLE[0:2]]
EXAMPLE_EVENTS = [
    ev(1, EventCode.POS_START),
    ev(2, EventCode.LOGIN, employee="1001"),
    ev(3, EventCode.DRAWER_OPEN, trans_id="1-1001", employee="1001"),
    ev(4, EventCode.COPY_RECEIPT, copy_receipt_payload("1-1002", Money(14880)), trans_id="1-1002"),
    ev(5, EventCode.PRICE_LOOKUP, price_lookup_payload("1003", FOOD, Money(2780))),
    ev(6, EventCode.DRAWER_OPEN_NO_SALE, drawer_open_payload("veksling"), employee="1000"),
]


def test_skatteetatens_example_z_report_is_reproduced_figure_for_figure() -> None:
    report = z(EXAMPLE, EXAMPLE_EVENTS)
    assert report.total_sales == Money(51420)
    assert [(g.group, g.count, g.amount.ore) for g in report.art_groups] == [
        (FOOD, 1, 10280), (TOBACCO, 2, 23200), (BEER, 1, 17940),
    ]  # fmt: skip
    assert [(e.employee, e.group, e.count, e.amount.ore) for e in report.employee_art_groups] == [
        ("1000", FOOD, 0, 1640), ("1000", TOBACCO, 1, 11600),
        ("1001", FOOD, 1, 8640), ("1001", TOBACCO, 1, 11600), ("1001", BEER, 1, 17940),
    ]  # fmt: skip
    assert [(p.tender, p.count, p.amount.ore) for p in report.payments] == [
        (K.CASH, 1, 29500), (K.CARD, 1, 21880),
    ]  # fmt: skip
    assert [(p.employee, p.tender, p.count, p.amount.ore) for p in report.employee_payments] == [
        ("1000", K.CARD, 0, 13240), ("1001", K.CASH, 1, 29500), ("1001", K.CARD, 1, 8640),
    ]  # fmt: skip
    vat = {v.vat_code: (v.vat_percent, v.basis.ore, v.vat.ore) for v in report.vat}
    assert vat["31"] == (Decimal(15), 8938, 1342)
    assert vat["3"] == (Decimal(25), 32912, 8228)
    assert vat["33"] == (Decimal(12), 0, 0)
    assert report.receipt_count == 3
    assert report.drawer_openings == 1
    assert report.copies == CountAmount(1, Money(14880))
    assert report.proforma == CountAmount(0, Money(0))
    assert report.returns == CountAmount(1, Money(1640))
    assert [(p.group, p.count, p.amount.ore) for p in report.price_inquiries] == [(FOOD, 1, 2780)]
    assert report.grand_totals == GrandTotals(Money(53060), Money(1640))
    assert report.grand_totals.net == Money(51420)
    assert report.rounding == Money(-40)


# --- a busy day: every field ------------------------------------------------------------

DAY = [
    tx(1, TransactionKind.OPENING_FLOAT, [], [(K.CASH, 100000)], total=100000,
       series=ReceiptSeries.OTHER),
    # 49,80 + 39,90 less 10 % line discount (35,91) + 99,00; cash 185,00 with +0,29 rounding
    tx(2, TransactionKind.SALE,
       [ln(1, "10", 4980, qty="2", vat="31"), ln(2, "20", 3591, vat="31", discount=399),
        ln(3, "30", 9900)],
       [(K.CASH, 18500)], rounding=29),
    # 3 x 10,00 reduced by one; 20,00 deleted
    tx(3, TransactionKind.SALE,
       [ln(1, "30", 3000, qty="3"), ln(2, "10", 2000, vat="31"),
        ln(3, "30", -1000, kind=LineKind.CORRECTION, qty="-1", corrects=1),
        ln(4, "10", -2000, kind=LineKind.CORRECTION, qty="-1", vat="31", corrects=2)],
       [(K.CARD, 2000)], employee="1002"),
    tx(4, TransactionKind.RETURN, [ln(1, "10", -2490, kind=LineKind.RETURN, qty="-1", vat="31")],
       [(K.CARD, -2490)], employee="1002", series=ReceiptSeries.RETURN),
    tx(5, TransactionKind.SALE_AND_RETURN,
       [ln(1, "30", 5000), ln(2, "20", -3591, kind=LineKind.RETURN, qty="-1", vat="31")],
       [(K.MOBILE, 1409)]),
    tx(6, TransactionKind.CREDIT_SALE, [ln(1, "30", 10000)], [(K.ACCOUNT, 10000)],
       series=ReceiptSeries.DELIVERY),
    tx(7, TransactionKind.SALE, [ln(1, "30", 9900)], [(K.CASH, 9900)], training=True,
       series=ReceiptSeries.TRAINING),
    tx(8, TransactionKind.SALE, [ln(1, "30", 4500), ln(2, "30", -4500, kind=LineKind.CORRECTION,
       qty="-1", corrects=1)], voided=True),
    tx(9, TransactionKind.CASH_OUT, [], [(K.CASH, -20000)], total=-20000,
       series=ReceiptSeries.OTHER),
    tx(10, TransactionKind.CASH_IN, [], [(K.CASH, 5000)], total=5000, series=ReceiptSeries.OTHER),
    # whole-sale discount spread over two lines, one with an overridden price; voucher
    tx(11, TransactionKind.SALE,
       [ln(1, "10", 1800, vat="31", sale_discount=200),
        ln(2, "30", 2700, sale_discount=300, override="skadet emballasje")],
       [(K.VOUCHER, 4500)], employee="1002"),
    tx(12, TransactionKind.OPENING_FLOAT, [], [(K.CASH, 2000)], total=2000, employee="1002",
       series=ReceiptSeries.OTHER),
]  # fmt: skip
DAY_EVENTS = [
    ev(1, EventCode.DRAWER_OPEN_NO_SALE, drawer_open_payload("veksling")),
    ev(2, EventCode.DRAWER_OPEN_NO_SALE, drawer_open_payload("feil")),
    ev(3, EventCode.DRAWER_OPEN_NO_SALE, drawer_open_payload("trening"), training=True),
    ev(4, EventCode.DRAWER_OPEN, trans_id="1-2"),
    ev(5, EventCode.COPY_RECEIPT, copy_receipt_payload("1-2", Money(18471)), trans_id="1-2"),
    ev(6, EventCode.PROFORMA_RECEIPT, proforma_payload(1, Money(6000))),
    ev(7, EventCode.PROFORMA_RECEIPT, proforma_payload(2, Money(1500))),
    ev(8, EventCode.PRICE_LOOKUP, price_lookup_payload("a", "10", Money(2490))),
    ev(9, EventCode.PRICE_LOOKUP, price_lookup_payload("b", "10", Money(1000))),
    ev(10, EventCode.PRICE_LOOKUP, price_lookup_payload("c", "30", Money(9900))),
    ev(11, EventCode.PRICE_LOOKUP, price_lookup_payload("d", "30", Money(100)), training=True),
    ev(12, EventCode.LOGIN, employee="1001"),
]


def test_a_busy_day_fills_every_field_as_hand_counted() -> None:
    report = z(DAY, DAY_EVENTS, counted_cash={K.CASH: Money(105000), K.CARD: Money(0)})
    # sales 184,71 + 20,00 - 24,90 + 14,09 + 100,00 + 45,00
    assert report.total_sales == Money(33890)
    assert (report.first_nr, report.last_nr) == (1, 12)
    assert [(g.group, g.count, g.amount.ore) for g in report.art_groups] == [
        ("10", 1, 4980 - 2490 + 1800),  # sold in 2 and 11, returned in 4; 3 nets to 0
        ("20", 0, 0),  # sold in 2, returned in 5
        ("30", 5, 9900 + 2000 + 5000 + 10000 + 2700),
    ]
    assert [(p.tender, p.count, p.amount.ore) for p in report.payments] == [
        (K.CASH, 1, 18500), (K.CARD, 0, -490), (K.MOBILE, 1, 1409),
        (K.VOUCHER, 1, 4500), (K.ACCOUNT, 1, 10000),
    ]  # fmt: skip
    assert report.opening_float == Money(102000)
    assert [(e.employee, e.amount.ore) for e in report.employee_opening_floats] == [
        ("1001", 100000), ("1002", 2000),
    ]  # fmt: skip
    assert report.receipt_count == 4  # 2, 3, 5, 11 (not the return, delivery, training, void)
    assert report.drawer_openings == 2
    assert report.copies == CountAmount(1, Money(18471))
    assert report.proforma == CountAmount(2, Money(7500))
    assert report.returns == CountAmount(2, Money(2490 + 3591))
    assert report.discounts == CountAmount(3, Money(399 + 200 + 300))
    assert report.voided == CountAmount(1, Money(0))
    assert [(c.code, c.count, c.amount.ore) for c in report.corrections] == [
        ("LINEDELETE", 2, 2000 + 4500), ("LINEREDUCE", 1, 1000),
    ]  # fmt: skip
    assert [(c.code, c.count, c.amount.ore) for c in report.other_corrections] == [
        ("PRICEOVERRIDE", 1, 2700)
    ]
    assert [(p.group, p.count, p.amount.ore) for p in report.price_inquiries] == [
        ("10", 2, 3490), ("30", 1, 9900),
    ]  # fmt: skip
    assert report.deliveries == CountAmount(1, Money(10000))
    assert report.training == CountAmount(1, Money(9900))
    assert report.credit_sales == CountAmount(1, Money(10000))
    assert report.credit_memos == CountAmount(0, Money(0))
    assert [(p.tender, p.count, p.amount.ore) for p in report.pay_ins] == [(K.CASH, 1, 5000)]
    assert [(p.tender, p.count, p.amount.ore) for p in report.pay_outs] == [(K.CASH, 1, 20000)]
    assert report.rounding == Money(29)
    assert report.expected_cash == Money(100000 + 2000 + 18500 - 20000 + 5000)
    assert report.cash_counts == (
        CashCount(K.CASH, Money(105500), Money(105000)),
        CashCount(K.CARD, Money(-490), Money(0)),
    )
    assert report.cash_counts[0].difference == Money(-500)
    assert report.grand_totals == GrandTotals(Money(33890 + 2490 + 3591), Money(2490 + 3591))


def test_a_voided_receipt_counts_its_amount_and_nothing_else() -> None:
    voided = tx(1, TransactionKind.SALE, [ln(1, "30", 4500)], voided=True)
    report = z([voided])
    assert report.voided == CountAmount(1, Money(4500))
    assert report.total_sales == Money(0) and report.receipt_count == 0
    assert report.art_groups == () and report.grand_totals == GrandTotals()


def test_training_is_counted_on_its_own_and_kept_out_of_every_other_figure() -> None:
    real = z(DAY[:6])
    with_training = z(
        [*DAY[:6], *(dataclasses.replace(t, nr=t.nr + 20, training=True) for t in DAY[:6])]
    )
    assert with_training.training == CountAmount(5, Money(33890 - 4500))  # not the float
    assert dataclasses.replace(with_training, training=CountAmount(), last_nr=6) == real


def independent_totals(transactions: Iterable[Transaction]) -> dict[str, object]:
    """The same totals by a different path: transaction totals, H4a's vat_by_rate, payments."""
    real = [t for t in transactions if t.kind in SALES and not t.training and not t.voided]
    vat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tenders: dict[TenderKind, int] = defaultdict(int)
    groups: dict[str, int] = defaultdict(int)
    for t in real:
        for code, (basis, amount) in t.vat_by_rate().items():
            vat[code][0] += basis.ore
            vat[code][1] += amount.ore
        for p in t.payments:
            tenders[p.tender] += p.amount.ore
        for line in t.lines:
            groups[line.group_code] += line.amount.ore
    returned = sum(
        -line.amount.ore for t in real for line in t.lines if line.kind is LineKind.RETURN
    )
    return {
        "total": sum(t.total.ore for t in real),
        "ex_vat": sum(t.total_ex_vat.ore for t in real),
        "paid": sum(t.paid().ore for t in real),
        "rounding": sum(t.rounding.ore for t in real),
        "returned": returned,
        "vat": {k: tuple(v) for k, v in vat.items() if any(v)},
        "tenders": dict(tenders),
        "groups": dict(groups),
    }


def figures(report: Report) -> dict[str, object]:
    return {
        "total": report.total_sales.ore,
        "ex_vat": sum(v.basis.ore for v in report.vat),
        "paid": sum(p.amount.ore for p in report.payments),
        "rounding": report.rounding.ore,
        "returned": report.returns.amount.ore,
        "vat": {v.vat_code: (v.basis.ore, v.vat.ore) for v in report.vat if v.basis or v.vat},
        "tenders": {p.tender: p.amount.ore for p in report.payments},
        "groups": {g.group: g.amount.ore for g in report.art_groups},
    }


@pytest.mark.parametrize("transactions", [EXAMPLE, DAY], ids=["example", "busy-day"])
def test_report_totals_equal_an_independent_recomputation(
    transactions: list[Transaction],
) -> None:
    report = z(transactions)
    assert figures(report) == independent_totals(transactions)
    assert report.grand_totals.net == report.total_sales
    assert sum(p.amount.ore for p in report.payments) == (report.total_sales + report.rounding).ore


def test_grand_totals_carry_across_two_z_reports_and_are_never_reset() -> None:
    first = z(EXAMPLE)
    day_two = [dataclasses.replace(t, nr=t.nr + 10, trans_id=f"1-{t.nr + 10}") for t in DAY[1:6]]
    second = z(day_two, before=first.grand_totals)
    empty = z([], before=second.grand_totals)
    assert second.grand_totals.sales == first.grand_totals.sales + Money(
        18471 + 2000 + 5000 + 10000
    )
    assert second.grand_totals.returns == Money(1640 + 2490 + 3591)
    assert second.grand_totals.net == first.total_sales + second.total_sales
    assert empty.grand_totals == second.grand_totals
    assert empty.total_sales == Money(0)


def test_a_day_without_sales_lists_every_vat_rate_in_force_at_zero() -> None:
    report = z([])
    assert [(v.vat_code, v.basis, v.vat) for v in report.vat] == [
        (code, Money(0), Money(0)) for code in ("3", "31", "33", "5", "6")
    ]
    assert report.first_nr is None and report.expected_cash == Money(0)


def test_refunds_outnumbering_sales_never_give_a_negative_tender_count() -> None:
    refunds = [
        tx(n, TransactionKind.RETURN, [ln(1, "10", -500, kind=LineKind.RETURN, qty="-1")],
           [(K.CARD, -500)], series=ReceiptSeries.RETURN)
        for n in (1, 2)
    ]  # fmt: skip
    report = z(refunds)
    assert [(p.tender, p.count, p.amount.ore) for p in report.payments] == [(K.CARD, 0, -1000)]
    assert [(g.group, g.count) for g in report.art_groups] == [("10", -2)]
    assert report.returns == CountAmount(2, Money(1000))


def test_account_refunds_are_credit_memos() -> None:
    memo = tx(1, TransactionKind.CREDIT_SALE, [ln(1, "10", -800, kind=LineKind.RETURN)],
              [(K.ACCOUNT, -800)], series=ReceiptSeries.DELIVERY)  # fmt: skip
    assert z([memo]).credit_memos == CountAmount(1, Money(800))


def test_a_transaction_of_another_register_is_refused() -> None:
    with pytest.raises(InvalidInput, match="transaction 2-1 belongs to register 2"):
        z([tx(1, TransactionKind.SALE, [ln(1, "10", 100)], register="2")])


def test_an_event_without_the_agreed_payload_is_refused_with_its_id() -> None:
    broken = ev(9, EventCode.PRICE_LOOKUP, {"sku": "1", "amount": 100})
    with pytest.raises(InvalidInput, match=r"1-9 \(PRICELOOKUP\): payload\.group"):
        z([], [broken])


def test_a_naive_report_time_is_refused() -> None:
    with pytest.raises(InvalidInput, match="naive"):
        build_report(
            ReportKind.X, company=COMPANY, register=REGISTER, transactions=[], events=[],
            grand_totals_before=GrandTotals(), report_no=1,
            at=datetime(2020, 1, 1, 12),  # noqa: DTZ001
        )  # fmt: skip


# --- journal and paper ------------------------------------------------------------------


def test_the_whole_report_round_trips_through_json_for_the_journal() -> None:
    report = z(DAY, DAY_EVENTS, counted_cash={K.CASH: Money(1)})
    text = report.to_json()
    assert Report.from_json(text) == report
    data = json.loads(text)
    assert data["format"] == 1
    assert data["total_sales"] == 33890
    assert data["vat"][0] == {"vat_code": "3", "vat_percent": "25", "basis": 23680, "vat": 5920}
    assert data["grand_totals"] == {"sales": 39971, "returns": 6081}


def test_the_report_travels_in_its_journal_event() -> None:
    report = z(EXAMPLE, EXAMPLE_EVENTS)
    event = ev(7, ReportKind.Z.event_code, report_payload(report))
    stored = JournalEvent.from_json(event.to_json())
    assert stored.code.predefined == "13009"
    assert report_from_event(stored) == report
    with pytest.raises(InvalidInput, match="is not a report"):
        report_from_event(ev(8, EventCode.LOGIN))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.pop("total_sales"), r"report\.total_sales: missing"),
        (lambda d: d["vat"][1].update(basis="1.00"), r"report\.vat\[1\]\.basis: expected int"),
        (lambda d: d["payments"][0].update(tender="gold"), r"payments\[0\]\.tender: 'gold'"),
        (lambda d: d.update(at="2020-01-01T10:00:00"), r"report\.at: .* no time zone"),
        (lambda d: d.update(format=2), "not a format 1 report"),
        (lambda d: d.update(vat={}), r"report\.vat: expected a list"),
    ],
)
def test_a_damaged_stored_report_names_the_field(damage: object, message: str) -> None:
    data = z(EXAMPLE).to_dict()
    assert callable(damage)
    damage(data)
    with pytest.raises(InvalidInput, match=message):
        Report.from_dict(json.loads(json.dumps(data)))


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_the_printed_report_fits_the_paper_and_its_code_page(columns: int) -> None:
    report = z(DAY, DAY_EVENTS, counted_cash={K.CASH: Money(105000)},
               groups=[ArticleGroup("10", "Meieri og brød fra bakeriet", "04006")])  # fmt: skip
    document = report.to_document(columns)
    assert document.columns == columns
    for item in document.items:
        if isinstance(item, TextLine):
            assert len(item.text) <= (columns // 2 if item.double else columns), item.text
            assert printable(item.text) == item.text
    text = document.text()
    first = document.items[0]
    assert isinstance(first, TextLine) and first.text == "Z-rapport" and first.double
    for label in (
        "Totalt salg",
        "Skuffeåpninger uten salg",
        "Kopikvitteringer",
        "Foreløpige kvitteringer",
        "Treningskvitteringer",
        "Grand total",
        "Differanse",
        "Prisforespørsler",
        "Slettet linje",
        "Org.nr. 999999999",
    ):
        assert label in text, label  # fmt: skip
    assert "338,90" in text and "-5,00" in text


def test_an_x_report_is_titled_and_typed_as_such() -> None:
    report = dataclasses.replace(z([]), kind=ReportKind.X)
    assert report.kind.saft_type == "X report"
    assert report.kind.event_code.predefined == "13008"
    assert report.report_id == "1-X-1"
    assert report.to_document(32).title.startswith("X-rapport")


def test_report_date_and_time_are_oslo_local() -> None:
    report = z([])  # made at 2020-01-01 23:00 UTC = 2020-01-02 00:00 in Oslo
    assert (report.report_date, report.report_time) == ("2020-01-02", "00:00:00")
    assert report.business_day == date(2020, 1, 2)


# --- invariants -------------------------------------------------------------------------

amounts = st.integers(min_value=1, max_value=500_000)


@st.composite
def days(draw: st.DrawFn) -> list[Transaction]:
    out: list[Transaction] = []
    for nr in range(1, draw(st.integers(1, 12)) + 1):
        sold = draw(st.lists(amounts, min_size=0, max_size=3))
        back = draw(st.lists(amounts, max_size=2 if sold else 1, min_size=0 if sold else 1))
        lines = [ln(i + 1, draw(st.sampled_from("ABC")), a, vat=draw(st.sampled_from(["3", "31"])))
                 for i, a in enumerate(sold)]  # fmt: skip
        lines += [ln(len(lines) + i + 1, "A", -a, kind=LineKind.RETURN, qty="-1")
                  for i, a in enumerate(back)]  # fmt: skip
        total = sum(x.amount.ore for x in lines)
        tender = draw(st.sampled_from([K.CARD, K.MOBILE, K.CASH]))
        out.append(tx(nr, TransactionKind.SALE, lines, [(tender, total)],
                      training=draw(st.booleans()) and nr % 3 == 0))  # fmt: skip
    return out


@settings(max_examples=60, deadline=None)
@given(days(), days())
def test_report_invariants_hold_for_any_mix_of_sales_and_returns(
    one: list[Transaction], two: list[Transaction]
) -> None:
    first = z(one)
    second = z(two, before=first.grand_totals)
    for report, transactions in ((first, one), (second, two)):
        assert figures(report) == independent_totals(transactions)
        vat_total = sum(v.basis.ore + v.vat.ore for v in report.vat)
        assert vat_total == report.total_sales.ore
    assert second.grand_totals.net == first.total_sales + second.total_sales
    assert second.grand_totals.sales.ore >= first.grand_totals.sales.ore
