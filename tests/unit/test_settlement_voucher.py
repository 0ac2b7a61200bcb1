"""The settlement voucher from Z reports: property tests over random days of trading (every
voucher balances; revenue and VAT per rate equal the Z's), and the postings of a known day
against the NS 4102 defaults and a shop's own map."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.settlement import build_voucher
from omnipos_tui.core.accounting.voucher import (
    PostingKind,
    Voucher,
    require_balanced,
    revenue_per_code,
)
from omnipos_tui.core.accounting.z_source import source_from_z
from omnipos_tui.core.errors import ConfigError, RuleViolation
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind, TransactionKind
from omnipos_tui.core.money import Money, round_half_up
from omnipos_tui.core.reports.facts import LineFacts, PaymentFacts, TransactionFacts
from omnipos_tui.core.reports.report import GrandTotals, Report, ReportKind, build_report
from omnipos_tui.core.shop.company import Company, Register

COMPANY = Company("Butikken AS", "999999999", "Gata 1", "0150", "Oslo")
REGISTER = Register("1", "Kasse 1")
AT = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
RATES = {"3": Decimal(25), "31": Decimal(15), "33": Decimal(12), "5": Decimal(0), "6": Decimal(0)}
GROUPS = ("04003", "04006", "04999")


def _line(no: int, amount: int, code: str, group: str, kind: LineKind) -> LineFacts:
    percent = RATES[code]
    vat = round_half_up(Decimal(amount) * percent / (100 + percent))
    quantity = Decimal(-1 if kind is LineKind.RETURN else 1)
    return LineFacts(no, kind, None, amount, 0, group, "", code, percent, vat, False, quantity)


@st.composite
def transactions(draw: st.DrawFn, nr: int) -> TransactionFacts:
    kind = draw(st.sampled_from([TransactionKind.SALE, TransactionKind.SALE,
                                 TransactionKind.CASH_IN, TransactionKind.CASH_OUT,
                                 TransactionKind.RETURN]))  # fmt: skip
    if kind in (TransactionKind.CASH_IN, TransactionKind.CASH_OUT):
        amount = draw(st.integers(1, 500_000)) * (1 if kind is TransactionKind.CASH_IN else -1)
        payment = PaymentFacts(TenderKind.CASH, amount, "")
        return TransactionFacts("1", f"1-{nr}", nr, kind, "1", amount, 0, "sale", False, False,
                                (), (payment,))  # fmt: skip
    sign = -1 if kind is TransactionKind.RETURN else 1
    line_kind = LineKind.RETURN if sign < 0 else LineKind.ITEM
    count = draw(st.integers(1, 6))
    lines = tuple(
        _line(n + 1, sign * draw(st.integers(1, 2_000_000)), draw(st.sampled_from(sorted(RATES))),
              draw(st.sampled_from(GROUPS)), line_kind)
        for n in range(count)
    )  # fmt: skip
    total = sum(line.amount for line in lines)
    tender = draw(st.sampled_from(list(TenderKind)))
    rounding = draw(st.integers(-50, 50)) if tender is TenderKind.CASH else 0
    tip = draw(st.integers(0, 20_000)) if tender is TenderKind.CARD and sign > 0 else 0
    split = draw(st.integers(0, abs(total))) * sign if tender is not TenderKind.CASH else 0
    payments = (PaymentFacts(tender, total + rounding - split, "", tip),) + (
        (PaymentFacts(TenderKind.CASH, split, ""),) if split else ()
    )
    return TransactionFacts("1", f"1-{nr}", nr, kind, "1", total, rounding, "sale", False,
                            False, lines, payments)  # fmt: skip


@st.composite
def z_reports(draw: st.DrawFn) -> Report:
    count = draw(st.integers(0, 25))
    day = [draw(transactions(nr)) for nr in range(1, count + 1)]
    counted = draw(st.none() | st.integers(0, 5_000_000))
    return build_report(
        ReportKind.Z,
        company=COMPANY,
        register=REGISTER,
        transactions=day,
        events=(),
        grand_totals_before=GrandTotals(),
        report_no=draw(st.integers(1, 9999)),
        at=AT,
        employee="1",
        counted_cash=None if counted is None else {TenderKind.CASH: Money(counted)},
    )


MAPS = st.sampled_from(
    [
        AccountMap(),
        AccountMap.from_table({"group_04006": "3010", "card_1": "1942", "change_float": "1909"}),
        AccountMap.from_table({}, gift_voucher_group="04999"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(report=z_reports(), accounts=MAPS)
def test_every_voucher_balances_and_books_the_zs_revenue_and_vat_per_rate(
    report: Report, accounts: AccountMap
) -> None:
    voucher = build_voucher(source_from_z(report), accounts)
    assert voucher.balanced, voucher.difference
    assert require_balanced(voucher) is voucher
    assert voucher.key == f"Z-1-{report.report_no}"
    booked = revenue_per_code(voucher)
    for line in report.vat:
        assert booked.get(line.vat_code, (0, 0)) == (line.basis.ore, line.vat.ore), line
    assert all(p.debit >= 0 and p.credit >= 0 and (p.debit == 0) != (p.credit == 0)
               for p in voucher.lines)  # fmt: skip
    # The payment lines carry what the Z says each means took (card with its tips).
    paid = sum(p.amount for p in voucher.lines if p.kind is PostingKind.PAYMENT)
    assert paid == sum(t.amount.ore for t in report.payments) + report.tips.amount.ore
    # The voucher survives the outbox payload whole.
    assert Voucher.from_dict(voucher.to_dict()) == voucher


def _day() -> Report:
    sale = TransactionFacts(
        "1", "1-1", 1, TransactionKind.SALE, "1", 15000, 0, "sale", False, False,
        (_line(1, 10000, "3", "04003", LineKind.ITEM),
         _line(2, 5000, "31", "04006", LineKind.ITEM)),
        (PaymentFacts(TenderKind.CARD, 15000, "", 2000),),
    )  # fmt: skip
    cash = TransactionFacts(
        "1", "1-2", 2, TransactionKind.SALE, "1", 2390, 10, "sale", False, False,
        (_line(1, 2390, "31", "04006", LineKind.ITEM),),
        (PaymentFacts(TenderKind.CASH, 2400, ""),),
    )  # fmt: skip
    account = TransactionFacts(
        "1", "1-3", 3, TransactionKind.CREDIT_SALE, "1", 50000, 0, "sale", False, False,
        (_line(1, 50000, "3", "04003", LineKind.ITEM),),
        (PaymentFacts(TenderKind.ACCOUNT, 50000, ""),),
    )  # fmt: skip
    return build_report(
        ReportKind.Z, company=COMPANY, register=REGISTER, transactions=[sale, cash, account],
        events=(), grand_totals_before=GrandTotals(), report_no=42, at=AT, employee="1",
        counted_cash={TenderKind.CASH: Money(2300)},
    )  # fmt: skip


def test_a_known_day_books_ns_4102_accounts_with_standard_tax_codes() -> None:
    voucher = build_voucher(source_from_z(_day()), AccountMap())
    lines = {(p.account, p.description): (p.debit, p.credit, p.vat_code) for p in voucher.lines}
    assert voucher.key == "Z-1-42" and voucher.day == date(2026, 3, 2) and voucher.balanced
    assert lines[("3000", "Salg 25 %")] == (0, 48000, "3")  # (10000 + 50000) / 1.25
    assert lines[("2700", "Utgående mva 25 %")] == (0, 12000, "3")
    assert lines[("3030", "Salg 15 %")] == (0, 6426, "31")  # 5000 + 2390 less VAT
    assert lines[("2701", "Utgående mva 15 %")] == (0, 964, "31")
    assert lines[("1940", "Kort")] == (15000, 0, None)
    assert lines[("1940", "Tips på kort")] == (2000, 0, None)
    assert lines[("2910", "Tips til ansatte")] == (0, 2000, None)
    assert lines[("1500", "Salg på konto")] == (50000, 0, None)
    assert lines[("1900", "Kontant")] == (2400, 0, None)
    assert lines[("7740", "Øresavrunding")] == (0, 10, None)
    # Counted 23,00 of 24,00: 1,00 short.
    assert lines[("1900", "Kassedifferanse")] == (0, 100, None)
    assert lines[("7790", "Kassedifferanse")] == (100, 0, None)


def test_a_shops_own_map_books_groups_and_the_registers_terminal_to_their_accounts() -> None:
    accounts = AccountMap.from_table({"group_04006": "3010", "card_1": "1942"})
    voucher = build_voucher(source_from_z(_day()), accounts)
    assert {p.account for p in voucher.lines} >= {"3010", "1942"}
    assert "3030" not in {p.account for p in voucher.lines}
    assert voucher.balanced


def test_an_unmapped_rate_or_means_is_refused_naming_the_key_to_set() -> None:
    accounts = AccountMap.from_table({"sales_15": "", "card": ""})
    with pytest.raises(ConfigError) as caught:
        accounts.check()
    assert "sales_15" in str(caught.value) and "card" in str(caught.value)
    with pytest.raises(ConfigError) as built:
        build_voucher(source_from_z(_day()), accounts)
    assert "sales_15" in str(built.value)
    with pytest.raises(ConfigError) as bad:
        AccountMap.from_table({"cash": "kasse"})
    assert "cash" in str(bad.value) and "digits" in str(bad.value)


def test_an_unbalanced_voucher_is_refused_with_the_difference() -> None:
    voucher = build_voucher(source_from_z(_day()), AccountMap())
    broken = Voucher(voucher.key, voucher.day, voucher.description, voucher.lines[1:])
    with pytest.raises(RuleViolation) as caught:
        require_balanced(broken)
    assert str(broken.difference) in str(caught.value) and "Z-1-42" in str(caught.value)
