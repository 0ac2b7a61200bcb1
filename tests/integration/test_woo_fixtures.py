"""The recorded WooCommerce answers (shaped like WooCommerce's documented examples) against
the community OpenAPI spec, and the adapter's parsing of them: what the peer builds its
answers from is itself checked, and a broken answer is caught."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from woo_fixtures import response_violations, template
from woo_peer import API, _Request

from omnipos_tui.core.money import Money
from omnipos_tui.core.webshop.model import ShopOrderState
from omnipos_tui.integrations.webshop import woocommerce

AUTH = {"Authorization": "Basic Y2s6Y3M="}


def _violations(method: str, path: str, status: int, body: Any) -> list[str]:
    request = _Request(method, API + path, {}, AUTH, b"{}" if method != "get" else None)
    return response_violations(request, status, body)


@pytest.mark.parametrize(
    ("method", "path", "status", "name", "as_list"),
    [
        ("get", "/products", 200, "product", True),
        ("get", "/orders", 200, "order", True),
        ("get", "/customers", 200, "customer", True),
        ("get", "/customers/25", 200, "customer", False),
        ("put", "/customers/25", 200, "customer", False),
        ("post", "/customers", 201, "customer", False),
        ("get", "/products", 401, "error_cannot_view", False),
    ],
)
def test_every_recorded_answer_is_what_the_spec_describes(
    method: str, path: str, status: int, name: str, *, as_list: bool
) -> None:
    body = [template(name)] if as_list else template(name)
    assert _violations(method, path, status, body) == []


def test_the_batch_answer_with_a_refused_item_is_what_the_spec_describes() -> None:
    answer = {
        "create": [],
        "update": [template("product"), {"id": 999, "error": template("error_invalid_id")}],
        "delete": [],
    }
    assert _violations("post", "/products/batch", 200, answer) == []


def test_a_broken_answer_is_caught() -> None:
    product = template("product")
    product["stock_quantity"] = "many"
    order = template("order")
    order["line_items"][0]["quantity"] = "three"
    assert any("stock_quantity" in v for v in _violations("get", "/products", 200, [product]))
    assert any("quantity" in v for v in _violations("get", "/orders", 200, [order]))
    customer = template("customer")
    customer["date_modified_gmt"] = "yesterday"
    assert any("date_modified_gmt" in v for v in _violations("get", "/customers/25", 200, customer))


def test_the_adapter_reads_the_recorded_order() -> None:
    order = woocommerce._order(template("order"))
    assert order.external_id == "727" and order.state is ShopOrderState.PAID
    assert order.modified_at == datetime(2026, 12, 6, 9, 10, tzinfo=UTC)
    assert order.total == Money(59700) and not order.ship
    [line] = order.lines
    assert (line.sku, line.quantity, line.unit_price) == ("7038010000010", 3, Money(19900))
    customer = order.customer
    assert (customer.external_id, customer.name, customer.email) == (
        "",
        "Kari Nordmann",
        "kari.nordmann@example.no",
    )
    assert (customer.street, customer.postal_code, customer.city) == ("Storgata 1", "0155", "Oslo")


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("pending", ShopOrderState.PENDING),
        ("on-hold", ShopOrderState.PENDING),
        ("processing", ShopOrderState.PAID),
        ("completed", ShopOrderState.DONE),
        ("cancelled", ShopOrderState.CANCELLED),
        ("refunded", ShopOrderState.REFUNDED),
        ("failed", ShopOrderState.CANCELLED),
    ],
)
def test_the_adapter_reads_each_documented_order_status(status: str, state: ShopOrderState) -> None:
    assert woocommerce._order({**template("order"), "status": status}).state is state


def test_the_adapter_reads_the_recorded_product_and_customer() -> None:
    product = woocommerce._product(template("product"))
    assert (product.external_id, product.sku, product.name, product.stock) == (
        "794",
        "7038010000010",
        "USB-lader",
        5,
    )
    recorded = {**template("product"), "manage_stock": False, "stock_quantity": None}
    assert _violations("get", "/products", 200, [recorded]) == []  # as WooCommerce answers
    assert woocommerce._product(recorded).stock is None
    customer = woocommerce._customer(template("customer"))
    assert (customer.external_id, customer.name, customer.email, customer.phone) == (
        "25",
        "Kari Nordmann",
        "kari.nordmann@example.no",
        "412 34 567",
    )
    assert (customer.street, customer.postal_code, customer.city) == ("Storgata 1", "0155", "Oslo")
