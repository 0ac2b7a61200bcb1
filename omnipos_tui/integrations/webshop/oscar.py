"""django-oscar with django-oscar-api behind the ``WebShop`` port: the open-source shop the
whole sync is proven against end to end (``scripts/webshop-peer`` starts one here).

Products, their stock records and users through django-oscar-api's admin API
(``/api/admin/``; the shop must set ``OSCARAPI_BLOCK_ADMIN_API_ACCESS = False``); orders
changed since a time and an order's status through the small OmniPOS plug-in app
(``scripts/oscar_peer/omnipos_oscar``, ``/api/omnipos/``), since the admin API lists
orders without a change time and keeps them read-only. Staff user and password as HTTP
basic auth.

Stock: Oscar offers ``num_in_stock - num_allocated`` (it allocates on checkout and frees
on shipping), so the absolute level we push is written as ``num_in_stock = offered +
num_allocated``. Oscar's default pricing has no VAT: the price pushed is incl. VAT, the
VAT class is not sent. An order exists in Oscar only once its checkout took payment, so
"Pending" and "Being processed" count as paid.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
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

SHOP = "django-oscar"
PARTNER = "omnipos"
PRODUCT_CLASS = "omnipos"

#: Our order status -> Oscar's (the peer's pipeline: Pending, Being processed, Complete,
#: Cancelled).
STATUS_OUT = {
    "open": "Being processed",
    "reserved": "Being processed",
    "picked": "Being processed",
    "packed": "Being processed",
    "shipped": "Complete",
    "delivered": "Complete",
    "picked_up": "Complete",
    "cancelled": "Cancelled",
}
STATUS_IN = {
    "Pending": ShopOrderState.PAID,
    "Being processed": ShopOrderState.PAID,
    "Complete": ShopOrderState.DONE,
    "Cancelled": ShopOrderState.CANCELLED,
}


class OscarShop:
    """:class:`~omnipos_tui.core.webshop.ports.WebShop` for django-oscar.

    Args:
        url: The shop's address ("http://127.0.0.1:8765").
        username: A staff user (``[webshop] username`` in secrets.toml).
        password: Its password (``[webshop] password``).
        timeout_s: Seconds to wait for an answer.
        client: An httpx client to use (one is made, and closed by :meth:`close`).
    """

    kind = "oscar"

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        timeout_s: float = TIMEOUT_S,
        client: httpx.Client | None = None,
    ) -> None:
        self._base = url.rstrip("/")
        self._username = username
        self._timeout = timeout_s
        self._client = client or httpx.Client()
        self._client.auth = httpx.BasicAuth(username, password)
        self._own = client is None

    def close(self) -> None:
        """Close the HTTP client this adapter made."""
        if self._own:
            self._client.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        url = path if path.startswith("http") else self._base + path
        return call(self._client, method, url, shop=SHOP, timeout_s=self._timeout, **kwargs)

    def _list(self, path: str) -> Iterator[dict[str, Any]]:
        """A collection, paged or not (django-rest-framework's ``results``/``next``)."""
        for page in self._pages(path):
            yield from page

    def _pages(self, path: str) -> Iterator[list[dict[str, Any]]]:
        """A collection one answer at a time (an unpaged one is one page)."""
        url: str | None = path
        while url:
            data = json_of(self._call("GET", url), SHOP)
            if isinstance(data, list):
                yield [i for i in data if isinstance(i, dict)]
                return
            if not isinstance(data, dict):
                raise DeliveryDeferred(f"{SHOP} {path}: unexpected answer {type(data).__name__}")
            yield [i for i in data.get("results", []) if isinstance(i, dict)]
            url = data.get("next")

    # --- set-up ------------------------------------------------------------------------------

    def check(self) -> str:
        """The shop's partners (proves the staff user and the open admin API)."""
        partners = list(self._list("/api/admin/partners/"))
        return f"{SHOP} at {self._base} ({len(partners)} partner(s), admin API open)"

    def setup(self) -> list[str]:
        """The partner and product class the adapter uses, made when missing."""
        done = []
        partners = {p.get("code"): p for p in self._list("/api/admin/partners/")}
        if PARTNER in partners:
            done.append(f"partner {PARTNER!r} is there")
        else:
            self._call("POST", "/api/admin/partners/", body={"name": "OmniPOS", "code": PARTNER})
            done.append(f"partner {PARTNER!r} made")
        classes = {c.get("slug") for c in self._list("/api/admin/productclasses/")}
        if PRODUCT_CLASS in classes:
            done.append(f"product class {PRODUCT_CLASS!r} is there")
        else:
            body = {
                "name": "OmniPOS",
                "slug": PRODUCT_CLASS,
                "requires_shipping": True,
                "track_stock": True,
            }
            self._call("POST", "/api/admin/productclasses/", body=body)
            done.append(f"product class {PRODUCT_CLASS!r} made (tracks stock)")
        return done

    # --- products ----------------------------------------------------------------------------

    def products(self) -> Iterator[ShopProduct]:
        """Every product with its first stock record."""
        for item in self._list("/api/admin/products/"):
            yield _product(item)

    def product_stock(self, external_ids: Sequence[str]) -> Iterator[dict[str, int | None]]:
        """What the shop offers of these products, a page of the product list at a time
        (None: no stock record, or gone)."""
        wanted = set(external_ids)
        for page in self._pages("/api/admin/products/"):
            products = (_product(item) for item in page)
            yield {p.external_id: p.stock for p in products if p.external_id in wanted}

    def _records(self, ids: Sequence[str]) -> dict[str, dict[str, Any] | None]:
        """The first stock record of each product (None: the product is gone)."""
        if len(ids) > 20:
            found: dict[str, dict[str, Any] | None] = dict.fromkeys(ids)
            for item in self._list("/api/admin/products/"):
                if str(item.get("id")) in found:
                    found[str(item["id"])] = _record(item) or {}
            return found
        out: dict[str, dict[str, Any] | None] = {}
        for pid in ids:
            answer = self._call("GET", f"/api/admin/products/{int(pid)}/", missing_ok=True)
            out[pid] = None if answer.status_code == 404 else (_record(json_of(answer, SHOP)) or {})
        return out

    def set_stock(self, pushes: Sequence[StockPush]) -> list[str]:
        """``num_in_stock = offered + num_allocated`` per stock record; returns the ids of
        products the shop no longer has."""
        records = self._records([p.external_id for p in pushes])
        gone = []
        for push in pushes:
            record = records.get(push.external_id)
            if record is None:
                gone.append(push.external_id)
                continue
            if not record:
                log.warning(
                    "%s product %s has no stock record: stock not sent", SHOP, push.external_id
                )
                continue
            wanted = push.quantity + int(record.get("num_allocated") or 0)
            if record.get("num_in_stock") != wanted:
                self._call("PATCH", str(record["url"]), body={"num_in_stock": wanted})
        return gone

    def set_catalogue(self, entries: Sequence[CatalogueEntry]) -> list[str]:
        """Title and public flag on the product, the price incl. VAT on its stock record."""
        records = self._records([e.external_id for e in entries])
        gone = []
        for entry in entries:
            record = records.get(entry.external_id)
            if record is None:
                gone.append(entry.external_id)
                continue
            body = {"title": entry.name, "is_public": entry.active}
            self._call("PATCH", f"/api/admin/products/{int(entry.external_id)}/", body=body)
            if record:
                self._call("PATCH", str(record["url"]), body={"price": entry.price.saft()})
        return gone

    # --- orders ------------------------------------------------------------------------------

    def orders_since(self, cursor: str) -> OrderPage:
        """Orders placed or changed after ``cursor`` (the OmniPOS plug-in)."""
        params = {"since": cursor} if cursor else None
        items = json_of(self._call("GET", "/api/omnipos/orders/", params=params), SHOP)
        orders = (
            [_order(i) for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        )
        orders.sort(key=lambda o: (o.modified_at, o.external_id))
        return OrderPage(tuple(orders), orders[-1].modified_at.isoformat() if orders else cursor)

    def set_order_state(self, external_id: str, state: str, note: str) -> None:
        """Our status in Oscar's pipeline (the plug-in, through Oscar's event handler)."""
        body = {"status": STATUS_OUT.get(state, "Being processed"), "note": note}
        self._call("POST", f"/api/omnipos/orders/{int(external_id)}/status/", body=body)

    # --- customers ---------------------------------------------------------------------------

    def _users(self) -> list[ShopCustomer]:
        return [
            _customer(u)
            for u in self._list("/api/admin/users/")
            if u.get("username") != self._username
        ]

    def customers_since(self, cursor: str) -> CustomerPage:
        """Every user but our staff user: Oscar keeps no change time on its users, so each
        pull reads them all (what is the same changes nothing); the cursor is the newest
        ``date_joined`` (for ``webshop status``)."""
        users = sorted(
            (
                (str(u.get("date_joined") or ""), _customer(u))
                for u in self._list("/api/admin/users/")
                if u.get("username") != self._username
            ),
            key=lambda pair: pair[0],
        )
        return CustomerPage(tuple(c for _, c in users), users[-1][0] if users else cursor)

    def find_customer(self, email: str, phone: str) -> str | None:
        """By e-mail (Oscar keeps no phone on its users)."""
        if not email:
            return None
        for customer in self._users():
            if customer.email.lower() == email.lower():
                return customer.external_id
        return None

    def add_customer(self, customer: ShopCustomer) -> str:
        """A user in the shop (user name = e-mail, as Oscar logs in by e-mail)."""
        first, _, last = customer.name.partition(" ")
        body = {
            "username": customer.email[:150],
            "email": customer.email,
            "first_name": first,
            "last_name": last,
        }
        return _customer(
            json_of(self._call("POST", "/api/admin/users/", body=body), SHOP)
        ).external_id

    def update_customer(self, customer: ShopCustomer) -> bool:
        """The user's first and last name and e-mail (Oscar's users keep no phone or
        address); False when the user is gone."""
        first, _, last = customer.name.partition(" ")
        body = {"first_name": first, "last_name": last}
        if customer.email:
            body["email"] = customer.email
        response = self._call(
            "PATCH",
            f"/api/admin/users/{int(customer.external_id)}/",
            body=body,
            missing_ok=True,
        )
        return response.status_code != 404


def _record(item: dict[str, Any]) -> dict[str, Any] | None:
    records = item.get("stockrecords") or []
    return records[0] if records and isinstance(records[0], dict) else None


def _product(item: dict[str, Any]) -> ShopProduct:
    record = _record(item)
    stock = None
    if record is not None and record.get("num_in_stock") is not None:
        stock = int(record["num_in_stock"]) - int(record.get("num_allocated") or 0)
    return ShopProduct(
        str(item["id"]),
        str((record or {}).get("partner_sku") or ""),
        str(item.get("title") or ""),
        stock,
        str(item.get("upc") or ""),
    )


def _id_of(item: dict[str, Any]) -> str:
    if item.get("id") is not None:
        return str(item["id"])
    return str(item.get("url", "")).rstrip("/").rsplit("/", 1)[-1]


def _customer(item: dict[str, Any]) -> ShopCustomer:
    name = " ".join(p for p in (item.get("first_name"), item.get("last_name")) if p)
    return ShopCustomer(_id_of(item), name, str(item.get("email") or ""))


def _money(text: object) -> Money:
    try:
        return Money.from_decimal(Decimal(str(text or "0")))
    except (InvalidOperation, ValueError):
        return Money.zero()


def _order(item: dict[str, Any]) -> ShopOrder:
    address = item.get("address") or {}
    customer = ShopCustomer(
        str(item.get("user") or ""),
        str(item.get("name") or address.get("name") or ""),
        str(item.get("email") or ""),
        str(item.get("phone") or ""),
        str(address.get("street") or ""),
        str(address.get("postcode") or ""),
        str(address.get("city") or ""),
    )
    lines = tuple(
        ShopOrderLine(
            str(line.get("sku") or line.get("upc") or ""),
            str(line.get("title") or ""),
            int(line.get("quantity") or 0),
            _money(line.get("unit_price_incl_tax")),
        )
        for line in item.get("lines") or []
    )
    changed = datetime.fromisoformat(str(item["changed"]))
    return ShopOrder(
        external_id=str(item["id"]),
        state=STATUS_IN.get(str(item.get("status")), ShopOrderState.PAID),
        modified_at=changed if changed.tzinfo else changed.replace(tzinfo=UTC),
        customer=customer,
        lines=lines,
        total=_money(item.get("total_incl_tax")),
        ship=bool(item.get("ship")),
        note=f"Oscar order {item.get('number', '')}",
    )
