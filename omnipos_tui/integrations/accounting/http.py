"""One HTTP exchange with an accounting system, its failures sorted the outbox's way.

- a timeout, a connection failure, 429 and 5xx: :class:`DeliveryDeferred` (tried again with
  backoff, never before the far end's ``Retry-After``);
- 401/403: :class:`DeliveryDeferred` naming the token (it expired or was revoked: the row
  waits until the shop renews it, and is not lost);
- any other 4xx: :class:`DeliveryRejected` with the far end's own message (our request was
  wrong: the row stops as failed until ``accounting retry``).

Request and response bodies are logged at DEBUG with the ``Authorization`` header masked.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected

log = logging.getLogger(__name__)


class TokenRefused(DeliveryDeferred):
    """The far end refused the credentials (401/403)."""


def retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    date_header = response.headers.get("Date")
    try:
        now = parsedate_to_datetime(date_header) if date_header else None
    except (TypeError, ValueError):
        now = None
    if now is None:
        return None
    return max((moment - now).total_seconds(), 0.0)


def far_message(response: httpx.Response) -> str:
    """The far end's own words about a refusal (its JSON message fields, else the text)."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.text[:500] or response.reason_phrase
    parts: list[str] = []
    if isinstance(body, dict):
        for key in ("message", "developerMessage", "error_description", "error", "detail"):
            if isinstance(body.get(key), str) and body[key]:
                parts.append(body[key])
        for key in ("validationMessages", "errors", "validation"):
            items = body.get(key)
            if isinstance(items, list):
                for item in items[:10]:
                    parts.append(json.dumps(item, ensure_ascii=False)[:300])
    elif isinstance(body, list):
        parts.extend(json.dumps(item, ensure_ascii=False)[:300] for item in body[:10])
    return "; ".join(parts) or response.text[:500] or response.reason_phrase


def exchange(
    client: httpx.Client,
    system: str,
    method: str,
    url: str,
    *,
    params: Mapping[str, str | int] | None = None,
    body: object = None,
    headers: Mapping[str, str] | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
) -> httpx.Response:
    """Send one request; the answer when it is 2xx.

    Raises:
        DeliveryDeferred: Timeout, connection failure, 429, 5xx (with ``Retry-After``).
        TokenRefused: 401 or 403.
        DeliveryRejected: Another 4xx, with the far end's message.
    """
    where = f"{method} {url}"
    log.debug("%s %s params=%s body=%s", system, where, params, body)
    try:
        response = client.request(
            method,
            url,
            params=params,
            json=body,
            headers=headers,
            auth=auth or httpx.USE_CLIENT_DEFAULT,
        )
    except httpx.TimeoutException:
        raise DeliveryDeferred(f"{system} did not answer in time ({where})") from None
    except httpx.HTTPError as exc:
        raise DeliveryDeferred(f"{system} could not be reached ({where}): {exc}") from None
    log.debug("%s answered %s: %s", system, response.status_code, response.text[:2000])
    status = response.status_code
    if status < 400:
        return response
    words = f"{system} answered {status} to {where}: {far_message(response)}"
    if status in (401, 403):
        raise TokenRefused(words)
    if status == 429 or status >= 500:
        raise DeliveryDeferred(words, retry_after=retry_after(response))
    raise DeliveryRejected(words)
