"""Suppliers, purchase orders, goods receipts, transfers and counts through the real services
on both engines: their state machines, their moves, and the refusals of bad input."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from ledger_support import APPLES, BREAD, CASHIER, MANAGER, MILK, cash_sale, open_shop
from stock_support import on_hand

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.stock.documents import OrderStatus, Supplier
from omnipos_tui.services.catalogue.product_csv import CsvImportError
from omnipos_tui.services.stock.common import LineInput

Shop = tuple[Services, FixedClock]


@pytest.fixture
def shop(database_url: str, tmp_path: Path) -> Iterator[Shop]:
    url = "" if database_url.startswith("sqlite") else database_url
    services, clock = open_shop(tmp_path, url=url, algorithm="hmac-sha1")
    services.suppliers.save(Supplier("tine", "Tine SA", org_number="923609016", lead_days=2))
    services.suppliers.save_item("tine", "10001", cost="12,50", supplier_sku="T1", pack_size="6")
    services.suppliers.save_item("tine", APPLES, cost="15,00", pack_size="5")
    yield services, clock
    services.close()


def lines(*pairs: str) -> list[LineInput]:
    return [LineInput(*pair.split("=")) for pair in pairs]


# --- suppliers ------------------------------------------------------------------------


def test_a_supplier_with_a_bad_organisation_number_is_refused(shop: Shop) -> None:
    services, _ = shop
    with pytest.raises(InvalidInput, match="organisation number '123456789' is not valid"):
        services.suppliers.save(Supplier("x", "X AS", org_number="123456789"))
    assert [s.code for s in services.suppliers.all()] == ["tine"]


def test_a_supplier_item_file_with_errors_imports_nothing_and_names_each_problem(
    shop: Shop,
) -> None:
    services, _ = shop
    data = (
        b"supplier;sku;supplier_sku;pack_size;cost\n"
        b"tine;10002;T2;12;20,00\n"
        b"tine;99999;T9;1;1,00\n"
        b"nobody;10002;N2;1;1,00\n"
        b"tine;10002;T2b;1,5;-3\n"
    )
    with pytest.raises(CsvImportError) as caught:
        services.suppliers.import_csv(data, source="items.csv")
    text = str(caught.value)
    assert "items.csv: line 3, column sku: unknown SKU '99999'" in text
    assert "items.csv: line 4, column supplier: unknown supplier 'nobody'" in text
    assert "items.csv: line 5, column cost: negative cost price -3" in text
    assert "items.csv: line 5, column pack_size: pack size: 1,5 is a weight" in text
    assert [i.sku for i in services.suppliers.get("tine")[1]] == ["10001", APPLES]


def test_suppliers_and_their_items_import_from_csv(shop: Shop) -> None:
    services, _ = shop
    suppliers = "code;name;org_number;lead_days\nbaker;Bakeriet AS;923 609 016;1\n"
    result = services.suppliers.import_csv(
        suppliers.encode("cp1252"), source="s.csv", employee=MANAGER
    )
    assert (result.kind, result.created) == ("suppliers", 1)
    items = 'sku,supplier_sku,cost\n10002,B-1,"18,00"\n'
    done = services.suppliers.import_csv(items.encode(), source="i.csv", supplier="baker")
    assert (done.kind, done.created, done.updated) == ("items", 1, 0)
    supplier, found = services.suppliers.get("baker")
    assert supplier.org_number == "923609016" and supplier.lead_days == 1
    assert [(i.sku, i.supplier_sku, i.cost_price, i.pack_size) for i in found] == [
        ("10002", "B-1", 1800, 1000)
    ]


# --- purchase orders and receipts -----------------------------------------------------


def test_an_order_goes_from_draft_to_sent_to_partly_received_to_received(
    shop: Shop, tmp_path: Path
) -> None:
    services, clock = shop
    expected = date(2026, 12, 1)
    order = services.purchasing.new("tine", lines("10001=12"), expected=expected)
    assert order.status is OrderStatus.DRAFT and order.lines[0].unit_cost == 1250
    services.purchasing.add(order.number, [LineInput("10002", "4", "20,00")])
    with pytest.raises(RuleViolation, match="draft: send it first"):
        services.stock_documents.receive(lines("10001=1"), order_no=order.number)
    sent, files = services.purchasing.send(order.number, folder=tmp_path / "out")
    assert sent.status is OrderStatus.SENT
    assert files[0].read_bytes().startswith(b"%PDF")
    assert files[1].read_text(encoding="utf-8").splitlines()[1].startswith("1;1;T1;10001;")
    shown = services.stock.show(MILK)
    assert [(o.order_no, o.outstanding, o.expected) for o in shown.on_order] == [
        (order.number, 12_000, expected)
    ]
    first = services.stock_documents.receive(
        lines("10001=10", "10002=5"), order_no=order.number, delivery_note="F-1"
    )
    assert first.order is not None and first.order.status is OrderStatus.PARTLY_RECEIVED
    assert {(d.sku, d.under, d.over) for d in first.differences} == {
        ("10001", 2000, 0),
        ("10002", 0, 1000),
    }
    assert services.stock.show(MILK).projected == 12_000  # 10 here, 2 still to come
    second = services.stock_documents.receive(lines("10001=2"), order_no=order.number)
    assert second.order is not None and second.order.status is OrderStatus.RECEIVED
    assert [h.status for h in second.order.history] == [
        "draft",
        "sent",
        "partly_received",
        "received",
    ]
    with pytest.raises(RuleViolation, match="fully received"):
        services.stock_documents.receive(lines("10001=1"), order_no=order.number)
    with pytest.raises(RuleViolation, match="fully received"):
        services.purchasing.cancel(order.number)
    stock = services.stock.show(MILK)
    assert stock.on_hand == 12_000 and stock.on_order == ()
    assert stock.last_receipt is not None and stock.last_receipt.receipt_no == second.receipt.number
    assert stock.last_receipt.supplier == "tine"
    del clock


def test_receiving_against_a_cancelled_order_is_refused(shop: Shop) -> None:
    services, _ = shop
    order = services.purchasing.new("tine", lines("10001=6"))
    services.purchasing.cancel(order.number, reason="wrong supplier")
    with pytest.raises(RuleViolation, match="cancelled"):
        services.stock_documents.receive(lines("10001=6"), order_no=order.number)
    with pytest.raises(NotFound, match="no purchase order 99"):
        services.stock_documents.receive(lines("10001=6"), order_no=99)
    assert services.stock.show(MILK).on_hand == 0


def test_bad_receipt_lines_are_refused_and_nothing_is_written(shop: Shop) -> None:
    services, _ = shop
    cases = [
        (lines("10001=-2"), InvalidInput, "not allowed"),
        (lines("10001=two"), InvalidInput, "is not a number"),
        (lines("10001=1,5"), InvalidInput, "is a weight, but the product is sold by the piece"),
        (lines("10001=1", "NOPE=1"), NotFound, "barcode NOPE; nothing was written"),
        ([LineInput("10001", "1", "x")], InvalidInput, "not an amount"),
    ]
    for given, error, text in cases:
        with pytest.raises(error, match=text):
            services.stock_documents.receive(given)
    with pytest.raises(NotFound, match="no location 'kjeller'"):
        services.stock_documents.receive(lines("10001=1"), location="kjeller")
    assert services.stock.verify().moves == 0
    assert services.stock_documents.receipts() == []


def test_a_receipt_of_500_lines_posts_in_one_transaction(shop: Shop) -> None:
    services, _ = shop
    many = [LineInput("10001", "1", f"{10 + n % 7},00") for n in range(499)]
    result = services.stock_documents.receive([*many, LineInput(APPLES, "2,5")])
    assert len(result.receipt.lines) == 500
    assert on_hand(services, "10001") == 499_000 and on_hand(services, APPLES) == 2_500
    report = services.stock.verify()
    assert report.clean and report.moves == 500
    with pytest.raises(NotFound):
        services.stock_documents.receive([*many, LineInput("NOPE", "1")])
    assert services.stock.verify().moves == 500  # the failed one wrote nothing


# --- transfers ------------------------------------------------------------------------


def test_a_two_step_transfer_is_in_transit_until_received_once(shop: Shop) -> None:
    services, _ = shop
    services.stock_documents.receive(lines("10001=10"), location="lager")
    with pytest.raises(RuleViolation, match="to itself"):
        services.stock_documents.transfer("lager", "lager", lines("10001=1"))
    with pytest.raises(RuleViolation, match="virtual location"):
        services.stock_documents.transfer("lager", "customer", lines("10001=1"))
    moved = services.stock_documents.transfer("lager", "butikk", lines("10001=4"), two_step=True)
    stock = services.stock.show(MILK)
    assert (stock.in_transit, stock.on_hand, stock.owned) == (4000, 6000, 10_000)
    services.stock_documents.receive_transfer(moved.number, employee=CASHIER)
    with pytest.raises(RuleViolation, match="received already"):
        services.stock_documents.receive_transfer(moved.number)
    assert on_hand(services, "10001", "butikk") == 4000
    assert on_hand(services, "10001", "lager") == 6000
    one = services.stock_documents.transfer("butikk", "lager", lines("10001=1"))
    with pytest.raises(RuleViolation, match="one step"):
        services.stock_documents.receive_transfer(one.number)
    assert services.stock.verify().clean


# --- counts ---------------------------------------------------------------------------


def test_a_count_accounts_for_sales_made_while_it_runs_and_posts_the_variance(
    shop: Shop,
) -> None:
    services, clock = shop
    services.stock_documents.receive(lines("10001=10", "10002=5"))
    count, size = services.stock_documents.start_count("butikk")
    assert size == 2
    cash_sale(services, clock, MILK, MILK)  # 8 milk left while the count runs
    services.stock_documents.add_counts(count.number, lines("10001=5"))
    services.stock_documents.add_counts(count.number, lines("10001=2"))  # another shelf
    shown = services.stock_documents.count(count.number)
    milk = next(line for line in shown.lines if line.sku == "10001")
    figures = (milk.snapshot, milk.expected, milk.counted, milk.variance)
    assert figures == (10_000, 8_000, 7_000, -1_000)
    result = services.stock_documents.finish_count(count.number, reason="svinn", employee=MANAGER)
    assert result.moves == 1 and result.variance_value == -1250
    assert on_hand(services, "10001") == 7000 and on_hand(services, "10002") == 5000
    assert services.stock.history(MILK)[1][0].reason == "svinn"
    with pytest.raises(RuleViolation, match="finished already"):
        services.stock_documents.finish_count(count.number)
    with pytest.raises(RuleViolation, match="finished already"):
        services.stock_documents.add_counts(count.number, lines("10001=1"))
    assert services.stock.verify().clean


def test_sales_after_a_product_was_counted_make_no_variance(shop: Shop) -> None:
    services, clock = shop
    services.stock_documents.receive(lines("10001=10", "10002=5"))
    count, _ = services.stock_documents.start_count("butikk")
    services.stock_documents.add_counts(count.number, lines("10001=9"))  # one milk missing
    services.stock_documents.add_counts(count.number, lines("10002=5"))
    cash_sale(services, clock, MILK, MILK, BREAD)  # sold at the till while the count is open
    shown = services.stock_documents.count(count.number)
    figures = {line.sku: (line.expected, line.counted, line.variance) for line in shown.lines}
    assert figures == {"10001": (10_000, 9_000, -1_000), "10002": (5_000, 5_000, 0)}
    result = services.stock_documents.finish_count(count.number, employee=MANAGER)
    assert result.moves == 1 and result.variance_value == -1250
    assert [line.variance for line in result.count.lines] == [-1_000, 0]
    assert on_hand(services, "10001") == 7000 and on_hand(services, "10002") == 4000
    finished = services.stock_documents.count(count.number)
    assert [line.variance for line in finished.lines] == [-1_000, 0]
    assert services.stock.verify().clean


def test_zero_uncounted_sets_what_nobody_counted_to_nothing(shop: Shop) -> None:
    services, _ = shop
    services.stock_documents.receive(lines("10001=3", "10002=4"))
    count, _ = services.stock_documents.start_count("butikk", group="10")
    with pytest.raises(RuleViolation, match="not in article group 10"):
        services.stock_documents.add_counts(count.number, lines("20001=1"))
    services.stock_documents.add_counts(count.number, lines("10001=3"))
    services.stock_documents.finish_count(count.number, zero_uncounted=True)
    assert on_hand(services, "10001") == 3000 and on_hand(services, "10002") == 0


# --- suggestions ----------------------------------------------------------------------


def test_suggestions_order_up_to_the_maximum_in_whole_packs_and_create_drafts(
    shop: Shop,
) -> None:
    services, clock = shop
    services.stock_documents.receive(lines("10001=4"))
    services.stock.set_rule(MILK, "butikk", "6", "20")
    suggestions, created = services.purchasing.suggest()
    assert [(s.sku, s.quantity, s.supplier) for s in suggestions] == [("10001", 18_000, "tine")]
    assert created == []
    for _ in range(28):  # a bread a day for four weeks: 7 a week
        cash_sale(services, clock, BREAD)
    suggestions, created = services.purchasing.suggest(create=True, employee=MANAGER)
    bread = next(s for s in suggestions if s.sku == "10002")
    assert (bread.supplier, bread.point, bread.level) == ("", 7000, 21_000)
    assert [(o.supplier, [ln.quantity for ln in o.lines]) for o in created] == [("tine", [18_000])]
    assert created[0].expected == date(2026, 11, 27) + timedelta(days=2)
    again, _ = services.purchasing.suggest()
    assert "10001" not in {s.sku for s in again}  # the draft covers it now


def test_the_stock_value_at_a_date_comes_from_the_ledger(shop: Shop) -> None:
    services, clock = shop
    services.stock_documents.receive([LineInput("10001", "10", "10,00")])
    before = clock.now()
    clock.advance(timedelta(days=1))
    services.stock_documents.receive([LineInput("10001", "10", "20,00")])
    cash_sale(services, clock, MILK)
    assert [(v.quantity, v.value) for v in services.stock.value_at(before)] == [(10_000, 10_000)]
    assert [(v.quantity, v.value) for v in services.stock.value_at()] == [(19_000, 28_500)]
