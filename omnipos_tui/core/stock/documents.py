"""Stock documents: suppliers and their items, purchase orders, goods receipts, transfers
and counts, with the state machines that say what may happen to each.

Documents are business records kept for the accounting period: their rows are never edited.
A status change is a new status row (the history is the document's life), lines are only
ever added, and received quantities are the sum of the receipts' lines.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.stock.costing import stock_value


@dataclass(frozen=True, slots=True)
class Supplier:
    """Someone the shop buys from.

    Attributes:
        code: Short unique id ("tine", "1001").
        name: Name.
        org_number: Norwegian organisation number (nine digits) or "".
        contact: Contact person.
        email: Where orders go.
        phone: Telephone.
        delivery_days: The weekdays it delivers, e.g. "mon,thu" (informational).
        lead_days: Days from order to delivery, for reorder suggestions.
        active: Inactive suppliers get no new orders.
    """

    code: str
    name: str
    org_number: str = ""
    contact: str = ""
    email: str = ""
    phone: str = ""
    delivery_days: str = ""
    lead_days: int = 7
    active: bool = True


@dataclass(frozen=True, slots=True)
class SupplierItem:
    """A product as a supplier sells it to us.

    Attributes:
        supplier: The supplier's code.
        sku: Our product.
        supplier_sku: The supplier's article number.
        pack_size: How many units come in one pack (thousandths); orders are in whole packs.
        cost_price: What one unit costs us, øre (excl. VAT).
    """

    supplier: str
    sku: str
    supplier_sku: str
    pack_size: int
    cost_price: int


class OrderStatus(enum.StrEnum):
    """Where a purchase order is in its life."""

    DRAFT = "draft"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"

    @property
    def open(self) -> bool:
        """Goods are still expected (sent or partly received)."""
        return self in (OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED)


_ORDER_MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.SENT, OrderStatus.CANCELLED}),
    OrderStatus.SENT: frozenset(
        {OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED, OrderStatus.CANCELLED}
    ),
    OrderStatus.PARTLY_RECEIVED: frozenset(
        {OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED, OrderStatus.CANCELLED}
    ),
    OrderStatus.RECEIVED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


def check_order_move(number: int, current: OrderStatus, new: OrderStatus) -> None:
    """Refuse a status change the order's life does not allow.

    Raises:
        RuleViolation: Names the order, its status and what was tried.
    """
    if new in _ORDER_MOVES[current]:
        return
    wanted = new.value.replace("_", " ")
    if current is OrderStatus.CANCELLED:
        raise RuleViolation(code="stock.order_cancelled", number=number, wanted=wanted)
    if current is OrderStatus.RECEIVED:
        raise RuleViolation(code="stock.order_received", number=number, wanted=wanted)
    if current is OrderStatus.DRAFT:
        raise RuleViolation(code="stock.order_draft", number=number, wanted=wanted)
    raise RuleViolation(
        code="stock.order_status",
        number=number,
        wanted=wanted,
        status=current.value.replace("_", " "),
    )


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A line of a purchase order.

    Attributes:
        line_no: 1-based.
        sku: Our product.
        quantity: Ordered, thousandths.
        unit_cost: Agreed cost per unit, øre.
        supplier_sku: The supplier's article number ("" when none is known).
        received: Received so far against this line (sum of receipt lines).
    """

    line_no: int
    sku: str
    quantity: int
    unit_cost: int
    supplier_sku: str = ""
    received: int = 0

    @property
    def outstanding(self) -> int:
        """Still to come (never below 0: an over-delivery leaves nothing outstanding)."""
        return max(0, self.quantity - self.received)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One entry of a document's status history.

    Attributes:
        status: The status it entered.
        at: When.
        employee: Who ("" from the command line without one).
        note: Why, or what (a goods receipt's number).
    """

    status: str
    at: datetime
    employee: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PurchaseOrder:
    """A purchase order with its lines and history.

    Attributes:
        number: Its number.
        supplier: The supplier's code.
        location: Where the goods are to be delivered.
        expected: Expected delivery date, if agreed.
        created_at: When it was made.
        employee: Who made it.
        note: Free text for the supplier.
        lines: Its lines in order.
        history: Its status changes, oldest first (the last is its status).
    """

    number: int
    supplier: str
    location: str
    expected: date | None
    created_at: datetime
    employee: str = ""
    note: str = ""
    lines: tuple[OrderLine, ...] = ()
    history: tuple[StatusChange, ...] = ()

    @property
    def status(self) -> OrderStatus:
        """Its current status."""
        return OrderStatus(self.history[-1].status) if self.history else OrderStatus.DRAFT

    @property
    def total_cost(self) -> int:
        """Ordered quantity at the agreed costs, øre."""
        return sum(stock_value(line.quantity, line.unit_cost) for line in self.lines)

    def status_after_receipt(self) -> OrderStatus:
        """Received when every line has all it ordered, else partly received."""
        done = all(line.received >= line.quantity for line in self.lines)
        return OrderStatus.RECEIVED if done else OrderStatus.PARTLY_RECEIVED


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """A line of a goods receipt.

    Attributes:
        line_no: 1-based.
        sku: Our product.
        quantity: Received, thousandths.
        unit_cost: Cost per unit, øre.
        order_line: The purchase order line it delivers, if any.
    """

    line_no: int
    sku: str
    quantity: int
    unit_cost: int
    order_line: int | None = None


@dataclass(frozen=True, slots=True)
class GoodsReceipt:
    """A delivery taken in (varemottak).

    Attributes:
        number: Its number.
        order_no: The purchase order it was received against, or None.
        location: Where the goods were put.
        delivery_note: The supplier's delivery note number (følgeseddel).
        at: When it was posted.
        employee: Who took it in.
        lines: Its lines.
    """

    number: int
    order_no: int | None
    location: str
    delivery_note: str
    at: datetime
    employee: str
    lines: tuple[ReceiptLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Difference:
    """How a delivery differs from its order, per product.

    Attributes:
        sku: The product.
        ordered: Outstanding on the order before this delivery.
        delivered: In this delivery.
    """

    sku: str
    ordered: int
    delivered: int

    @property
    def over(self) -> int:
        """Delivered beyond what was outstanding."""
        return max(0, self.delivered - self.ordered)

    @property
    def under(self) -> int:
        """Outstanding that did not come."""
        return max(0, self.ordered - self.delivered)


class TransferStatus(enum.StrEnum):
    """Where a transfer is: one step (done at once) or two (sent, then received)."""

    DONE = "done"
    SENT = "sent"
    RECEIVED = "received"


@dataclass(frozen=True, slots=True)
class TransferLine:
    """A line of a transfer (quantity in thousandths)."""

    line_no: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Transfer:
    """Goods moved between two real locations.

    Attributes:
        number: Its number.
        source: The location they leave.
        target: The location they go to.
        two_step: Sent into transit first, received later.
        lines: What is moved.
        history: Status changes (the last is its status).
    """

    number: int
    source: str
    target: str
    two_step: bool
    lines: tuple[TransferLine, ...] = ()
    history: tuple[StatusChange, ...] = ()

    @property
    def status(self) -> TransferStatus:
        """Its current status."""
        return TransferStatus(self.history[-1].status)


class CountStatus(enum.StrEnum):
    """Where a stock count is."""

    STARTED = "started"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class CountLine:
    """One product of a count.

    Attributes:
        sku: The product.
        name: Its name.
        unit: "piece" or "kg".
        snapshot: On hand when the count started (None: it was not in the snapshot).
        expected: On hand now (the snapshot plus the moves made since).
        counted: What was counted (None: not counted).
        average_cost: Average cost now, øre per unit.
    """

    sku: str
    name: str
    unit: str
    snapshot: int | None
    expected: int
    counted: int | None
    average_cost: int

    @property
    def variance(self) -> int:
        """Counted less expected (0 when not counted)."""
        return 0 if self.counted is None else self.counted - self.expected


@dataclass(frozen=True, slots=True)
class StockCount:
    """A stock count (varetelling) of one location, all products or one article group.

    Attributes:
        number: Its number.
        location: The location counted.
        group: The article group counted, or None for all.
        started_at: When the snapshot was taken.
        employee: Who started it.
        history: Status changes (the last is its status).
        lines: The products in the snapshot or counted (filled for ``count show``).
    """

    number: int
    location: str
    group: str | None
    started_at: datetime
    employee: str
    history: tuple[StatusChange, ...] = ()
    lines: tuple[CountLine, ...] = field(default=())

    @property
    def status(self) -> CountStatus:
        """Its current status."""
        return CountStatus(self.history[-1].status)
