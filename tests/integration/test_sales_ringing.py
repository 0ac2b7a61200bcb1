"""Ringing up through the sale service: barcodes, PLUs, SKUs and in-store weight/price
codes, merged scans, corrections, discounts and overrides with approval, open sales,
price look-ups, park and resume across tills, and returns."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from ledger_support import (
    APPLES,
    BREAD,
    CASHIER,
    CHARGER,
    COLA,
    MANAGER,
    MILK,
    cash_sale,
    open_shop,
)

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
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.settings import TillSettings

APPLES_1235_G = "2304011012358"  # in-store weight code: article 04011, 1,235 kg
CHARGER_49_90 = "2030001049904"  # in-store price code: article 30001, 49,90
MILK_BY_WEIGHT = "2310001002506"  # a weight code for a product sold by the piece


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Services, FixedClock]:
    return open_shop(tmp_path, algorithm="hmac-sha1")


def _open(services: Services, register_id: str = "1", employee: str = CASHIER) -> str:
    return services.sales.resume_or_open(register_id, employee).sale_id


def test_barcodes_plus_and_skus_ring_up_their_products(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    sale_id = _open(services)
    names = [
        services.sales.add_item(sale_id, code, employee=CASHIER).product.name
        for code in (MILK, " 30001 ")
    ]
    assert names == ["Tine Lettmelk 1 l", "USB-lader"]
    weighed = services.sales.add_item(sale_id, APPLES, quantity=Decimal("1.5"), employee=CASHIER)
    assert weighed.product.name == "Epler"
    assert weighed.line.quantity == Decimal("1.5")
    with pytest.raises(InvalidInput, match="whole numbers"):
        services.sales.add_item(sale_id, MILK, quantity=Decimal("1.5"), employee=CASHIER)


def test_a_weighed_product_without_a_weight_is_refused_and_nothing_is_rung(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sale_id = _open(services)
    with pytest.raises(
        InvalidInput, match=r"Epler is sold by weight: type the weight first, e.g. 0.352 \* 4011"
    ) as refused:
        services.sales.add_item(sale_id, APPLES, employee=CASHIER)
    assert refused.value.text("nb") == (
        "Epler selges på vekt: skriv vekten først, f.eks. 0,352 * 4011"
    )
    assert services.sales.current(sale_id).lines() == ()


def test_in_store_codes_carry_the_weight_or_the_price(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    sale_id = _open(services)
    weighed = services.sales.add_item(sale_id, APPLES_1235_G, employee=CASHIER)
    assert weighed.line.quantity == Decimal("1.235")
    priced = services.sales.add_item(sale_id, CHARGER_49_90, employee=CASHIER)
    assert (priced.product.name, priced.line.unit_price) == ("USB-lader", Money(4990))
    assert services.sales.current(sale_id).total() == Money(2990).times(Decimal("1.235")) + Money(
        4990
    )
    with pytest.raises(InvalidInput, match="carries the weight"):
        services.sales.add_item(sale_id, APPLES_1235_G, quantity=Decimal(2), employee=CASHIER)
    with pytest.raises(RuleViolation, match="not sold by weight"):
        services.sales.add_item(sale_id, MILK_BY_WEIGHT, employee=CASHIER)
    with pytest.raises(NotFound, match="unknown barcode 2304011012357"):
        services.sales.add_item(sale_id, "2304011012357", employee=CASHIER)  # bad check digit


def test_identical_scans_merge_when_the_shop_wants_it(tmp_path: Path) -> None:
    services, _ = open_shop(tmp_path, algorithm="hmac-sha1",
                            till=TillSettings(merge_identical_scans=True))  # fmt: skip
    sale_id = _open(services)
    first = services.sales.add_item(sale_id, MILK, employee=CASHIER)
    second = services.sales.add_item(sale_id, MILK, employee=CASHIER)
    other = services.sales.add_item(sale_id, COLA, employee=CASHIER)
    assert (first.merged, second.merged, other.merged) == (False, True, False)
    sale = services.sales.current(sale_id)
    assert [e.line_no for e in sale.entries] == [1, 2]
    assert sale.quantity_of(1) == 2


def test_scans_are_separate_lines_by_default(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    sale_id = _open(services)
    services.sales.add_item(sale_id, MILK, employee=CASHIER)
    assert services.sales.add_item(sale_id, MILK, employee=CASHIER).line.line_no == 2


def test_reductions_and_deletions_are_correction_lines_in_the_journal(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sale_id = _open(services)
    services.sales.add_item(sale_id, MILK, quantity=Decimal(5), employee=CASHIER)
    services.sales.add_item(sale_id, COLA, employee=CASHIER)
    services.sales.change_quantity(sale_id, 1, Decimal(2), employee=CASHIER)
    services.sales.change_quantity(sale_id, 2, Decimal(0), employee=CASHIER)
    sale = services.sales.current(sale_id)
    assert [line.kind for line in sale.lines()][-2:] == [LineKind.CORRECTION] * 2
    events = list(
        services.journal.events("1", codes=[EventCode.LINE_REDUCE, EventCode.LINE_DELETE])
    )
    assert [(e.code, e.payload["line"], e.payload["quantity"], e.payload["amount"])
            for e in events] == [(EventCode.LINE_REDUCE, 1, "3", -6570),
                                 (EventCode.LINE_DELETE, 2, "1", -2990)]  # fmt: skip


def test_a_discount_above_the_limit_needs_a_manager(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    sale_id = _open(services)
    services.sales.add_item(sale_id, CHARGER, employee=CASHIER)
    small = DiscountSpec.percent_off(Decimal(10), employee=CASHIER)
    assert services.sales.discount_line(sale_id, 1, small, employee=CASHIER).total() == Money(17910)
    big = DiscountSpec.amount_off(Money.kroner(60), employee=CASHIER, reason="utstilling")
    with pytest.raises(ApprovalRequired, match=r"Rabatt 30\.2 % på linje 1"):
        services.sales.discount_line(sale_id, 1, big, employee=CASHIER)
    with pytest.raises(PermissionDenied):
        services.sales.discount_line(sale_id, 1, big, employee=CASHIER, approved_by="3")
    assert services.sales.current(sale_id).total() == Money(17910)  # nothing stored
    sale = services.sales.discount_line(sale_id, 1, big, employee=CASHIER, approved_by=MANAGER)
    discount = sale.lines()[0].discount
    assert discount is not None and discount.amount == Money(6000)
    assert discount.reason == "utstilling (godkjent av 2)"
    whole = DiscountSpec.percent_off(Decimal(50), employee=MANAGER)
    assert services.sales.discount_sale(sale_id, whole, employee=MANAGER).total() == Money(6950)


def test_a_price_override_needs_a_manager_and_is_journaled(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sale_id = _open(services)
    services.sales.add_item(sale_id, BREAD, employee=CASHIER)
    with pytest.raises(ApprovalRequired):
        services.sales.override_price(
            sale_id, 1, Money(2990), "feil hyllepris", employee=CASHIER, approved_by=None
        )
    sale = services.sales.override_price(
        sale_id, 1, Money(2990), "feil hyllepris", employee=CASHIER, approved_by=MANAGER
    )
    line = sale.lines()[0]
    assert (line.unit_price, line.price_override_reason, line.approved_by) == (
        Money(2990), "feil hyllepris", MANAGER,
    )  # fmt: skip
    [event] = services.journal.events("1", codes=[EventCode.PRICE_OVERRIDE])
    assert (event.payload["old_price"], event.payload["new_price"]) == (3990, 2990)


def test_an_open_department_sale_takes_the_groups_vat(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    sale_id = _open(services)
    food = services.sales.add_open_item(sale_id, "10", Money(14900), employee=CASHIER)
    gadget = services.sales.add_open_item(sale_id, "30", Money(9900), employee=CASHIER)
    assert (food.line.vat.percent, gadget.line.vat.percent) == (Decimal(15), Decimal(25))
    assert food.line.name == "Mat"
    with pytest.raises(NotFound):
        services.sales.add_open_item(sale_id, "77", Money(100), employee=CASHIER)


def test_a_price_look_up_sells_nothing_and_is_journaled_with_group_and_amount(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    assert services.sales.price_lookup("1", COLA, employee=CASHIER).price == Money(2990)
    services.sales.price_lookup("1", APPLES_1235_G, employee=CASHIER)
    events = list(services.journal.events("1", codes=[EventCode.PRICE_LOOKUP]))
    assert [e.payload for e in events] == [
        {"sku": "20001", "group": "20", "amount": 2990},
        {"sku": APPLES, "group": "10", "amount": 3693},
    ]


def test_a_parked_sale_is_resumed_and_completed_at_another_till(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    sales = services.sales
    sale_id = _open(services)
    sales.add_item(sale_id, BREAD, employee=CASHIER)
    with pytest.raises(RuleViolation, match="nothing to park"):
        sales.park(_open(services, employee=MANAGER), employee=MANAGER)
    sales.park(sale_id, "  kunden  henter   lommebok ", employee=CASHIER)
    [parked] = sales.parked()
    assert (parked.sale_id, parked.note, parked.total) == (sale_id, "kunden henter lommebok",
                                                           Money(3990))  # fmt: skip
    with pytest.raises(RuleViolation, match="parked; resume it first"):
        sales.add_item(sale_id, MILK, employee=CASHIER)
    sales.resume(sale_id, "2", employee=MANAGER)
    with pytest.raises(RuleViolation, match="open at register 2"):
        sales.resume(sale_id, "1", employee=CASHIER)
    assert sales.parked() == []
    sales.pay(sale_id, TenderKind.CASH, None, employee=MANAGER)
    done = sales.complete(sale_id, employee=MANAGER)
    assert (done.transaction.trans_id, done.transaction.employee) == ("2-1", MANAGER)
    park = list(services.journal.events("1", codes=[EventCode.PARK]))
    resume = list(services.journal.events("2", codes=[EventCode.RESUME]))
    assert (len(park), len(resume)) == (1, 1)
    assert services.journal.verify("2")[0].ok


def test_returns_take_back_no_more_than_was_sold(shop: tuple[Services, FixedClock]) -> None:
    services, clock = shop
    sales = services.sales
    original = sales.resume_or_open("1", CASHIER).sale_id
    sales.add_item(original, MILK, quantity=Decimal(3), employee=CASHIER)
    sales.add_item(original, COLA, employee=CASHIER)
    sales.pay(original, TenderKind.CASH, None, employee=CASHIER)
    receipt = sales.complete(original, employee=CASHIER).receipt_id
    first = _open(services)
    sales.add_return(first, receipt, 1, Decimal(2), employee=CASHIER)
    sales.pay(first, TenderKind.CASH, None, employee=CASHIER)
    sales.complete(first, employee=CASHIER)
    lines = {line.line_no: line for line in sales.returnable_lines(receipt)}
    assert (lines[1].sold, lines[1].returned, lines[1].left) == (Decimal(3), Decimal(2), Decimal(1))
    assert lines[2].left == 1 and lines[1].tenders[0].tender is TenderKind.CASH
    second = _open(services)
    with pytest.raises(RuleViolation, match="only 1 of line 1"):
        sales.add_return(second, receipt, 1, Decimal(2), employee=CASHIER)
    sales.add_return(second, receipt, 1, Decimal(1), employee=CASHIER)
    sales.void_line(second, 1, employee=CASHIER)  # changed their mind: returns nothing
    sales.add_item(second, COLA, employee=CASHIER)
    sales.pay(second, TenderKind.CASH, None, employee=CASHIER)
    sales.complete(second, employee=CASHIER)
    assert {ln.line_no: ln.left for ln in sales.returnable_lines(receipt)} == {1: 1, 2: 1}
    with pytest.raises(NotFound):
        sales.returnable_lines("1-99")
    assert cash_sale(services, clock, BREAD).receipt_id == "1-3"


def test_a_return_without_receipt_needs_a_manager(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    sale_id = _open(services)
    with pytest.raises(ApprovalRequired):
        services.sales.add_unreferenced_return(
            sale_id, COLA, Decimal(1), "kvittering mistet", employee=CASHIER, approved_by=None
        )
    sale = services.sales.add_unreferenced_return(
        sale_id, COLA, Decimal(1), "kvittering mistet", employee=CASHIER, approved_by=MANAGER
    )
    [line] = sale.lines()
    assert (line.kind, line.amount, line.approved_by) == (LineKind.RETURN, Money(-2990), MANAGER)


def test_training_sales_are_kept_apart_from_real_ones(shop: tuple[Services, FixedClock]) -> None:
    services, clock = shop
    real = _open(services)
    services.sales.add_item(real, MILK, employee=CASHIER)
    with pytest.raises(RuleViolation, match="finish or park"):
        services.register.set_training("1", True, employee=CASHIER, approved_by=MANAGER)
    services.sales.park(real, employee=CASHIER)
    services.register.set_training("1", True, employee=CASHIER, approved_by=MANAGER)
    assert services.sales.resume_or_open("1", CASHIER).training
    with pytest.raises(RuleViolation, match="real sale"):
        services.sales.resume(real, "1", employee=CASHIER)
    done = cash_sale(services, clock, COLA)
    assert done.transaction.training and not done.kick_drawer
    assert "Treningskvittering" in done.documents[0].text()
