"""Shipments (parcels) and the carrier port: what a carrier tells about a parcel, in a small
status set every carrier maps to, with the carrier's own words kept beside it.

A carrier adapter (``omnipos_tui/integrations/carriers/``) implements :class:`Carrier`:
``track`` asks once and answers a :class:`Tracking`. A number the carrier does not know is
an answer (``found=False``), never an error: the shipment is kept, shown as unknown and
asked about again later. A carrier that does not answer, or answers with a server error,
raises :class:`CarrierUnavailable`; the order view then shows the last known status and
when it was fetched.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from omnipos_tui.core.errors import PosError


class ParcelStatus(enum.StrEnum):
    """Where a parcel is, in the words every carrier is mapped to."""

    BOOKED = "booked"
    """We told the carrier (or typed the number); the carrier has not got it yet."""
    HANDED_IN = "handed_in"
    IN_TRANSIT = "in_transit"
    READY_FOR_PICKUP = "ready_for_pickup"
    """At the pick-up point (with a pick-up code and shelf where the carrier gives them)."""
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    RETURNED = "returned"
    DEVIATION = "deviation"
    """Something went wrong (a failed attempt, damage, a delay)."""
    UNKNOWN = "unknown"
    """The carrier said something we have no word for, or does not know the number yet."""

    @property
    def final(self) -> bool:
        """Nothing more is expected: the worker stops asking."""
        return self in (ParcelStatus.DELIVERED, ParcelStatus.RETURNED)

    @property
    def label(self) -> str:
        """The status in words ("out for delivery")."""
        return self.value.replace("_", " ")


#: Statuses that mean the parcel has left the shop (the first such event is "shipped at").
LEFT_THE_SHOP = frozenset(
    {
        ParcelStatus.HANDED_IN,
        ParcelStatus.IN_TRANSIT,
        ParcelStatus.READY_FOR_PICKUP,
        ParcelStatus.OUT_FOR_DELIVERY,
        ParcelStatus.DELIVERED,
    }
)


class CarrierUnavailable(PosError):
    """The carrier did not answer in time, or answered with a server error (a free-text
    technical detail: the carrier, the URL without secrets, the status or the timeout)."""


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One event of a parcel, as the carrier reported it.

    Attributes:
        at: When it happened (aware).
        status: Mapped to our status set.
        raw_status: The carrier's own status, kept as it came ("TERMINAL", "NEW_THING").
        description: The carrier's text.
        place: Postal code and city (and country), as given.
    """

    at: datetime
    status: ParcelStatus
    raw_status: str
    description: str = ""
    place: str = ""


@dataclass(frozen=True, slots=True)
class Tracking:
    """What a carrier says about a parcel now.

    Attributes:
        found: The carrier knows the number.
        status: The parcel's status (UNKNOWN when not found or not understood).
        raw_status: The carrier's own status of its latest significant event ("" when none).
        description: The carrier's text for the status.
        events: The events, oldest first.
        estimated_date: The estimated delivery day, if the carrier gives one.
        window_start: The estimated time window's start ("08:00"), or "".
        window_end: Its end ("16:00"), or "".
        delivered_at: When it was delivered.
        pickup_code: The code the recipient shows at the pick-up point.
        shelf: The shelf it is on at the pick-up point.
        pickup_point: The pick-up point's name.
    """

    found: bool
    status: ParcelStatus
    raw_status: str = ""
    description: str = ""
    events: tuple[TrackingEvent, ...] = ()
    estimated_date: date | None = None
    window_start: str = ""
    window_end: str = ""
    delivered_at: datetime | None = None
    pickup_code: str = ""
    shelf: str = ""
    pickup_point: str = ""

    @property
    def shipped_at(self) -> datetime | None:
        """The first event at which the parcel had left the shop, if any."""
        left = [event.at for event in self.events if event.status in LEFT_THE_SHOP]
        return min(left) if left else None


class Carrier(Protocol):
    """A carrier's tracking (Bring, the simulated carrier). ``manual`` has no adapter: the
    shop types the status."""

    code: str
    """The carrier's code on shipments ("bring")."""

    def track(self, tracking_number: str, *, booked_at: datetime) -> Tracking:
        """Ask the carrier about a parcel now.

        Args:
            tracking_number: The number as the shop typed it.
            booked_at: When we booked it (the simulated carrier plays its events from
                there; real carriers ignore it).

        Raises:
            CarrierUnavailable: No answer in time, or a server error (5xx, 429).
        """
        ...


MANUAL = "manual"
"""The carrier whose status the shop sets by hand."""


@dataclass(frozen=True, slots=True)
class Shipment:
    """A parcel of an order: which lines went in it, the carrier's number, and the latest
    known tracking.

    Attributes:
        shipment_id: Its id.
        order_no: The order.
        carrier: The carrier's code ("bring", "manual").
        service: The carrier's service, as typed ("5800", "Pakke i postkassen"), or "".
        tracking_number: The carrier's number.
        booked_at: When we registered it (shipped at, until the carrier says otherwise).
        employee: Who sent it.
        lines: (order line, quantity) in the parcel.
        tracking: The latest known tracking (status BOOKED before any answer).
        fetched_at: When the carrier last answered, or None (never yet).
        fetch_error: Why the last asking failed ("" when it answered); the tracking and
            ``fetched_at`` are then those of the last answer.
        checked_status_at: When the tracking last changed.
    """

    shipment_id: int
    order_no: int
    carrier: str
    service: str
    tracking_number: str
    booked_at: datetime
    employee: str = ""
    lines: tuple[tuple[int, int], ...] = ()
    tracking: Tracking = Tracking(found=True, status=ParcelStatus.BOOKED)
    fetched_at: datetime | None = None
    fetch_error: str = ""
    checked_status_at: datetime | None = None

    @property
    def status(self) -> ParcelStatus:
        """The latest known status."""
        return self.tracking.status

    @property
    def shipped_at(self) -> datetime:
        """The carrier's first hand-in event, else our booking time (ERP.md)."""
        return self.tracking.shipped_at or self.booked_at
