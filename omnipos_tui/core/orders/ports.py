"""What the order services need from storage (``storage/orders.py`` implements it inside
the unit of work that holds it).

The order's own rows (header, lines, line events, status history, parcels, carrier events)
are append-only; what changes in place is derived and can be rebuilt from them: the
current status per order (so the till's list of today's pick-ups and ``orders list
--status`` never read the whole history) and when each parcel was last asked about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    CustomerOrder,
    Delivery,
    LineEvent,
    OrderStatus,
    PaymentState,
)
from omnipos_tui.core.orders.shipping import Shipment, Tracking
from omnipos_tui.core.stock.documents import StatusChange


@dataclass(frozen=True, slots=True)
class OrderSummary:
    """One order in a list.

    Attributes:
        number: The order.
        channel: Its channel.
        external_id: The channel's id, or None.
        customer: The customer's number.
        customer_name: The customer's name.
        status: The current status.
        delivery: Pick-up or ship.
        payment: How it is paid.
        promised: The promised day, if any.
        created_at: When it was taken.
        total: The wanted quantities' price incl. VAT.
        lines: How many lines.
        paid_at: When it became prepaid after it was taken (a web order paid in the shop
            later), else None.
    """

    number: int
    channel: str
    external_id: str | None
    customer: str
    customer_name: str
    status: OrderStatus
    delivery: Delivery
    payment: PaymentState
    promised: date | None
    created_at: datetime
    total: Money
    lines: int
    paid_at: datetime | None = None

    def late(self, today: date) -> bool:
        """Promised for a day before ``today`` and still waiting for the shop."""
        return self.promised is not None and self.promised < today and self.status.waiting


@dataclass(frozen=True, slots=True)
class Purchase:
    """A completed till transaction of a customer (``customers show``).

    Attributes:
        trans_id: The transaction ("1-42").
        receipt_id: Its receipt ("1-17").
        kind: "sale", "credit_sale", "return", ...
        at: When it was completed.
        total: Its total incl. VAT.
        lines: How many lines.
    """

    trans_id: str
    receipt_id: str
    kind: str
    at: datetime
    total: Money
    lines: int


@dataclass(frozen=True, slots=True)
class SaleLink:
    """An order brought into a till sale for its pick-up.

    Attributes:
        order_no: The order.
        lines: Sale line number -> the order line it carries.
    """

    order_no: int
    lines: Mapping[int, int]


class OrderRepository(Protocol):
    """The order register."""

    def add(self, order: CustomerOrder) -> None:
        """Store a new order: header, lines (at the locations chosen), first status.

        Raises:
            Conflict: The channel has an order with this external id already.
        """
        ...

    def by_external(self, channel: str, external_id: str) -> int | None:
        """The number of the channel's order with this id, if there is one."""
        ...

    def get(self, number: int, *, lock: bool = False) -> CustomerOrder | None:
        """An order with its lines (figures summed from their events), history and parcels;
        ``lock`` holds it against other units of work until this one ends."""
        ...

    def add_events(self, number: int, events: Sequence[LineEvent]) -> None:
        """Append line events."""
        ...

    def set_payment(self, number: int, payment: PaymentState, at: datetime, note: str) -> None:
        """Record that the order is now paid this way (kept as history)."""
        ...

    def add_status(self, number: int, change: StatusChange) -> None:
        """Append a status change (and make it the order's current status)."""
        ...

    def find(
        self,
        *,
        customer: str | None = None,
        status: Sequence[OrderStatus] = (),
        channel: str | None = None,
        delivery: Delivery | None = None,
        late_on: date | None = None,
        limit: int = 100,
    ) -> list[OrderSummary]:
        """Orders newest first, filtered (``late_on``: promised before that day and still
        waiting for the shop: open, reserved, picked or packed)."""
        ...

    def add_shipment(self, shipment: Shipment) -> int:
        """Store a parcel and its lines; returns its id.

        Raises:
            Conflict: The carrier's tracking number is on another parcel already.
        """
        ...

    def tracking_owner(self, carrier: str, tracking_number: str) -> int | None:
        """The order whose parcel has this carrier's number, if any."""
        ...

    def shipment(self, shipment_id: int) -> Shipment | None:
        """One parcel with its latest tracking."""
        ...

    def add_tracking(self, shipment_id: int, tracking: Tracking, at: datetime) -> bool:
        """Keep what a carrier said: new events are appended (those already kept are
        skipped), and a new tracking row when the picture changed. Returns whether it
        changed."""
        ...

    def checked(
        self, shipment_id: int, *, at: datetime, error: str, next_at: datetime | None
    ) -> None:
        """Remember that the carrier was asked at ``at``: when it answered (``error`` "") that
        is the new fetch time; when it failed, the time of its last answer is kept and
        ``error`` says why the asking failed. And when to ask next (None: never again)."""
        ...

    def schedule(self, shipment_id: int, next_at: datetime | None) -> None:
        """When to ask about a new parcel first (None: never, a manual carrier)."""
        ...

    def due_shipments(self, now: datetime, *, limit: int) -> list[int]:
        """Parcels to ask the carrier about now, oldest check first (not manual, not
        finished)."""
        ...

    def link_sale(self, sale_id: str, link: SaleLink, at: datetime) -> None:
        """Remember that an open sale carries an order's lines."""
        ...

    def sales_of(self, order_no: int) -> list[str]:
        """The sale ids that have carried the order's lines."""
        ...

    def link_of_transaction(self, trans_id: str) -> SaleLink | None:
        """The order a completed transaction's sale carried, if any."""
        ...

    def reserved_by_orders(self) -> dict[tuple[str, str], int]:
        """What the orders hold reserved, by (SKU, location), from their line events."""
        ...

    def purchases(self, customer: str, *, limit: int) -> list[Purchase]:
        """A customer's completed till transactions, newest first."""
        ...
