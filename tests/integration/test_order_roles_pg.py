"""Order work as the till role of ``omnipos db roles`` on PostgreSQL: every order use case
runs (orders are locked with an advisory lock, not FOR UPDATE, which the role may not use
on an append-only table; the derived status and parcel-check tables are working data), and
the order's own rows stay beyond its reach."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from ledger_support import CUSTOMER, open_shop, pg_connect
from order_support import lines
from stock_support import post, supplied
from test_db_roles_pg import _as, _refused

from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.orders.order import Delivery, OrderStatus, PaymentState
from omnipos_tui.core.orders.shipping import ParcelStatus
from omnipos_tui.services.orders import pickup
from omnipos_tui.services.sales import completion, opening, payments
from omnipos_tui.storage.store import Store

pytestmark = pytest.mark.postgres


@pytest.fixture
def order_roles(pg_url: str) -> Iterator[tuple[str, str]]:
    """An owner and a till role of this test's own; dropped (with what they own) after."""
    suffix = uuid.uuid4().hex[:10]
    owner, till = f"omnipos_owner_{suffix}", f"omnipos_till_{suffix}"
    yield owner, till
    admin = pg_connect(pg_url)
    try:
        cursor = admin.cursor()
        for role in (till, owner):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            if cursor.fetchone():
                cursor.execute(f'DROP OWNED BY "{role}" CASCADE')
                cursor.execute(f'DROP ROLE "{role}"')
    finally:
        admin.close()


def test_the_till_role_does_every_order_job_and_cannot_change_an_orders_rows(
    pg_url: str, order_roles: tuple[str, str], tmp_path: Path
) -> None:
    owner, till = order_roles
    shop, clock = open_shop(tmp_path, url=pg_url, algorithm="hmac-sha1")
    post(shop, supplied("10001", 10_000, 1200))
    shop.customers.add(Customer("500", "Kari", "", "", "", "Gata 1", "7011", "Trondheim"))
    shop.database.setup_roles(owner, till)
    shop.close()
    migrator = Store(_as(pg_url, owner), clock)
    assert migrator.migrate() == []
    migrator.close()
    tills, _ = open_shop(
        tmp_path, url=_as(pg_url, till), algorithm="hmac-sha1", clock=clock, initialise=False
    )
    shipped = tills.orders.new("500", lines("10001=2"), delivery=Delivery.SHIP).order
    tills.orders.pick(shipped.number)
    tills.orders.pack(shipped.number)
    tills.shipping.ship(shipped.number, carrier="manual", tracking="HAND-9")
    tills.shipping.set_status(shipped.number, ParcelStatus.DELIVERED)
    assert tills.orders.show(shipped.number).order.status is OrderStatus.DELIVERED
    collected = tills.orders.new(CUSTOMER, lines("10001=1")).order
    sale = opening.resume_or_open(tills.sales, "1", "1")
    pickup.bring_into_sale(tills.sales, sale.sale_id, collected.barcode, employee="1")
    payments.pay(tills.sales, sale.sale_id, TenderKind.CASH, None, employee="1")
    completion.complete(tills.sales, sale.sale_id, employee="1")
    prepaid = tills.orders.new(
        CUSTOMER, lines("10001=1"), channel="web", external="W1", payment=PaymentState.PREPAID
    ).order
    pickup.hand_over(tills.sales, prepaid.barcode, register_id="1", employee="1")
    cancelled = tills.orders.new(CUSTOMER, lines("10001=3")).order
    tills.orders.cancel(cancelled.number)
    assert tills.stock.verify().clean
    assert [o.status for o in tills.orders.list()] == [
        OrderStatus.CANCELLED,
        OrderStatus.PICKED_UP,
        OrderStatus.PICKED_UP,
        OrderStatus.DELIVERED,
    ]
    raw = pg_connect(_as(pg_url, till))
    try:
        _refused(raw, "UPDATE customer_order_event SET quantity = 1", "permission denied for table")
        _refused(raw, "DELETE FROM customer_order_status", "permission denied for table")
        _refused(raw, "DELETE FROM shipment", "permission denied for table")
    finally:
        raw.close()
    tills.close()
