"""Customer orders, the answers: one order with its customer (``orders show``), the lists
(``orders list``, the till's F12 order list) and a customer's history (``customers show``).
Read-only units of work; see :mod:`~omnipos_tui.services.orders.service` for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import NotFound
from omnipos_tui.core.orders.order import (
    WAITING,
    CustomerOrder,
    Delivery,
    OrderStatus,
    channel_code,
)
from omnipos_tui.core.orders.ports import OrderSummary, Purchase
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.services.orders import steps


@dataclass(frozen=True, slots=True)
class OrderDeps:
    """What the order use cases depend on.

    Attributes:
        units: Opens units of work.
        clock: The time.
        columns: The receipt printer's width, for the order's paper.
    """

    units: UnitOfWorkFactory
    clock: Clock
    columns: int = 42


@dataclass(frozen=True, slots=True)
class OrderDetails:
    """An order and who the customer is.

    Attributes:
        order: The order (back-ordered lines with their expected day).
        customer: The customer from the shared register.
        units: Each line's product unit, by SKU (for quantities in words).
    """

    order: CustomerOrder
    customer: Customer
    units: dict[str, Unit]


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """A customer with their orders and purchases (``customers show``).

    Attributes:
        customer: The customer.
        orders: Their orders, newest first.
        purchases: Their completed till transactions, newest first.
    """

    customer: Customer
    orders: list[OrderSummary]
    purchases: list[Purchase]


@dataclass(frozen=True, slots=True)
class TillOrders:
    """The till's order list: pick-up orders waiting in the shop, and late orders.

    Attributes:
        pickups: Pick-up orders not yet collected (reserved, picked or packed, or waiting
            for goods), promised for today or earlier first.
        late: Every order promised before today and not done.
    """

    pickups: list[OrderSummary]
    late: list[OrderSummary]


def unit_of(uow: UnitOfWork, skus: Sequence[str]) -> dict[str, Unit]:
    """The unit of each product, by SKU."""
    return {sku: p.unit for sku, p in uow.catalogue.products_by_skus(skus).items()}


def show(deps: OrderDeps, number: int) -> OrderDetails:
    """An order, its customer with contact details, where each line is, its parcels
    and its status history (``orders show``).

    Raises:
        NotFound: No such order.
    """
    with deps.units(read_only=True) as uow:
        order = steps.find(uow, number)
        customer = uow.customers.get(order.customer) or Customer(order.customer, "")
        return OrderDetails(order, customer, unit_of(uow, [ln.sku for ln in order.lines]))


def list_orders(
    deps: OrderDeps,
    *,
    customer: str | None = None,
    status: OrderStatus | None = None,
    channel: str | None = None,
    late: bool = False,
    limit: int = 100,
) -> list[OrderSummary]:
    """Orders newest first (``orders list``).

    Raises:
        NotFound: An unknown customer.
        InvalidInput: A bad channel.
    """
    chan = channel_code(channel) if channel is not None else None
    with deps.units(read_only=True) as uow:
        if customer is not None and uow.customers.get(customer.strip()) is None:
            raise NotFound(code="order.unknown_customer", number=customer.strip())
        return uow.orders.find(
            customer=None if customer is None else customer.strip(),
            status=() if status is None else (status,),
            channel=chan,
            late_on=business_day(deps.clock.now()) if late else None,
            limit=limit,
        )


def till_orders(deps: OrderDeps, *, limit: int = 200) -> TillOrders:
    """What the till's F12 order list shows: the pick-ups waiting, and late orders."""
    today = business_day(deps.clock.now())
    waiting = tuple(sorted(WAITING))
    with deps.units(read_only=True) as uow:
        pickups = uow.orders.find(status=waiting, delivery=Delivery.PICKUP, limit=limit)
        late = uow.orders.find(late_on=today, limit=limit)
    pickups.sort(key=lambda o: (o.promised is None or o.promised > today, o.promised, o.number))
    return TillOrders(pickups, late)


def customer_history(deps: OrderDeps, number: str, *, limit: int = 20) -> CustomerHistory:
    """A customer with their latest orders and purchases (``customers show``).

    Raises:
        NotFound: No such customer.
    """
    with deps.units(read_only=True) as uow:
        customer = uow.customers.get(number.strip())
        if customer is None:
            raise NotFound(code="customer.unknown", number=number)
        orders = uow.orders.find(customer=customer.number, limit=limit)
        purchases = uow.orders.purchases(customer.number, limit=limit)
    return CustomerHistory(customer, orders, purchases)
