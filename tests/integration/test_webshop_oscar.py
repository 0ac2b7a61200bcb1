"""End to end against a real django-oscar shop (django-oscar-api; its own venv, cached by
scripts/webshop-peer; a fresh database and server per test): the demo catalogue is linked
and its stock appears in the shop; a customer checks out through Oscar's own basket and
checkout API; the worker imports the order once and reserves it, so the till's available
falls; the till sells the last units and the shop shows 0; a cancel releases the
reservation; customers appear on the other side once each."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from ledger_support import CHARGER, cash_sale
from oscar_peer import OscarPeer, running_oscar
from webshop_support import available, receive, web_shop

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import WEB, OrderStatus, PaymentState

Shop = tuple[Services, FixedClock, dict[str, int]]


@pytest.fixture
def oscar(tmp_path: Path) -> Iterator[OscarPeer]:
    (tmp_path / "oscar").mkdir()
    with running_oscar(tmp_path / "oscar") as peer:
        yield peer


@pytest.fixture
def shop(tmp_path: Path, oscar: OscarPeer) -> Iterator[Shop]:
    (tmp_path / "pos").mkdir()
    services, clock = web_shop(
        tmp_path / "pos",
        kind="oscar",
        url=oscar.url,
        credentials={"username": oscar.user, "password": oscar.password},
    )
    done = services.webshop.setup()
    assert any("partner" in line for line in done)
    ids = {
        CHARGER: oscar.add_product(CHARGER, "USB-lader"),
        "10001": oscar.add_product("10001", "Tine Lettmelk"),
    }
    oscar.add_product("OSCAR-ONLY", "Bare i Oscar", stock=2)
    receive(services, **{CHARGER: 5, "10001": 8})
    yield services, clock, ids
    services.close()


def worker_pass(services: Services, clock: FixedClock) -> None:
    """One pass of ``omnipos worker``: drain the outbox, then its jobs (the pull)."""
    clock.advance(timedelta(seconds=5))
    services.outbox.worker().run(once=True)
    services.outbox.worker().run(once=True)  # what the first pass queued (status, stock)


def test_the_whole_loop(shop: Shop, oscar: OscarPeer) -> None:
    services, clock, ids = shop
    result = services.webshop.link(every=True)
    assert sorted(s for s, _ in result.linked) == sorted([CHARGER, "10001"])
    assert "OSCAR-ONLY" in result.only_in_shop
    assert oscar.offered(ids[CHARGER]) == 5 and oscar.offered(ids["10001"]) == 8
    assert oscar.product(ids[CHARGER])["stockrecords"][0]["price"] == "199.00"

    oid = oscar.checkout([(ids[CHARGER], 3)], email="kari@example.no")
    assert oscar.offered(ids[CHARGER]) == 2  # Oscar allocated them
    worker_pass(services, clock)
    orders = services.orders.list(channel=WEB)
    assert [o.external_id for o in orders] == [str(oid)]
    order = services.orders.show(orders[0].number).order
    assert order.status is OrderStatus.RESERVED and order.payment is PaymentState.PREPAID
    assert sum(line.reserved for line in order.lines) == 3000
    assert available(services, CHARGER) == 2
    assert oscar.order(oid)["status"] == "Being processed"  # the status went back
    assert oscar.offered(ids[CHARGER]) == 2  # num_in_stock = 2 offered + 3 allocated
    worker_pass(services, clock)
    assert len(services.orders.list(channel=WEB)) == 1  # imported once

    cash_sale(services, clock, CHARGER, CHARGER)  # the till sells the last units
    worker_pass(services, clock)
    assert available(services, CHARGER) == 0
    assert oscar.offered(ids[CHARGER]) == 0

    services.orders.cancel(order.number, reason="customer rang")
    worker_pass(services, clock)
    assert available(services, CHARGER) == 3  # the reservation is released
    assert oscar.order(oid)["status"] == "Cancelled"
    assert oscar.offered(ids[CHARGER]) == 3
    assert services.webshop.reconcile() == []


def test_a_cancel_in_the_shop_releases_the_reservation(shop: Shop, oscar: OscarPeer) -> None:
    services, clock, ids = shop
    services.webshop.link(every=True)
    oid = oscar.checkout([(ids["10001"], 2)])
    worker_pass(services, clock)
    assert available(services, "10001") == 6
    oscar.set_status(oid, "Cancelled")
    worker_pass(services, clock)
    number = services.orders.list(channel=WEB)[0].number
    assert services.orders.show(number).order.status is OrderStatus.CANCELLED
    assert available(services, "10001") == 8


def test_customers_appear_on_the_other_side_once(shop: Shop, oscar: OscarPeer) -> None:
    services, clock, _ = shop
    services.customers.add(Customer("", "Kari Till", email="kari.till@example.no"))
    oscar.add_user("per.nett@example.no", "Per", "Nett")
    worker_pass(services, clock)
    worker_pass(services, clock)
    assert [u["email"] for u in oscar.users()].count("kari.till@example.no") == 1
    found = services.customers.search("per.nett@example.no")
    assert [c.name for c in found] == ["Per Nett"]
    assert len(services.customers.search("kari.till@example.no")) == 1
    status = services.webshop.status()
    assert status.linked_customers == 2


def test_a_catalogue_change_reaches_the_shop(shop: Shop, oscar: OscarPeer) -> None:
    services, clock, ids = shop
    services.webshop.link(every=True)
    charger = services.catalogue.get(CHARGER)
    services.catalogue.save_products(
        [dataclasses.replace(charger, name="USB-lader 20 W", price=Money(24900), active=False)]
    )
    worker_pass(services, clock)
    product = oscar.product(ids[CHARGER])
    assert product["title"] == "USB-lader 20 W" and product["is_public"] is False
    assert product["stockrecords"][0]["price"] == "249.00"
    assert oscar.product(ids["10001"])["is_public"] is True  # not changed


def test_customer_changes_flow_both_ways_without_duplicates(shop: Shop, oscar: OscarPeer) -> None:
    services, clock, _ = shop
    kari = services.customers.add(Customer("", "Kari Till", email="kari.till@example.no"))
    uid = oscar.add_user("per.nett@example.no", "Per", "Nett")
    worker_pass(services, clock)
    per = services.customers.search("per.nett@example.no")[0]
    services.customers.update(dataclasses.replace(kari, name="Kari Nordmann"))
    oscar.change_user(uid, last_name="Nettmann", email="per@example.no")
    worker_pass(services, clock)
    worker_pass(services, clock)
    users = {u["email"]: u for u in oscar.users()}
    assert users["kari.till@example.no"]["last_name"] == "Nordmann"
    assert "per.nett@example.no" not in users
    assert services.customers.get(per.number).name == "Per Nettmann"
    assert services.customers.get(per.number).email == "per@example.no"
    assert services.customers.get(kari.number).name == "Kari Nordmann"
    assert len(services.customers.search("Kari")) == 1
    assert len(services.customers.search("Nettmann")) == 1
    assert [u["email"] for u in oscar.users()].count("kari.till@example.no") == 1
    assert services.webshop.status().linked_customers == 2
