"""``omnipos webshop test|link|sync|reconcile|status|settle`` through the real command line
on the demo shop, against a local WooCommerce peer (real HTTP, requests validated against
the WooCommerce spec): what the owner types and what it prints as JSON; a missing
credential is named, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import demo_shop, isolate, ok, ok_json, omnipos

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from woo_peer import KEY, SECRET, WooPeer, running_peer


@pytest.fixture
def peer() -> Iterator[WooPeer]:
    with running_peer() as server:
        yield server
    assert server.violations == []


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, peer: WooPeer) -> Path:
    isolate(monkeypatch, tmp_path / "home")
    data = tmp_path / "data"
    demo_shop(data)
    monkeypatch.setenv("OMNIPOS_WEBSHOP__KIND", "woocommerce")
    monkeypatch.setenv("OMNIPOS_WEBSHOP__URL", peer.url)
    return data


def _credentials(data: Path) -> None:
    secrets = data / "secrets.toml"
    secrets.write_text(f'[webshop]\nconsumer_key = "{KEY}"\nconsumer_secret = "{SECRET}"\n')
    secrets.chmod(0o600)


def test_a_missing_key_is_named(shop: Path) -> None:
    result = omnipos(shop, "webshop", "test")
    assert result.exit_code != 0
    assert "consumer_key" in result.output and "Traceback" not in result.output


def test_link_sync_reconcile_status(shop: Path, peer: WooPeer) -> None:
    _credentials(shop)
    products = ok_json(shop, "products", "list")
    skus = [p["sku"] for p in (products if isinstance(products, list) else products["products"])][
        :3
    ]
    ids = {sku: peer.add_product(sku, f"Vare {sku}", stock=0) for sku in skus}
    peer.add_product("ONLY-IN-SHOP", "Bare i nettbutikken")
    assert ok_json(shop, "webshop", "test")["ok"] is True
    linked = ok_json(shop, "webshop", "link", "--all")
    assert sorted(sku for sku, _ in linked["linked"]) == sorted(skus)
    assert "ONLY-IN-SHOP" in linked["only_in_shop"]
    before = ok_json(shop, "webshop", "status")["web_orders"]  # the demo has web orders
    order = peer.place_order([(ids[skus[0]], 1)])
    synced = ok_json(shop, "webshop", "sync", "--once")
    assert [o["external_id"] for o in synced["orders_imported"]] == [str(order)]
    assert ok_json(shop, "webshop", "sync", "--once")["orders_imported"] == []  # once
    assert ok_json(shop, "webshop", "reconcile")["drift"] == []
    status = ok_json(shop, "webshop", "status")
    assert status["linked_products"] == 3 and status["web_orders"] == before + 1
    orders = next(d for d in status["directions"] if d["direction"] == "orders")
    assert orders["last_ok"] and orders["last_error"] == ""
    text = ok(shop, "webshop", "status").stdout
    assert "linked products 3" in text
    doctor = omnipos(shop, "doctor").stdout
    assert "web shop" in doctor and "products and" in doctor
    refused = omnipos(shop, "webshop", "settle", "--preview")
    assert refused.exit_code != 0 and "accounting" in refused.output
