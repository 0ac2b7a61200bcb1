"""Customer orders, picking, packing and cancelling: each one unit of work with the order
locked first (PostgreSQL: its row ``FOR UPDATE``; SQLite holds the write lock), so two
people picking one order never pick it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.orders.order import (
    CustomerOrder,
    LineEvent,
    LineEventKind,
    OrderLine,
    OrderStatus,
    check_changeable,
)
from omnipos_tui.core.stock.documents import StatusChange
from omnipos_tui.core.stock.locations import TRANSIT
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.orders import steps
from omnipos_tui.services.orders.answers import OrderDeps, unit_of
from omnipos_tui.services.stock.common import (
    check_employee,
)


def pick(
    deps: OrderDeps,
    number: int,
    lines: Sequence[tuple[int, str]] = (),
    *,
    employee: str = "",
    register_id: str | None = None,
) -> CustomerOrder:
    """Take an order's goods off the shelf (``orders pick``): what came in for
    back-ordered lines is reserved first, then every reserved quantity (or the given
    quantities per line) moves location -> transit, its reservation given back.

    Args:
        lines: (order line, quantity as typed); empty picks everything reserved.

    Raises:
        NotFound: No such order.
        InvalidInput: An unknown line, or a quantity of 0 or less.
        RuleViolation: The order is finished, or more is asked than is reserved.
    """
    now = deps.clock.now()
    with deps.units() as uow:
        check_employee(uow, employee)
        order = steps.find(uow, number, lock=True)
        check_changeable(order, "pick")
        order = steps.apply(order, steps.reserve_missing(uow, order, now, employee))
        units = unit_of(uow, [ln.sku for ln in order.lines])
        wanted = _quantities(order, lines, units) if lines else {}
        picks: list[tuple[OrderLine, int]] = []
        for line in order.lines:
            quantity = wanted.get(line.line_no, 0) if lines else line.reserved
            if quantity > line.reserved:
                raise RuleViolation(
                    code="order.pick_more_than_reserved",
                    number=number,
                    line=line.line_no,
                    sku=line.sku,
                    asked=format_quantity(quantity, units.get(line.sku)),
                    reserved=format_quantity(line.reserved, units.get(line.sku)),
                )
            picks.append((line, quantity))
        if not any(q for _, q in picks):
            raise RuleViolation(code="order.nothing_to_pick", number=number)
        posting = Posting(employee, register_id or uow.register_id, now)
        order = steps.apply(order, steps.pick_moves(uow, order, picks, posting))
        order = steps.new_status(uow, order, now, employee)
        uow.commit()
    return order


def pack(deps: OrderDeps, number: int, *, employee: str = "") -> CustomerOrder:
    """Say a picked order is packed (``orders pack``).

    Raises:
        NotFound: No such order.
        RuleViolation: It is not picked (or finished).
    """
    now = deps.clock.now()
    with deps.units() as uow:
        check_employee(uow, employee)
        order = steps.find(uow, number, lock=True)
        check_changeable(order, "pack")
        if order.status is not OrderStatus.PICKED:
            raise RuleViolation(
                code="order.pack_not_picked", number=number, status=order.status.label
            )
        change = StatusChange(OrderStatus.PACKED.value, now, employee)
        uow.orders.add_status(number, change)
        uow.commit()
    return replace(order, history=(*order.history, change))


def cancel(
    deps: OrderDeps,
    number: int,
    lines: Sequence[tuple[int, str]] = (),
    *,
    reason: str = "",
    employee: str = "",
    register_id: str | None = None,
) -> CustomerOrder:
    """Cancel an order, or quantities of its lines (``orders cancel``). What is
    cancelled comes off the back-order first, then its reservation is released, then
    picked goods go back on the shelf (transit -> location). Delivered goods cannot be
    cancelled (a return at the till takes them back).

    Args:
        lines: (order line, quantity as typed); empty cancels everything not delivered.

    Raises:
        NotFound: No such order.
        InvalidInput: An unknown line, or a quantity of 0 or less.
        RuleViolation: The order is finished or everything is delivered, or more is
            asked than is outstanding.
    """
    now = deps.clock.now()
    with deps.units() as uow:
        check_employee(uow, employee)
        order = steps.find(uow, number, lock=True)
        check_changeable(order, "cancel")
        units = unit_of(uow, [ln.sku for ln in order.lines])
        if lines:
            wanted = _quantities(order, lines, units)
        else:
            wanted = {ln.line_no: ln.outstanding for ln in order.lines if ln.outstanding}
            if not wanted:
                raise RuleViolation(code="order.nothing_to_cancel", number=number)
        events: list[LineEvent] = []
        back: list[MoveRequest] = []
        for line in order.lines:
            quantity = wanted.get(line.line_no, 0)
            if not quantity:
                continue
            if quantity > line.outstanding:
                raise RuleViolation(
                    code="order.cancel_more_than_outstanding",
                    number=number,
                    line=line.line_no,
                    asked=format_quantity(quantity, units.get(line.sku)),
                    outstanding=format_quantity(line.outstanding, units.get(line.sku)),
                )
            rest = quantity - min(quantity, line.back_ordered)
            release = min(rest, line.reserved)
            unpick = rest - release
            if release:
                events.append(
                    LineEvent(
                        line.line_no,
                        LineEventKind.RELEASE,
                        release,
                        line.location,
                        now,
                        employee,
                    )
                )
            if unpick:
                events.append(
                    LineEvent(
                        line.line_no, LineEventKind.UNPICK, unpick, line.location, now, employee
                    )
                )
                back.append(
                    MoveRequest(
                        sku=line.sku,
                        quantity=unpick,
                        source=TRANSIT,
                        target=line.location,
                        doc_type=DocType.PICK,
                        doc_id=str(number),
                        doc_line=line.line_no,
                        reason="cancelled",
                    )
                )
            events.append(
                LineEvent(line.line_no, LineEventKind.CANCEL, quantity, "", now, employee)
            )
        if back:
            uow.stock.post(back, Posting(employee, register_id or uow.register_id, now))
        uow.stock.release(
            [
                (order.line(e.line_no).sku, e.location, e.quantity)
                for e in events
                if e.kind is LineEventKind.RELEASE
            ]
        )
        uow.orders.add_events(number, events)
        order = steps.apply(order, events)
        order = steps.new_status(uow, order, now, employee, reason.strip())
        uow.commit()
    return order


def _quantities(
    order: CustomerOrder, lines: Sequence[tuple[int, str]], units: dict[str, Unit]
) -> dict[int, int]:
    """Typed quantities per order line, checked against each line's unit.

    Raises:
        InvalidInput: An unknown line or a bad quantity.
    """
    out: dict[int, int] = {}
    for line_no, text in lines:
        line = order.line(line_no)
        quantity = parse_quantity(
            text, units.get(line.sku, Unit.PIECE), what=f"line {line_no} ({line.sku})"
        )
        out[line_no] = out.get(line_no, 0) + quantity
    return out
