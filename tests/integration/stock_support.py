"""Helpers for the stock tests: post receipts straight through the ledger port, read the
stored balances and moves, and recompute the moving average independently."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting
from omnipos_tui.core.stock.ports import PostResult

SKUS = {"milk": "10001", "bread": "10002", "cola": "20001", "apples": "4011", "charger": "30001"}


def post(
    services: Services,
    *moves: MoveRequest,
    employee: str = "",
    register_id: str = "1",
) -> PostResult:
    """Post moves in a unit of work of their own."""
    with services.units() as uow:
        result = uow.stock.post(list(moves), Posting(employee, register_id, services.clock.now()))
        uow.commit()
    return result


def supplied(
    sku: str,
    quantity: int,
    cost: int,
    *,
    location: str = "butikk",
    doc: str = "test",
    line: int = 1,
) -> MoveRequest:
    """A move of ``quantity`` thousandths from the supplier at ``cost`` øre per unit."""
    return MoveRequest(
        sku=sku,
        quantity=quantity,
        source="supplier",
        target=location,
        doc_type=DocType.RECEIPT,
        doc_id=doc,
        doc_line=line,
        unit_cost=cost,
    )


def on_hand(services: Services, sku: str, location: str = "butikk") -> int:
    """A product's stored on hand at a location (0 without a balance row)."""
    with services.units(read_only=True) as uow:
        balances = uow.stock.balances(sku)
    assert balances is not None
    return next((loc.on_hand for loc in balances.locations if loc.location == location), 0)


def average(services: Services, sku: str) -> int:
    """A product's stored average cost."""
    with services.units(read_only=True) as uow:
        balances = uow.stock.balances(sku)
    assert balances is not None
    return balances.average_cost


@dataclass
class AverageModel:
    """An independent model of the moving average: Decimal arithmetic, not the code's
    integer formula."""

    owned: int = 0
    average: int = 0

    def receive(self, received: list[tuple[int, int]]) -> None:
        """Goods from a supplier (quantity in thousandths, cost in øre), one receipt."""
        quantity = sum(q for q, _ in received)
        value = sum((Decimal(q) * c for q, c in received), Decimal(0))
        if quantity <= 0:
            return
        exact: Decimal
        if self.owned <= 0:
            exact = value / quantity
        else:
            exact = (Decimal(self.owned) * self.average + value) / (self.owned + quantity)
        self.average = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        self.owned += quantity

    def change(self, delta: int) -> None:
        """Owned stock changed by a move that keeps the average (sale, return, count)."""
        self.owned += delta
