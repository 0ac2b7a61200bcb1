"""What ``omnipos doctor`` says about the web shop sync: one line per direction that went
wrong (its last error, its backlog), open problems, or one OK line with the counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from omnipos_tui.core.errors import Message, PosError
from omnipos_tui.core.webshop.model import WebshopStatus
from omnipos_tui.services.shop.findings import Finding, Level


def webshop_findings(status: Callable[[], WebshopStatus]) -> Iterator[Finding]:
    """The doctor's lines about the web shop (read from the database, never the shop)."""
    topic = Message("doctor.topic.webshop")
    try:
        current = status()
    except PosError as error:
        yield Finding(
            Level.FAIL,
            topic,
            Message("doctor.cannot_be_read", error=error),
            Message("doctor.fix_database"),
        )
        return
    troubled = False
    for direction in current.directions:
        if direction.last_error:
            troubled = True
            backlog = direction.backlog
            yield Finding(
                Level.WARN,
                Message("doctor.topic.webshop_direction", direction=direction.direction),
                Message(
                    "doctor.webshop.last_error",
                    error=direction.last_error,
                    backlog=Message("doctor.webshop.backlog", waiting=backlog) if backlog else "",
                ),
                Message("doctor.webshop.last_error_fix"),
            )
    if current.problems:
        troubled = True
        yield Finding(
            Level.WARN,
            topic,
            Message(
                "doctor.webshop.problems",
                count=len(current.problems),
                newest=current.problems[0],
            ),
            Message("doctor.webshop.problems_fix"),
        )
    if not troubled:
        yield Finding(
            Level.OK,
            topic,
            Message(
                "doctor.webshop.ok",
                kind=current.kind,
                url=current.url,
                products=current.linked_products,
                customers=current.linked_customers,
                orders=current.web_orders,
            ),
        )
