"""WooCommerce REST API v3 (``/wp-json/wc/v3``) behind the ``WebShop`` port.

Shapes from the community OpenAPI description in ``../shared/reference/webshop/woocommerce/``
and WooCommerce's documentation; every request this adapter makes is validated against
that description in the tests. Consumer key and secret go as HTTP basic auth (over HTTPS).
Collections are paged (``per_page`` 100, ``X-WP-TotalPages``); stock and catalogue go in
``products/batch`` requests of at most 100 products (WooCommerce's limit); orders are
pulled by ``modified_after`` in order of modification (GMT), customers by id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from omnipos_tui.core.errors import DeliveryDeferred
from omnipos_tui.core.money import Money
from omnipos_tui.core.webshop.model import (
    CatalogueEntry,
    CustomerPage,
    OrderPage,
    ShopCustomer,
    ShopOrder,
    ShopOrderLine,
    ShopOrderState,
    ShopProduct,
    StockPush,
)
from omnipos_tui.integrations.webshop.http import TIMEOUT_S, call, json_of

log = logging.getLogger(__name__)

API = "/wp-json/wc/v3"
PAGE = 100
BATCH = 100
SHOP = "WooCommerce"

#: Our order status -> WooCommerce's.
STATUS_OUT = {
    "open": "on-hold",
    "reserved": "processing",
    "picked": "processing",
    "packed": "processing",
    "shipped": "completed",
    "delivered": "completed",
    "picked_up": "completed",
    "cancelled": "cancelled",
}
#: WooCommerce's order status -> ours.
STATUS_IN = {
    "pending": ShopOrderState.PENDING,
    "on-hold": ShopOrderState.PENDING,
    "checkout-draft": ShopOrderState.PENDING,
    "processing": ShopOrderState.PAID,
    "completed": ShopOrderState.DONE,
    "cancelled": ShopOrderState.CANCELLED,
    "refunded": ShopOrderState.REFUNDED,
    "failed": ShopOrderState.CANCELLED,
    "trash": ShopOrderState.CANCELLED,
}
#: Our VAT rate (percent) -> WooCommerce's tax class ("" is the standard class).
TAX_CLASS = {"25": "", "15": "reduced-rate", "12": "reduced-rate", "0": "zero-rate"}


class WooCommerceShop:
    """:class:`~omnipos_tui.core.webshop.ports.WebShop` for WooCommerce.

    Args:
        url: The shop's address ("https://butikk.no").
        consumer_key: ``[webshop] consumer_key`` in secrets.toml.
        consumer_secret: ``[webshop] consumer_secret``.
        timeout_s: Seconds to wait for an answer.
        client: An httpx client to use (one is made, and closed by :meth:`close`).
    """

    kind = "woocommerce"

    def __init__(
        self,
        *,
        url: str,
        consumer_key: str,
        consumer_secret: str,
        timeout_s: float = TIMEOUT_S,
        client: httpx.Client | None = None,
    ) -> None:
        self._base = url.rstrip("/") + API
        self._timeout = timeout_s
        self._client = client or httpx.Client(auth=(consumer_key, consumer_secret))
        if client is not None:
            self._client.auth = httpx.BasicAuth(consumer_key, consumer_secret)
        self._own = client is None

    def close(self) -> None:
        """Close the HTTP client this adapter made."""
        if self._own:
            self._client.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return call(
            self._client, method, self._base + path, shop=SHOP, timeout_s=self._timeout, **kwargs
        )

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        page = 1
        while True:
            response = self._call("GET", path, params={**params, "per_page": PAGE, "page": page})
            items = json_of(response, SHOP)
            if not isinstance(items, list):
                raise DeliveryDeferred(
                    f"{SHOP} {path}: expected a list, got {type(items).__name__}"
                )
            yield from (i for i in items if isinstance(i, dict))
            pages = int(response.headers.get("X-WP-TotalPages", "1") or 1)
            if page >= pages or not items:
                return
            page += 1

    # --- the port ---------------------------------------------------------------------------

    def check(self) -> str:
        """The shop's product count (proves the key and secret work)."""
        response = self._call("GET", "/products", params={"per_page": 1})
        return f"{SHOP} at {self._base} ({response.headers.get('X-WP-Total', '?')} products)"

    def setup(self) -> list[str]:
        """Nothing to prepare in WooCommerce (products are linked by SKU)."""
        return ["WooCommerce needs no preparation: products are linked by SKU"]

    def products(self) -> Iterator[ShopProduct]:
        """Every product (paged)."""
        for item in self._pages("/products", {}):
            yield _product(item)

    def product_stock(self, external_ids: Sequence[str]) -> Iterator[dict[str, int | None]]:
        """What the shop offers of these products, a page (of ``PAGE`` ids) at a time
        (None: not counted, or gone)."""
        ids = [int(i) for i in external_ids]
        for start in range(0, len(ids), PAGE):
            part = ids[start : start + PAGE]
            items = self._pages("/products", {"include": ",".join(map(str, part))})
            yield {p.external_id: p.stock for p in map(_product, items)}

    def set_stock(self, pushes: Sequence[StockPush]) -> list[str]:
        """Absolute quantities by ``products/batch``; returns the ids WooCommerce no longer
        has."""
        updates = [
            {"id": int(p.external_id), "manage_stock": True, "stock_quantity": p.quantity}
            for p in pushes
        ]
        return self._batch(updates)

    def set_catalogue(self, entries: Sequence[CatalogueEntry]) -> list[str]:
        """Name, regular price incl. VAT, tax class and published/draft."""
        updates = [
            {
                "id": int(e.external_id),
                "name": e.name,
                "regular_price": e.price.saft(),
                "tax_class": TAX_CLASS.get(e.vat_rate, ""),
                "status": "publish" if e.active else "draft",
            }
            for e in entries
        ]
        return self._batch(updates)

    def _batch(self, updates: list[dict[str, Any]]) -> list[str]:
        gone: list[str] = []
        for start in range(0, len(updates), BATCH):
            part = updates[start : start + BATCH]
            answer = json_of(self._call("POST", "/products/batch", body={"update": part}), SHOP)
            for asked, item in zip(
                part, answer.get("update", []) if isinstance(answer, dict) else [], strict=False
            ):
                if isinstance(item, dict) and item.get("error"):
                    log.warning("%s: product %s: %s", SHOP, asked["id"], item["error"])
                    gone.append(str(asked["id"]))
        return gone

    def orders_since(self, cursor: str) -> OrderPage:
        """Orders modified after ``cursor`` (a GMT time; a second earlier is asked, since
        WooCommerce compares whole seconds: what comes twice is known already)."""
        params: dict[str, Any] = {"orderby": "modified", "order": "asc", "dates_are_gmt": True}
        if cursor:
            since = datetime.fromisoformat(cursor) - timedelta(seconds=1)
            params["modified_after"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        orders = [_order(item) for item in self._pages("/orders", params)]
        orders.sort(key=lambda o: (o.modified_at, o.external_id))
        return OrderPage(tuple(orders), orders[-1].modified_at.isoformat() if orders else cursor)

    def set_order_state(self, external_id: str, state: str, note: str) -> None:
        """Our status in WooCommerce's words (``PUT orders/{id}``)."""
        status = STATUS_OUT.get(state, "processing")
        self._call("PUT", f"/orders/{int(external_id)}", body={"status": status})

    def customers_since(self, cursor: str) -> CustomerPage:
        """Customers created or changed at or after ``cursor`` (a GMT time: their
        ``date_modified_gmt``). WooCommerce has no ``modified_after`` for customers, so
        every page is read and filtered here; the last one seen comes again next time
        (harmless: what is the same changes nothing). An older cursor (an id) starts
        afresh."""
        since = cursor if "T" in cursor else ""
        found: list[tuple[str, ShopCustomer]] = []
        for item in self._pages("/customers", {"orderby": "id", "order": "asc", "role": "all"}):
            changed = str(item.get("date_modified_gmt") or item.get("date_created_gmt") or "")
            if changed >= since:
                found.append((changed, _customer(item)))
        found.sort(key=lambda pair: (pair[0], int(pair[1].external_id or 0)))
        last = found[-1][0] if found else since
        return CustomerPage(tuple(c for _, c in found), last or cursor)

    def find_customer(self, email: str, phone: str) -> str | None:
        """By e-mail (``customers?email=``), else by phone (``search``)."""
        if email:
            items = json_of(
                self._call("GET", "/customers", params={"email": email, "role": "all"}), SHOP
            )
            if isinstance(items, list) and items:
                return str(items[0]["id"])
        if phone:
            items = json_of(
                self._call("GET", "/customers", params={"search": phone, "role": "all"}), SHOP
            )
            for item in items if isinstance(items, list) else []:
                if _digits(item.get("billing", {}).get("phone", "")) == _digits(phone):
                    return str(item["id"])
        return None

    def add_customer(self, customer: ShopCustomer) -> str:
        """``POST customers``; returns the new id."""
        item = json_of(self._call("POST", "/customers", body=_customer_body(customer)), SHOP)
        return str(item["id"])

    def update_customer(self, customer: ShopCustomer) -> bool:
        """``PUT customers/{id}`` with name, e-mail, and the billing phone and address."""
        response = self._call(
            "PUT",
            f"/customers/{int(customer.external_id)}",
            body=_customer_body(customer),
            missing_ok=True,
        )
        return response.status_code != 404


def _customer_body(customer: ShopCustomer) -> dict[str, Any]:
    """A customer for ``POST``/``PUT customers``: an empty e-mail is left out (WooCommerce
    requires one on its customers; ours may have none)."""
    first, _, last = customer.name.partition(" ")
    billing: dict[str, Any] = {
        "first_name": first,
        "last_name": last,
        "phone": customer.phone,
        "address_1": customer.street,
        "postcode": customer.postal_code,
        "city": customer.city,
        "country": "NO",
    }
    body: dict[str, Any] = {"first_name": first, "last_name": last, "billing": billing}
    if customer.email:
        body["email"] = billing["email"] = customer.email
    return body


def _product(item: dict[str, Any]) -> ShopProduct:
    stock = item.get("stock_quantity") if item.get("manage_stock") else None
    return ShopProduct(
        str(item["id"]),
        str(item.get("sku") or ""),
        str(item.get("name") or ""),
        int(stock) if isinstance(stock, int | float) else None,
    )


def _money(text: object) -> Money:
    try:
        return Money.from_decimal(Decimal(str(text or "0")))
    except (InvalidOperation, ValueError):
        return Money.zero()


def _customer(item: dict[str, Any]) -> ShopCustomer:
    billing = item.get("billing") or {}
    name = " ".join(
        p
        for p in (
            item.get("first_name") or billing.get("first_name"),
            item.get("last_name") or billing.get("last_name"),
        )
        if p
    )
    return ShopCustomer(
        str(item.get("id") or ""),
        name,
        str(item.get("email") or billing.get("email") or ""),
        str(billing.get("phone") or ""),
        str(billing.get("address_1") or ""),
        str(billing.get("postcode") or ""),
        str(billing.get("city") or ""),
    )


def _order(item: dict[str, Any]) -> ShopOrder:
    billing = item.get("billing") or {}
    shipping = item.get("shipping") or {}
    customer_id = item.get("customer_id") or 0
    name = " ".join(p for p in (billing.get("first_name"), billing.get("last_name")) if p)
    customer = ShopCustomer(
        str(customer_id) if customer_id else "",
        name,
        str(billing.get("email") or ""),
        str(billing.get("phone") or ""),
        str(shipping.get("address_1") or billing.get("address_1") or ""),
        str(shipping.get("postcode") or billing.get("postcode") or ""),
        str(shipping.get("city") or billing.get("city") or ""),
    )
    lines = []
    for line in item.get("line_items") or []:
        quantity = int(line.get("quantity") or 0)
        total = _money(line.get("total")) + _money(line.get("total_tax"))
        unit = Money(total.ore // quantity) if quantity else Money.zero()
        lines.append(
            ShopOrderLine(str(line.get("sku") or ""), str(line.get("name") or ""), quantity, unit)
        )
    modified = str(item.get("date_modified_gmt") or item.get("date_created_gmt") or "")
    return ShopOrder(
        external_id=str(item["id"]),
        state=STATUS_IN.get(str(item.get("status")), ShopOrderState.PENDING),
        modified_at=datetime.fromisoformat(modified).replace(tzinfo=UTC),
        customer=customer,
        lines=tuple(lines),
        total=_money(item.get("total")),
        ship=bool(item.get("shipping_lines")),
        note=str(item.get("customer_note") or ""),
    )


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())[-8:]
