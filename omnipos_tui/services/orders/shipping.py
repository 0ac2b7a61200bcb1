"""Shipping an order and following its parcels: ``orders ship`` (several parcels per order),
``orders track`` (ask the carrier once more now, or type a manual carrier's status) and the
worker's low-rate refresh of open parcels.

A carrier is never asked inside a unit of work: the parcels are read, the carrier answers
(or does not) with no database lock held, and what it said is written in a unit of work of
its own. A number the carrier does not know is kept and shown as unknown, and asked about
again later; a carrier that times out or answers 5xx leaves the last known status with the
time it was fetched and the reason the last asking failed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import Conflict, InvalidInput, PosError, RuleViolation
from omnipos_tui.core.orders.order import (
    CustomerOrder,
    Delivery,
    OrderLine,
    OrderStatus,
    check_changeable,
)
from omnipos_tui.core.orders.shipping import (
    MANUAL,
    Carrier,
    ParcelStatus,
    Shipment,
    Tracking,
)
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.moves import Posting
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.orders import steps
from omnipos_tui.services.orders.service import unit_of
from omnipos_tui.services.stock.common import check_employee

log = logging.getLogger(__name__)

#: How often an open parcel is asked about.
REFRESH = timedelta(minutes=30)
#: After the carrier failed to answer.
AFTER_ERROR = timedelta(minutes=10)
#: A number the carrier does not know (yet): asked again less often.
NOT_FOUND = timedelta(hours=2)
#: A parcel is no longer asked about this long after it was booked.
GIVE_UP_AFTER = timedelta(days=45)
#: Parcels the worker asks about in one pass.
PER_PASS = 10

_TRACKING = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")

Carriers = Mapping[str, Callable[[], Carrier]]
"""The carriers that can be asked, by code; each built on first use (its settings and
credentials read then). ``manual`` is never among them."""


@dataclass(frozen=True, slots=True)
class TrackResult:
    """What asking about one parcel gave.

    Attributes:
        shipment: The parcel as it stands now (the last known tracking).
        changed: The carrier said something new.
        error: Why the carrier could not be asked ("" when it answered).
    """

    shipment: Shipment
    changed: bool
    error: str = ""


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """What one refresh pass did.

    Attributes:
        asked: Parcels asked about.
        changed: Parcels whose tracking changed.
        failed: Parcels whose carrier did not answer.
    """

    asked: int = 0
    changed: int = 0
    failed: int = 0


def tracking_number(text: str) -> str:
    """A tracking number as typed, checked: 1-64 letters, digits or ``-``.

    Raises:
        InvalidInput: It is not such a number.
    """
    value = text.strip().replace(" ", "")
    if not _TRACKING.match(value):
        raise InvalidInput(code="order.bad_tracking", text=text.strip()[:80])
    return value


def next_check(
    shipment: Shipment, tracking: Tracking | None, now: datetime, *, refresh: timedelta = REFRESH
) -> datetime | None:
    """When to ask about a parcel next: every ``refresh`` while it is on its way; never
    once delivered or returned (or long after booking); less often while the carrier does
    not know the number; sooner after a failed asking."""
    if tracking is not None and tracking.status.final:
        return None
    if now - shipment.booked_at > GIVE_UP_AFTER:
        return None
    if tracking is None:
        return now + AFTER_ERROR
    return now + (refresh if tracking.found else max(refresh, NOT_FOUND))


class ShippingService:
    """Parcels and their tracking (see the module docstring).

    Args:
        units: Opens units of work.
        clock: The time.
        carriers: The carriers that can be asked, by code.
        refresh: How often an open parcel is asked about.
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        carriers: Carriers,
        *,
        refresh: timedelta = REFRESH,
    ) -> None:
        self._units = units
        self._clock = clock
        self._carriers = carriers
        self._refresh = refresh

    @property
    def carrier_codes(self) -> list[str]:
        """Every carrier a parcel may name: the configured ones and ``manual``."""
        return sorted({*self._carriers, MANUAL})

    def ship(
        self,
        number: int,
        *,
        carrier: str,
        tracking: str,
        service: str = "",
        lines: Sequence[tuple[int, str]] = (),
        employee: str = "",
        register_id: str | None = None,
    ) -> tuple[CustomerOrder, Shipment]:
        """Send a parcel of an order (``orders ship``): its goods move transit ->
        customer and the parcel is registered with the carrier's number. Without picked
        goods, everything reserved is picked first; without ``lines`` the parcel takes
        everything picked.

        Args:
            lines: (order line, quantity as typed) in this parcel.

        Raises:
            NotFound: No such order.
            InvalidInput: An unknown carrier, a bad tracking number, an unknown line, a
                quantity of 0 or less.
            RuleViolation: The order is cancelled or finished, is picked up in the shop,
                or more is asked than is picked.
            Conflict: The carrier's number is on another parcel already.
        """
        code = carrier.strip().lower()
        if code not in self.carrier_codes:
            raise InvalidInput(code="order.unknown_carrier", carrier=code, known=self.carrier_codes)
        number_text = tracking_number(tracking)
        now = self._clock.now()
        with self._units() as uow:
            check_employee(uow, employee)
            order = steps.find(uow, number, lock=True)
            check_changeable(order, "ship")
            owner = uow.orders.tracking_owner(code, number_text)
            if owner is not None:
                raise Conflict(
                    code="order.tracking_taken", carrier=code, tracking=number_text, number=owner
                )
            if order.delivery is not Delivery.SHIP:
                raise RuleViolation(code="order.pickup_not_shipped", number=number)
            posting = Posting(employee, register_id or uow.register_id, now)
            order = steps.apply(order, steps.reserve_missing(uow, order, now, employee))
            if not lines and not any(line.picked for line in order.lines):
                picks = [(line, line.reserved) for line in order.lines]
                order = steps.apply(order, steps.pick_moves(uow, order, picks, posting))
            units = unit_of(uow, [ln.sku for ln in order.lines])
            parcel: list[tuple[OrderLine, int]] = []
            asked: dict[int, int] = {}
            for line_no, text in lines:
                line = order.line(line_no)
                quantity = parse_quantity(
                    text, units[line.sku], what=f"line {line_no} ({line.sku})"
                )
                asked[line_no] = asked.get(line_no, 0) + quantity
            for line in order.lines:
                quantity = asked.get(line.line_no, 0) if lines else line.picked
                if quantity > line.picked:
                    raise RuleViolation(
                        code="order.ship_more_than_picked",
                        number=number,
                        line=line.line_no,
                        asked=format_quantity(quantity, units[line.sku]),
                        picked=format_quantity(line.picked, units[line.sku]),
                    )
                if quantity:
                    parcel.append((line, quantity))
            if not parcel:
                raise RuleViolation(code="order.nothing_to_ship", number=number)
            shipment = Shipment(
                shipment_id=0,
                order_no=number,
                carrier=code,
                service=service.strip()[:80],
                tracking_number=number_text,
                booked_at=now,
                employee=employee,
                lines=tuple((line.line_no, q) for line, q in parcel),
            )
            shipment_id = uow.orders.add_shipment(shipment)
            uow.orders.schedule(shipment_id, None if code == MANUAL else now)
            events = steps.deliver_moves(
                uow, order, parcel, posting, reason="shipped", shipment=shipment_id
            )
            order = steps.new_status(uow, steps.apply(order, events), now, employee)
            stored = uow.orders.shipment(shipment_id)
            assert stored is not None
            uow.commit()
        return order, stored

    def track(self, number: int) -> list[TrackResult]:
        """Ask the carrier about each open parcel of an order now (``orders track``);
        parcels of the manual carrier and finished ones are shown as they are.

        Raises:
            NotFound: No such order.
        """
        with self._units(read_only=True) as uow:
            order = steps.find(uow, number)
        results = []
        for shipment in order.shipments:
            if shipment.carrier == MANUAL or shipment.status.final:
                results.append(TrackResult(shipment, changed=False))
            else:
                results.append(self._ask(shipment))
        return results

    def set_status(
        self,
        number: int,
        status: ParcelStatus,
        *,
        tracking: str | None = None,
        employee: str = "",
    ) -> Shipment:
        """Type a manual carrier's status (``orders track N --status S``).

        Raises:
            NotFound: No such order.
            InvalidInput: No manual parcel with that number (or several and none named).
        """
        now = self._clock.now()
        with self._units() as uow:
            check_employee(uow, employee)
            order = steps.find(uow, number, lock=True)
            manual = [s for s in order.shipments if s.carrier == MANUAL]
            if tracking is not None:
                manual = [s for s in manual if s.tracking_number == tracking.strip()]
            if len(manual) != 1:
                raise InvalidInput(
                    code="order.no_manual_parcel",
                    number=number,
                    parcels=[s.tracking_number for s in order.shipments if s.carrier == MANUAL],
                )
            parcel = manual[0]
            said = Tracking(
                found=True,
                status=status,
                raw_status=status.value,
                description=f"set by {employee or 'cli'}",
                events=parcel.tracking.events,
                delivered_at=now if status is ParcelStatus.DELIVERED else None,
            )
            uow.orders.add_tracking(parcel.shipment_id, said, now)
            uow.orders.checked(parcel.shipment_id, at=now, error="", next_at=None)
            self._after_tracking(uow, order, now, employee)
            stored = uow.orders.shipment(parcel.shipment_id)
            assert stored is not None
            uow.commit()
        return stored

    def refresh_due(self, *, limit: int = PER_PASS) -> RefreshReport:
        """Ask about the parcels that are due (the worker's job, a few per pass)."""
        with self._units(read_only=True) as uow:
            due = [
                uow.orders.shipment(i)
                for i in uow.orders.due_shipments(self._clock.now(), limit=limit)
            ]
        report = RefreshReport()
        for shipment in due:
            if shipment is None:
                continue
            result = self._ask(shipment)
            report = RefreshReport(
                report.asked + 1,
                report.changed + int(result.changed),
                report.failed + int(bool(result.error)),
            )
        return report

    def _ask(self, shipment: Shipment) -> TrackResult:
        """Ask the carrier (no unit of work open) and keep the answer."""
        now = self._clock.now()
        tracking: Tracking | None = None
        error = ""
        make = self._carriers.get(shipment.carrier)
        try:
            if make is None:
                raise InvalidInput(code="order.carrier_not_configured", carrier=shipment.carrier)
            tracking = make().track(shipment.tracking_number, booked_at=shipment.booked_at)
        except PosError as failure:
            error = str(failure)
            log.warning(
                "tracking %s %s failed: %s", shipment.carrier, shipment.tracking_number, error
            )
        with self._units() as uow:
            changed = False
            if tracking is not None:
                changed = uow.orders.add_tracking(shipment.shipment_id, tracking, now)
            uow.orders.checked(
                shipment.shipment_id,
                at=now,
                error=error,
                next_at=next_check(shipment, tracking, now, refresh=self._refresh),
            )
            if changed:
                order = uow.orders.get(shipment.order_no, lock=True)
                if order is not None:
                    self._after_tracking(uow, order, now, "")
            stored = uow.orders.shipment(shipment.shipment_id)
            uow.commit()
        return TrackResult(stored or shipment, changed, error)

    def _after_tracking(
        self, uow: UnitOfWork, order: CustomerOrder, now: datetime, employee: str
    ) -> None:
        """A shipped order becomes delivered once every parcel is."""
        fresh = steps.find(uow, order.number)
        if fresh.status is not OrderStatus.SHIPPED or not fresh.shipments:
            return
        if all(s.status is ParcelStatus.DELIVERED for s in fresh.shipments):
            steps.new_status(uow, fresh, now, employee, delivered=True)
