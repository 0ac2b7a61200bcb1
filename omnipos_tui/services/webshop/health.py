"""What ``omnipos doctor`` says about the web shop sync: one line per direction that went
wrong (its last error, its backlog), open problems, or one OK line with the counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from omnipos_tui.core.errors import PosError
from omnipos_tui.core.webshop.model import WebshopStatus
from omnipos_tui.services.shop.findings import Finding, Level


def webshop_findings(status: Callable[[], WebshopStatus]) -> Iterator[Finding]:
    """The doctor's lines about the web shop (read from the database, never the shop)."""
    try:
        current = status()
    except PosError as error:
        yield Finding(Level.FAIL, "web shop", f"cannot be read: {error}", "fix the database")
        return
    troubled = False
    for direction in current.directions:
        if direction.last_error:
            troubled = True
            yield Finding(
                Level.WARN,
                f"web shop {direction.direction}",
                f"last error: {direction.last_error}"
                + (f"; {direction.backlog} waiting" if direction.backlog else ""),
                "omnipos webshop status; after fixing the cause: omnipos worker retry",
            )
    if current.problems:
        troubled = True
        yield Finding(
            Level.WARN,
            "web shop",
            f"{len(current.problems)} problem(s), newest: {current.problems[0]}",
            "omnipos webshop status lists them",
        )
    if not troubled:
        yield Finding(
            Level.OK,
            "web shop",
            f"{current.kind} {current.url}: {current.linked_products} products and "
            f"{current.linked_customers} customers linked, {current.web_orders} web orders",
        )
