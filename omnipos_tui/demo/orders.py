"""The demo shop's customer orders, in every state, made through the real services.

Two phases, so parcels have had time to travel when the shop opens:

* :func:`first_orders` (the first morning of the history, before any sale): web orders
  shipped with Bring (their events come from the carrier the services were built with;
  ``init --demo`` builds them with the simulated carrier, which plays Bring's own event
  sequences from the booking time), a click-and-collect order handed over prepaid, a
  cancelled order and a parcel whose number the carrier does not know.
* :func:`recent_orders` (the end of the history, or now without one): orders waiting for
  goods (back-ordered with the next delivery's day), reserved, picked and packed, pick-ups
  for the till's list (some promised for a day already past: late), an order on account, a
  parcel of the manual carrier typed delivered; then every open parcel is asked about.

No till sale is made here (``demo seed`` writes the history of a register without sales);
the pick-up of an order paid at the till is the demo's to try.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Protocol

from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.orders.order import Address, Delivery, PaymentState
from omnipos_tui.core.orders.shipping import ParcelStatus
from omnipos_tui.core.stock.quantity import SCALE
from omnipos_tui.services.orders import pickup
from omnipos_tui.services.orders.service import OrderService
from omnipos_tui.services.orders.shipping import ShippingService
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.services.stock.service import StockService

CASHIER, MANAGER = "1", "2"

#: Bring numbers whose simulated stories are: home delivery, a pick-up point, a deviation
#: before delivery, a parcel never collected that goes back (``SimulatedCarrier.story``).
HOME, PICKUP_POINT, DEVIATION, RETURNED = (
    "370701234567800002",
    "370701234567800005",
    "370701234567800001",
    "370701234567800004",
)
LATER = "370701234567800011"
ADDRESSES = {
    "20001": Address("Solsiden Frisør AS", "Dokkgata 8", "7014", "Trondheim"),
    "20002": Address("Bakklandet Barnehage SA", "Øvre Bakklandet 40", "7013", "Trondheim"),
    "20005": Address("Per Olsen", "Kongens gate 12", "7011", "Trondheim"),
    "20006": Address("Marte Kirkerud", "Skolegata 3", "2870", "Dokka"),
    "20007": Address("Hans Pettersen", "Jonsvannsveien 77", "7051", "Trondheim"),
}
"""Where the web shop's customers want their parcels."""
UNKNOWN = "370701234567899404"
"""A number the carrier does not know (yet): shown unknown, asked about again later."""


class OrderServices(Protocol):
    """The services the demo's orders are made with (``bootstrap.Services`` has them)."""

    @property
    def clock(self) -> Clock: ...
    @property
    def orders(self) -> OrderService: ...
    @property
    def shipping(self) -> ShippingService: ...
    @property
    def stock(self) -> StockService: ...
    @property
    def sales(self) -> SaleDeps: ...


@dataclass(frozen=True, slots=True)
class _Stock:
    sku: str
    available: int


def _stocked(services: OrderServices, count: int) -> list[str]:
    """Piece products with plenty available on the shop floor, by SKU."""
    rows = services.stock.rows(location="butikk")
    found = [_Stock(r.sku, r.available) for r in rows if r.unit == "piece"]
    found.sort(key=lambda s: (-s.available, s.sku))
    return [s.sku for s in found if s.available >= 8 * SCALE][:count]


def _line(sku: str, quantity: int) -> LineInput:
    return LineInput(sku, str(quantity))


def _quietly(action: Callable[[], object]) -> None:
    """A demo step that may find the stock otherwise than planned is skipped, not fatal."""
    try:
        action()
    except PosError:
        return


def first_orders(services: OrderServices) -> None:
    """The orders of the first morning (see the module docstring)."""
    orders, shipping = services.orders, services.shipping
    skus = _stocked(services, 12)
    if len(skus) < 8:
        return
    shipped = [
        ("20005", "WOO-1001", skus[0], HOME),
        ("20006", "WOO-1002", skus[1], PICKUP_POINT),
        ("20001", "WOO-1003", skus[2], DEVIATION),
        ("20007", "WOO-1004", skus[3], RETURNED),
        ("20005", "WOO-1005", skus[4], UNKNOWN),
    ]
    for customer, external, sku, tracking in shipped:
        made = orders.new(
            customer,
            [_line(sku, 1), _line(skus[7], 2)],
            channel="web",
            external=external,
            delivery=Delivery.SHIP,
            address=ADDRESSES[customer],
        ).order
        orders.pick(made.number, employee=MANAGER)
        orders.pack(made.number, employee=MANAGER)
        shipping.ship(
            made.number, carrier="bring", tracking=tracking, service="5800", employee=MANAGER
        )
    collected = orders.new(
        "20006",
        [_line(skus[5], 2)],
        channel="web",
        external="WOO-1006",
        payment=PaymentState.PREPAID,
        note="Klikk og hent",
    ).order
    pickup.hand_over(services.sales, collected.barcode, register_id="1", employee=CASHIER)
    dropped = orders.new("20003", [_line(skus[6], 4)], employee=CASHIER).order
    orders.cancel(dropped.number, reason="kunden ombestemte seg", employee=CASHIER)


def recent_orders(services: OrderServices) -> None:
    """The orders of the end of the history (see the module docstring)."""
    orders, shipping = services.orders, services.shipping
    today = business_day(services.clock.now())
    skus = _stocked(services, 16)
    if len(skus) < 10:
        return
    # Waiting for goods: more than the shop has of something a purchase order brings.
    for row in services.stock.rows():
        stock = services.stock.show(row.sku, moves=0)
        if row.unit == "piece" and stock.next_delivery is not None and stock.available >= 0:
            wanted = [_line(row.sku, stock.available // SCALE + 6)]
            _quietly(partial(orders.new, "20007", wanted, note="Spesialbestilling"))
            break
    orders.new("20005", [_line(skus[8], 2), _line(skus[9], 1)], employee=CASHIER)  # late
    orders.new(
        "20006",
        [_line(skus[10], 3)],
        channel="web",
        external="WOO-1010",
        payment=PaymentState.PREPAID,
        promised=today + timedelta(days=1),
    )
    picked = orders.new(
        "20001",
        [_line(skus[11], 2)],
        payment=PaymentState.ON_ACCOUNT,
        promised=today + timedelta(days=2),
        employee=CASHIER,
    ).order
    orders.pick(picked.number, employee=CASHIER)
    packed = orders.new(
        "20002",
        [_line(skus[12], 1), _line(skus[13], 1)],
        channel="web",
        external="WOO-1011",
        delivery=Delivery.SHIP,
        address=ADDRESSES["20002"],
        promised=today + timedelta(days=1),
    ).order
    orders.pick(packed.number, employee=MANAGER)
    orders.pack(packed.number, employee=MANAGER)
    sent = orders.new(
        "20005", [_line(skus[14], 1)], delivery=Delivery.SHIP, address=ADDRESSES["20005"]
    ).order
    shipping.ship(sent.number, carrier="bring", tracking=LATER, employee=MANAGER)
    by_hand = orders.new(
        "20006", [_line(skus[15], 1)], delivery=Delivery.SHIP, address=ADDRESSES["20006"]
    ).order
    shipping.ship(by_hand.number, carrier="manual", tracking="BUD-0001", employee=MANAGER)
    shipping.set_status(by_hand.number, ParcelStatus.DELIVERED, employee=MANAGER)
    for summary in orders.list(limit=1000):
        if summary.status.value == "shipped":
            shipping.track(summary.number)
