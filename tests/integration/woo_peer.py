"""A local WooCommerce REST v3 peer for the adapter's tests: real HTTP on 127.0.0.1, state
kept in memory, every product, customer and order built from the recorded answers shaped
like WooCommerce's documented examples (woo_fixtures.py, tests/data/webshop/woocommerce/
responses), and **every request and every answer validated with openapi-core against the
community OpenAPI spec** (tests/data/webshop/woocommerce, copied from the reference with its
source). A request the spec refuses is answered 400; it and any answer the spec refuses
(less WooCommerce's documented disagreements with it) are kept in
:attr:`WooPeer.violations`, so a test can assert there were none.

Faults on demand: :meth:`WooPeer.fail_next` answers the next requests with a status (401,
404, 429 with ``Retry-After``, 503) or stalls them past the client's timeout."""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict
from woo_fixtures import HOST, links, response_violations, spec, stamped, template

API = "/wp-json/wc/v3"
KEY, SECRET = "ck_test_omnipos", "cs_test_omnipos"
#: An answer: HTTP status, JSON body, extra headers.
Answer = tuple[int, Any, dict[str, str]]


@dataclass
class _Request:
    """An HTTP request as openapi-core reads it (its ``Request`` protocol)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes | None
    host_url: str = HOST
    content_type: str = "application/json"
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(k, v) for k, vs in self.query.items() for v in vs]),
            header=Headers(list(self.headers.items())),
        )


class WooPeer:
    """The shop's state and the server."""

    def __init__(self) -> None:
        self.products: dict[int, dict[str, Any]] = {}
        self.orders: dict[int, dict[str, Any]] = {}
        self.customers: dict[int, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, list[str]], Any]] = []
        self.violations: list[str] = []
        self._faults: list[int | str] = []
        self._next_id = 100
        self._lock = threading.Lock()
        self.now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
        self.server: ThreadingHTTPServer | None = None

    # --- state ------------------------------------------------------------------------------

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _tick(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def add_product(self, sku: str, name: str, stock: int | None = None) -> int:
        """A product as WooCommerce keeps it (the recorded product, renamed)."""
        with self._lock:
            pid = self._id()
            product = template("product")
            slug = name.lower().replace(" ", "-")
            product.update(
                id=pid,
                name=name,
                slug=slug,
                permalink=f"{HOST}/produkt/{slug}/",
                sku=sku,
                price="0.00",
                regular_price="0.00",
                manage_stock=stock is not None,
                stock_quantity=stock,
                categories=[],
            )
            stamped(product, self._tick(), created=True)
            links(product, "products")
            self.products[pid] = product
            return pid

    def add_customer(self, email: str, first: str, last: str, phone: str = "") -> int:
        """A registered customer."""
        with self._lock:
            cid = self._id()
            self.customers[cid] = _customer(cid, email, first, last, phone, self._tick())
            return cid

    def change_customer(self, cid: int, **fields: str) -> None:
        """The customer edits their account: ``first_name``, ``last_name``, ``email`` on the
        customer, ``phone``, ``address_1``, ``postcode``, ``city`` on the billing address."""
        with self._lock:
            customer = self.customers[cid]
            for name, value in fields.items():
                if name in ("first_name", "last_name", "email"):
                    customer[name] = value
                else:
                    customer["billing"][name] = value
            stamped(customer, self._tick())

    def place_order(
        self,
        lines: list[tuple[int, int]],
        *,
        customer_id: int = 0,
        email: str = "guest@example.no",
        first: str = "Gjest",
        last: str = "Kunde",
        phone: str = "",
        status: str = "processing",
        ship: bool = False,
        unknown_sku: str = "",
    ) -> int:
        """A checkout: the order with its lines (product id, quantity); WooCommerce takes
        the quantities off its own stock as it does."""
        with self._lock:
            oid = self._id()
            order = template("order")
            recorded_line = order["line_items"][0]
            items = []
            for n, (pid, quantity) in enumerate(lines, 1):
                product = self.products[pid]
                price = float(product["regular_price"] or 0)
                items.append(
                    _line(
                        recorded_line,
                        oid * 100 + n,
                        product["name"],
                        pid,
                        quantity,
                        price * quantity,
                        product["sku"],
                    )
                )
                if product["manage_stock"]:
                    product["stock_quantity"] = (product["stock_quantity"] or 0) - quantity
            if unknown_sku:
                items.append(
                    _line(
                        recorded_line, oid * 100 + 99, "Ukjent vare", 999999, 1, 100.0, unknown_sku
                    )
                )
            total = sum(float(i["total"]) + float(i["total_tax"]) for i in items)
            tax = sum(float(i["total_tax"]) for i in items)
            address = {
                **order["shipping"],
                "first_name": first,
                "last_name": last,
                "address_1": "Storgata 1",
                "postcode": "0155",
                "city": "Oslo",
                "country": "NO",
            }
            order.update(
                id=oid,
                number=str(oid),
                order_key=f"wc_order_{oid:013d}",
                status=status,
                total=f"{total:.2f}",
                total_tax=f"{tax:.2f}",
                cart_tax=f"{tax:.2f}",
                customer_id=customer_id,
                billing={**order["billing"], **address, "email": email, "phone": phone},
                shipping=address,
                line_items=items,
                shipping_lines=[template("shipping_line")] if ship else [],
            )
            order["tax_lines"][0]["tax_total"] = f"{tax:.2f}"
            stamped(order, self._tick(), created=True)
            links(order, "orders")
            self.orders[oid] = order
            return oid

    def set_order_status(self, oid: int, status: str) -> None:
        """The shop changes an order (the customer cancels it)."""
        with self._lock:
            self.orders[oid]["status"] = status
            stamped(self.orders[oid], self._tick())

    def fail_next(self, *faults: int | str) -> None:
        """Answer the next requests with these statuses ("slow": stall 2 s)."""
        with self._lock:
            self._faults.extend(faults)

    # --- HTTP -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes | None
    ) -> Answer:
        url = urlparse(raw_path)
        query = parse_qs(url.query)
        with self._lock:
            fault = self._faults.pop(0) if self._faults else None
        data = json.loads(body) if body else None
        self.requests.append((method, url.path, query, data))
        request = _Request(method.lower(), url.path, query, headers, body)
        try:
            spec().validate_request(request)
        except Exception as error:  # noqa: BLE001  # every refusal of the spec is a test failure
            text = f"{method} {url.path}: {type(error).__name__}: {error}"
            for cause in getattr(error, "schema_errors", ()) or ():
                text += f"; {cause}"
            self.violations.append(text)
            return 400, {"code": "spec_violation", "message": text}, {}
        if fault == "slow":
            time.sleep(2.0)
        elif isinstance(fault, int):
            extra = {"Retry-After": "7"} if fault == 429 else {}
            return fault, {"code": f"fault_{fault}", "message": f"injected {fault}"}, extra
        if not self._authorised(headers):
            return 401, template("error_cannot_view"), {}
        with self._lock:
            answer = self._route(method, url.path.removeprefix(API), query, data)
        if 200 <= answer[0] < 300:
            for problem in response_violations(request, answer[0], answer[1]):
                self.violations.append(f"answer to {method} {url.path}: {problem}")
        return answer

    @staticmethod
    def _authorised(headers: dict[str, str]) -> bool:
        value = headers.get("Authorization", headers.get("authorization", ""))
        expected = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        return value == expected

    def _route(self, method: str, path: str, query: dict[str, list[str]], data: Any) -> Answer:
        def one(name: str, default: str = "") -> str:
            return query.get(name, [default])[0]

        if method == "GET" and path == "/products":
            items = list(self.products.values())
            if one("include"):
                wanted = {int(i) for i in one("include").split(",")}
                items = [p for p in items if p["id"] in wanted]
            return self._page(items, query)
        if method == "POST" and path == "/products/batch":
            out = []
            for change in data.get("update", []):
                product = self.products.get(int(change["id"]))
                if product is None:
                    out.append({"id": change["id"], "error": template("error_invalid_id")})
                    continue
                product.update({k: v for k, v in change.items() if k != "id"})
                stamped(product, self._tick())
                out.append(product)
            return 200, {"create": [], "update": out, "delete": []}, {}
        if method == "GET" and path == "/orders":
            items = sorted(self.orders.values(), key=lambda o: (o["date_modified_gmt"], o["id"]))
            after = one("modified_after")
            if after:
                limit = after.removesuffix("Z")
                items = [o for o in items if o["date_modified_gmt"] > limit]
            return self._page(items, query)
        if method == "PUT" and path.startswith("/orders/"):
            order = self.orders.get(int(path.rsplit("/", 1)[1]))
            if order is None:
                return (
                    404,
                    {"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID."},
                    {},
                )
            order["status"] = data.get("status", order["status"])
            return 200, order, {}
        if method == "GET" and path == "/customers":
            items = sorted(self.customers.values(), key=lambda c: c["id"])
            if one("email"):
                items = [c for c in items if c["email"].lower() == one("email").lower()]
            if one("search"):
                items = [c for c in items if one("search") in json.dumps(c)]
            return self._page(items, query)
        if method == "POST" and path == "/customers":
            if any(
                c["email"].lower() == str(data.get("email", "")).lower()
                for c in self.customers.values()
            ):
                return 400, template("error_email_exists"), {}
            cid = self._id()
            billing = data.get("billing", {})
            self.customers[cid] = _customer(
                cid,
                data["email"],
                data.get("first_name", ""),
                data.get("last_name", ""),
                billing.get("phone", ""),
                self._tick(),
            )
            self.customers[cid]["billing"].update(billing)
            return 201, self.customers[cid], {}
        if method == "PUT" and path.startswith("/customers/"):
            customer = self.customers.get(int(path.rsplit("/", 1)[1]))
            if customer is None:
                return (
                    404,
                    {
                        "code": "woocommerce_rest_invalid_id",
                        "message": "Invalid resource ID.",
                        "data": {"status": 404},
                    },
                    {},
                )
            customer.update({k: v for k, v in data.items() if k != "billing"})
            customer["billing"].update(data.get("billing", {}))
            stamped(customer, self._tick())
            return 200, customer, {}
        return 404, template("error_no_route"), {}

    @staticmethod
    def _page(items: list[dict[str, Any]], query: dict[str, list[str]]) -> Answer:
        per_page = int(query.get("per_page", ["10"])[0])
        page = int(query.get("page", ["1"])[0])
        pages = max(1, -(-len(items) // per_page))
        part = items[(page - 1) * per_page : page * per_page]
        return 200, part, {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)}


def _customer(
    cid: int, email: str, first: str, last: str, phone: str, at: datetime
) -> dict[str, Any]:
    """A customer as WooCommerce keeps them (the recorded customer, with these details)."""
    customer = template("customer")
    empty = {"address_1": "", "postcode": "", "city": "", "country": "NO"}
    customer.update(
        id=cid,
        email=email,
        first_name=first,
        last_name=last,
        username=email.split("@", maxsplit=1)[0],
        billing={
            **customer["billing"],
            **empty,
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": phone,
        },
        shipping={**customer["shipping"], **empty, "first_name": first, "last_name": last},
    )
    stamped(customer, at, created=True)
    links(customer, "customers")
    return customer


def _line(
    recorded: dict[str, Any],
    line_id: int,
    name: str,
    product_id: int,
    quantity: int,
    gross: float,
    sku: str,
) -> dict[str, Any]:
    """An order line like the recorded one: ``gross`` incl. 25 % VAT."""
    net, tax = gross * 0.8, gross * 0.2
    return {
        **copy.deepcopy(recorded),
        "id": line_id,
        "name": name,
        "product_id": product_id,
        "quantity": quantity,
        "subtotal": f"{net:.2f}",
        "subtotal_tax": f"{tax:.2f}",
        "total": f"{net:.2f}",
        "total_tax": f"{tax:.2f}",
        "taxes": [{"id": 1, "total": f"{tax:.2f}", "subtotal": f"{tax:.2f}"}],
        "sku": sku,
        "price": round(net / quantity, 2) if quantity else 0.0,
    }


@contextmanager
def running_peer() -> Iterator[WooPeer]:
    """Start a peer on a free port of 127.0.0.1; stop it afterwards."""
    peer = WooPeer()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            status, payload, extra = peer.handle(
                self.command, self.path, dict(self.headers.items()), body
            )
            raw = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(raw)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    peer.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()
