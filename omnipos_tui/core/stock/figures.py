"""The answers: how much is where, what is on order, what was sold, what it is worth.

Values the stock service assembles from storage for ``stock show``, ``stock list``, the
till's product-info key and the reports. Quantities are thousandths (``core.stock.quantity``),
money is øre.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.stock.costing import stock_value
from omnipos_tui.core.stock.moves import StockMove

SOLD_PERIODS: tuple[tuple[str, int], ...] = (("7d", 7), ("30d", 30), ("365d", 365))
"""The sales periods ``stock show`` answers: key and number of days (today included)."""


@dataclass(frozen=True, slots=True)
class LocationStock:
    """A product's balance in one location.

    Attributes:
        location: The location's code.
        on_hand: Physically there (may be negative: sold before it was received).
        reserved: Promised to open customer orders.
        min_qty: Reorder point set for this product here, or None.
        max_qty: Order-up-to level set for this product here, or None.
    """

    location: str
    on_hand: int
    reserved: int = 0
    min_qty: int | None = None
    max_qty: int | None = None

    @property
    def available(self) -> int:
        """On hand less reserved."""
        return self.on_hand - self.reserved


@dataclass(frozen=True, slots=True)
class OnOrder:
    """An open purchase order line for a product.

    Attributes:
        order_no: The purchase order.
        supplier: The supplier's code.
        location: Where the goods are expected.
        outstanding: Ordered less received (above 0).
        expected: The order's expected delivery date, if known.
        status: The order's status ("sent", "partly_received").
    """

    order_no: int
    supplier: str
    location: str
    outstanding: int
    expected: date | None
    status: str


@dataclass(frozen=True, slots=True)
class LastReceipt:
    """The latest goods receipt of a product.

    Attributes:
        receipt_no: The goods receipt.
        at: When it was posted.
        quantity: How much of the product it brought.
        unit_cost: At what cost per unit (øre).
        supplier: The supplier (of its purchase order), or "".
    """

    receipt_no: int
    at: datetime
    quantity: int
    unit_cost: int
    supplier: str = ""


@dataclass(frozen=True, slots=True)
class ProductStock:
    """Everything ``stock show`` says about one product.

    Attributes:
        product: The product.
        locations: Its balance per real location (and transit, when goods are under way).
        average_cost: Moving average cost, øre per unit.
        owned: Owned stock in all (real locations and transit), thousandths.
        on_order: Open purchase order lines, earliest expected first.
        sold: Sold quantity per period key of :data:`SOLD_PERIODS` (returns subtracted).
        last_receipt: The latest goods receipt, if any.
        last_moves: The latest moves, newest first.
        negative: Some location is below zero.
    """

    product: Product
    locations: tuple[LocationStock, ...]
    average_cost: int
    owned: int
    on_order: tuple[OnOrder, ...] = ()
    sold: dict[str, int] = field(default_factory=dict)
    last_receipt: LastReceipt | None = None
    last_moves: tuple[StockMove, ...] = ()

    def _real(self) -> list[LocationStock]:
        return [loc for loc in self.locations if loc.location != "transit"]

    @property
    def on_hand(self) -> int:
        """On hand over the real locations."""
        return sum(loc.on_hand for loc in self._real())

    @property
    def in_transit(self) -> int:
        """Sent from one location and not yet received at the other."""
        return sum(loc.on_hand for loc in self.locations if loc.location == "transit")

    @property
    def reserved(self) -> int:
        """Reserved over the real locations."""
        return sum(loc.reserved for loc in self._real())

    @property
    def available(self) -> int:
        """On hand less reserved."""
        return self.on_hand - self.reserved

    @property
    def on_order_total(self) -> int:
        """Outstanding on open purchase orders."""
        return sum(line.outstanding for line in self.on_order)

    @property
    def projected(self) -> int:
        """Available plus on order."""
        return self.available + self.on_order_total

    @property
    def value(self) -> int:
        """Owned stock at average cost, øre."""
        return stock_value(self.owned, self.average_cost)

    @property
    def negative(self) -> bool:
        """Some real location is below zero."""
        return any(loc.on_hand < 0 for loc in self._real())

    @property
    def next_delivery(self) -> OnOrder | None:
        """The open order line expected first (lines without a date last)."""
        dated = sorted(self.on_order, key=lambda o: (o.expected is None, o.expected, o.order_no))
        return dated[0] if dated else None


@dataclass(frozen=True, slots=True)
class StockRow:
    """One product in ``stock list``: totals over the chosen locations.

    Attributes:
        sku: Article number.
        name: Name.
        group: Article group code.
        unit: "piece" or "kg".
        on_hand: On hand.
        reserved: Reserved.
        min_qty: Sum of the reorder points set (None when none is set).
        average_cost: Average cost, øre per unit.
    """

    sku: str
    name: str
    group: str
    unit: str
    on_hand: int
    reserved: int
    min_qty: int | None
    average_cost: int

    @property
    def available(self) -> int:
        """On hand less reserved."""
        return self.on_hand - self.reserved


@dataclass(frozen=True, slots=True)
class Drift:
    """A stored balance that disagrees with the ledger.

    Attributes:
        sku: The product.
        location: The location's code, or "*" for the product's owned total.
        stored: What the balance says.
        ledger: What the moves add up to.
    """

    sku: str
    location: str
    stored: int
    ledger: int

    def __str__(self) -> str:
        where = "owned total" if self.location == "*" else f"location {self.location}"
        return (
            f"{self.sku} {where}: balance {self.stored} but the ledger says {self.ledger} "
            "(thousandths)"
        )


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What ``stock verify`` found.

    Attributes:
        moves: How many moves were read.
        balances: How many balances were compared.
        drifts: Every disagreement (empty when clean).
    """

    moves: int
    balances: int
    drifts: tuple[Drift, ...] = ()

    @property
    def clean(self) -> bool:
        """Every balance equals the ledger."""
        return not self.drifts


@dataclass(frozen=True, slots=True)
class ValueLine:
    """One product's stock and value at a moment, from the ledger.

    Attributes:
        sku: Article number.
        name: Name.
        group: Article group code.
        quantity: Owned quantity then (thousandths).
        value: Value then (øre): what arrived at its cost less what left at the average
            cost of its moment.
    """

    sku: str
    name: str
    group: str
    quantity: int
    value: int
