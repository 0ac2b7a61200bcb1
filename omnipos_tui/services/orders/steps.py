"""The steps the order use cases share: finding and locking an order, choosing where a line
is reserved, the stock side of picking and delivering (the stock ledger's own atomic
balance updates: moves through ``post``, reservations through ``reserve``/``release``), and
writing the status row the lines now call for.

Where the goods go (ERP.md, the customer order): reserved at a real location; picking moves
them location -> ``transit`` and gives the reservation back in the same unit of work
(available there is unchanged: on hand and reserved both fall); shipping, or handing them
over at the till, moves them ``transit`` -> ``customer``. Until then picked goods are still
the shop's (``transit`` keeps a balance and counts in the stock value) and nobody else can
sell them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from omnipos_tui.core.errors import NotFound
from omnipos_tui.core.orders.order import (
    CustomerOrder,
    LineEvent,
    LineEventKind,
    OrderLine,
    OrderStatus,
    status_after,
)
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.stock.documents import StatusChange
from omnipos_tui.core.stock.locations import CUSTOMER, TRANSIT
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting

ORDER_SERIES = "customer_order"
"""The stock counter series that numbers customer orders (every channel shares it)."""


def find(uow: UnitOfWork, number: int, *, lock: bool = False) -> CustomerOrder:
    """An order, with the expected day of each back-ordered line filled in.

    Raises:
        NotFound: No such order.
    """
    order = uow.orders.get(number, lock=lock)
    if order is None:
        raise NotFound(code="order.unknown", number=number)
    return with_expected(uow, order)


def with_expected(uow: UnitOfWork, order: CustomerOrder) -> CustomerOrder:
    """The order with each back-ordered line's expected day: the earliest expected date
    of the open purchase orders that bring the product."""
    if not any(line.back_ordered for line in order.lines):
        return order
    lines = []
    for line in order.lines:
        if not line.back_ordered:
            lines.append(line)
            continue
        dates = [o.expected for o in uow.purchases.on_order(line.sku) if o.expected]
        lines.append(replace(line, expected=min(dates) if dates else None))
    return replace(order, lines=tuple(lines))


def place_and_reserve(
    uow: UnitOfWork, lines: Sequence[tuple[str, int]], preferred: str, *, movable: bool
) -> list[tuple[str, int]]:
    """Where each line is reserved, and how much it got: everything is reserved at the
    preferred location first (the register's, or the one given) in one atomic statement;
    a line it cannot fully serve moves (when ``movable``) to the first other real location
    that has the whole quantity available, else to the one with the most available when
    that is more than the preferred gave; what no location has is back-ordered.

    Returns:
        (location, reserved) per line, in order.
    """
    taken = uow.stock.reserve([(sku, preferred, q) for sku, q in lines])
    placed = [(preferred, t) for t in taken]
    short = [i for i, ((_, q), t) in enumerate(zip(lines, taken, strict=True)) if t < q]
    if not movable or not short:
        return placed
    others = [loc.code for loc in uow.stock.locations() if loc.real and loc.code != preferred]
    for index in short:
        sku, quantity = lines[index]
        balances = uow.stock.balances(sku)
        free = {lv.location: lv.available for lv in (balances.locations if balances else ())}
        whole = next((code for code in others if free.get(code, 0) >= quantity), None)
        best = max(others, key=lambda code: free.get(code, 0), default=None)
        target = whole or (best if best and free.get(best, 0) > taken[index] else None)
        if target is None:
            continue
        if taken[index]:
            uow.stock.release([(sku, preferred, taken[index])])
        (got,) = uow.stock.reserve([(sku, target, quantity)])
        placed[index] = (target, got)
    return placed


def reserve_missing(
    uow: UnitOfWork, order: CustomerOrder, at: datetime, employee: str
) -> list[LineEvent]:
    """Reserve what has come in for the order's back-ordered lines (at their locations);
    returns the reserve events (already stored)."""
    waiting = [line for line in order.lines if line.back_ordered > 0]
    if not waiting:
        return []
    taken = uow.stock.reserve([(ln.sku, ln.location, ln.back_ordered) for ln in waiting])
    events = [
        LineEvent(line.line_no, LineEventKind.RESERVE, take, line.location, at, employee)
        for line, take in zip(waiting, taken, strict=True)
        if take > 0
    ]
    if events:
        uow.orders.add_events(order.number, events)
    return events


def apply(order: CustomerOrder, events: Sequence[LineEvent]) -> CustomerOrder:
    """The order with ``events`` added to its lines' figures (as a fresh read would give)."""
    lines = {line.line_no: line for line in order.lines}
    for event in events:
        line = lines[event.line_no]
        q = event.quantity
        kind = event.kind
        if kind is LineEventKind.RESERVE:
            line = replace(line, reserved=line.reserved + q)
        elif kind is LineEventKind.RELEASE:
            line = replace(line, reserved=line.reserved - q)
        elif kind is LineEventKind.PICK:
            line = replace(line, reserved=line.reserved - q, picked=line.picked + q)
        elif kind is LineEventKind.UNPICK:
            line = replace(line, picked=line.picked - q)
        elif kind is LineEventKind.DELIVER:
            line = replace(line, picked=line.picked - q, delivered=line.delivered + q)
        else:
            line = replace(line, cancelled=line.cancelled + q)
        lines[event.line_no] = line
    return replace(order, lines=tuple(lines[n] for n in sorted(lines)))


def pick_moves(
    uow: UnitOfWork,
    order: CustomerOrder,
    picks: Sequence[tuple[OrderLine, int]],
    posting: Posting,
) -> list[LineEvent]:
    """Take reserved goods off the shelf: location -> transit moves and the reservation
    given back, in this unit of work. Returns the pick events (stored)."""
    picks = [(line, q) for line, q in picks if q > 0]
    if not picks:
        return []
    uow.stock.post(
        [
            MoveRequest(
                sku=line.sku,
                quantity=q,
                source=line.location,
                target=TRANSIT,
                doc_type=DocType.PICK,
                doc_id=str(order.number),
                doc_line=line.line_no,
                reason="picked",
            )
            for line, q in picks
        ],
        posting,
    )
    uow.stock.release([(line.sku, line.location, q) for line, q in picks])
    events = [
        LineEvent(line.line_no, LineEventKind.PICK, q, line.location, posting.at, posting.employee)
        for line, q in picks
    ]
    uow.orders.add_events(order.number, events)
    return events


def deliver_moves(
    uow: UnitOfWork,
    order: CustomerOrder,
    deliveries: Sequence[tuple[OrderLine, int]],
    posting: Posting,
    *,
    reason: str,
    shipment: int | None = None,
) -> list[LineEvent]:
    """Hand picked goods to the carrier or the customer: transit -> customer moves.
    Returns the delivery events (stored)."""
    deliveries = [(line, q) for line, q in deliveries if q > 0]
    if not deliveries:
        return []
    uow.stock.post(
        [
            MoveRequest(
                sku=line.sku,
                quantity=q,
                source=TRANSIT,
                target=CUSTOMER,
                doc_type=DocType.PICK,
                doc_id=str(order.number),
                doc_line=line.line_no,
                reason=reason,
            )
            for line, q in deliveries
        ],
        posting,
    )
    events = [
        LineEvent(
            line.line_no,
            LineEventKind.DELIVER,
            q,
            line.location,
            posting.at,
            posting.employee,
            shipment,
        )
        for line, q in deliveries
    ]
    uow.orders.add_events(order.number, events)
    return events


def hand_over(
    uow: UnitOfWork, order: CustomerOrder, wanted: dict[int, int], posting: Posting, reason: str
) -> tuple[CustomerOrder, list[tuple[OrderLine, int]]]:
    """Hand over up to ``wanted`` (order line -> quantity) of what is picked or reserved:
    picked goods first, then reserved ones (picked and delivered at once). Returns the
    order afterwards and what was handed over per line."""
    picks: list[tuple[OrderLine, int]] = []
    for line in order.lines:
        want = wanted.get(line.line_no, 0)
        from_shelf = max(0, min(want - line.picked, line.reserved))
        picks.append((line, from_shelf))
    events = pick_moves(uow, order, picks, posting)
    order = apply(order, events)
    handed = [
        (line, min(wanted.get(line.line_no, 0), line.picked))
        for line in order.lines
        if wanted.get(line.line_no, 0) > 0 and line.picked > 0
    ]
    events = deliver_moves(uow, order, handed, posting, reason=reason)
    return apply(order, events), [(line, q) for line, q in handed if q > 0]


def new_status(
    uow: UnitOfWork,
    order: CustomerOrder,
    at: datetime,
    employee: str,
    note: str = "",
    *,
    delivered: bool = False,
) -> CustomerOrder:
    """Write the status the lines call for, when it differs from the current one."""
    status = status_after(order, delivered=delivered)
    if status is order.status:
        return order
    change = StatusChange(status.value, at, employee, note)
    uow.orders.add_status(order.number, change)
    return replace(order, history=(*order.history, change))


def default_promise(order_lines: Sequence[OrderLine], today: date) -> date | None:
    """The day an order is promised when none is given: today when everything is
    reserved, else the latest expected day of the back-ordered lines (None when one of
    them has no purchase order)."""
    waiting = [line for line in order_lines if line.back_ordered > 0]
    if not waiting:
        return today
    days = [line.expected for line in waiting]
    if any(day is None for day in days):
        return None
    return max(day for day in days if day is not None)


def finished(order: CustomerOrder) -> bool:
    """Nothing more happens to the order."""
    return order.status.final or order.status is OrderStatus.CANCELLED
