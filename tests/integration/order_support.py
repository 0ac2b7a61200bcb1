"""Helpers for the order tests: a shop with stock, stored balances by location, and a
carrier that fails on purpose."""

from __future__ import annotations

from datetime import datetime

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.orders.shipping import CarrierUnavailable, Tracking
from omnipos_tui.core.stock.figures import LocationStock
from omnipos_tui.services.stock.common import LineInput


def lines(*pairs: str) -> list[LineInput]:
    """``"10001=3"`` or ``"10001=3@19,90"`` as order lines."""
    out = []
    for pair in pairs:
        code, _, rest = pair.partition("=")
        quantity, _, price = rest.partition("@")
        out.append(LineInput(code, quantity, price))
    return out


def level(services: Services, sku: str, location: str = "butikk") -> LocationStock:
    """A product's stored balance at a location (zero without a row)."""
    with services.units(read_only=True) as uow:
        balances = uow.stock.balances(sku)
    found = [loc for loc in (balances.locations if balances else ()) if loc.location == location]
    return found[0] if found else LocationStock(location, 0, 0)


class FailingCarrier:
    """A carrier whose every answer fails (a timeout), counting the askings."""

    code = "bring"

    def __init__(self) -> None:
        self.asked = 0

    def track(self, tracking_number: str, *, booked_at: datetime) -> Tracking:
        self.asked += 1
        raise CarrierUnavailable(f"Bring did not answer within 10 s ({tracking_number})")
