"""The web shop sync when the shop misbehaves, over real HTTP: a real django-oscar shop
behind a small local proxy (http_faults.py) that answers 404, 422, 429 with
``Retry-After``, 5xx, loses the shop's answer after the work was done, or stalls past the
adapter's timeout. The worker's pass runs in process on a fixed clock, so the backoff can
be read from the outbox rows. Each fault is retried with backoff (never before the shop's
``Retry-After``) or stopped as failed and shown by ``webshop status``; nothing is lost or
doubled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from http_faults import FaultProxy, fault_proxy
from ledger_support import CHARGER, cash_sale
from oscar_peer import OscarPeer, running_oscar
from webshop_support import available, deliver, receive, web_shop

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.orders.order import WEB, OrderStatus
from omnipos_tui.core.outbox import OutboxRow, OutboxState
from omnipos_tui.core.webshop.model import STOCK_KIND

RECORDS = "/api/admin/stockrecords/"
ORDERS = "/api/omnipos/orders/"


class Shop:
    """The till's services and clock, the Oscar shop, the proxy between them, the ids."""

    def __init__(
        self, services: Services, clock: FixedClock, oscar: OscarPeer, proxy: FaultProxy
    ) -> None:
        self.services = services
        self.clock = clock
        self.oscar = oscar
        self.proxy = proxy
        self.ids: dict[str, int] = {}

    def stock_row(self) -> OutboxRow:
        """The newest ``webshop.stock`` row."""
        with self.services.units(read_only=True) as uow:
            return uow.outbox.of_kind(STOCK_KIND)[-1]

    def wait(self, row: OutboxRow) -> float:
        """Seconds from now until the row may be tried again."""
        return (row.available_at - self.clock.now()).total_seconds()

    def last_error(self, direction: str) -> str:
        status = self.services.webshop.status()
        return next(d for d in status.directions if d.direction == direction).last_error


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    (tmp_path / "oscar").mkdir()
    (tmp_path / "pos").mkdir()
    with running_oscar(tmp_path / "oscar") as oscar, fault_proxy(oscar.url) as proxy:
        services, clock = web_shop(
            tmp_path / "pos",
            kind="oscar",
            url=proxy.url,
            credentials={"username": oscar.user, "password": oscar.password},
            timeout_s=1,
        )
        services.webshop.setup()
        found = Shop(services, clock, oscar, proxy)
        found.ids = {
            CHARGER: oscar.add_product(CHARGER, "USB-lader"),
            "10001": oscar.add_product("10001", "Tine Lettmelk"),
        }
        receive(services, **{CHARGER: 5, "10001": 8})
        services.webshop.link(every=True)
        assert oscar.offered(found.ids[CHARGER]) == 5
        proxy.seen.clear()  # what the tests count starts here
        try:
            yield found
        finally:
            services.close()


def test_429_waits_for_the_shops_retry_after(shop: Shop) -> None:
    shop.proxy.fail("PATCH", RECORDS, 429, retry_after="120")
    cash_sale(shop.services, shop.clock, CHARGER)
    assert deliver(shop.services).deferred == 1
    row = shop.stock_row()
    assert row.state is OutboxState.PENDING and shop.wait(row) >= 120
    assert "429" in shop.last_error("stock")
    shop.clock.advance(timedelta(seconds=119))
    assert deliver(shop.services).handled == 0  # not before the shop's Retry-After
    shop.clock.advance(timedelta(seconds=2))
    assert deliver(shop.services).done == 1
    assert shop.oscar.offered(shop.ids[CHARGER]) == 4
    assert shop.proxy.count("PATCH", RECORDS, 429) == 1
    assert shop.proxy.count("PATCH", RECORDS, 200) == 1


def test_5xx_lost_answers_and_timeouts_back_off_and_nothing_is_doubled(shop: Shop) -> None:
    shop.proxy.fail("PATCH", RECORDS, 503)
    shop.proxy.fail("PATCH", RECORDS, 502, forward=True)  # done by the shop, answer lost
    cash_sale(shop.services, shop.clock, CHARGER)
    waits = []
    for attempt in range(3):
        if attempt == 2:  # the level is there now; the shop is slow to show it
            shop.proxy.stall("GET", f"/api/admin/products/{shop.ids[CHARGER]}/", 2.5)
        assert deliver(shop.services).deferred == 1
        waits.append(shop.wait(shop.stock_row()))
        shop.clock.advance(timedelta(seconds=waits[-1]))
    assert waits == sorted(waits) and waits[-1] >= 4  # 2 s doubling, with jitter
    assert "did not answer within 1 s" in shop.last_error("stock")
    cash_sale(shop.services, shop.clock, CHARGER)  # meanwhile the till sells on
    shop.clock.advance(timedelta(seconds=1))
    report = deliver(shop.services)
    assert report.done == 2 and report.deferred == 0
    assert shop.oscar.offered(shop.ids[CHARGER]) == 3  # absolute: the truth, once
    assert shop.last_error("stock") == ""
    written = [s for s in shop.proxy.seen if s.method == "PATCH" and s.forwarded]
    assert len(written) == 2  # the lost answer's write, then the new level: never twice


def test_422_stops_the_row_as_failed_until_retried(shop: Shop) -> None:
    shop.proxy.fail("PATCH", RECORDS, 422)
    cash_sale(shop.services, shop.clock, CHARGER)
    assert deliver(shop.services).failed == 1
    assert shop.stock_row().state is OutboxState.FAILED
    assert "422" in shop.last_error("stock")
    shop.clock.advance(timedelta(days=1))
    assert deliver(shop.services).handled == 0  # never retried on its own
    assert shop.services.outbox.retry(None, kind=STOCK_KIND) == 1  # the cause was fixed
    assert deliver(shop.services).done == 1
    assert shop.oscar.offered(shop.ids[CHARGER]) == 4


def test_a_product_deleted_in_the_shop_is_reported_not_retried_forever(shop: Shop) -> None:
    deleted = shop.oscar.admin.delete(f"/api/admin/products/{shop.ids[CHARGER]}/")
    assert deleted.status_code == 204
    cash_sale(shop.services, shop.clock, CHARGER)
    assert deliver(shop.services).done == 1
    status = shop.services.webshop.status()
    assert status.linked_products == 1
    assert any("30001 was deleted in the shop" in p for p in status.problems)
    assert shop.proxy.count("GET", f"/api/admin/products/{shop.ids[CHARGER]}/", 404) == 1
    cash_sale(shop.services, shop.clock, CHARGER)  # no longer linked: nothing to send
    shop.clock.advance(timedelta(hours=1))
    deliver(shop.services)
    assert shop.proxy.count("GET", f"/api/admin/products/{shop.ids[CHARGER]}/") == 1
    # The stock record gone between our read and our write: failed and shown, not retried.
    shop.proxy.fail("PATCH", RECORDS, 404)
    cash_sale(shop.services, shop.clock, "10001")
    assert deliver(shop.services).failed == 1
    shop.clock.advance(timedelta(days=1))
    assert deliver(shop.services).handled == 0
    assert "404" in shop.last_error("stock")


def test_order_pulls_back_off_and_import_each_order_once(shop: Shop) -> None:
    services, clock = shop.services, shop.clock
    oid = shop.oscar.checkout([(shop.ids[CHARGER], 2)])
    shop.proxy.fail("GET", ORDERS, 500, forward=True)  # the shop answered, the answer lost
    shop.proxy.stall("GET", ORDERS, 2.5)
    shop.proxy.fail("GET", ORDERS, 429, retry_after="60")
    for _ in range(3):  # every 5 s: 500, then the stall, then 429 (backoff: 1-2 s, 2-4 s)
        clock.advance(timedelta(seconds=5))
        services.webshop.due()
    assert shop.proxy.count("GET", ORDERS) == 3
    assert services.orders.list(channel=WEB) == []
    assert "429" in shop.last_error("orders")
    for _ in range(11):  # 59 s after the 429, every 5 s: not asked
        clock.advance(timedelta(seconds=5))
        services.webshop.due()
    clock.advance(timedelta(seconds=4))
    services.webshop.due()
    assert shop.proxy.count("GET", ORDERS) == 3
    clock.advance(timedelta(seconds=2))
    services.webshop.due()
    assert shop.proxy.count("GET", ORDERS) == 4
    orders = services.orders.list(channel=WEB)
    assert [o.external_id for o in orders] == [str(oid)]
    assert available(services, CHARGER) == 3
    # The status goes back; the shop takes it, the answer is lost: sent again, no harm.
    shop.proxy.fail("POST", f"{ORDERS}{oid}/status/", 502, forward=True)
    assert deliver(services).deferred >= 1
    clock.advance(timedelta(minutes=5))
    deliver(services)
    assert shop.oscar.order(oid)["status"] == "Being processed"
    assert shop.proxy.count("POST", f"{ORDERS}{oid}/status/") == 2
    clock.advance(timedelta(seconds=5))
    services.webshop.due()
    assert len(services.orders.list(channel=WEB)) == 1  # imported once
    order = services.orders.show(orders[0].number).order
    assert order.status is OrderStatus.RESERVED
    assert shop.oscar.offered(shop.ids[CHARGER]) == 3


def test_a_sale_during_the_reconcile_is_neither_drift_nor_undone_by_the_repair(
    shop: Shop,
) -> None:
    def meanwhile() -> None:  # while the shop's product list is on its way
        cash_sale(shop.services, shop.clock, CHARGER)
        assert deliver(shop.services).done == 1

    shop.proxy.before("GET", "/api/admin/products/", meanwhile)
    assert shop.services.webshop.reconcile(repair=True) == []
    assert available(shop.services, CHARGER) == 4
    assert shop.oscar.offered(shop.ids[CHARGER]) == 4  # not the 5 read before the sale
