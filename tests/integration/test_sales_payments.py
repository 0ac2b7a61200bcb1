"""Payments through the sale service: card payments written before the terminal is asked,
declined and cancelled answers, lost answers resolved later, refunds, Vipps, vouchers and
credit sales with a delivery receipt."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from ledger_support import BREAD, CASHIER, COLA, CUSTOMER, MANAGER, MILK, cash_sale, open_shop

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import (
    ApprovalRequired,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.ports import PaymentStatus
from omnipos_tui.core.ledger.transaction import TenderKind, TransactionKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined
from omnipos_tui.services.sales import completion, opening, parking, payments, returns, ringing


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Services, FixedClock]:
    return open_shop(tmp_path, algorithm="hmac-sha1")


def _rung(services: Services, *codes: str) -> str:
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    for code in codes:
        ringing.add_item(services.sales, sale.sale_id, code, employee=CASHIER)
    return sale.sale_id


def test_a_card_payment_is_pending_before_the_terminal_answers(
    shop: tuple[Services, FixedClock], tmp_path: Path
) -> None:
    services, clock = shop
    sale_id = _rung(services, COLA)
    pending = payments.begin_card_payment(services.sales, sale_id, Money(2990), employee=CASHIER)
    assert pending.status is PaymentStatus.PENDING and pending.reference == f"{sale_id}-p1"
    # A restarted till finds it.
    again, _ = open_shop(tmp_path, clock=clock, initialise=False)
    assert [p.reference for p in payments.pending_payments(again.sales, "1")] == [pending.reference]
    with pytest.raises(RuleViolation, match="pending; finish or resolve it first"):
        completion.complete(services.sales, sale_id, employee=CASHIER)
    with pytest.raises(RuleViolation, match="pending"):
        parking.park(services.sales, sale_id, employee=CASHIER)
    with pytest.raises(RuleViolation, match="pending"):
        ringing.void_line(services.sales, sale_id, 1, employee=CASHIER)
    approved = CardApproved(Money(2990), "T-1", "****4242")
    payments.finish_card_payment(services.sales, pending.reference, approved)
    # The terminal's answer may be reported twice: nothing changes.
    sale = payments.finish_card_payment(services.sales, pending.reference, approved)
    assert [p.terminal_transaction_id for p in sale.payments] == ["T-1"]
    done = completion.complete(services.sales, sale_id, employee=CASHIER)
    assert not done.kick_drawer
    assert payments.pending_payments(services.sales, "1") == []
    assert "T-1" in done.documents[0].text() and "****4242" in done.documents[0].text()


@pytest.mark.parametrize("answer", [CardDeclined("Avvist av bank"), CardCancelled()])
def test_a_declined_or_cancelled_card_pays_nothing(
    shop: tuple[Services, FixedClock], answer: CardDeclined | CardCancelled
) -> None:
    services, _ = shop
    sale_id = _rung(services, COLA)
    pending = payments.begin_card_payment(services.sales, sale_id, Money(2990), employee=CASHIER)
    sale = payments.finish_card_payment(services.sales, pending.reference, answer)
    assert sale.payments == () and sale.remaining() == Money(2990)
    assert payments.pending_payments(services.sales, "1") == []
    # The cashier picks another tender.
    payments.pay(services.sales, sale_id, TenderKind.CASH, Money.kroner(50), employee=CASHIER)
    assert completion.complete(services.sales, sale_id, employee=CASHIER).change == Money(2000)


def test_an_unknown_outcome_found_paid_becomes_a_card_payment(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sale_id = _rung(services, BREAD)
    pending = payments.begin_card_payment(services.sales, sale_id, Money(3990), employee=CASHIER)
    payments.mark_card_unknown(services.sales, pending.reference)
    [unsettled] = payments.pending_payments(services.sales, "1")
    assert unsettled.status is PaymentStatus.UNKNOWN
    sale = payments.resolve_unknown(
        services.sales,
        pending.reference,
        paid=True,
        transaction_id="T-99",
        employee=CASHIER,
        approved_by=None,
    )
    assert sale.is_paid()
    assert completion.complete(services.sales, sale_id, employee=CASHIER).transaction.payments[
        0
    ].tender is (TenderKind.CARD)


def test_an_unknown_outcome_found_unpaid_needs_a_manager(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sale_id = _rung(services, BREAD)
    pending = payments.begin_card_payment(services.sales, sale_id, Money(3990), employee=CASHIER)
    payments.mark_card_unknown(services.sales, pending.reference)
    with pytest.raises(ApprovalRequired):
        payments.resolve_unknown(
            services.sales, pending.reference, paid=False, employee=CASHIER, approved_by=None
        )
    with pytest.raises(PermissionDenied):
        payments.resolve_unknown(
            services.sales, pending.reference, paid=False, employee=CASHIER, approved_by=CASHIER
        )
    sale = payments.resolve_unknown(
        services.sales, pending.reference, paid=False, employee=CASHIER, approved_by=MANAGER
    )
    assert sale.payments == ()
    assert payments.pending_payments(services.sales, "1") == []


def test_a_card_payment_cannot_ask_for_more_than_remains(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sale_id = _rung(services, MILK)
    with pytest.raises(RuleViolation, match="more than"):
        payments.begin_card_payment(services.sales, sale_id, Money(5000), employee=CASHIER)
    with pytest.raises(InvalidInput):
        payments.begin_card_payment(services.sales, sale_id, Money(0), employee=CASHIER)
    with pytest.raises(InvalidInput, match="begin_card_payment"):
        payments.pay(services.sales, sale_id, TenderKind.CARD, None, employee=CASHIER)
    with pytest.raises(NotFound):
        payments.finish_card_payment(services.sales, "nope", CardCancelled())
    assert payments.pending_payments(services.sales, "1") == []


def test_a_return_is_refunded_to_the_card(shop: tuple[Services, FixedClock]) -> None:
    services, clock = shop
    original = cash_sale(services, clock, COLA, BREAD)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    returns.add_return(
        services.sales, sale.sale_id, original.receipt_id, 1, Decimal(1), employee=CASHIER
    )
    pending = payments.begin_card_payment(
        services.sales, sale.sale_id, Money(2990), employee=CASHIER, refund=True
    )
    assert pending.amount == Money(-2990)
    payments.finish_card_payment(
        services.sales, pending.reference, CardApproved(Money(2990), "R-1")
    )
    done = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert done.transaction.kind is TransactionKind.RETURN
    assert [p.amount for p in done.transaction.payments] == [Money(-2990)]
    assert "Returkvittering" in done.documents[0].text()
    [event] = services.journal.events("1", codes=[EventCode.RETURN_RECEIPT])
    assert event.trans_id == done.transaction.trans_id


def test_vipps_and_a_voucher_split_a_sale(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    sale_id = _rung(services, BREAD, COLA)
    payments.pay(
        services.sales,
        sale_id,
        TenderKind.VOUCHER,
        Money.kroner(50),
        employee=CASHIER,
        reference="GK-1001",
    )
    with pytest.raises(InvalidInput, match="voucher"):
        payments.pay(services.sales, sale_id, TenderKind.VOUCHER, None, employee=CASHIER)
    payments.pay(
        services.sales, sale_id, TenderKind.MOBILE, None, employee=CASHIER, reference="VIPPS-77"
    )
    tx = completion.complete(services.sales, sale_id, employee=CASHIER).transaction
    assert [(p.tender, p.amount) for p in tx.payments] == [
        (TenderKind.VOUCHER, Money(5000)),
        (TenderKind.MOBILE, Money(1980)),
    ]
    assert tx.rounding == Money(0)


def test_a_credit_sale_prints_a_delivery_receipt_in_its_own_series(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sale_id = _rung(services, BREAD)
    with pytest.raises(RuleViolation, match="customer"):
        payments.pay(services.sales, sale_id, TenderKind.ACCOUNT, None, employee=CASHIER)
    with pytest.raises(NotFound):
        ringing.attach_customer(services.sales, sale_id, "99999")
    services.customers.set_active(CUSTOMER, False, actor=MANAGER)
    with pytest.raises(RuleViolation, match=f"customer {CUSTOMER} is deactivated"):
        ringing.attach_customer(services.sales, sale_id, CUSTOMER)
    services.customers.set_active(CUSTOMER, True, actor=MANAGER)
    ringing.attach_customer(services.sales, sale_id, CUSTOMER)
    payments.pay(services.sales, sale_id, TenderKind.ACCOUNT, None, employee=CASHIER)
    done = completion.complete(services.sales, sale_id, employee=CASHIER)
    assert done.transaction.kind is TransactionKind.CREDIT_SALE
    assert done.receipt_id == "1-delivery-1" and not done.kick_drawer
    text = done.documents[0].text()
    assert "Utleveringskvittering" in text and "Solsiden Frisør AS" in text
    [event] = services.journal.events("1", codes=[EventCode.DELIVERY_RECEIPT])
    assert event.trans_id == done.transaction.trans_id
