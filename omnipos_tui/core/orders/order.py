"""The customer order (kundeordre): who ordered what, through which channel, reserved where,
picked, sent in which parcel, and its status history.

An order is a business record: its rows are never edited. The header and lines are written
once; everything that happens to a line afterwards is a :class:`LineEvent` (reserved,
released, picked, put back, delivered, cancelled), and a line's figures are the sums of its
events. A status change is a new :class:`~omnipos_tui.core.stock.documents.StatusChange`
row. The status follows from the lines (:func:`status_after`): an order whose lines are
all reserved is *reserved*, all picked *picked*, all in parcels *shipped* (or, for a pick-up
in the shop, *picked up* once handed over); *packed* is said by the shop, *delivered* by the
carrier; an order with nothing left to deliver after cancellations is *cancelled*.

Where the goods are, by line: *reserved* at a real location (on hand there, not available
to others); *picked* off the shelf into ``transit`` (still the shop's, counted in the stock
value, sold to nobody else) until the parcel is handed to the carrier or the customer
collects it; *delivered* to ``customer``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.shipping import Shipment
from omnipos_tui.core.stock.documents import StatusChange
from omnipos_tui.core.stock.quantity import SCALE

TILL = "till"
"""The channel of orders taken at the till (special orders, click and collect)."""
WEB = "web"
"""The channel of orders the web shop imports."""

_CHANNEL = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
MAX_EXTERNAL_ID = 64


def channel_code(text: str) -> str:
    """A channel as typed, checked: 1-20 lower-case letters, digits or ``-``, starting
    with a letter ("till", "web", "woo-butikk").

    Raises:
        InvalidInput: It is not such a code.
    """
    code = text.strip().lower()
    if not _CHANNEL.match(code):
        raise InvalidInput(code="order.bad_channel", text=text.strip())
    return code


def external_id(channel: str, text: str | None) -> str | None:
    """An outside channel's own order id, checked: required for every channel but the
    till, at most 64 printable characters; None for the till.

    Raises:
        InvalidInput: Missing for an outside channel, given for the till, or too long.
    """
    value = (text or "").strip()
    if channel == TILL:
        if value:
            raise InvalidInput(code="order.external_id_till", text=value)
        return None
    if not value:
        raise InvalidInput(code="order.external_id_missing", channel=channel)
    if len(value) > MAX_EXTERNAL_ID or not value.isprintable():
        raise InvalidInput(code="order.external_id_bad", text=value[:80])
    return value


class OrderStatus(enum.StrEnum):
    """Where an order is in its life."""

    OPEN = "open"
    """Taken, but not everything could be reserved (back-ordered lines)."""
    RESERVED = "reserved"
    PICKED = "picked"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    PICKED_UP = "picked_up"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        """Nothing more happens to the order."""
        return self in (OrderStatus.DELIVERED, OrderStatus.PICKED_UP, OrderStatus.CANCELLED)

    @property
    def waiting(self) -> bool:
        """The shop still has to do its part: get, pick, pack, send or hand over the goods
        (open, reserved, picked, packed)."""
        return self in WAITING

    @property
    def label(self) -> str:
        """The status in words, for tables ("picked up")."""
        return self.value.replace("_", " ")


WAITING = frozenset(
    {OrderStatus.OPEN, OrderStatus.RESERVED, OrderStatus.PICKED, OrderStatus.PACKED}
)
"""The statuses in which an order waits for the shop (a late order is one of them)."""


class Delivery(enum.StrEnum):
    """How the goods reach the customer."""

    PICKUP = "pickup"
    """Collected in the shop (click and collect, special orders)."""
    SHIP = "ship"
    """Sent by a carrier to the address."""


class PaymentState(enum.StrEnum):
    """How the order is paid."""

    PREPAID = "prepaid"
    """Paid in advance elsewhere (the web shop): handed over with a delivery receipt."""
    PAY_AT_PICKUP = "pay_at_pickup"
    """Paid at the till when collected (the order's lines come into the sale)."""
    ON_ACCOUNT = "on_account"
    """On the customer's account: a credit sale with a delivery receipt at the till."""


class LineEventKind(enum.StrEnum):
    """What happened to (part of) an order line."""

    RESERVE = "reserve"
    """Reserved at a location: available there falls, on hand does not."""
    RELEASE = "release"
    """A reservation given back (cancelled)."""
    PICK = "pick"
    """Taken off the shelf: the reservation became a move location -> transit."""
    UNPICK = "unpick"
    """Picked goods put back on the shelf (a cancel after picking): transit -> location."""
    DELIVER = "deliver"
    """Handed to the carrier or the customer: transit -> customer."""
    CANCEL = "cancel"
    """The customer no longer wants this quantity."""


@dataclass(frozen=True, slots=True)
class Address:
    """Where a shipped order goes.

    Attributes:
        name: The recipient.
        street: Street address.
        postal_code: Postal code.
        city: Postal place.
        country: ISO country code.
    """

    name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = "NO"

    @property
    def empty(self) -> bool:
        """No street, postal code or city."""
        return not (self.street or self.postal_code or self.city)

    def one_line(self) -> str:
        """``Storgata 1, 0155 Oslo``."""
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A line of an order with its figures (sums of its events).

    Attributes:
        line_no: 1-based.
        sku: The product.
        name: The product's name when ordered.
        quantity: Ordered, thousandths.
        unit_price: Price per unit incl. VAT as agreed.
        location: Where it is reserved (the real location its goods leave from).
        reserved: Reserved there now (not yet picked).
        picked: Picked and not yet delivered (in ``transit``).
        delivered: Handed to the carrier or the customer.
        cancelled: No longer wanted.
        expected: For a back-ordered line, the expected date of the next purchase order
            that brings the product (None when none is on order).
    """

    line_no: int
    sku: str
    name: str
    quantity: int
    unit_price: Money
    location: str
    reserved: int = 0
    picked: int = 0
    delivered: int = 0
    cancelled: int = 0
    expected: date | None = None

    @property
    def wanted(self) -> int:
        """Ordered less cancelled."""
        return self.quantity - self.cancelled

    @property
    def outstanding(self) -> int:
        """Still to deliver."""
        return max(0, self.wanted - self.delivered)

    @property
    def back_ordered(self) -> int:
        """Wanted but neither reserved, picked nor delivered: waits for goods."""
        return max(0, self.wanted - self.reserved - self.picked - self.delivered)

    @property
    def amount(self) -> Money:
        """What the wanted quantity costs the customer, incl. VAT."""
        return line_amount(self.unit_price, self.wanted)


def line_amount(unit_price: Money, quantity: int) -> Money:
    """``unit_price`` times a quantity in thousandths, rounded half up to the øre."""
    whole, part = divmod(quantity, SCALE)
    if not part:
        return unit_price * whole
    return Money(_divide_half_up(unit_price.ore * quantity, SCALE))


def _divide_half_up(numerator: int, denominator: int) -> int:
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


@dataclass(frozen=True, slots=True)
class LineEvent:
    """Something that happened to an order line (stored append-only).

    Attributes:
        line_no: The order line.
        kind: What happened.
        quantity: How much, thousandths, above 0.
        location: The real location it concerns ("" where none does: a cancel).
        at: When.
        employee: Who.
        shipment: The parcel a delivery went in, if it was shipped.
    """

    line_no: int
    kind: LineEventKind
    quantity: int
    location: str
    at: datetime
    employee: str = ""
    shipment: int | None = None

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError(f"an order line event's quantity is above 0, got {self.quantity}")


@dataclass(frozen=True, slots=True)
class CustomerOrder:
    """An order with its lines, history and shipments.

    Attributes:
        number: Its number (our own series, for every channel).
        channel: Where it was taken ("till", "web", ...).
        external_id: The outside channel's id (unique per channel), None for the till.
        customer: The customer's number in the shared register.
        delivery: Pick-up in the shop, or shipping.
        address: Where a shipped order goes (empty for a pick-up).
        payment: How it is paid.
        promised: The day the customer was told it is ready (pick-up) or sent; None when
            no day was given. Past it and not done, the order is late.
        created_at: When it was taken.
        employee: Who took it.
        register_id: The register (or the process) that took it.
        note: Free text.
        lines: The lines in order.
        history: Status changes, oldest first (the last is its status).
        shipments: Its parcels, oldest first.
    """

    number: int
    channel: str
    external_id: str | None
    customer: str
    delivery: Delivery
    address: Address
    payment: PaymentState
    promised: date | None
    created_at: datetime
    employee: str = ""
    register_id: str = ""
    note: str = ""
    lines: tuple[OrderLine, ...] = ()
    history: tuple[StatusChange, ...] = ()
    shipments: tuple[Shipment, ...] = ()

    @property
    def status(self) -> OrderStatus:
        """Its current status."""
        return OrderStatus(self.history[-1].status) if self.history else OrderStatus.OPEN

    @property
    def total(self) -> Money:
        """What the wanted quantities cost the customer, incl. VAT."""
        return Money.sum([line.amount for line in self.lines])

    @property
    def barcode(self) -> str:
        """What the order confirmation's barcode holds (:func:`order_code`)."""
        return order_code(self.number)

    def late(self, today: date) -> bool:
        """Promised for a day before ``today`` and still waiting for the shop (not yet
        sent, collected or cancelled)."""
        return self.promised is not None and self.promised < today and self.status.waiting

    def line(self, line_no: int) -> OrderLine:
        """The line with ``line_no``.

        Raises:
            InvalidInput: No such line.
        """
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise InvalidInput(code="order.no_such_line", number=self.number, line=line_no)


BARCODE_PREFIX = "ORD"
_ORDER_CODE = re.compile(r"^ORD(\d{1,12})$", re.IGNORECASE)


def order_code(number: int) -> str:
    """The barcode of an order: ``ORD`` and its number of at least five digits
    ("ORD00042"): letters, so it never matches an article's barcode or a receipt's
    (``1-123``), and long enough for a keyboard-wedge scanner's framing (six characters
    or more)."""
    return f"{BARCODE_PREFIX}{number:05d}"


def order_number_of(code: str) -> int | None:
    """The order an order barcode names, or None when ``code`` is not one."""
    found = _ORDER_CODE.match(code.strip())
    return int(found.group(1)) if found else None


def status_after(order: CustomerOrder, *, delivered: bool = False) -> OrderStatus:
    """The status the order's lines say it is in now.

    Args:
        order: The order as it stands (lines with their new figures).
        delivered: The carrier says every parcel arrived (for a shipped order).
    """
    current = order.status
    wanted = [line for line in order.lines if line.wanted > 0]
    if not wanted:
        return OrderStatus.CANCELLED
    if all(line.delivered >= line.wanted for line in wanted):
        if order.delivery is Delivery.PICKUP:
            return OrderStatus.PICKED_UP
        if delivered or current is OrderStatus.DELIVERED:
            return OrderStatus.DELIVERED
        return OrderStatus.SHIPPED
    if all(line.picked + line.delivered >= line.wanted for line in wanted):
        return OrderStatus.PACKED if current is OrderStatus.PACKED else OrderStatus.PICKED
    if all(line.back_ordered == 0 for line in wanted):
        return OrderStatus.RESERVED
    return OrderStatus.OPEN


def check_changeable(order: CustomerOrder, wanted: str) -> None:
    """Refuse any change to a finished order.

    Args:
        order: The order.
        wanted: What was tried, in words for the message ("pick", "ship").

    Raises:
        RuleViolation: It is cancelled, delivered or picked up.
    """
    status = order.status
    if status is OrderStatus.CANCELLED:
        raise RuleViolation(code="order.cancelled", number=order.number, wanted=wanted)
    if status.final:
        raise RuleViolation(
            code="order.finished", number=order.number, wanted=wanted, status=status.label
        )
