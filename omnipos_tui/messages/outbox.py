"""Texts of delivering the outbox (``delivery.*``): code -> (bokmål, English).

The far end's own words (an accounting system's, a web shop's, a device's) are the
``detail``; they come as the far end wrote them."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "delivery.deferred": ("Levering utsatt: {detail}", "delivery deferred: {detail}"),
    "delivery.rejected": ("Levering avvist: {detail}", "delivery rejected: {detail}"),
}
