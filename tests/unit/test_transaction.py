"""The immutable transaction record: SAF-T code maps, VAT per rate, payments, cash movements."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import (
    SAFT_PAYMENT_TYPES,
    SAFT_TRANSACTION_TYPES,
    Discount,
    LineKind,
    Payment,
    TenderKind,
    Transaction,
    TransactionKind,
    TransactionLine,
    cash_movement,
    receipt_id,
)
from omnipos_tui.core.money import Money

AT = datetime(2026, 6, 30, 22, 15, 5, tzinfo=UTC)  # 00:15:05 on 1 July in Oslo (summer time)


def _line(no: int, amount: int, vat: int, code: str = "3", percent: int = 25) -> TransactionLine:
    return TransactionLine(
        line_no=no,
        kind=LineKind.ITEM,
        sku=f"A{no}",
        name=f"Vare {no}",
        group_code="10",
        quantity=Decimal(1),
        unit=Unit.PIECE,
        unit_price=Money(amount),
        amount=Money(amount),
        vat_code=code,
        vat_percent=Decimal(percent),
        vat_amount=Money(vat),
        at=AT,
    )


def _transaction(**changes: object) -> Transaction:
    lines = (_line(1, 12500, 2500), _line(2, 11500, 1500, "31", 15), _line(3, 1000, 200))
    tx = Transaction(
        register_id="2",
        nr=41,
        trans_id="2-41",
        kind=TransactionKind.SALE,
        employee="1043",
        started_at=AT,
        completed_at=AT,
        trans_date="2026-07-01",
        trans_time="00:15:05",
        business_day=date(2026, 7, 1),
        lines=lines,
        payments=(
            Payment(tender=TenderKind.CARD, amount=Money(10000), terminal_transaction_id="T"),
            Payment(tender=TenderKind.CASH, amount=Money(15000), tendered=Money(20000)),
        ),
        total=Money(25000),
        total_ex_vat=Money(20800),
        receipt_series="sale",
        receipt_number=17,
        signature="",
        key_version="",
        previous_signature="0",
    )
    return dataclasses.replace(tx, **changes)  # type: ignore[arg-type]


def test_every_kind_and_tender_has_its_predefined_saft_code() -> None:
    assert set(SAFT_TRANSACTION_TYPES) == set(TransactionKind)
    assert set(SAFT_PAYMENT_TYPES) == set(TenderKind)
    assert TransactionKind.SALE.saft_code == "11001"
    assert TransactionKind.CREDIT_SALE.saft_code == "11002"
    assert TransactionKind.SALE_AND_RETURN.saft_code == "11016"
    assert TransactionKind.OPENING_FLOAT.saft_code == "11007"
    assert TenderKind.MOBILE.saft_code == "12011"
    assert TenderKind.VOUCHER.saft_code == "12005"
    assert TenderKind.MOBILE.label == "Vipps"


def test_vat_by_rate_sums_lines_per_code_in_order_of_first_use() -> None:
    tx = _transaction()
    assert tx.vat_by_rate() == {
        "3": (Money(10000 + 800), Money(2700)),
        "31": (Money(10000), Money(1500)),
    }
    assert list(tx.vat_by_rate()) == ["3", "31"]
    assert tx.vat_total == Money(4200)


def test_paid_change_and_tendered_come_from_the_payments() -> None:
    tx = _transaction()
    assert (tx.paid(), tx.change(), tx.tendered()) == (Money(25000), Money(5000), Money(30000))
    assert tx.receipt_id == "2-17" == receipt_id("2", 17)


def test_line_net_and_discounts_add_up() -> None:
    line = dataclasses.replace(
        _line(1, 9000, 1800),
        discount=Discount(amount=Money(500), percent=None, employee="1"),
        sale_discount=Discount(amount=Money(250), percent=Decimal(5), employee="2"),
    )
    assert line.net == Money(7200)
    assert line.discount_total == Money(750)
    assert _transaction(lines=(line,)).discount_total() == Money(750)


def test_a_transaction_cannot_be_changed_only_signed_into_a_new_record() -> None:
    tx = _transaction()
    with pytest.raises(dataclasses.FrozenInstanceError):
        tx.total = Money(1)  # type: ignore[misc]
    signed = tx.signed("abc=", "3")
    assert (tx.signature, signed.signature, signed.key_version) == ("", "abc=", "3")


def test_a_cash_withdrawal_is_a_negative_cash_payment_in_oslo_time() -> None:
    tx = cash_movement(
        kind=TransactionKind.CASH_OUT,
        register_id="1",
        nr=9,
        amount=Money(50000),
        employee="2001",
        at=AT,
        receipt_number=3,
        previous_signature="prev",
        note="bank",
    )
    assert (tx.total, tx.total_ex_vat, tx.paid(), tx.lines) == (
        Money(-50000),
        Money(-50000),
        Money(-50000),
        (),
    )
    assert (tx.trans_id, tx.trans_date, tx.trans_time, tx.business_day) == (
        "1-9",
        "2026-07-01",
        "00:15:05",
        date(2026, 7, 1),
    )
    assert (tx.receipt_series, tx.note, tx.previous_signature) == ("other", "bank", "prev")


def test_an_opening_float_is_positive_and_other_kinds_are_not_cash_movements() -> None:
    tx = cash_movement(
        kind=TransactionKind.OPENING_FLOAT,
        register_id="1",
        nr=1,
        amount=Money(150000),
        employee="1",
        at=AT,
        receipt_number=1,
        previous_signature="0",
    )
    assert tx.payments[0].amount == Money(150000)
    with pytest.raises(InvalidInput, match="not a cash movement"):
        cash_movement(
            kind=TransactionKind.SALE,
            register_id="1",
            nr=1,
            amount=Money(100),
            employee="1",
            at=AT,
            receipt_number=1,
            previous_signature="0",
        )
    with pytest.raises(InvalidInput, match="positive"):
        cash_movement(
            kind=TransactionKind.CASH_IN,
            register_id="1",
            nr=1,
            amount=Money(-100),
            employee="1",
            at=AT,
            receipt_number=1,
            previous_signature="0",
        )
