"""The open sale: ringing up, corrections, discounts, returns and completion."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest
from sale_builders import (
    APPLES,
    AT,
    BAG,
    CASHIER,
    COFFEE,
    COLA,
    GENERAL,
    GROUP_MISC,
    MANAGER,
    MILK,
    PIZZA,
    complete,
    new_sale,
    ring,
)

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import ApprovalRequired, InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.core.staff.employee import Employee, Role

E = CASHIER.number


def test_a_piece_line_is_unit_price_times_quantity_with_vat_per_line() -> None:
    sale = new_sale()
    ring(sale, MILK, "2")
    (line,) = sale.lines()
    assert (line.kind, line.quantity, line.unit_price, line.amount) == (
        LineKind.ITEM,
        Decimal(2),
        Money(2190),
        Money(4380),
    )
    # 43,80 * 15 / 115 = 5,713 -> 5,71
    assert line.vat_amount == Money(571)
    assert line.net == Money(3809)
    assert (line.vat_code, line.vat_percent, line.group_code, line.sku) == (
        "31",
        Decimal(15),
        "10",
        "1001",
    )


def test_a_weighed_line_rounds_kilo_price_times_weight_half_up() -> None:
    sale = new_sale()
    ring(sale, APPLES, "0.734")
    (line,) = sale.lines()
    assert line.unit is Unit.KG
    assert line.amount == Money(2562)  # 34,90 * 0,734 = 25,6166


@pytest.mark.parametrize(
    ("product", "quantity", "problem"),
    [
        (MILK, "1.5", "whole numbers"),
        (APPLES, "0.0005", "three decimals"),
        (MILK, "0", "more than 0"),
        (MILK, "-1", "more than 0"),
        (MILK, "10000", "more than 9999"),
        (MILK, "NaN", "not a quantity"),
    ],
)
def test_a_quantity_that_does_not_fit_the_unit_is_refused(
    product: Product, quantity: str, problem: str
) -> None:
    sale = new_sale()
    with pytest.raises(InvalidInput, match=problem):
        sale.add_product(product, Decimal(quantity), at=AT, employee=E)
    assert sale.entries == ()


def test_an_inactive_product_cannot_be_sold() -> None:
    sale = new_sale()
    with pytest.raises(RuleViolation, match="not for sale"):
        sale.add_product(replace(MILK, active=False), at=AT, employee=E)


def test_a_naive_time_is_refused() -> None:
    sale = new_sale()
    with pytest.raises(InvalidInput, match="timezone-aware"):
        sale.add_product(MILK, at=datetime(2026, 1, 1, 12, 0), employee=E)  # noqa: DTZ001


def test_an_open_department_sale_rings_a_price_on_an_article_group() -> None:
    sale = new_sale()
    sale.add_open_item(GROUP_MISC, Money(14900), GENERAL, at=AT, employee=E)
    (line,) = sale.lines()
    assert (line.sku, line.name, line.group_code, line.amount, line.vat_amount) == (
        "",
        "Diverse",
        "90",
        Money(14900),
        Money(2980),
    )
    with pytest.raises(InvalidInput, match="price above 0,00"):
        sale.add_open_item(GROUP_MISC, Money(0), GENERAL, at=AT, employee=E)


def test_voiding_a_line_adds_a_correction_and_keeps_the_line() -> None:
    sale = new_sale()
    ring(sale, MILK)
    ring(sale, COLA)
    correction = sale.void_line(2, at=AT, employee=E)
    lines = sale.lines()
    assert [ln.kind for ln in lines] == [LineKind.ITEM, LineKind.ITEM, LineKind.CORRECTION]
    assert correction.corrects_line == 2
    assert (lines[2].quantity, lines[2].amount, lines[2].vat_amount) == (
        Decimal(-1),
        Money(-2990),
        -lines[1].vat_amount,
    )
    assert sale.total() == Money(2190)
    assert sale.quantity_of(2) == 0


def test_a_voided_line_cannot_be_voided_twice_and_a_correction_cannot_be_changed() -> None:
    sale = new_sale()
    ring(sale, MILK)
    sale.void_line(1, at=AT, employee=E)
    with pytest.raises(RuleViolation, match="already voided"):
        sale.void_line(1, at=AT, employee=E)
    with pytest.raises(RuleViolation, match="correction"):
        sale.void_line(2, at=AT, employee=E)
    with pytest.raises(NotFound):
        sale.void_line(9, at=AT, employee=E)


def test_reducing_a_quantity_records_a_correction_of_the_difference() -> None:
    sale = new_sale()
    ring(sale, MILK, "5")
    correction = sale.change_quantity(1, Decimal(2), at=AT, employee=E)
    assert correction is not None and correction.quantity == Decimal(-3)
    assert sale.lines()[1].amount == Money(-6570)
    assert sale.total() == Money(4380)


def test_raising_a_quantity_changes_the_line_itself_without_a_correction() -> None:
    sale = new_sale()
    ring(sale, MILK, "2")
    assert sale.change_quantity(1, Decimal(4), at=AT, employee=E) is None
    assert len(sale.lines()) == 1
    assert sale.lines()[0].quantity == Decimal(4)
    assert sale.total() == Money(8760)


def test_setting_a_quantity_to_zero_voids_the_line() -> None:
    sale = new_sale()
    ring(sale, COLA, "3")
    sale.change_quantity(1, Decimal(0), at=AT, employee=E)
    assert sale.total() == Money(0)
    assert sale.lines()[1].quantity == Decimal(-3)


def test_a_percent_line_discount_is_recorded_with_the_employee() -> None:
    sale = new_sale()
    ring(sale, COFFEE)
    sale.discount_line(1, DiscountSpec.percent_off(Decimal(10), employee=E, reason="dato"))
    (line,) = sale.lines()
    assert line.unit_price == Money(5990)
    assert line.amount == Money(5391)
    assert line.discount is not None
    assert (line.discount.amount, line.discount.percent, line.discount.employee) == (
        Money(599),
        Decimal(10),
        E,
    )
    assert line.discount.reason == "dato"


def test_an_amount_discount_and_a_new_price_discount() -> None:
    sale = new_sale()
    ring(sale, PIZZA, "2")
    ring(sale, COLA, "2")
    sale.discount_line(1, DiscountSpec.amount_off(Money(1000), employee=E))
    sale.discount_line(2, DiscountSpec.new_price(Money(2500), employee=E))
    one, two = sale.lines()
    assert one.amount == Money(12980 - 1000)
    assert two.amount == Money(5000)
    assert two.discount is not None and two.discount.amount == Money(980)
    assert sale.discount_total() == Money(1980)


def test_discounts_that_are_not_discounts_are_refused() -> None:
    sale = new_sale()
    ring(sale, COLA)
    with pytest.raises(RuleViolation, match="more than the line"):
        sale.discount_line(1, DiscountSpec.amount_off(Money(3000), employee=E))
    with pytest.raises(RuleViolation, match="price override"):
        sale.discount_line(1, DiscountSpec.new_price(Money(2990), employee=E))
    with pytest.raises(InvalidInput, match="at most 100"):
        DiscountSpec.percent_off(Decimal(101), employee=E)
    with pytest.raises(InvalidInput, match="more than 0,00"):
        DiscountSpec.amount_off(Money(0), employee=E)
    assert sale.discount_total() == Money(0)


def test_voiding_a_discounted_line_takes_the_discount_back() -> None:
    sale = new_sale()
    ring(sale, COFFEE, "2")
    sale.discount_line(1, DiscountSpec.percent_off(Decimal(10), employee=E))
    sale.void_line(1, at=AT, employee=E)
    item, correction = sale.lines()
    assert correction.amount == -item.amount
    assert correction.discount is not None
    assert correction.discount.amount == -item.discount_total
    assert sale.total() == Money(0)
    assert sale.discount_total() == Money(0)


def test_a_whole_sale_discount_is_spread_over_the_lines_and_sums_exactly() -> None:
    sale = new_sale()
    ring(sale, MILK)
    ring(sale, COFFEE)
    ring(sale, COLA)
    given = sale.discount_sale(DiscountSpec.amount_off(Money(1000), employee=MANAGER.number))
    shares = [ln.sale_discount.amount for ln in sale.lines() if ln.sale_discount]
    assert given == Money(1000)
    assert sum(s.ore for s in shares) == 1000
    assert sale.total() == Money(2190 + 5990 + 2990 - 1000)
    # each line's VAT follows its own discounted amount
    for line in sale.lines():
        assert line.vat_amount + line.net == line.amount


def test_a_percent_whole_sale_discount_and_a_new_total() -> None:
    sale = new_sale()
    ring(sale, MILK)
    ring(sale, COFFEE)
    assert sale.discount_sale(DiscountSpec.percent_off(Decimal(10), employee=E)) == Money(818)
    assert sale.total() == Money(8180 - 818)
    assert sale.discount_sale(DiscountSpec.new_price(Money(8000), employee=E)) == Money(180)
    assert sale.total() == Money(8000)
    sale.clear_sale_discount()
    assert sale.total() == Money(8180)


def test_a_whole_sale_discount_follows_later_voids() -> None:
    sale = new_sale()
    ring(sale, MILK)
    ring(sale, COFFEE)
    sale.discount_sale(DiscountSpec.percent_off(Decimal(50), employee=E))
    sale.void_line(2, at=AT, employee=E)
    assert sale.total() == Money(1095)
    assert sale.lines()[1].sale_discount is None


def test_a_whole_sale_discount_needs_items_and_cannot_exceed_them() -> None:
    sale = new_sale()
    with pytest.raises(RuleViolation, match="no items"):
        sale.discount_sale(DiscountSpec.percent_off(Decimal(10), employee=E))
    ring(sale, BAG)
    with pytest.raises(RuleViolation, match="more than the items"):
        sale.discount_sale(DiscountSpec.amount_off(Money(300), employee=E))


def test_a_price_override_needs_a_reason_and_is_recorded() -> None:
    sale = new_sale()
    ring(sale, PIZZA)
    with pytest.raises(InvalidInput, match="reason"):
        sale.override_price(1, Money(5000), reason=" ", employee=E)
    sale.override_price(1, Money(5000), reason="feil hyllepris", employee=E, approved_by="2001")
    (line,) = sale.lines()
    assert (line.unit_price, line.amount, line.price_override_reason, line.approved_by) == (
        Money(5000),
        Money(5000),
        "feil hyllepris",
        "2001",
    )
    assert sale.entries[0].shelf_price == Money(6490)


def test_payments_settle_the_sale_and_no_tender_follows_full_payment() -> None:
    sale = new_sale()
    ring(sale, PIZZA)
    sale.pay_card(Money(4000), terminal_transaction_id="T-1", masked_card="****1234", employee=E)
    assert sale.remaining() == Money(2490)
    assert not sale.is_paid()
    sale.pay_mobile(Money(2490), transaction_id="V-9", employee=E)
    assert sale.is_paid()
    with pytest.raises(RuleViolation, match="already paid"):
        sale.pay_cash(employee=E)
    with pytest.raises(RuleViolation, match="already paid"):
        ring(sale, MILK)


def test_cash_rounds_only_the_part_cash_pays_and_gives_change() -> None:
    sale = new_sale()
    ring(sale, MILK)
    ring(sale, PIZZA)  # 86,80
    sale.pay_card(Money(1010), terminal_transaction_id="T", masked_card="*1", employee=E)
    assert sale.remaining() == Money(7670)
    assert sale.cash_due() == Money(7700)
    payment = sale.pay_cash(Money(10000), employee=E)
    assert (payment.amount, payment.tendered) == (Money(7700), Money(10000))
    assert sale.rounding() == Money(30)
    assert sale.change() == Money(2300)
    assert sale.is_paid()


def test_a_card_payment_cannot_exceed_what_remains() -> None:
    sale = new_sale()
    ring(sale, COLA)
    with pytest.raises(RuleViolation, match="more than"):
        sale.pay_card(Money(3000), terminal_transaction_id="T", masked_card="*", employee=E)
    with pytest.raises(InvalidInput, match="wrong sign"):
        sale.pay_card(Money(-100), terminal_transaction_id="T", masked_card="*", employee=E)
    assert sale.payments == ()


def test_nothing_can_be_paid_before_something_is_rung() -> None:
    sale = new_sale()
    with pytest.raises(RuleViolation, match="nothing was rung"):
        sale.pay_cash(employee=E)


def test_a_void_after_payment_is_allowed_only_while_the_total_stays_above_paid() -> None:
    sale = new_sale()
    ring(sale, PIZZA)
    ring(sale, COLA)
    sale.pay_card(Money(5000), terminal_transaction_id="T", masked_card="*", employee=E)
    sale.void_line(2, at=AT, employee=E)  # 64,90 >= 50,00
    with pytest.raises(RuleViolation, match="refund"):
        sale.void_line(1, at=AT, employee=E)
    assert sale.total() == Money(6490)
    with pytest.raises(RuleViolation, match="refund"):
        sale.discount_sale(DiscountSpec.percent_off(Decimal(50), employee=E))
    assert sale.sale_discount is None


def test_a_credit_sale_needs_a_customer_and_becomes_a_delivery() -> None:
    sale = new_sale()
    ring(sale, PIZZA)
    with pytest.raises(RuleViolation, match="customer"):
        sale.pay_account(employee=E)
    sale.attach_customer(Customer("K-7", "Fjellstua AS"))
    sale.pay_account(employee=E)
    assert sale.kind() is TransactionKind.CREDIT_SALE
    assert sale.receipt_series() is ReceiptSeries.DELIVERY
    with pytest.raises(RuleViolation, match="account"):
        sale.detach_customer()
    tx = complete(sale)
    assert tx.customer == "K-7"
    assert tx.payments[0].tender is TenderKind.ACCOUNT


def test_a_voucher_payment_needs_its_number() -> None:
    sale = new_sale()
    ring(sale, PIZZA)
    with pytest.raises(InvalidInput, match="voucher"):
        sale.pay_voucher(Money(1000), voucher=" ", employee=E)
    payment = sale.pay_voucher(Money(1000), voucher="GK-55", employee=E)
    assert (payment.tender, payment.reference) == (TenderKind.VOUCHER, "GK-55")


def _sold_transaction() -> Transaction:
    sale = new_sale(sale_id="orig")
    ring(sale, COFFEE, "3")
    ring(sale, MILK, "2")
    sale.discount_line(1, DiscountSpec.percent_off(Decimal(10), employee=E))
    sale.change_quantity(2, Decimal(1), at=AT, employee=E)
    sale.pay_cash(employee=E)
    return complete(sale, nr=7, receipt_number=5)


def test_a_return_with_receipt_refunds_what_the_line_cost_and_mirrors_its_vat() -> None:
    original = _sold_transaction()
    sale = new_sale()
    sale.add_return(original, 1, Decimal(3), at=AT, employee=E)
    (back,) = sale.lines()
    bought = original.lines[0]
    assert back.kind is LineKind.RETURN
    assert (back.quantity, back.amount, back.vat_amount) == (
        Decimal(-3),
        -bought.amount,
        -bought.vat_amount,
    )
    assert (back.returns_receipt, back.returns_line) == ("1-5", 1)
    assert sale.kind() is TransactionKind.RETURN
    assert sale.receipt_series() is ReceiptSeries.RETURN


def test_a_return_cannot_take_back_more_than_is_left() -> None:
    original = _sold_transaction()
    sale = new_sale()
    # milk was reduced from 2 to 1 on the original receipt
    with pytest.raises(RuleViolation, match="only 1"):
        sale.add_return(original, 2, Decimal(2), at=AT, employee=E)
    sale.add_return(original, 1, Decimal(2), at=AT, employee=E, already_returned=Decimal(0))
    with pytest.raises(RuleViolation, match="only 1"):
        sale.add_return(original, 1, Decimal(2), at=AT, employee=E)
    with pytest.raises(RuleViolation, match="only 0"):
        sale.add_return(original, 1, Decimal(1), at=AT, employee=E, already_returned=Decimal(1))
    with pytest.raises(NotFound):
        sale.add_return(original, 3, Decimal(1), at=AT, employee=E)


def test_training_and_real_receipts_do_not_mix_in_returns() -> None:
    original = _sold_transaction()
    with pytest.raises(RuleViolation, match="training"):
        new_sale(training=True).add_return(original, 1, Decimal(1), at=AT, employee=E)


def test_a_return_without_receipt_needs_a_manager_and_a_reason() -> None:
    sale = new_sale()
    with pytest.raises(ApprovalRequired):
        sale.add_unreferenced_return(
            PIZZA, Decimal(1), approver=None, reason="defekt", at=AT, employee=E
        )
    with pytest.raises(ApprovalRequired):
        sale.add_unreferenced_return(
            PIZZA, Decimal(1), approver=CASHIER, reason="defekt", at=AT, employee=E
        )
    off_duty = Employee("2002", "Gammel Sjef", Role.MANAGER, active=False)
    with pytest.raises(ApprovalRequired):
        sale.add_unreferenced_return(
            PIZZA, Decimal(1), approver=off_duty, reason="defekt", at=AT, employee=E
        )
    with pytest.raises(InvalidInput, match="reason"):
        sale.add_unreferenced_return(
            PIZZA, Decimal(1), approver=MANAGER, reason="", at=AT, employee=E
        )
    sale.add_unreferenced_return(
        PIZZA, Decimal(1), approver=MANAGER, reason="defekt", at=AT, employee=E
    )
    (line,) = sale.lines()
    assert (line.amount, line.approved_by, line.note, line.returns_receipt) == (
        Money(-6490),
        "2001",
        "defekt",
        None,
    )


def test_sale_and_return_on_one_receipt_refunds_the_difference_in_cash() -> None:
    sale = new_sale()
    ring(sale, MILK)
    sale.add_unreferenced_return(
        PIZZA, Decimal(1), approver=MANAGER, reason="bytte", at=AT, employee=E
    )
    assert sale.kind() is TransactionKind.SALE_AND_RETURN
    assert sale.remaining() == Money(-4300)
    assert sale.cash_due() == Money(-4300)
    payment = sale.pay_cash(employee=E)
    assert payment.amount == Money(-4300)
    tx = complete(sale)
    assert (tx.kind, tx.receipt_series, tx.total, tx.paid()) == (
        TransactionKind.SALE_AND_RETURN,
        "sale",
        Money(-4300),
        Money(-4300),
    )


def test_a_refund_is_paid_out_by_card_with_a_negative_amount() -> None:
    sale = new_sale()
    sale.add_unreferenced_return(
        COLA, Decimal(1), approver=MANAGER, reason="defekt", at=AT, employee=E
    )
    payment = sale.pay_card(Money(-2990), terminal_transaction_id="R", masked_card="*", employee=E)
    assert payment.amount == Money(-2990)
    assert sale.is_paid()


def test_voiding_a_return_line_mirrors_it_back() -> None:
    sale = new_sale()
    ring(sale, MILK)
    sale.add_unreferenced_return(
        COLA, Decimal(2), approver=MANAGER, reason="feil", at=AT, employee=E
    )
    sale.void_line(2, at=AT, employee=E)
    assert sale.lines()[2].quantity == Decimal(2)
    assert sale.lines()[2].amount == Money(5980)
    assert sale.total() == Money(2190)
    assert sale.kind() is TransactionKind.SALE


def test_completion_needs_full_payment_and_fills_the_record() -> None:
    sale = new_sale()
    ring(sale, MILK)
    with pytest.raises(RuleViolation, match="not paid"):
        complete(sale)
    sale.pay_cash(Money(5000), employee=E)
    tx = complete(sale, nr=12, receipt_number=9)
    assert (tx.register_id, tx.nr, tx.trans_id, tx.receipt_number, tx.receipt_id) == (
        "1",
        12,
        "1-12",
        9,
        "1-9",
    )
    assert (tx.trans_date, tx.trans_time, tx.business_day.isoformat()) == (
        "2026-11-27",
        "14:31:00",
        "2026-11-27",
    )
    assert (tx.total, tx.rounding, tx.paid(), tx.change()) == (
        Money(2190),
        Money(10),
        Money(2200),
        Money(2800),
    )
    assert tx.signature == "" and tx.previous_signature == "0"
    signed = tx.signed("c2ln", "1")
    assert (signed.signature, signed.key_version, signed.total) == ("c2ln", "1", tx.total)


def test_a_training_sale_goes_to_the_training_series() -> None:
    sale = new_sale(training=True)
    ring(sale, MILK)
    sale.pay_cash(employee=E)
    tx = complete(sale)
    assert tx.training
    assert tx.receipt_series == ReceiptSeries.TRAINING


def test_a_sale_cancelled_as_a_whole_becomes_a_voided_transaction() -> None:
    sale = new_sale()
    ring(sale, PIZZA)
    tx = sale.to_transaction(
        nr=3, receipt_number=3, completed_at=AT, previous_signature="x", voided=True
    )
    assert tx.voided and tx.payments == () and tx.total == Money(6490)
    paid = new_sale()
    ring(paid, COLA)
    paid.pay_card(Money(1000), terminal_transaction_id="T", masked_card="*", employee=E)
    with pytest.raises(RuleViolation, match="refund"):
        paid.to_transaction(
            nr=4, receipt_number=4, completed_at=AT, previous_signature="x", voided=True
        )


def test_an_empty_sale_cannot_be_completed() -> None:
    with pytest.raises(RuleViolation, match="nothing"):
        complete(new_sale())
