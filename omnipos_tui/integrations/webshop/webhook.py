"""The web shop's webhooks, received by ``omnipos worker`` (``[webshop] webhook_port``).

A webhook only **wakes the puller** (INTEGRATIONS.md §3): its body is never read as data,
so a forged, replayed, lost or reordered webhook can cost at most one extra pull, never an
order. WooCommerce signs each delivery: ``X-WC-Webhook-Signature`` is the base64 of the
HMAC-SHA256 of the raw body with the webhook's secret (``[webshop] webhook_secret`` in
secrets.toml). A delivery whose signature does not match is answered 401 and wakes
nothing; one that matches is answered 200 and wakes the puller. WooCommerce's ping when a
webhook is saved (``webhook_id=N``, signed the same way) is answered 200 like any other.

The listener binds to 127.0.0.1 unless told otherwise: put it behind the shop's HTTPS
reverse proxy (WooCommerce delivers to an https:// address).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-WC-Webhook-Signature"
MAX_BODY = 1_000_000
"""Bytes of body read at most (WooCommerce's order payloads are a few kB)."""


def woocommerce_signature(body: bytes, secret: str) -> str:
    """WooCommerce's signature of a webhook body: base64 of HMAC-SHA256 with the secret."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verified(body: bytes, signature: str, secret: str) -> bool:
    """Whether ``signature`` is WooCommerce's signature of ``body`` (compared in constant
    time; an empty secret verifies nothing)."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(woocommerce_signature(body, secret), signature.strip())


class WebhookListener:
    """A small HTTP endpoint that wakes the puller on each correctly signed webhook.

    Args:
        secret: The webhook secret (WooCommerce's "Secret" of the webhook).
        wake: Called for each verified delivery (from the listener's thread).
        host: The address to listen on.
        port: The port (0: any free port; :attr:`port` says which).
    """

    def __init__(
        self, secret: str, wake: Callable[[], None], *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        if not secret:
            raise ValueError("a webhook listener needs the webhook secret")
        self.accepted = 0
        self.refused = 0
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    listener.refused += 1
                    self._answer(413, "body too large")
                    return
                body = self.rfile.read(length) if length > 0 else b""
                if not verified(body, self.headers.get(SIGNATURE_HEADER, ""), secret):
                    listener.refused += 1
                    log.warning(
                        "web shop webhook from %s refused: bad signature", self.client_address[0]
                    )
                    self._answer(401, "bad signature")
                    return
                listener.accepted += 1
                topic = self.headers.get("X-WC-Webhook-Topic", "")
                log.info("web shop webhook %s: waking the puller", topic or "(no topic)")
                wake()
                self._answer(200, "ok")

            def do_GET(self) -> None:
                self._answer(405, "POST only")

            def _answer(self, status: int, text: str) -> None:
                raw = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="webshop-webhook", daemon=True
        )

    @property
    def port(self) -> int:
        """The port listened on."""
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Listen in a background thread."""
        self._thread.start()

    def close(self) -> None:
        """Stop listening."""
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
