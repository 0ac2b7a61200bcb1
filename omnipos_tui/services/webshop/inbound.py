"""Orders and customers coming in from the web shop (pulled by cursor by ``omnipos
worker``; INTEGRATIONS.md §3).

An order is imported once: the order register refuses a second order with the same
channel and shop id, so a pull that is repeated after a crash (the cursor is stored after
each order) skips what it imported already. Its lines are reserved at once by the order
service; a line for stock that was sold in the meantime is back-ordered, never dropped;
a line for a SKU we do not know is left out of the order and kept as a problem for
``webshop status``. A cancel in the shop releases the reservation. The customer is found
by the link, else by e-mail, then phone, else created, and linked in the same commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import PosError, RuleViolation
from omnipos_tui.core.orders.order import Address, Delivery, OrderStatus, PaymentState
from omnipos_tui.core.repositories import MasterDataChange, UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.quantity import SCALE
from omnipos_tui.core.webshop.model import (
    CHANNEL,
    SHOP_ACTOR,
    ImportResult,
    ShopCustomer,
    ShopOrder,
    ShopOrderState,
)
from omnipos_tui.core.webshop.ports import WebShop
from omnipos_tui.services.catalogue.service import record_master_data_changes
from omnipos_tui.services.customers.service import checked_customer, update_customer
from omnipos_tui.services.orders.service import OrderService
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.services.webshop.outbound import customer_pending

log = logging.getLogger(__name__)

ACTOR = SHOP_ACTOR
"""Who the change log names for what the web shop brought in (not sent back)."""


@dataclass(frozen=True, slots=True)
class Inbound:
    """Pulls orders and customers from the shop into the registers.

    Args:
        units: Opens units of work.
        clock: The time.
        shop: The shop (built on first use).
        orders: The order register's use cases.
    """

    units: UnitOfWorkFactory
    clock: Clock
    shop: Callable[[], WebShop]
    orders: OrderService

    # --- orders ---------------------------------------------------------------------------

    def pull_orders(self) -> ImportResult:
        """Import every order changed since the stored cursor (the cursor moves after each
        order, so a crash part-way repeats only the order in hand, which is then known).

        Raises:
            DeliveryDeferred, DeliveryRejected: The shop could not be asked.
        """
        with self.units(read_only=True) as uow:
            cursor = uow.webshop.get_state("orders.cursor")
        page = self.shop().orders_since(cursor)
        result = ImportResult(cursor=cursor)
        for order in page.orders:
            result = self._one_order(order, result)
            self._set_cursor(order.modified_at.isoformat())
            result = replace(result, cursor=order.modified_at.isoformat())
        if page.cursor and page.cursor != result.cursor:
            self._set_cursor(page.cursor)
            result = replace(result, cursor=page.cursor)
        return result

    def _set_cursor(self, cursor: str) -> None:
        with self.units() as uow:
            uow.webshop.set_state({"orders.cursor": cursor})
            uow.commit()

    def _one_order(self, order: ShopOrder, result: ImportResult) -> ImportResult:
        with self.units(read_only=True) as uow:
            number = uow.orders.by_external(CHANNEL, order.external_id)
        if number is not None:
            return self._known(order, number, result)
        if order.state in (ShopOrderState.CANCELLED, ShopOrderState.REFUNDED):
            return replace(result, known=(*result.known, order.external_id))
        customer = self.customer_in(order.customer)
        lines, unknown = self._lines(order)
        problems = [
            f"web order {order.external_id}: unknown SKU {sku!r} ({name}) left out"
            for sku, name in unknown
        ]
        if not lines:
            problems.append(f"web order {order.external_id}: no line we know; not imported")
            self._problems(problems)
            return replace(result, problems=(*result.problems, *problems))
        try:
            details = self.orders.new(
                customer,
                lines,
                channel=CHANNEL,
                external=order.external_id,
                delivery=Delivery.SHIP
                if order.ship and _has_address(order.customer)
                else Delivery.PICKUP,
                payment=PaymentState.PREPAID
                if order.state in (ShopOrderState.PAID, ShopOrderState.DONE)
                else PaymentState.PAY_AT_PICKUP,
                address=_address(order.customer) if order.ship else None,
                note=order.note[:500],
            )
        except RuleViolation as error:
            if error.code == "order.duplicate_external":  # imported by another worker
                return replace(result, known=(*result.known, order.external_id))
            problems.append(f"web order {order.external_id} refused: {error}")
            self._problems(problems)
            return replace(result, problems=(*result.problems, *problems))
        except PosError as error:
            problems.append(f"web order {order.external_id} refused: {error}")
            self._problems(problems)
            return replace(result, problems=(*result.problems, *problems))
        self._problems(problems)
        log.info("web order %s imported as order %s", order.external_id, details.order.number)
        return replace(
            result,
            imported=(*result.imported, (order.external_id, details.order.number)),
            problems=(*result.problems, *problems),
        )

    def _known(self, order: ShopOrder, number: int, result: ImportResult) -> ImportResult:
        """An order imported before: the register follows the shop's payment state. Paid
        in the shop after the import: prepaid from now on (handed over, never sold again
        at the till); cancelled or refunded: cancelled here, its reservation released; a
        refund after the goods were handed over is reported (the return is the till's)."""
        known = replace(result, known=(*result.known, order.external_id))
        current = self.orders.show(number).order
        if order.state in (ShopOrderState.PAID, ShopOrderState.DONE):
            if current.payment is PaymentState.PAY_AT_PICKUP and not current.status.final:
                self._paid(number)
                return replace(known, paid=(*known.paid, number))
            return known
        if order.state not in (ShopOrderState.CANCELLED, ShopOrderState.REFUNDED):
            return known
        refunded = order.state is ShopOrderState.REFUNDED
        if current.status.final:
            if refunded and current.status is not OrderStatus.CANCELLED:
                self._problems(
                    [
                        f"web order {order.external_id} (order {number}) was refunded in the "
                        f"shop after it was {current.status.label}: take the goods back at the "
                        "till"
                    ]
                )
            return known
        try:
            self.orders.cancel(
                number, reason=f"{'refunded' if refunded else 'cancelled'} in the web shop"
            )
        except RuleViolation as error:
            self._problems([f"web order {order.external_id} (order {number}): {error}"])
            return known
        return replace(known, cancelled=(*known.cancelled, number))

    def _paid(self, number: int) -> None:
        """The order is prepaid from now on (its payment history keeps that it was not)."""
        with self.units() as uow:
            order = uow.orders.get(number, lock=True)
            if order is not None and order.payment is PaymentState.PAY_AT_PICKUP:
                uow.orders.set_payment(
                    number, PaymentState.PREPAID, self.clock.now(), "paid in the web shop"
                )
            uow.commit()
        log.info("web order %s paid in the shop: prepaid", number)

    def _lines(self, order: ShopOrder) -> tuple[list[LineInput], list[tuple[str, str]]]:
        """The lines we know (by SKU, then barcode, active), and the others."""
        codes = [line.sku for line in order.lines if line.sku]
        with self.units(read_only=True) as uow:
            products = uow.catalogue.products_by_skus(codes)
            owners = uow.catalogue.barcode_owners([c for c in codes if c not in products])
            by_owner = uow.catalogue.products_by_skus(owners.values())
        known: list[LineInput] = []
        unknown: list[tuple[str, str]] = []
        for line in order.lines:
            product = products.get(line.sku) or by_owner.get(owners.get(line.sku, ""))
            if product is None or not product.active or line.quantity <= 0:
                unknown.append((line.sku, line.name))
                continue
            known.append(LineInput(product.sku, str(line.quantity), line.unit_price.format()))
        return known, unknown

    def _problems(self, texts: list[str]) -> None:
        if not texts:
            return
        with self.units() as uow:
            for text in texts:
                log.warning("%s", text)
                uow.webshop.add_problem(text, self.clock.now())
            uow.commit()

    # --- customers ------------------------------------------------------------------------

    def customer_in(self, shop_customer: ShopCustomer) -> str:
        """Our customer for the shop's: linked, else matched by e-mail then phone (and
        linked), else created and linked, in one commit. A guest (no shop id) is matched
        the same way and created without a link."""
        with self.units() as uow:
            number = self._customer_in(uow, shop_customer)
            uow.commit()
        return number

    def _customer_in(self, uow: UnitOfWork, shop_customer: ShopCustomer) -> str:
        external = shop_customer.external_id
        if external:
            linked = uow.webshop.customer_of(external)
            if linked is not None:
                return linked
        number = uow.webshop.customer_by_contact(shop_customer.email, shop_customer.phone)
        if number is None:
            number = self._create(uow, shop_customer)
        if external and uow.webshop.external_customer(number) is None:
            uow.webshop.link_customer(number, external, self.clock.now())
        return number

    def _create(self, uow: UnitOfWork, shop_customer: ShopCustomer) -> str:
        name = shop_customer.name.strip() or shop_customer.email.strip()
        name = name or f"Web customer {shop_customer.external_id or 'guest'}"
        draft = Customer(
            number=uow.customers.next_number(),
            name=name,
            phone=shop_customer.phone,
            email=shop_customer.email,
            street=shop_customer.street,
            postal_code=shop_customer.postal_code,
            city=shop_customer.city,
        )
        try:
            customer = checked_customer(draft)
        except PosError:  # a phone or e-mail we would not take: keep the name and address
            customer = checked_customer(replace(draft, phone="", email=""))
        uow.customers.add(customer)
        record_master_data_changes(
            uow,
            [
                MasterDataChange(
                    self.clock.now(),
                    ACTOR,
                    "customer",
                    customer.number,
                    "created",
                    "",
                    customer.name,
                )
            ],
        )
        return customer.number

    def _changed_in(self, uow: UnitOfWork, number: str, shop_customer: ShopCustomer) -> None:
        """Apply the shop's changes to a linked customer (name, e-mail, phone, address):
        a field the shop leaves empty never clears ours (Oscar keeps no phone); while a
        change of ours is waiting to go out, ours is the newer and is kept; a value we
        would not take (a bad e-mail) is reported and the customer left as it was."""
        ours = uow.customers.get(number)
        if ours is None or customer_pending(uow, number):
            return
        wanted: dict[str, Any] = {  # text fields only (replace() also sees ``active``)
            field: value.strip()
            for field in _FIELDS
            if (value := str(getattr(shop_customer, field))).strip()
            and value.strip() != getattr(ours, field)
        }
        if not wanted:
            return
        try:
            update_customer(uow, replace(ours, **wanted), at=self.clock.now(), actor=ACTOR)
        except PosError as error:
            text = f"the shop's customer {shop_customer.external_id} (ours {number}): {error}"
            log.warning("%s", text)
            uow.webshop.add_problem(text, self.clock.now())

    def pull_customers(self) -> list[str]:
        """Bring in the shop's customers created or changed since the stored cursor: a new
        one is matched (e-mail, then phone) or created, and linked; a linked one's changes
        are applied (see :meth:`_changed_in`). Returns our numbers of those not linked
        before."""
        with self.units(read_only=True) as uow:
            cursor = uow.webshop.get_state("customers.cursor")
        page = self.shop().customers_since(cursor)
        added: list[str] = []
        for shop_customer in page.customers:
            with self.units() as uow:
                known = uow.webshop.customer_of(shop_customer.external_id)
                if known is None:
                    added.append(self._customer_in(uow, shop_customer))
                else:
                    self._changed_in(uow, known, shop_customer)
                uow.commit()
        with self.units() as uow:
            uow.webshop.set_state({"customers.cursor": page.cursor})
            uow.commit()
        return added


_FIELDS = ("name", "email", "phone", "street", "postal_code", "city")


def _has_address(customer: ShopCustomer) -> bool:
    return bool(customer.street and customer.postal_code and customer.city)


def _address(customer: ShopCustomer) -> Address | None:
    if not _has_address(customer):
        return None
    return Address(customer.name, customer.street, customer.postal_code, customer.city)


def whole_units(quantity: int) -> int:
    """Thousandths as whole units (rounded down)."""
    return quantity // SCALE
