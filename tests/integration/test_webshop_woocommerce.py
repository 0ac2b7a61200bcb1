"""The WooCommerce adapter and the web shop sync over real HTTP against a local WooCommerce
peer (woo_peer.py): every request validated with openapi-core against the community spec,
answers shaped like WooCommerce's documentation. Stock goes out through the outbox as
absolute levels; orders come in once, reserved at once; cancels release; customers are one
register; faults are deferred or stopped and shown by ``webshop status``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from ledger_support import CHARGER, cash_sale
from webshop_support import available, deliver, receive, web_shop
from woo_peer import KEY, SECRET, WooPeer, running_peer

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import WEB, OrderStatus, PaymentState
from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.core.vat import rate_for_percent
from omnipos_tui.core.webshop.model import CATALOGUE_KIND, STOCK_KIND

Shop = tuple[Services, FixedClock, dict[str, int]]
CREDENTIALS = {"consumer_key": KEY, "consumer_secret": SECRET}


@pytest.fixture
def peer() -> Iterator[WooPeer]:
    with running_peer() as server:
        yield server
    assert server.violations == [], "requests the WooCommerce spec refuses"


@pytest.fixture
def shop(tmp_path: Path, peer: WooPeer) -> Iterator[Shop]:
    ids = {
        "10001": peer.add_product("10001", "Tine Lettmelk 1 l", stock=0),
        CHARGER: peer.add_product(CHARGER, "USB-lader", stock=0),
        "20001": peer.add_product("20001", "Coca-Cola 0,5 l", stock=0),
    }
    peer.add_product("WOO-ONLY", "Bare i nettbutikken", stock=4)
    services, clock = web_shop(tmp_path, kind="woocommerce", url=peer.url, credentials=CREDENTIALS)
    receive(services, **{"10001": 10, CHARGER: 5, "20001": 3})
    result = services.webshop.link(every=True)
    assert sorted(sku for sku, _ in result.linked) == sorted(["10001", CHARGER, "20001"])
    assert "WOO-ONLY" in result.only_in_shop
    yield services, clock, ids
    services.close()


def test_link_pushes_catalogue_and_absolute_stock(shop: Shop, peer: WooPeer) -> None:
    services, _, ids = shop
    assert peer.products[ids["10001"]]["stock_quantity"] == 10
    assert peer.products[ids[CHARGER]]["stock_quantity"] == 5
    assert peer.products[ids[CHARGER]]["regular_price"] == "199.00"
    assert peer.products[ids["10001"]]["tax_class"] == "reduced-rate"
    with services.units(read_only=True) as uow:
        assert "WOO-ONLY" not in {p.sku for p in uow.catalogue.iter_products()}  # never invented


def test_a_till_sale_reaches_the_shop_through_the_outbox(shop: Shop, peer: WooPeer) -> None:
    services, clock, ids = shop
    cash_sale(services, clock, CHARGER, CHARGER)
    with services.units(read_only=True) as uow:
        rows = [r for r in uow.outbox.status() if r.kind == STOCK_KIND]
    assert rows and rows[0].waiting == 1
    report = deliver(services)
    assert report.done == 1
    assert peer.products[ids[CHARGER]]["stock_quantity"] == 3
    assert deliver(services).handled == 0  # exactly once


def test_shop_down_never_blocks_the_till_and_the_row_is_retried(shop: Shop, peer: WooPeer) -> None:
    services, clock, ids = shop
    peer.fail_next(503)
    cash_sale(services, clock, CHARGER)  # the till completes whatever the shop does
    report = deliver(services)
    assert report.deferred == 1 and report.done == 0
    assert peer.products[ids[CHARGER]]["stock_quantity"] == 5
    status = services.webshop.status()
    stock = next(d for d in status.directions if d.direction == "stock")
    assert stock.backlog == 1 and "503" in stock.last_error
    clock.advance(timedelta(hours=2))
    assert deliver(services).done == 1
    assert peer.products[ids[CHARGER]]["stock_quantity"] == 4


def test_refused_credentials_stop_the_row_as_failed(shop: Shop, peer: WooPeer) -> None:
    services, clock, _ = shop
    peer.fail_next(401)
    cash_sale(services, clock, CHARGER)
    report = deliver(services)
    assert report.failed == 1
    with services.units(read_only=True) as uow:
        row = next(k for k in uow.outbox.status() if k.kind == STOCK_KIND)
    assert row.counts[OutboxState.FAILED] == 1 and "401" in row.last_error


def test_a_web_order_is_imported_once_and_reserved(shop: Shop, peer: WooPeer) -> None:
    services, _, ids = shop
    oid = peer.place_order(
        [(ids[CHARGER], 3)], email="ola@example.no", first="Ola", last="Nordmann"
    )
    result = services.webshop.pull_orders()
    assert [e for e, _ in result.imported] == [str(oid)]
    number = result.imported[0][1]
    order = services.orders.show(number).order
    assert order.channel == WEB and order.external_id == str(oid)
    assert order.status is OrderStatus.RESERVED and order.payment is PaymentState.PREPAID
    assert available(services, CHARGER) == 2
    again = services.webshop.pull_orders()
    assert again.imported == () and str(oid) in again.known
    deliver(services)  # the status back to the shop, and the new stock level
    assert peer.orders[oid]["status"] == "processing"
    assert peer.products[ids[CHARGER]]["stock_quantity"] == 2
    customer = services.customers.get(order.customer)
    assert customer.email == "ola@example.no" and customer.name == "Ola Nordmann"


def test_a_cancel_in_the_shop_releases_the_reservation(shop: Shop, peer: WooPeer) -> None:
    services, _, ids = shop
    oid = peer.place_order([(ids[CHARGER], 2)])
    number = services.webshop.pull_orders().imported[0][1]
    assert available(services, CHARGER) == 3
    peer.set_order_status(oid, "cancelled")
    result = services.webshop.pull_orders()
    assert result.cancelled == (number,)
    assert services.orders.show(number).order.status is OrderStatus.CANCELLED
    assert available(services, CHARGER) == 5


def test_an_order_for_stock_already_sold_is_back_ordered_and_unknown_skus_flagged(
    shop: Shop, peer: WooPeer
) -> None:
    services, clock, ids = shop
    cash_sale(services, clock, "20001", "20001", "20001")  # the last three colas
    oid = peer.place_order([(ids["20001"], 2), (ids["10001"], 1)], unknown_sku="NO-SUCH")
    result = services.webshop.pull_orders()
    number = result.imported[0][1]
    order = services.orders.show(number).order
    assert order.status is OrderStatus.OPEN
    cola = next(line for line in order.lines if line.sku == "20001")
    assert cola.back_ordered == 2000
    assert any("NO-SUCH" in p for p in result.problems)
    status = services.webshop.status()
    assert any("NO-SUCH" in p and str(oid) in p for p in status.problems)


def test_customers_are_one_register(shop: Shop, peer: WooPeer) -> None:
    services, _, _ = shop
    services.customers.add(Customer("", "Kari Till", email="kari@example.no", phone="41234567"))
    deliver(services)
    made = [c for c in peer.customers.values() if c["email"] == "kari@example.no"]
    assert len(made) == 1
    peer.add_customer("per@example.no", "Per", "Nett", phone="99887766")
    added = services.webshop.inbound.pull_customers()
    assert len(added) == 1
    assert services.webshop.inbound.pull_customers() == []  # once
    deliver(services)  # the shop's customer is linked: nothing goes back
    assert len([c for c in peer.customers.values() if c["email"] == "per@example.no"]) == 1
    assert len(services.customers.search("per@example.no")) == 1


def test_reconcile_reports_and_repairs_drift(shop: Shop, peer: WooPeer) -> None:
    services, _, ids = shop
    peer.products[ids["10001"]]["stock_quantity"] = 42
    drift = services.webshop.reconcile()
    assert [(d.sku, d.shop, d.ours) for d in drift] == [("10001", 42, 10)]
    services.webshop.reconcile(repair=True)
    assert peer.products[ids["10001"]]["stock_quantity"] == 10
    assert services.webshop.reconcile() == []


def test_a_product_deleted_in_the_shop_is_unlinked_and_reported(shop: Shop, peer: WooPeer) -> None:
    services, clock, ids = shop
    del peer.products[ids[CHARGER]]
    cash_sale(services, clock, CHARGER)
    assert deliver(services).done == 1
    status = services.webshop.status()
    assert status.linked_products == 2
    assert any("deleted in the shop" in p for p in status.problems)


def test_the_peer_refuses_what_the_spec_refuses(peer: WooPeer) -> None:
    import httpx

    answer = httpx.post(
        peer.url + "/wp-json/wc/v3/products/batch",
        json={"update": [{"id": "not-a-number", "stock_quantity": "many"}]},
        auth=(KEY, SECRET),
    )
    assert answer.status_code == 400
    assert peer.violations
    peer.violations.clear()


def test_a_catalogue_change_of_a_linked_product_reaches_the_shop(shop: Shop, peer: WooPeer) -> None:
    services, _, ids = shop
    charger = services.catalogue.get(CHARGER)
    milk = services.catalogue.get("10001")
    services.catalogue.save_products(
        [
            dataclasses.replace(charger, name="USB-lader 20 W", price=Money(24900)),
            dataclasses.replace(milk, vat=rate_for_percent(25, on=date(2026, 12, 6)), active=False),
        ]
    )
    with services.units(read_only=True) as uow:
        rows = [r for r in uow.outbox.status() if r.kind == CATALOGUE_KIND]
    assert rows and rows[0].waiting == 1
    assert deliver(services).done == 1
    assert peer.products[ids[CHARGER]]["name"] == "USB-lader 20 W"
    assert peer.products[ids[CHARGER]]["regular_price"] == "249.00"
    assert peer.products[ids["10001"]]["tax_class"] == ""
    assert peer.products[ids["10001"]]["status"] == "draft"
    assert peer.products[ids["20001"]]["status"] == "publish"  # unchanged, not sent
    assert deliver(services).handled == 0  # exactly once
    catalogue = next(d for d in services.webshop.status().directions if d.direction == "catalogue")
    assert catalogue.last_ok is not None and catalogue.backlog == 0


def test_a_change_of_an_unlinked_product_or_of_stock_only_sends_no_catalogue(
    shop: Shop, peer: WooPeer
) -> None:
    services, clock, _ = shop
    unlinked = next(
        p
        for p in services.catalogue.list_products(limit=500)
        if p.sku not in ("10001", CHARGER) and p.sku != "20001"
    )
    services.catalogue.save_products([dataclasses.replace(unlinked, name=unlinked.name + " X")])
    cash_sale(services, clock, CHARGER)
    with services.units(read_only=True) as uow:
        kinds = {r.kind for r in uow.outbox.status() if r.waiting}
    assert CATALOGUE_KIND not in kinds and STOCK_KIND in kinds


def _linked_pair(services: Services, peer: WooPeer) -> tuple[str, int]:
    """A customer registered at the till, sent to the shop and linked."""
    kari = services.customers.add(
        Customer("", "Kari Till", email="kari@example.no", phone="41234567")
    )
    deliver(services)
    cid = next(i for i, c in peer.customers.items() if c["email"] == "kari@example.no")
    return kari.number, cid


def test_a_change_at_the_till_replaces_the_shops_customer(shop: Shop, peer: WooPeer) -> None:
    services, _, _ = shop
    number, cid = _linked_pair(services, peer)
    services.customers.update(
        Customer(
            number,
            "Kari Nordmann",
            "41234567",
            "kari.n@example.no",
            "",
            "Storgata 2",
            "0155",
            "Oslo",
        )
    )
    assert deliver(services).done == 1
    assert len(peer.customers) == 1  # replaced, not duplicated
    woo = peer.customers[cid]
    assert (woo["first_name"], woo["last_name"], woo["email"]) == (
        "Kari",
        "Nordmann",
        "kari.n@example.no",
    )
    assert (woo["billing"]["address_1"], woo["billing"]["city"]) == ("Storgata 2", "Oslo")
    assert services.webshop.inbound.pull_customers() == []  # the echo changes nothing
    assert services.customers.get(number).name == "Kari Nordmann"
    with services.units(read_only=True) as uow:
        assert all(k.waiting == 0 for k in uow.outbox.status())


def test_a_change_in_the_shop_comes_in_by_the_cursor_once(shop: Shop, peer: WooPeer) -> None:
    services, _, _ = shop
    number, cid = _linked_pair(services, peer)
    services.webshop.inbound.pull_customers()
    peer.change_customer(
        cid,
        last_name="Nett",
        phone="99887766",
        city="Bergen",
        address_1="Bryggen 1",
        postcode="5003",
    )
    assert services.webshop.inbound.pull_customers() == []  # no new customer
    kari = services.customers.get(number)
    assert (kari.name, kari.phone, kari.city, kari.street) == (
        "Kari Nett",
        "99887766",
        "Bergen",
        "Bryggen 1",
    )
    assert len(services.customers.search("kari@example.no")) == 1
    with services.units(read_only=True) as uow:
        waiting = [k for k in uow.outbox.status() if k.waiting]
        changes = [c for c in uow.changes.recent() if c.key == number and c.actor == "webshop"]
    assert waiting == []  # what came from the shop is not sent back
    customers = next(d for d in services.webshop.status().directions if d.direction == "customers")
    assert customers.detail == f"cursor {peer.customers[cid]['date_modified_gmt']}"
    assert {c.field for c in changes} >= {"name", "phone", "city"}


def test_a_local_change_waiting_to_go_out_wins_over_the_shops_older_copy(
    shop: Shop, peer: WooPeer
) -> None:
    services, _, _ = shop
    number, cid = _linked_pair(services, peer)
    peer.change_customer(cid, last_name="Gammel")
    kari = services.customers.get(number)
    services.customers.update(dataclasses.replace(kari, name="Kari Ny"))
    services.webshop.inbound.pull_customers()  # the row is not delivered yet
    assert services.customers.get(number).name == "Kari Ny"
    deliver(services)
    assert peer.customers[cid]["last_name"] == "Ny"
    peer.change_customer(cid, last_name="Senere")  # afterwards the shop's change comes in
    services.webshop.inbound.pull_customers()
    assert services.customers.get(number).name == "Kari Senere"


def test_a_shop_customer_deleted_or_with_a_bad_email_is_reported(shop: Shop, peer: WooPeer) -> None:
    services, _, _ = shop
    number, cid = _linked_pair(services, peer)
    services.webshop.inbound.pull_customers()
    peer.change_customer(cid, email="not-an-address")
    services.webshop.inbound.pull_customers()
    assert services.customers.get(number).email == "kari@example.no"
    del peer.customers[cid]
    services.customers.update(dataclasses.replace(services.customers.get(number), city="Moss"))
    assert deliver(services).done == 1
    status = services.webshop.status()
    assert status.linked_customers == 0
    assert any("not-an-address" in p for p in status.problems)
    assert any("deleted in the shop" in p and number in p for p in status.problems)


def test_a_cleared_email_at_the_till_keeps_the_shops_email(shop: Shop, peer: WooPeer) -> None:
    services, _, _ = shop
    number, cid = _linked_pair(services, peer)
    kari = services.customers.get(number)
    services.customers.update(dataclasses.replace(kari, email="", phone="99887766"))
    assert deliver(services).done == 1
    assert peer.customers[cid]["email"] == "kari@example.no"  # WooCommerce needs one
    assert peer.customers[cid]["billing"]["phone"] == "99887766"


@pytest.mark.postgres
def test_customer_changes_flow_both_ways_on_postgresql(
    tmp_path: Path, pg_url: str, peer: WooPeer
) -> None:
    services, _ = web_shop(
        tmp_path, kind="woocommerce", url=peer.url, credentials=CREDENTIALS, db_url=pg_url
    )
    try:
        number, cid = _linked_pair(services, peer)
        kari = services.customers.get(number)
        services.customers.update(dataclasses.replace(kari, name="Kari Ny", city="Bergen"))
        peer.change_customer(cid, last_name="Gammel")  # older than ours: ours wins
        services.webshop.inbound.pull_customers()
        assert services.customers.get(number).name == "Kari Ny"
        assert deliver(services).done == 1
        assert (peer.customers[cid]["last_name"], peer.customers[cid]["billing"]["city"]) == (
            "Ny",
            "Bergen",
        )
        peer.change_customer(cid, phone="99887766")
        services.webshop.inbound.pull_customers()
        assert services.customers.get(number).phone == "99887766"
        assert len(peer.customers) == 1 and services.webshop.status().linked_customers == 1
    finally:
        services.close()
