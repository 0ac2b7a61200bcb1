"""An open sale survives a trip through JSON exactly, and bad snapshots are refused clearly."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from sale_builders import APPLES, AT, CASHIER, COFFEE, COLA, MANAGER, MILK, new_sale, ring

from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.snapshot import sale_from_dict, sale_to_dict

E = CASHIER.number


def _busy_sale() -> Sale:
    sale = new_sale(sale_id="abc")
    ring(sale, MILK, "3")
    ring(sale, APPLES, "1.235")
    ring(sale, COFFEE)
    sale.discount_line(3, DiscountSpec.percent_off(Decimal("12.5"), employee=E, reason="dato"))
    sale.change_quantity(1, Decimal(1), at=AT, employee=E)
    sale.override_price(2, Money(2990), reason="tilbud", employee=E, approved_by="2001")
    sale.add_unreferenced_return(
        COLA, Decimal(1), approver=MANAGER, reason="defekt", at=AT, employee=E
    )
    sale.discount_sale(DiscountSpec.amount_off(Money(500), employee=MANAGER.number))
    sale.attach_customer(Customer("K-1", "Ola"))
    sale.note = "venter på pose"
    sale.pay_card(Money(2000), terminal_transaction_id="T1", masked_card="*9", employee=E)
    return sale


def _through_json(sale: Sale) -> Sale:
    return sale_from_dict(json.loads(json.dumps(sale_to_dict(sale))))


def test_an_open_sale_comes_back_from_json_with_the_same_lines_and_payments() -> None:
    sale = _busy_sale()
    back = _through_json(sale)
    assert back.lines() == sale.lines()
    assert back.payments == sale.payments
    assert back.entries == sale.entries
    assert back.sale_discount == sale.sale_discount
    assert (back.sale_id, back.customer, back.customer_name, back.note) == (
        "abc",
        "K-1",
        "Ola",
        "venter på pose",
    )
    assert back.remaining() == sale.remaining()
    assert sale_to_dict(back) == sale_to_dict(sale)


def test_a_settled_sale_keeps_its_rounding_and_change() -> None:
    sale = new_sale()
    ring(sale, MILK)
    sale.pay_cash(Money(10000), employee=E)
    back = _through_json(sale)
    assert (back.rounding(), back.change(), back.is_paid()) == (Money(10), Money(7800), True)


def test_a_restored_sale_can_go_on_being_rung() -> None:
    back = _through_json(_busy_sale())
    back.void_line(3, at=AT, employee=E)
    assert back.lines()[-1].corrects_line == 3


def _snapshot() -> dict[str, Any]:
    return json.loads(json.dumps(sale_to_dict(_busy_sale())))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: d.pop("lines"), "lines: missing"),
        (lambda d: d.update(version=99), "version: 99 is unknown"),
        (lambda d: d["lines"][1].update(quantity="abc"), r"lines\[1\].quantity: not a number"),
        (
            lambda d: d["lines"][0].update(unit_price=12.5),
            r"lines\[0\].unit_price: expected a whole",
        ),
        (lambda d: d["lines"][0].update(vat_code="99"), r"lines\[0\]: unknown VAT code"),
        (lambda d: d["lines"][0].update(vat_percent="25"), r"lines\[0\]: VAT code 31 is 15"),
        (lambda d: d["lines"][0].update(kind="gift"), r"lines\[0\].kind: unknown value"),
        (lambda d: d["lines"][0].update(at="2026-11-27T13:30:00"), "time without offset"),
        (lambda d: d["lines"][3].update(corrects_line=9), "corrects no earlier line"),
        (lambda d: d["lines"][2].update(line_no=7), "numbered 7"),
        (lambda d: d["lines"][0].update(quantity="-1"), "item with quantity -1"),
        (lambda d: d["payments"][0].update(amount=True), "expected a whole number, got bool"),
        (lambda d: d.update(rounding=70), "more than 0,50"),
        (lambda d: d.update(rounding=20), "not settled"),
        (lambda d: d.update(training="yes"), "training: expected true/false"),
        (lambda d: d["sale_discount"].update(percent="5"), "takes an amount only"),
    ],
)
def test_a_spoilt_snapshot_is_refused_with_the_place_named(spoil: Any, message: str) -> None:
    data = _snapshot()
    spoil(data)
    with pytest.raises(InvalidInput, match=message):
        sale_from_dict(data)


def test_a_snapshot_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidInput, match="expected an object"):
        sale_from_dict([1, 2])
