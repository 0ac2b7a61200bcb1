"""What the web shop adapters share: one HTTP call with an explicit timeout, and the shop's
answer sorted into what the outbox understands.

A timeout, a refused connection, 429 and 5xx raise
:class:`~omnipos_tui.core.errors.DeliveryDeferred` (with the shop's ``Retry-After``); 400,
401, 403, 404 and 422 raise :class:`~omnipos_tui.core.errors.DeliveryRejected` carrying
the shop's own message. Bodies are logged at DEBUG, never the credentials (they travel in
the ``Authorization`` header only).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected

log = logging.getLogger(__name__)

TIMEOUT_S = 10.0


def call(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    shop: str,
    params: dict[str, Any] | None = None,
    body: object = None,
    headers: dict[str, str] | None = None,
    timeout_s: float = TIMEOUT_S,
    missing_ok: bool = False,
) -> httpx.Response:
    """One request to the shop.

    Args:
        shop: The shop's name for messages ("WooCommerce", "Oscar").
        missing_ok: A 404 is returned, not raised (the caller treats the thing as gone).

    Raises:
        DeliveryDeferred: Timeout, no connection, 429 or 5xx.
        DeliveryRejected: 4xx other than 429 (the shop's message kept).
    """
    log.debug("%s %s %s params=%s body=%s", shop, method, url, params, _short(body))
    try:
        response = client.request(
            method,
            url,
            params=params,
            json=body,
            headers=headers,
            timeout=timeout_s,
        )
    except httpx.TimeoutException:
        raise DeliveryDeferred(
            f"{shop} did not answer within {timeout_s:g} s ({method} {url})"
        ) from None
    except httpx.HTTPError as error:
        raise DeliveryDeferred(f"{shop} cannot be reached ({method} {url}): {error}") from None
    log.debug("%s answered %s: %s", shop, response.status_code, response.text[:2000])
    status = response.status_code
    if status == 429 or status >= 500:
        raise DeliveryDeferred(
            f"{shop} answered {status} to {method} {url}: {_message(response)}",
            retry_after=_retry_after(response),
        )
    if status == 404 and missing_ok:
        return response
    if status >= 400:
        raise DeliveryRejected(f"{shop} refused {method} {url} ({status}): {_message(response)}")
    return response


def json_of(response: httpx.Response, shop: str) -> Any:
    """The answer's JSON.

    Raises:
        DeliveryDeferred: The answer is not JSON (a proxy's error page, a half answer).
    """
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DeliveryDeferred(
            f"{shop} answered {response.status_code} with something that is not JSON: "
            f"{response.text[:200]!r}"
        ) from None


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:300] or response.reason_phrase
    if isinstance(data, dict):
        for key in ("message", "detail", "reason", "non_field_errors"):
            if key in data:
                return str(data[key])[:300]
    return json.dumps(data)[:300]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _short(body: object) -> str:
    text = json.dumps(body, default=str) if body is not None else ""
    return text if len(text) <= 2000 else text[:2000] + "..."
