"""Invariants of sales under random operations (hypothesis): totals, VAT, rounding, returns,
whole-sale discount distribution, and that a refused operation changes nothing."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from sale_builders import AT, CASHIER, MANAGER

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.ledger.transaction import LineKind, Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountMode, DiscountSpec, distribute
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.snapshot import sale_from_dict, sale_to_dict
from omnipos_tui.core.vat import RATES, line_vat, rate_by_code

E = CASHIER.number
CODES = [rate.code for rate in RATES]


@st.composite
def products(draw: st.DrawFn) -> Product:
    unit = draw(st.sampled_from(list(Unit)))
    return Product(
        sku=str(draw(st.integers(1, 10**6))),
        name="Vare",
        price=Money(draw(st.integers(1, 200_000))),
        vat=rate_by_code(draw(st.sampled_from(CODES))),
        group=draw(st.sampled_from(["10", "20", "30"])),
        unit=unit,
    )


def quantities(unit: Unit) -> st.SearchStrategy[Decimal]:
    if unit is Unit.KG:
        return st.integers(1, 20_000).map(lambda g: Decimal(g).scaleb(-3))
    return st.integers(1, 12).map(Decimal)


@st.composite
def specs(draw: st.DrawFn) -> DiscountSpec:
    mode = draw(st.sampled_from(list(DiscountMode)))
    if mode is DiscountMode.PERCENT:
        percent = Decimal(draw(st.integers(1, 1000))).scaleb(-1)
        return DiscountSpec.percent_off(percent, employee=MANAGER.number)
    amount = Money(draw(st.integers(0 if mode is DiscountMode.NEW_PRICE else 1, 300_000)))
    return DiscountSpec(mode=mode, amount=amount, employee=MANAGER.number)


@dataclass(frozen=True)
class Op:
    """One cashier action on a sale."""

    name: str
    product: Product | None = None
    quantity: Decimal = Decimal(1)
    index: int = 0
    spec: DiscountSpec | None = None


@st.composite
def ops(draw: st.DrawFn, *, returns: bool = True, corrections: bool = True) -> Op:
    names = ["add", "add", "add", "line_discount", "sale_discount", "override"]
    names += ["void", "quantity"] if corrections else []
    names += ["return"] if returns else []
    name = draw(st.sampled_from(names))
    product = draw(products())
    return Op(
        name=name,
        product=product,
        quantity=draw(quantities(product.unit)),
        index=draw(st.integers(1, 30)),
        spec=draw(specs()),
    )


def apply(sale: Sale, op: Op) -> None:
    """Do one action; expected refusals are PosErrors."""
    assert op.product is not None and op.spec is not None
    if op.name == "add":
        sale.add_product(op.product, op.quantity, at=AT, employee=E)
    elif op.name == "void":
        sale.void_line(op.index, at=AT, employee=E)
    elif op.name == "quantity":
        sale.change_quantity(op.index, op.quantity, at=AT, employee=E)
    elif op.name == "line_discount":
        sale.discount_line(op.index, op.spec)
    elif op.name == "sale_discount":
        sale.discount_sale(op.spec)
    elif op.name == "override":
        sale.override_price(op.index, op.product.price, reason="feil pris", employee=E)
    else:
        sale.add_unreferenced_return(
            op.product, op.quantity, approver=MANAGER, reason="retur", at=AT, employee=E
        )


def rung(actions: list[Op], *, sale_id: str = "p") -> Sale:
    sale = Sale(sale_id=sale_id, register_id="1", employee=E, started_at=AT)
    for op in actions:
        # a refused action is an expected outcome; test_a_refused_action_* checks it
        with contextlib.suppress(PosError):
            apply(sale, op)
    return sale


def _line_discount_at(sale: Sale, line_no: int, quantity: Decimal) -> Money:
    """The line discount recomputed from the discount as given (independent of pricing)."""
    entry = sale.line(line_no)
    gross = entry.unit_price.times(quantity)
    spec = entry.discount
    if spec is None:
        return Money(0)
    if spec.mode is DiscountMode.PERCENT:
        assert spec.percent is not None
        off = gross.ore * spec.percent / 100
        ore = int(off.to_integral_value(rounding="ROUND_HALF_UP"))
    elif spec.mode is DiscountMode.AMOUNT:
        assert spec.amount is not None
        ore = spec.amount.ore
    else:
        assert spec.amount is not None
        ore = gross.ore - spec.amount.times(quantity).ore
    return Money(max(0, min(ore, gross.ore)))


@settings(deadline=None)
@given(st.lists(ops(), max_size=14))
def test_total_is_the_sum_of_lines_and_vat_plus_net_is_gross_per_rate(actions: list[Op]) -> None:
    sale = rung(actions)
    lines = sale.lines()
    assert sale.total() == Money.sum([ln.amount for ln in lines])
    assert sale.total_ex_vat() == Money.sum([ln.net for ln in lines])
    for line in lines:
        assert line.vat_amount == line_vat(line.amount, rate_by_code(line.vat_code))
        assert line.vat_amount + line.net == line.amount
    for code, (basis, vat) in sale.vat_by_rate().items():
        gross = Money.sum([ln.amount for ln in lines if ln.vat_code == code])
        assert basis + vat == gross
    assert Money.sum([b + v for b, v in sale.vat_by_rate().values()]) == sale.total()


@settings(deadline=None)
@given(st.lists(ops(returns=False), max_size=14))
def test_each_item_with_its_corrections_costs_its_final_quantity_less_discounts(
    actions: list[Op],
) -> None:
    sale = rung(actions)
    lines = sale.lines()
    shares = Money(0)
    for item in (ln for ln in lines if ln.kind is LineKind.ITEM):
        group = [ln for ln in lines if item.line_no in (ln.line_no, ln.corrects_line)]
        final = sale.quantity_of(item.line_no)
        share = item.sale_discount.amount if item.sale_discount else Money(0)
        expected = item.unit_price.times(final) - _line_discount_at(sale, item.line_no, final)
        assert Money.sum([ln.amount for ln in group]) == expected - share
        assert Money(0) <= share <= expected
        shares += share
    whole = sum((ln.discount_total for ln in lines), Money(0))
    assert whole == shares + Money.sum(
        [
            _line_discount_at(sale, ln.line_no, sale.quantity_of(ln.line_no))
            for ln in lines
            if ln.kind is LineKind.ITEM
        ]
    )


@settings(deadline=None)
@given(st.lists(ops(), max_size=10), ops())
def test_a_refused_action_changes_nothing(actions: list[Op], last: Op) -> None:
    sale = rung(actions)
    before = sale_to_dict(sale)
    try:
        apply(sale, last)
    except PosError:
        assert sale_to_dict(sale) == before


@settings(deadline=None)
@given(
    st.lists(ops(), min_size=1, max_size=10),
    st.integers(0, 100),
    st.lists(st.integers(1, 2000), max_size=3),
)
def test_cash_rounding_is_never_more_than_50_ore_and_settles_exactly(
    actions: list[Op], card_percent: int, notes: list[int]
) -> None:
    sale = rung(actions)
    remaining = sale.remaining()
    if not sale.entries or remaining.ore == 0:
        return
    card = Money(remaining.ore * card_percent // 100)
    if card.ore:
        sale.pay_card(card, terminal_transaction_id="T", masked_card="*", employee=E)
    for kroner in notes:
        if sale.is_paid():
            break
        with contextlib.suppress(PosError):  # paying out more than is owed is refused
            sale.pay_cash(Money.kroner(kroner), employee=E)
    if not sale.is_paid():
        sale.pay_cash(employee=E)
    assert sale.is_paid()
    assert abs(sale.rounding().ore) <= 50
    assert sale.paid() == sale.total() + sale.rounding()
    assert all(p.amount.ore % 100 == 0 for p in sale.payments if p.tender.value == "cash")
    assert sale.change().ore >= 0
    tx = sale.to_transaction(nr=1, receipt_number=1, completed_at=AT, previous_signature="0")
    assert tx.paid() == tx.total + tx.rounding


def _complete(sale: Sale, nr: int) -> Transaction:
    if sale.remaining().ore:
        sale.pay_cash(employee=E)
    return sale.to_transaction(
        nr=nr, receipt_number=nr, completed_at=AT + timedelta(minutes=nr), previous_signature="0"
    )


@settings(deadline=None)
@given(st.lists(ops(returns=False, corrections=False), min_size=1, max_size=10))
def test_a_full_return_mirrors_the_sales_vat_per_line_and_per_rate(actions: list[Op]) -> None:
    sold = rung(actions)
    if not sold.entries or sold.total().ore <= 0:
        return
    original = _complete(sold, 1)
    back = Sale(sale_id="r", register_id="1", employee=E, started_at=AT)
    for line in original.lines:
        back.add_return(original, line.line_no, line.quantity, at=AT, employee=E)
    for sold_line, returned in zip(original.lines, back.lines(), strict=True):
        assert returned.amount == -sold_line.amount
        assert returned.vat_amount == -sold_line.vat_amount
    assert back.vat_by_rate() == {
        code: (-basis, -vat) for code, (basis, vat) in original.vat_by_rate().items()
    }
    assert back.total() == -original.total


@settings(deadline=None)
@given(
    st.lists(ops(returns=False), min_size=1, max_size=10),
    st.lists(st.integers(1, 3), min_size=1, max_size=6),
)
def test_partial_returns_in_steps_refund_exactly_what_was_paid(
    actions: list[Op], steps: list[int]
) -> None:
    sold = rung(actions)
    if not sold.entries or sold.total().ore <= 0:
        return
    original = _complete(sold, 1)
    refunded = Money(0)
    taken: dict[int, Decimal] = {}
    for step, size in enumerate(steps, start=2):
        back = Sale(sale_id=f"r{step}", register_id="1", employee=E, started_at=AT)
        for line in original.lines:
            if line.kind is not LineKind.ITEM:
                continue
            left = sold.quantity_of(line.line_no) - taken.get(line.line_no, Decimal(0))
            piece = Decimal(size) if line.unit is Unit.PIECE else Decimal(size).scaleb(-3)
            quantity = min(left, piece) if step < len(steps) + 1 else left
            if quantity <= 0:
                continue
            back.add_return(
                original,
                line.line_no,
                quantity,
                at=AT,
                employee=E,
                already_returned=taken.get(line.line_no, Decimal(0)),
            )
            taken[line.line_no] = taken.get(line.line_no, Decimal(0)) + quantity
        refunded += back.total()
    assert refunded == -original.total


@given(
    st.lists(st.integers(0, 10**7), min_size=1, max_size=40),
    st.integers(0, 100),
)
def test_distributing_a_discount_sums_exactly_and_never_exceeds_a_line(
    weights: list[int], percent: int
) -> None:
    total = Money(sum(weights) * percent // 100)
    shares = distribute(total, [Money(w) for w in weights])
    assert sum(s.ore for s in shares) == (total.ore if sum(weights) else 0)
    assert all(0 <= s.ore <= w for s, w in zip(shares, weights, strict=True))


@settings(deadline=None)
@given(st.lists(ops(), max_size=14))
def test_the_whole_sale_discount_shares_add_up_to_the_discount_given(actions: list[Op]) -> None:
    sale = rung(actions)
    if sale.sale_discount is None:
        return
    shares = [ln.sale_discount.amount for ln in sale.lines() if ln.sale_discount]
    items = [ln for ln in sale.lines() if ln.kind is LineKind.ITEM and sale.quantity_of(ln.line_no)]
    subtotal = Money.sum(
        [
            ln.unit_price.times(sale.quantity_of(ln.line_no))
            - _line_discount_at(sale, ln.line_no, sale.quantity_of(ln.line_no))
            for ln in items
        ]
    )
    spec = sale.sale_discount
    if spec.mode is DiscountMode.AMOUNT:
        assert spec.amount is not None
        expected = min(spec.amount, subtotal)
    elif spec.mode is DiscountMode.NEW_PRICE:
        assert spec.amount is not None
        expected = max(subtotal - spec.amount, Money(0))
    else:
        assert spec.percent is not None
        expected = subtotal.percent(spec.percent)
    assert Money.sum(shares) == expected


@settings(deadline=None)
@given(st.lists(ops(), max_size=14))
def test_any_open_sale_survives_a_json_round_trip(actions: list[Op]) -> None:
    sale = rung(actions)
    back = sale_from_dict(json.loads(json.dumps(sale_to_dict(sale))))
    assert back.lines() == sale.lines()
    assert sale_to_dict(back) == sale_to_dict(sale)
