"""What the web shop and OmniPOS say to each other, in core values (INTEGRATIONS.md §3).

OmniPOS is the stock master: the shop is offered :func:`offered` per linked product, an
absolute whole number, never a delta. Orders come in by cursor; each is imported once
(unique channel + the shop's id). Customers are one register, matched by e-mail, then
phone. Quantities on our side are thousandths (``core.stock.quantity``); the shop counts
whole units.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from omnipos_tui.core.money import Money
from omnipos_tui.core.stock.quantity import SCALE

CHANNEL = "web"
"""The channel of the orders the web shop imports (``core.orders.order.WEB``)."""

SHOP_ACTOR = "webshop"
"""Who the change log names for what the web shop brought in (such changes are not sent
back to the shop)."""

#: Outbox kinds the worker delivers to the shop.
STOCK_KIND = "webshop.stock"
ORDER_KIND = "webshop.order"
CUSTOMER_KIND = "webshop.customer"
CATALOGUE_KIND = "webshop.catalogue"
KINDS = (STOCK_KIND, ORDER_KIND, CUSTOMER_KIND, CATALOGUE_KIND)


def offered(available: int, buffer: int) -> int:
    """What the shop may sell of a product: ``max(0, available - buffer)`` in whole units.

    Args:
        available: On hand less reserved over the real locations, thousandths.
        buffer: Units kept back from the shop, thousandths.
    """
    return max(0, available - buffer) // SCALE


class ShopOrderState(enum.StrEnum):
    """An order's state in the shop, in our words."""

    PENDING = "pending"
    """Placed, not paid (or paid on pick-up)."""
    PAID = "paid"
    """Paid in the shop: never sold again at the till."""
    CANCELLED = "cancelled"
    """Cancelled in the shop: its reservation is released."""
    REFUNDED = "refunded"
    """Paid, then refunded in the shop: released like a cancel before it is handed over;
    after, the owner is told (the goods come back at the till)."""
    DONE = "done"
    """Completed in the shop."""


@dataclass(frozen=True, slots=True)
class ShopProduct:
    """A product as the shop has it.

    Attributes:
        external_id: The shop's id.
        sku: The shop's SKU ("" when none).
        name: Its name.
        stock: The quantity the shop offers (whole units), None when it does not count.
        barcode: A barcode the shop keeps (GTIN/UPC), "" when none.
    """

    external_id: str
    sku: str
    name: str = ""
    stock: int | None = None
    barcode: str = ""


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """What OmniPOS pushes of a linked product (the catalogue out).

    Attributes:
        external_id: The shop's id.
        sku: Our SKU.
        name: Our name.
        price: Price incl. VAT.
        vat_rate: VAT rate in percent ("25", "15", "0").
        active: Sold at all.
    """

    external_id: str
    sku: str
    name: str
    price: Money
    vat_rate: str
    active: bool


@dataclass(frozen=True, slots=True)
class ShopCustomer:
    """A customer as the shop has them (or as we send them).

    Attributes:
        external_id: The shop's id ("" when not yet in the shop).
        name: Full name ("" when the shop has none).
        email: E-mail ("" when none).
        phone: Phone ("" when none).
        street: Street address.
        postal_code: Postal code.
        city: Postal place.
    """

    external_id: str
    name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""


@dataclass(frozen=True, slots=True)
class ShopOrderLine:
    """A line of a web order.

    Attributes:
        sku: The shop's SKU for it ("" when the shop has none).
        name: What the shop called it.
        quantity: Whole units.
        unit_price: Price per unit incl. VAT.
    """

    sku: str
    name: str
    quantity: int
    unit_price: Money


@dataclass(frozen=True, slots=True)
class ShopOrder:
    """A web order as the shop has it.

    Attributes:
        external_id: The shop's id (unique in the shop).
        state: Where it is in the shop.
        modified_at: When the shop last changed it (the cursor).
        customer: Who ordered (the shop's customer id may be "": a guest).
        lines: What was ordered.
        total: The order's total incl. VAT.
        ship: Sent by a carrier (False: collected in the shop).
        note: The customer's note.
    """

    external_id: str
    state: ShopOrderState
    modified_at: datetime
    customer: ShopCustomer
    lines: tuple[ShopOrderLine, ...]
    total: Money
    ship: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class OrderPage:
    """What one pull brought.

    Attributes:
        orders: Orders changed after the cursor, oldest change first.
        cursor: The cursor for the next pull (the last change seen).
    """

    orders: tuple[ShopOrder, ...]
    cursor: str


@dataclass(frozen=True, slots=True)
class CustomerPage:
    """Customers changed after a cursor.

    Attributes:
        customers: The customers.
        cursor: The cursor for the next pull.
    """

    customers: tuple[ShopCustomer, ...]
    cursor: str


@dataclass(frozen=True, slots=True)
class StockPush:
    """One absolute stock level for the shop.

    Attributes:
        external_id: The shop's product id.
        sku: Our SKU (for messages).
        quantity: Whole units the shop may sell.
    """

    external_id: str
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Drift:
    """A linked product whose stock in the shop differs from what we offer.

    Attributes:
        sku: Our SKU.
        external_id: The shop's id.
        shop: What the shop says (None: it does not count, or the product is gone).
        ours: What we offer.
    """

    sku: str
    external_id: str
    shop: int | None
    ours: int


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What ``webshop link`` did.

    Attributes:
        linked: (our SKU, the shop's id) newly linked.
        already: SKUs that were linked before.
        only_in_shop: The shop's products we do not have (SKU or name): reported, never
            invented.
        not_in_shop: Our SKUs asked for that the shop does not have.
    """

    linked: tuple[tuple[str, str], ...] = ()
    already: tuple[str, ...] = ()
    only_in_shop: tuple[str, ...] = ()
    not_in_shop: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one pull of orders did.

    Attributes:
        imported: (the shop's id, our order number) imported now.
        known: Shop ids already in the register (skipped, or their state applied).
        cancelled: Our order numbers cancelled because the shop cancelled or refunded them.
        paid: Our order numbers paid in the shop after they were imported (now prepaid).
        problems: What the owner must be told (unknown SKUs, refused orders).
        cursor: The cursor stored after the pull.
    """

    imported: tuple[tuple[str, int], ...] = ()
    known: tuple[str, ...] = ()
    cancelled: tuple[int, ...] = ()
    paid: tuple[int, ...] = ()
    problems: tuple[str, ...] = ()
    cursor: str = ""


@dataclass(frozen=True, slots=True)
class DirectionStatus:
    """One direction of the sync at a glance (``webshop status``).

    Attributes:
        direction: "stock", "orders", "customers", "catalogue", "reconcile".
        last_ok: The last successful sync, or None.
        last_error: The last error ("" when the last attempt went well).
        last_error_at: When it happened.
        backlog: Messages waiting to go to the shop in this direction.
        detail: A short figure ("3 drifted", "cursor 2026-12-06T07:00:00").
    """

    direction: str
    last_ok: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    backlog: int = 0
    detail: str = ""


@dataclass(frozen=True, slots=True)
class WebshopStatus:
    """The web shop sync at a glance.

    Attributes:
        kind: "none", "woocommerce" or "oscar".
        url: The shop's address.
        linked_products: Products linked.
        linked_customers: Customers linked.
        web_orders: Web orders in the register.
        directions: Each direction's state.
        problems: Open problems (unknown SKUs, refused orders), newest first.
    """

    kind: str
    url: str
    linked_products: int
    linked_customers: int
    web_orders: int
    directions: tuple[DirectionStatus, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)
