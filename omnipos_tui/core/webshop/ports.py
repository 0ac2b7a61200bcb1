"""The ``WebShop`` port (an adapter per shop in ``integrations/webshop``) and what the web
shop services need from storage (``storage/webshop.py``).

Adapters raise :class:`~omnipos_tui.core.errors.DeliveryDeferred` when the shop is down,
slow, or answers 429/5xx (with its ``Retry-After``), and
:class:`~omnipos_tui.core.errors.DeliveryRejected` when it refuses what we sent (401, 403,
404, 422: the shop's own words kept), so the outbox retries the first and stops the second
until ``omnipos worker retry``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from omnipos_tui.core.webshop.model import (
    CatalogueEntry,
    CustomerPage,
    OrderPage,
    ShopCustomer,
    ShopProduct,
    StockPush,
)


class WebShop(Protocol):
    """A web shop OmniPOS keeps in step with."""

    kind: str

    def check(self) -> str:
        """Whether the credentials work; returns what the shop says it is.

        Raises:
            DeliveryRejected: Refused credentials.
            DeliveryDeferred: The shop cannot be reached.
        """
        ...

    def setup(self) -> list[str]:
        """Prepare what the adapter needs in the shop (Oscar: a product class and a
        partner); returns what was done or found."""
        ...

    def products(self) -> Iterator[ShopProduct]:
        """Every product the shop has (paged)."""
        ...

    def product_stock(self, external_ids: Sequence[str]) -> Iterator[dict[str, int | None]]:
        """What the shop offers of these products now, one answer (page) of the shop at a
        time, so a caller can do other work between pages (the worker's reconcile). The
        counts of a page are those of the ids it held; an id no page held is not counted or
        gone (None)."""
        ...

    def set_stock(self, pushes: Sequence[StockPush]) -> list[str]:
        """Set absolute stock levels; returns the shop ids that no longer exist."""
        ...

    def set_catalogue(self, entries: Sequence[CatalogueEntry]) -> list[str]:
        """Push name, price, VAT class and active flag; returns ids that no longer exist."""
        ...

    def orders_since(self, cursor: str) -> OrderPage:
        """Orders changed after ``cursor`` ("" for every order), oldest change first."""
        ...

    def set_order_state(self, external_id: str, state: str, note: str) -> None:
        """Tell the shop where one of its orders is in OmniPOS (``state``: our order status)."""
        ...

    def customers_since(self, cursor: str) -> CustomerPage:
        """Customers created or changed since ``cursor`` ("" for every customer; a shop
        that keeps no change time answers every customer each time)."""
        ...

    def find_customer(self, email: str, phone: str) -> str | None:
        """The shop's id of the customer with this e-mail (else phone), if any."""
        ...

    def add_customer(self, customer: ShopCustomer) -> str:
        """Create a customer in the shop; returns the shop's id."""
        ...

    def update_customer(self, customer: ShopCustomer) -> bool:
        """Replace the shop's customer ``customer.external_id`` with these fields (a shop
        that keeps no phone or address takes what it keeps); False when the shop no longer
        has them."""
        ...

    def close(self) -> None:
        """Close the HTTP client."""
        ...


class WebshopRepository(Protocol):
    """The links between our records and the shop's, and the sync's state
    (``uow.webshop``)."""

    def link_product(self, sku: str, external_id: str, at: datetime) -> None:
        """Link a product (replacing an earlier link of that SKU)."""
        ...

    def unlink_product(self, sku: str) -> None:
        """Forget a product's link (the shop deleted it)."""
        ...

    def product_links(self, skus: Sequence[str] | None = None) -> dict[str, str]:
        """SKU -> the shop's id, for every linked product (or those of ``skus``)."""
        ...

    def availability(self, skus: Sequence[str]) -> dict[str, int]:
        """On hand less reserved over the real locations, per SKU (thousandths; 0 for a
        product without stock rows)."""
        ...

    def pushed(self, levels: Mapping[str, int], at: datetime) -> None:
        """Remember what was last pushed per SKU (whole units)."""
        ...

    def link_customer(self, number: str, external_id: str, at: datetime) -> None:
        """Link a customer to the shop's customer (both unique).

        Raises:
            Conflict: One side is linked to another already.
        """
        ...

    def unlink_customer(self, number: str) -> None:
        """Forget a customer's link (the shop deleted its customer)."""
        ...

    def customer_of(self, external_id: str) -> str | None:
        """Our customer number linked to the shop's customer."""
        ...

    def external_customer(self, number: str) -> str | None:
        """The shop's customer id linked to ours."""
        ...

    def customer_by_contact(self, email: str, phone: str) -> str | None:
        """Our customer with this e-mail (case-insensitive), else this phone (digits
        compared), if exactly one is found."""
        ...

    def get_state(self, name: str) -> str:
        """A value of the sync's state ("" when unset)."""
        ...

    def set_state(self, values: Mapping[str, str]) -> None:
        """Set values of the sync's state."""
        ...

    def add_problem(self, text: str, at: datetime) -> None:
        """Keep a problem for ``webshop status`` (the newest are shown)."""
        ...

    def problems(self, *, limit: int = 20) -> list[tuple[datetime, str]]:
        """The newest problems first."""
        ...

    def counts(self) -> tuple[int, int, int]:
        """Linked products, linked customers, web orders."""
        ...
