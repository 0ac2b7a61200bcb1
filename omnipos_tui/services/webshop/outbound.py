"""What goes out to the web shop, through the outbox (INTEGRATIONS.md §1, §3).

:func:`queue_changes` runs inside every unit of work that changed stock, orders or
customers (the unit of work publishes :class:`~omnipos_tui.core.events.RecordsChanged`
at commit, only while the web shop is configured): it writes outbox rows in the same
commit, never talking to the shop. ``omnipos worker`` (or the till's in-process relay)
delivers them with the handlers here:

- ``webshop.stock``: the products' *absolute* quantities, read when delivered (what is
  available then, less the buffer), so a row delivered twice or late sends the truth of
  the moment, never a stale delta;
- ``webshop.catalogue``: name, price incl. VAT, VAT class and active flag of linked products
  whose master data changed, read when delivered (so a late row sends what is true then);
- ``webshop.order``: a web order's status in OmniPOS, back to the shop;
- ``webshop.customer``: a customer created or changed here (not by the shop): one not yet
  linked is matched in the shop by e-mail then phone, else created there, and linked; a
  linked one has their fields (name, e-mail, phone, address) replaced in the shop. Until
  such a row is delivered, the customer's pending count in the sync state makes the
  puller keep our version (ours is the newer change).

A shop that is down defers the row (backoff with jitter, ``Retry-After`` respected); a
refusal (4xx) stops it as failed with the shop's words, shown by ``webshop status``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import DeliveryError, DeliveryRejected
from omnipos_tui.core.events import RecordsChanged
from omnipos_tui.core.orders.order import WEB
from omnipos_tui.core.outbox import OutboxMessage
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.webshop.model import (
    CATALOGUE_KIND,
    CUSTOMER_KIND,
    ORDER_KIND,
    STOCK_KIND,
    CatalogueEntry,
    ShopCustomer,
    StockPush,
    offered,
)
from omnipos_tui.core.webshop.ports import WebShop

log = logging.getLogger(__name__)


def queue_changes(event: RecordsChanged, uow: UnitOfWork) -> None:
    """Write the outbox rows for what ``event`` says changed (inside its unit of work)."""
    messages: list[OutboxMessage] = []
    if event.skus:
        linked = sorted(uow.webshop.product_links(sorted(event.skus)))
        if linked:
            messages.append(_message(STOCK_KIND, {"skus": linked}))
    if event.catalogue:
        linked = sorted(uow.webshop.product_links(sorted(event.catalogue)))
        if linked:
            messages.append(_message(CATALOGUE_KIND, {"skus": linked}))
    for number in sorted(event.orders):
        order = uow.orders.get(number)
        if order is not None and order.channel == WEB and order.external_id:
            key = f"{number}-{len(order.history)}"
            messages.append(OutboxMessage(ORDER_KIND, key, {"order": number}))
    for customer in sorted(event.customers):
        if uow.webshop.external_customer(customer) is not None:
            name = pending_name(customer)
            uow.webshop.set_state({name: str(_count(uow.webshop.get_state(name)) + 1)})
        messages.append(_message(CUSTOMER_KIND, {"customer": customer}))
    if messages:
        uow.outbox.add_all(messages)


def _message(kind: str, payload: Mapping[str, object]) -> OutboxMessage:
    """A stock, catalogue or customer row: its key need not be our identifiers (what it
    sends is read when it is delivered and replaces what the shop has, and a customer is
    looked up before it is created, so sending it twice is harmless), only unique."""
    return OutboxMessage(kind, uuid.uuid4().hex[:16], payload)


def pending_name(number: str) -> str:
    """The sync state's count of a linked customer's changes waiting to go to the shop."""
    return f"customer_out.{number}"


def _count(text: str) -> int:
    return int(text) if text.isdigit() else 0


def customer_pending(uow: UnitOfWork, number: str) -> bool:
    """Whether a change of ours to this linked customer is still waiting to go out."""
    return _count(uow.webshop.get_state(pending_name(number))) > 0


def record(units: UnitOfWorkFactory, clock: Clock, direction: str, error: str = "") -> None:
    """Keep a direction's last success (or last error) for ``webshop status``."""
    now = clock.now().isoformat()
    values = (
        {f"{direction}.error": error, f"{direction}.error_at": now}
        if error
        else {
            f"{direction}.ok_at": now,
            f"{direction}.error": "",
        }
    )
    with units() as uow:
        uow.webshop.set_state(values)
        uow.commit()


@dataclass
class StockOut:
    """Pushes absolute stock levels of linked products (``webshop.stock`` rows, the
    reconcile's repair, ``webshop sync``).

    Args:
        units: Opens units of work.
        clock: The time.
        shop: The shop (built on first use).
        buffer: Units kept back from the shop, thousandths.
    """

    units: UnitOfWorkFactory
    clock: Clock
    shop: Callable[[], WebShop]
    buffer: int
    kind: str = STOCK_KIND

    def levels(self, skus: Sequence[str] | None = None) -> list[StockPush]:
        """What the shop should offer of the linked products (all, or those of ``skus``)."""
        with self.units(read_only=True) as uow:
            links = uow.webshop.product_links(skus)
            available = uow.webshop.availability(sorted(links))
        return [
            StockPush(links[sku], sku, offered(available[sku], self.buffer))
            for sku in sorted(links)
        ]

    def push(self, pushes: Sequence[StockPush]) -> int:
        """Send the levels; products the shop no longer has are unlinked and reported.

        Returns:
            How many levels the shop took.
        """
        if not pushes:
            return 0
        try:
            gone = set(self.shop().set_stock(pushes))
        except DeliveryError as error:
            record(self.units, self.clock, "stock", error.detail or str(error))
            raise
        now = self.clock.now()
        with self.units() as uow:
            for push in pushes:
                if push.external_id in gone:
                    uow.webshop.unlink_product(push.sku)
                    uow.webshop.add_problem(
                        f"product {push.sku} was deleted in the shop (id {push.external_id}): "
                        "unlinked",
                        now,
                    )
            uow.webshop.pushed(
                {p.sku: p.quantity for p in pushes if p.external_id not in gone}, now
            )
            uow.webshop.set_state({"stock.ok_at": now.isoformat(), "stock.error": ""})
            uow.commit()
        return len(pushes) - len(gone)

    def handle(self, message: OutboxMessage) -> str | None:
        """Deliver a ``webshop.stock`` row."""
        skus = message.payload.get("skus")
        wanted = [str(s) for s in skus] if isinstance(skus, list) else []
        self.push(self.levels(wanted))
        return None


@dataclass
class CatalogueOut:
    """Pushes name, price incl. VAT, VAT class and active flag of linked products
    (``webshop.catalogue`` rows, ``webshop link``, ``webshop sync``).

    Args:
        units: Opens units of work.
        clock: The time.
        shop: The shop (built on first use).
    """

    units: UnitOfWorkFactory
    clock: Clock
    shop: Callable[[], WebShop]
    kind: str = CATALOGUE_KIND

    def push(self, skus: Sequence[str] | None = None) -> int:
        """Send the catalogue entries of the linked products (all, or those of ``skus``);
        products the shop no longer has are unlinked and reported.

        Returns:
            How many entries the shop took.
        """
        with self.units(read_only=True) as uow:
            links = uow.webshop.product_links(skus)
            products = uow.catalogue.products_by_skus(sorted(links))
        entries = [
            CatalogueEntry(links[sku], sku, p.name, p.price, format(p.vat.percent, "f"), p.active)
            for sku, p in sorted(products.items())
        ]
        if not entries:
            return 0
        try:
            gone = set(self.shop().set_catalogue(entries))
        except DeliveryError as error:
            record(self.units, self.clock, "catalogue", error.detail or str(error))
            raise
        now = self.clock.now()
        with self.units() as uow:
            for entry in entries:
                if entry.external_id in gone:
                    uow.webshop.unlink_product(entry.sku)
                    uow.webshop.add_problem(
                        f"product {entry.sku} was deleted in the shop (id {entry.external_id}): "
                        "unlinked",
                        now,
                    )
            uow.webshop.set_state({"catalogue.ok_at": now.isoformat(), "catalogue.error": ""})
            uow.commit()
        return len(entries) - len(gone)

    def handle(self, message: OutboxMessage) -> str | None:
        """Deliver a ``webshop.catalogue`` row."""
        skus = message.payload.get("skus")
        self.push([str(s) for s in skus] if isinstance(skus, list) else [])
        return None


@dataclass
class OrderStateOut:
    """Tells the shop where its orders are in OmniPOS (``webshop.order`` rows)."""

    units: UnitOfWorkFactory
    clock: Clock
    shop: Callable[[], WebShop]
    kind: str = ORDER_KIND

    def handle(self, message: OutboxMessage) -> str | None:
        """Deliver a ``webshop.order`` row: the order's current status."""
        number = int(str(message.payload.get("order", "0")))
        with self.units(read_only=True) as uow:
            order = uow.orders.get(number)
        if order is None or order.external_id is None:
            return None
        note = f"OmniPOS order {number}: {order.status.label}"
        try:
            self.shop().set_order_state(order.external_id, order.status.value, note)
        except DeliveryError as error:
            record(self.units, self.clock, "orders_out", error.detail or str(error))
            raise
        record(self.units, self.clock, "orders_out")
        return order.external_id


@dataclass
class CustomerOut:
    """Sends customers created at the till to the shop (``webshop.customer`` rows)."""

    units: UnitOfWorkFactory
    clock: Clock
    shop: Callable[[], WebShop]
    kind: str = CUSTOMER_KIND

    def handle(self, message: OutboxMessage) -> str | None:
        """Deliver a ``webshop.customer`` row: a linked customer's fields replace the
        shop's; one not linked is found or created in the shop and linked (a customer
        without e-mail is kept here only, and reported)."""
        number = str(message.payload.get("customer", ""))
        with self.units(read_only=True) as uow:
            linked = uow.webshop.external_customer(number)
            customer = uow.customers.get(number)
        if customer is None:
            return linked
        if linked is not None:
            return self._update(number, _shop_customer(linked, customer))
        shop = self.shop()
        try:
            external = shop.find_customer(customer.email, customer.phone)
            if external is None:
                if not customer.email:
                    self._problem(f"customer {number} has no e-mail: not sent to the shop")
                    return None
                external = shop.add_customer(_shop_customer("", customer))
        except DeliveryError as error:
            record(self.units, self.clock, "customers_out", error.detail or str(error))
            raise
        with self.units() as uow:
            if uow.webshop.customer_of(external) is None:
                uow.webshop.link_customer(number, external, self.clock.now())
            uow.webshop.set_state({"customers_out.ok_at": self.clock.now().isoformat()})
            uow.commit()
        return external

    def _update(self, number: str, customer: ShopCustomer) -> str | None:
        """Replace the linked shop customer's fields with ours; a customer the shop deleted
        is unlinked and reported."""
        try:
            found = self.shop().update_customer(customer)
        except DeliveryRejected as error:  # stopped until retried: the shop's changes may come in
            self._settle(number, f"customer {number}: the shop refused the change: {error}")
            record(self.units, self.clock, "customers_out", error.detail or str(error))
            raise
        except DeliveryError as error:
            record(self.units, self.clock, "customers_out", error.detail or str(error))
            raise
        if not found:
            self._settle(
                number,
                f"customer {number} was deleted in the shop (id {customer.external_id}): unlinked",
                unlink=True,
            )
            return None
        self._settle(number)
        return customer.external_id

    def _settle(self, number: str, problem: str = "", *, unlink: bool = False) -> None:
        """One change of the customer less waiting; keep ``problem``; ``unlink``: the shop
        deleted its customer."""
        now = self.clock.now()
        with self.units() as uow:
            name = pending_name(number)
            left = 0 if unlink else max(0, _count(uow.webshop.get_state(name)) - 1)
            uow.webshop.set_state({name: str(left)})
            if problem:
                log.warning("%s", problem)
                uow.webshop.add_problem(problem, now)
            if unlink:
                uow.webshop.unlink_customer(number)
            elif not problem:
                uow.webshop.set_state({"customers_out.ok_at": now.isoformat()})
            uow.commit()

    def _problem(self, text: str) -> None:
        log.warning("%s", text)
        with self.units() as uow:
            uow.webshop.add_problem(text, self.clock.now())
            uow.commit()


def _shop_customer(external_id: str, customer: Customer) -> ShopCustomer:
    return ShopCustomer(
        external_id,
        customer.name,
        customer.email,
        customer.phone,
        customer.street,
        customer.postal_code,
        customer.city,
    )
