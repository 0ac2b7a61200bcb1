"""WooCommerce's answers for the tests: recorded fixtures shaped like the JSON response
examples of WooCommerce's REST API documentation (tests/data/webshop/woocommerce/
responses, see SOURCES.md there), and their check against the community OpenAPI spec.

The local peer (woo_peer.py) builds every product, customer and order from these
templates, and checks every answer it gives with :func:`response_violations`; the
adapter's parsing is tested on the fixtures themselves (test_woo_fixtures.py).

The community spec and WooCommerce's documentation disagree in three places; those (and
only those) are allowed, each as documented by WooCommerce:

- times: WooCommerce answers ``2026-12-06T09:10:00`` (no UTC offset; ``*_gmt`` fields are
  UTC), the spec asks for RFC 3339 ``date-time``;
- dates not set (``date_completed``, ``date_on_sale_from``, ...) are ``null``, and so is
  ``stock_quantity`` of a product whose stock is not managed; the spec does not mark them
  nullable;
- ``tax_lines[].rate_id`` is an integer; the spec says string;
- a customer made by ``POST customers`` is answered ``201 Created``; the spec describes
  only 200 (the answer is checked against that).
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from werkzeug.datastructures import Headers

DATA = Path(__file__).resolve().parents[1] / "data" / "webshop" / "woocommerce"
SPEC = DATA / "woocommerce-rest-api-openapi-community.yml"
RESPONSES = DATA / "responses"
HOST = "https://example-woocommerce-shop.com"
_NAIVE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
_OSLO = timedelta(hours=1)


@functools.cache
def spec() -> OpenAPI:
    """The parsed spec (once per test session)."""
    return OpenAPI.from_file_path(str(SPEC))


@functools.cache
def _load(name: str) -> str:
    return (RESPONSES / f"{name}.json").read_text(encoding="utf-8")


def template(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded answer (``product``, ``customer``, ``order``, ...)."""
    data = json.loads(_load(name))
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def gmt(moment: datetime) -> str:
    """A time as WooCommerce writes it in ``*_gmt`` fields."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def stamped(item: dict[str, Any], at: datetime, *, created: bool = False) -> None:
    """Set an item's change time (and creation time) as WooCommerce does (the shop's
    local time is Oslo's: UTC+1 in December)."""
    names = ("date_modified", "date_created") if created else ("date_modified",)
    for name in names:
        item[f"{name}_gmt"] = gmt(at)
        item[name] = (at.astimezone(UTC).replace(tzinfo=None) + _OSLO).strftime("%Y-%m-%dT%H:%M:%S")


def links(item: dict[str, Any], collection: str) -> None:
    """The ``_links`` of an item of ``collection`` ("products", "customers", "orders")."""
    base = f"{HOST}/wp-json/wc/v3/{collection}"
    item["_links"] = {
        "self": [{"href": f"{base}/{item['id']}"}],
        "collection": [{"href": base}],
    }


@dataclass
class _Response:
    """An HTTP answer as openapi-core reads it (its ``Response`` protocol)."""

    data: bytes
    status_code: int
    content_type: str = "application/json"
    headers: Headers = field(default_factory=Headers)


def response_violations(request: Any, status: int, body: Any) -> list[str]:
    """What the spec refuses in an answer, less the documented disagreements (see the
    module docstring); ``request`` is the peer's openapi-core request."""
    described = 200 if (status == 201 and request.path.endswith("/customers")) else status
    try:
        spec().validate_response(request, _Response(json.dumps(body).encode(), described))
    except Exception as error:  # noqa: BLE001  # every refusal is reported, not raised
        cause: BaseException | None = error
        while cause is not None and not getattr(cause, "schema_errors", None):
            cause = cause.__cause__ or cause.__context__
        if cause is None:
            return [f"{type(error).__name__}: {error}"]
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in getattr(cause, "schema_errors", ())
            if not _documented(e)
        ]
    return []


def _documented(error: Any) -> bool:
    """Whether a refusal of the spec is one of WooCommerce's documented disagreements."""
    path = [str(p) for p in error.absolute_path]
    name = path[-1] if path else ""
    value = error.instance
    if error.validator == "format" and isinstance(value, str) and _NAIVE_TIME.match(value):
        return True
    if error.validator == "type" and value is None and name.startswith("date_"):
        return True
    if error.validator == "type" and value is None and name == "stock_quantity":
        return True
    return error.validator == "type" and name == "rate_id" and "tax_lines" in path
