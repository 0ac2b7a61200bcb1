"""Reorder suggestions: when a product at a location should be ordered, and how much.

A product is due when its projected stock there (on hand less reserved plus what is
already on open or draft purchase orders for that location) is at or below its reorder
point; it is then ordered up to its order-up-to level, in whole packs of the supplier.
The reorder point and the level are the product's min/max rule at the location where one
is set; where a value is not set it comes from the sales rate of the last four weeks:
a week of sales for the point, three weeks for the level.
"""

from __future__ import annotations

from dataclasses import dataclass

from omnipos_tui.core.stock.quantity import SCALE

RATE_DAYS = 28
"""The sales rate is taken over the last four weeks."""
POINT_DAYS = 7
"""Without a minimum, reorder when less than a week of sales is left."""
LEVEL_DAYS = 21
"""Without a maximum, order up to three weeks of sales."""


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


@dataclass(frozen=True, slots=True)
class ReorderPlan:
    """What the rule says for one product at one location (quantities in thousandths).

    Attributes:
        projected: On hand less reserved plus incoming.
        point: Reorder at or below this.
        level: Order up to this.
        quantity: Suggested order, whole packs (0: not due).
    """

    projected: int
    point: int
    level: int
    quantity: int


def plan(
    *,
    on_hand: int,
    reserved: int,
    incoming: int,
    min_qty: int | None,
    max_qty: int | None,
    sold: int,
    pack: int = SCALE,
    whole_units: bool = True,
) -> ReorderPlan:
    """The reorder plan for one product at one location.

    Args:
        on_hand: On hand there.
        reserved: Reserved there.
        incoming: On open and draft purchase orders for there.
        min_qty: The rule's reorder point, if set.
        max_qty: The rule's order-up-to level, if set.
        sold: Sold over the last :data:`RATE_DAYS` days.
        pack: The supplier's pack size (thousandths); orders are whole packs.
        whole_units: The product is counted in pieces (orders are whole pieces).
    """
    projected = on_hand - reserved + incoming
    rate_point = _ceil_div(max(sold, 0) * POINT_DAYS, RATE_DAYS)
    rate_level = _ceil_div(max(sold, 0) * LEVEL_DAYS, RATE_DAYS)
    point = min_qty if min_qty is not None else rate_point
    level = max_qty if max_qty is not None else max(rate_level, point)
    level = max(level, point)
    no_rule = min_qty is None and max_qty is None
    if projected > point or level <= projected or (no_rule and sold <= 0):
        return ReorderPlan(projected, point, level, 0)
    step = max(pack, 1)
    if whole_units:
        step = _ceil_div(step, SCALE) * SCALE
    quantity = _ceil_div(level - projected, step) * step
    return ReorderPlan(projected, point, level, quantity)
