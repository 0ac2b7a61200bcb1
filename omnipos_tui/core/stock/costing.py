"""Valuation by moving average cost.

A product's average cost (øre per unit) changes only when goods arrive from a supplier:

    average' = (on_hand * average + Σ quantity_i * cost_i) / (on_hand + Σ quantity)

over the product's owned stock (every real location and transit) before the receipt, with
one named rounding, :func:`divide_half_up`. When the owned stock is zero or negative before
the receipt, the new average is the receipt's own average cost. Every other move stores the
average at the moment it is posted, so the cost of goods sold and the stock value at any
date come from the ledger. Storage computes the same formula in one atomic SQL statement
(a test holds the two together).
"""

from __future__ import annotations

from omnipos_tui.core.stock.quantity import SCALE


def divide_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, halves up; both >= 0 and
    the denominator > 0 (the rounding SQL does as ``(2n + d) / (2d)``)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError(f"divide_half_up({numerator}, {denominator}): out of range")
    return (2 * numerator + denominator) // (2 * denominator)


def moving_average(on_hand: int, average: int, received: int, value: int) -> int:
    """The average cost after a receipt.

    Args:
        on_hand: Owned stock before, in thousandths (may be 0 or negative).
        average: Average cost before, øre per unit.
        received: Quantity received, in thousandths, above 0.
        value: Σ quantity × unit cost of what was received (thousandths × øre).

    Returns:
        The new average in øre per unit.
    """
    if received <= 0:
        return average
    if on_hand <= 0:
        return divide_half_up(value, received)
    return divide_half_up(on_hand * average + value, on_hand + received)


def stock_value(quantity: int, average: int) -> int:
    """The value in øre of ``quantity`` thousandths at ``average`` øre per unit, rounded
    half away from zero (negative stock has a negative value)."""
    if quantity < 0:
        return -divide_half_up(-quantity * average, SCALE)
    return divide_half_up(quantity * average, SCALE)
