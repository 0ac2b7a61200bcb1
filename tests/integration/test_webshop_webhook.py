"""WooCommerce webhooks received by the worker: a delivery signed with the secret
(X-WC-Webhook-Signature: base64 of HMAC-SHA256 of the body) wakes the puller, which asks
the shop; the body is never trusted as data; a bad or missing signature wakes nothing."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from ledger_support import CHARGER
from webshop_support import available, receive, web_shop
from woo_peer import KEY, SECRET, WooPeer, running_peer

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.orders.order import WEB, OrderStatus
from omnipos_tui.integrations.webshop.webhook import (
    SIGNATURE_HEADER,
    WebhookListener,
    verified,
    woocommerce_signature,
)
from omnipos_tui.wiring.webshop import webhook_listener

HOOK_SECRET = "whsec-omnipos"
Shop = tuple[Services, FixedClock, WooPeer, int]


def test_the_signature_is_base64_of_hmac_sha256_of_the_body() -> None:
    body = b'{"id":727,"status":"processing"}'
    # openssl dgst -sha256 -hmac whsec-omnipos -binary | base64
    expected = "xxAKXCSBgEb9wgLtBHxbS/3z42Inl44Nw5AE6DlpAB4="
    assert woocommerce_signature(body, HOOK_SECRET) == expected
    assert verified(body, expected, HOOK_SECRET)
    assert not verified(body + b" ", expected, HOOK_SECRET)
    assert not verified(body, expected, "another secret")
    assert not verified(body, "", HOOK_SECRET)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    with running_peer() as peer:
        pid = peer.add_product(CHARGER, "USB-lader", stock=0)
        services, clock = web_shop(
            tmp_path,
            kind="woocommerce",
            url=peer.url,
            credentials={
                "consumer_key": KEY,
                "consumer_secret": SECRET,
                "webhook_secret": HOOK_SECRET,
            },
            poll_seconds=3600,  # only a webhook makes the worker pull again within the hour
        )
        receive(services, **{CHARGER: 5})
        services.webshop.link([CHARGER])
        yield services, clock, peer, pid
        services.close()
    assert peer.violations == []


def _post(listener: WebhookListener, body: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json", "X-WC-Webhook-Topic": "order.created"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    url = f"http://127.0.0.1:{listener.port}/"
    return httpx.post(url, content=body, headers=headers, timeout=5).status_code


def test_a_signed_webhook_wakes_the_puller_and_its_body_is_never_used(shop: Shop) -> None:
    services, _, peer, pid = shop
    services.webshop.due()  # the first pull: nothing yet
    wakes: list[str] = []

    def wake() -> None:
        services.webshop.wake()
        wakes.append("w")

    listener = WebhookListener(HOOK_SECRET, wake)
    listener.start()
    try:
        oid = peer.place_order([(pid, 2)])
        services.webshop.due()  # within the poll interval: no pull
        assert services.orders.list(channel=WEB) == []
        forged = json.dumps({"id": 999, "status": "cancelled", "line_items": []}).encode()
        assert _post(listener, forged, "bm90IHRoZSBzaWduYXR1cmU=") == 401
        assert _post(listener, forged, None) == 401
        assert wakes == [] and listener.refused == 2
        services.webshop.due()
        assert services.orders.list(channel=WEB) == []  # a refused webhook woke nothing
        # a correctly signed webhook whose body lies: it only wakes the puller
        assert _post(listener, forged, woocommerce_signature(forged, HOOK_SECRET)) == 200
        assert wakes == ["w"] and listener.accepted == 1
        services.webshop.due()
        [order] = services.orders.list(channel=WEB)
        assert order.external_id == str(oid)  # what the shop says, not the webhook
        assert services.orders.show(order.number).order.status is OrderStatus.RESERVED
        assert available(services, CHARGER) == 3
        services.webshop.due()  # woken once: back to the poll interval
        peer.set_order_status(oid, "cancelled")
        services.webshop.due()
        assert services.orders.show(order.number).order.status is OrderStatus.RESERVED
    finally:
        listener.close()


def test_the_listener_answers_only_posts_and_refuses_huge_bodies(shop: Shop) -> None:
    listener = WebhookListener(HOOK_SECRET, lambda: None)
    listener.start()
    try:
        url = f"http://127.0.0.1:{listener.port}/"
        assert httpx.get(url, timeout=5).status_code == 405
        huge = b"x" * 1_000_001
        assert _post(listener, huge, woocommerce_signature(huge, HOOK_SECRET)) == 413
        ping = b"webhook_id=12"
        assert _post(listener, ping, woocommerce_signature(ping, HOOK_SECRET)) == 200
    finally:
        listener.close()


def test_webhooks_are_configured_only_where_they_can_be_verified(shop: Shop) -> None:
    services, _, _, _ = shop
    settings = services.settings
    assert webhook_listener(settings, lambda: None) is None  # port 0: none
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        woo = dataclasses.replace(
            settings, webshop=dataclasses.replace(settings.webshop, webhook_port=port)
        )
        with pytest.raises(ConfigError, match=f"webhook_port {port}"):
            webhook_listener(woo, lambda: None)  # the port is taken
    oscar = dataclasses.replace(woo, webshop=dataclasses.replace(woo.webshop, kind="oscar"))
    with pytest.raises(ConfigError, match="sends no signed webhooks"):
        webhook_listener(oscar, lambda: None)
    listener = webhook_listener(woo, lambda: None)
    assert listener is not None and listener.port == port
    listener.close()
    (settings.data_dir / "secrets.toml").write_text(
        f'[webshop]\nconsumer_key = "{KEY}"\nconsumer_secret = "{SECRET}"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="webhook_secret"):
        webhook_listener(woo, lambda: None)


def test_the_running_worker_pulls_at_once_when_a_webhook_comes(shop: Shop) -> None:
    services, _, peer, pid = shop
    loop = services.outbox.worker(poll_s=3600)  # without a wake-up: the next pass in an hour

    def wake() -> None:
        services.webshop.wake()
        loop.wake()

    listener = WebhookListener(HOOK_SECRET, wake)
    listener.start()
    thread = threading.Thread(target=loop.run)
    thread.start()
    try:
        for _ in range(1000):  # the first pass (and its first pull) is done
            if services.webshop.status().directions[0].last_ok is not None:
                break
            time.sleep(0.01)
        oid = peer.place_order([(pid, 1)])
        body = json.dumps({"id": oid}).encode()
        assert _post(listener, body, woocommerce_signature(body, HOOK_SECRET)) == 200
        for _ in range(3000):
            if services.orders.list(channel=WEB):
                break
            time.sleep(0.01)
        assert [o.external_id for o in services.orders.list(channel=WEB)] == [str(oid)]
    finally:
        loop.stop()
        thread.join(timeout=60)
        listener.close()
    assert not thread.is_alive()
