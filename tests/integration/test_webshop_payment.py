"""A web order's payment state after it was imported, against the local WooCommerce peer
(every request validated against the community spec): paid in the shop later -> prepaid
here (handed over, never sold again at the till); refunded or cancelled before hand-over
-> cancelled here, its reservation released; refunded after hand-over -> reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ledger_support import CASHIER, CHARGER
from webshop_support import available, receive, web_shop
from woo_peer import KEY, SECRET, WooPeer, running_peer

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.orders.order import OrderStatus, PaymentState
from omnipos_tui.services.orders import pickup
from omnipos_tui.services.sales import opening

Shop = tuple[Services, WooPeer, int]


@pytest.fixture
def shop(tmp_path: Path, database_url: str) -> Iterator[Shop]:
    """The shop on each engine (the payment history is a table of schema 16)."""
    with running_peer() as peer:
        pid = peer.add_product(CHARGER, "USB-lader", stock=0)
        services, _ = web_shop(
            tmp_path,
            kind="woocommerce",
            url=peer.url,
            credentials={"consumer_key": KEY, "consumer_secret": SECRET},
            db_url=database_url,
        )
        receive(services, **{CHARGER: 5})
        services.webshop.link([CHARGER])
        yield services, peer, pid
        services.close()
    assert peer.violations == [], "requests the WooCommerce spec refuses"


def _imported(services: Services) -> int:
    return services.webshop.pull_orders().imported[0][1]


def test_an_order_paid_in_the_shop_after_the_import_becomes_prepaid(shop: Shop) -> None:
    services, peer, pid = shop
    oid = peer.place_order([(pid, 2)], status="on-hold")  # bank transfer: not paid yet
    number = _imported(services)
    assert services.orders.show(number).order.payment is PaymentState.PAY_AT_PICKUP
    peer.set_order_status(oid, "processing")  # the payment arrived
    result = services.webshop.pull_orders()
    assert result.paid == (number,) and result.imported == ()
    order = services.orders.show(number).order
    assert order.payment is PaymentState.PREPAID and order.status is OrderStatus.RESERVED
    assert available(services, CHARGER) == 3  # still reserved once
    assert [o.payment for o in services.orders.list(channel="web")] == [PaymentState.PREPAID]
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    with pytest.raises(RuleViolation, match="prepaid"):  # never sold again at the till
        pickup.bring_into_sale(services.sales, sale.sale_id, order.barcode, employee=CASHIER)
    assert services.webshop.pull_orders().paid == ()  # once


def test_a_refund_before_hand_over_cancels_and_releases(shop: Shop) -> None:
    services, peer, pid = shop
    oid = peer.place_order([(pid, 3)])
    number = _imported(services)
    assert available(services, CHARGER) == 2
    peer.set_order_status(oid, "refunded")
    assert services.webshop.pull_orders().cancelled == (number,)
    order = services.orders.show(number).order
    assert order.status is OrderStatus.CANCELLED
    assert "refunded in the web shop" in order.history[-1].note
    assert available(services, CHARGER) == 5
    assert services.stock.verify().clean


def test_a_refund_after_hand_over_is_reported(shop: Shop) -> None:
    services, peer, pid = shop
    oid = peer.place_order([(pid, 1)], email="kari@example.no")
    number = _imported(services)
    order = services.orders.show(number).order
    pickup.hand_over(services.sales, order.barcode, register_id="1", employee=CASHIER)
    peer.set_order_status(oid, "refunded")
    result = services.webshop.pull_orders()
    assert result.cancelled == ()
    assert services.orders.show(number).order.status is OrderStatus.PICKED_UP
    assert any(str(oid) in p and "refunded" in p for p in services.webshop.status().problems)


def test_an_order_refunded_before_it_was_ever_pulled_is_not_imported(shop: Shop) -> None:
    services, peer, pid = shop
    peer.place_order([(pid, 1)], status="refunded")
    result = services.webshop.pull_orders()
    assert result.imported == () and len(result.known) == 1
    assert available(services, CHARGER) == 5
