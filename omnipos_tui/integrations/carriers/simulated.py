"""A simulated carrier that ships with the product, like the simulated devices: it plays a
realistic sequence of Bring's own event statuses for each parcel from the moment it was
booked, so the demo shop's parcels move on as the clock does, and the tests get every
status without the network.

The sequence is chosen by the tracking number (the same number always tells the same
story): home delivery, delivery to a pick-up point (with a pick-up code and a shelf), a
delivery after a deviation, or a parcel that goes back to the shop. A number ending in
``404`` is one the carrier does not know; one ending in ``503`` finds it too busy.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.orders.shipping import (
    CarrierUnavailable,
    ParcelStatus,
    Tracking,
    TrackingEvent,
)
from omnipos_tui.integrations.carriers.bring import INFORMATIONAL, STATUSES


@dataclass(frozen=True, slots=True)
class _Step:
    after: timedelta
    status: str
    description: str
    place: str


def _h(hours: float) -> timedelta:
    return timedelta(hours=hours)


_HOME = (
    _Step(_h(0.2), "PRE_NOTIFIED", "No shipment has been received yet, only notification.", ""),
    _Step(_h(3), "HANDED_IN", "The shipment has been handed in at the post office.", "0155 OSLO"),
    _Step(_h(9), "IN_TRANSIT", "The shipment has been handed in at terminal and forwarded.",
          "0024 OSLO"),
    _Step(_h(20), "TERMINAL", "The shipment has arrived at the terminal.", "7093 TILLER"),
    _Step(_h(26), "TRANSPORT_TO_RECIPIENT", "The shipment has been loaded for delivery.",
          "7093 TILLER"),
    _Step(_h(30), "DELIVERED", "The shipment has been delivered.", "7030 TRONDHEIM"),
)  # fmt: skip
_PICKUP_POINT = (
    *_HOME[:4],
    _Step(_h(28), "READY_FOR_PICKUP", "The shipment has arrived at pickup point.", "2870 DOKKA"),
    _Step(_h(28.1), "NOTIFICATION_SENT", "Pickup notice sent by SMS.", ""),
    _Step(_h(52), "DELIVERED", "The shipment has been collected.", "2870 DOKKA"),
)
_DEVIATION = (
    *_HOME[:4],
    _Step(_h(26), "DEVIATION", "The shipment is delayed: capacity at the terminal.",
          "7093 TILLER"),
    _Step(_h(46), "DELIVERY_CHANGED", "New delivery day set.", ""),
    _Step(_h(50), "TRANSPORT_TO_RECIPIENT", "The shipment has been loaded for delivery.",
          "7093 TILLER"),
    _Step(_h(54), "DELIVERED", "The shipment has been delivered.", "7030 TRONDHEIM"),
)  # fmt: skip
_RETURNED = (
    *_HOME[:4],
    _Step(_h(28), "READY_FOR_PICKUP", "The shipment has arrived at pickup point.", "2870 DOKKA"),
    _Step(_h(28 + 14 * 24), "RETURN", "Not collected: the shipment is on its way back.",
          "2870 DOKKA"),
    _Step(_h(30 + 16 * 24), "DELIVERED_SENDER", "The shipment has been returned to the sender.",
          "0155 OSLO"),
)  # fmt: skip
_STORIES = (_HOME, _HOME, _PICKUP_POINT, _PICKUP_POINT, _DEVIATION, _RETURNED)


def story(tracking_number: str) -> tuple[_Step, ...]:
    """The sequence a number plays (always the same for the same number)."""
    return _STORIES[zlib.crc32(tracking_number.upper().encode()) % len(_STORIES)]


class SimulatedCarrier:
    """:class:`~omnipos_tui.core.orders.shipping.Carrier` playing Bring's event statuses.

    Args:
        clock: Where "now" comes from (the parcel shows the events up to then).
        code: The carrier it stands in for ("bring").
    """

    def __init__(self, clock: Clock, *, code: str = "bring") -> None:
        self._clock = clock
        self.code = code

    def track(self, tracking_number: str, *, booked_at: datetime) -> Tracking:
        """The parcel's events up to now.

        Raises:
            CarrierUnavailable: For a number ending in ``503`` (too busy, as Bring says).
        """
        number = tracking_number.upper()
        if number.endswith("503"):
            raise CarrierUnavailable("simulated carrier: 503 Server too busy")
        if number.endswith("404"):
            return Tracking(
                found=False,
                status=ParcelStatus.UNKNOWN,
                raw_status="404",
                description="No shipments found",
            )
        now = self._clock.now()
        steps = story(number)
        events: list[TrackingEvent] = []
        current, raw, text = ParcelStatus.BOOKED, "", ""
        for step in steps:
            at = booked_at + step.after
            if at > now:
                break
            if step.status in INFORMATIONAL:
                mapped = current
            else:
                mapped = STATUSES[step.status]
                current, raw, text = mapped, step.status, step.description
            events.append(TrackingEvent(at, mapped, step.status, step.description, step.place))
        final = steps[-1]
        delivered = current is ParcelStatus.DELIVERED
        eta = booked_at + final.after
        code = f"{zlib.crc32(number.encode()) % 9000 + 1000}"
        at_point = current is ParcelStatus.READY_FOR_PICKUP
        return Tracking(
            found=True,
            status=current,
            raw_status=raw,
            description=text,
            events=tuple(events),
            estimated_date=None if current.final else business_day(eta),
            window_start="" if current.final else "08:00",
            window_end="" if current.final else "16:00",
            delivered_at=events[-1].at if delivered else None,
            pickup_code=code if at_point else "",
            shelf=str(int(code) % 40 + 1) if at_point else "",
            pickup_point="Spar Dokka" if steps in (_PICKUP_POINT, _RETURNED) else "",
        )
