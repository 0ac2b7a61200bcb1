"""Customer orders: take one (any channel), show and list them, pick, pack, cancel, and the
paper (order confirmation, pick list). Shipping and tracking are in
``services/orders/shipping.py``, the till's pick-up in ``services/orders/pickup.py``.

Each use case is one unit of work: the order's rows, its line events, the stock moves and
the reservations it changes (the stock ledger's atomic updates) and its status row commit
together or not at all. The order is locked first (PostgreSQL: its row ``FOR UPDATE``;
SQLite holds the write lock), so two people picking one order never pick it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    TILL,
    WAITING,
    Address,
    CustomerOrder,
    Delivery,
    LineEvent,
    LineEventKind,
    OrderLine,
    OrderStatus,
    PaymentState,
    channel_code,
    check_changeable,
    external_id,
)
from omnipos_tui.core.orders.ports import OrderSummary, Purchase
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.documents import StatusChange
from omnipos_tui.core.stock.locations import TRANSIT
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.orders import steps
from omnipos_tui.services.stock.common import (
    LineInput,
    check_employee,
    products_and_quantities,
    real_location,
)

MAX_LINES = 500
"""An order of more lines is a typo (or a file that belongs in a purchase order)."""


@dataclass(frozen=True, slots=True)
class OrderDetails:
    """An order and who the customer is.

    Attributes:
        order: The order (back-ordered lines with their expected day).
        customer: The customer from the shared register.
        units: Each line's product unit, by SKU (for quantities in words).
    """

    order: CustomerOrder
    customer: Customer
    units: dict[str, Unit]


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """A customer with their orders and purchases (``customers show``).

    Attributes:
        customer: The customer.
        orders: Their orders, newest first.
        purchases: Their completed till transactions, newest first.
    """

    customer: Customer
    orders: list[OrderSummary]
    purchases: list[Purchase]


@dataclass(frozen=True, slots=True)
class TillOrders:
    """The till's order list: pick-up orders waiting in the shop, and late orders.

    Attributes:
        pickups: Pick-up orders not yet collected (reserved, picked or packed, or waiting
            for goods), promised for today or earlier first.
        late: Every order promised before today and not done.
    """

    pickups: list[OrderSummary]
    late: list[OrderSummary]


def unit_of(uow: UnitOfWork, skus: Sequence[str]) -> dict[str, Unit]:
    """The unit of each product, by SKU."""
    return {sku: p.unit for sku, p in uow.catalogue.products_by_skus(skus).items()}


class OrderService:
    """The order register (see the module docstring).

    Args:
        units: Opens units of work.
        clock: The time.
        columns: The receipt printer's width, for the order's paper.
    """

    def __init__(self, units: UnitOfWorkFactory, clock: Clock, *, columns: int = 42) -> None:
        self._units = units
        self._clock = clock
        self._columns = columns

    # --- taking an order ------------------------------------------------------------------

    def new(
        self,
        customer: str,
        lines: Sequence[LineInput],
        *,
        channel: str = TILL,
        external: str | None = None,
        delivery: Delivery = Delivery.PICKUP,
        payment: PaymentState | None = None,
        address: Address | None = None,
        location: str | None = None,
        promised: date | None = None,
        note: str = "",
        employee: str = "",
        register_id: str | None = None,
    ) -> OrderDetails:
        """Take an order and reserve its lines at once (``orders new``; the till; the web
        shop's import). A line that cannot be fully reserved is back-ordered, with the
        expected day of the next purchase order that brings it.

        Args:
            customer: The customer's number.
            lines: SKU or barcode and quantity; ``cost`` is the agreed price incl. VAT
                ("" for the shelf price).
            channel: "till", "web", ...
            external: The channel's own order id (every channel but the till).
            delivery: Pick-up in the shop, or shipping.
            payment: How it is paid (default: at the pick-up; prepaid when shipped).
            address: For shipping; the customer's own address when None.
            location: Reserve every line here; by default the register's location, or
                another that has the goods.
            promised: The day promised to the customer (default: today when everything
                is reserved, else the back-ordered lines' latest expected day).
            note: Free text.
            employee: Who takes it ("" from the command line without one).
            register_id: The register taking it (default: this process's).

        Raises:
            NotFound: Unknown customer, product or location.
            InvalidInput: No lines, a quantity of 0 or less, a bad price, channel or id.
            Conflict: The channel's order with this id is in the register already.
            RuleViolation: An inactive product.
        """
        if not lines:
            raise InvalidInput(code="order.no_lines")
        if len(lines) > MAX_LINES:
            raise InvalidInput(code="order.too_many_lines", count=len(lines), maximum=MAX_LINES)
        chan = channel_code(channel)
        outside = external_id(chan, external)
        if payment is None:
            payment = (
                PaymentState.PREPAID if delivery is Delivery.SHIP else PaymentState.PAY_AT_PICKUP
            )
        now = self._clock.now()
        today = business_day(now)
        if promised is not None and promised < today:
            raise InvalidInput(code="order.promised_past", promised=promised, today=today)
        with self._units() as uow:
            check_employee(uow, employee)
            owner = uow.customers.get(customer.strip())
            if owner is None:
                raise NotFound(code="order.unknown_customer", number=customer.strip())
            if not owner.active and chan != "web":  # the web shop's orders come what may
                raise RuleViolation(code="customer.inactive", number=owner.number)
            if outside is not None:
                taken = uow.orders.by_external(chan, outside)
                if taken is not None:
                    raise RuleViolation(
                        code="order.duplicate_external",
                        channel=chan,
                        external_id=outside,
                        number=taken,
                    )
            found = products_and_quantities(uow, lines)
            inactive = [p.sku for p, _ in found if not p.active]
            if inactive:
                raise RuleViolation(code="order.inactive_products", skus=inactive)
            prices = [_price(line) for line in lines]
            register = register_id or uow.register_id
            fixed = real_location(uow, location).code if location is not None else None
            preferred = fixed or uow.stock.register_location(register)
            placed = steps.place_and_reserve(
                uow, [(p.sku, q) for p, q in found], preferred, movable=fixed is None
            )
            order_lines = [
                OrderLine(
                    line_no=n,
                    sku=product.sku,
                    name=product.name,
                    quantity=quantity,
                    unit_price=price if price is not None else product.price,
                    location=where,
                )
                for n, ((product, quantity), price, (where, _)) in enumerate(
                    zip(found, prices, placed, strict=True), 1
                )
            ]
            number = uow.stock.next_number(steps.ORDER_SERIES)
            order = CustomerOrder(
                number=number,
                channel=chan,
                external_id=outside,
                customer=owner.number,
                delivery=delivery,
                address=_address(delivery, address, owner),
                payment=payment,
                promised=promised,
                created_at=now,
                employee=employee,
                register_id=register,
                note=note.strip(),
                lines=tuple(order_lines),
                history=(StatusChange(OrderStatus.OPEN.value, now, employee),),
            )
            events = [
                LineEvent(ln.line_no, LineEventKind.RESERVE, taken, ln.location, now, employee)
                for ln, (_, taken) in zip(order_lines, placed, strict=True)
                if taken > 0
            ]
            reserved = steps.with_expected(uow, steps.apply(order, events))
            if promised is None:
                reserved = replace(reserved, promised=steps.default_promise(reserved.lines, today))
            uow.orders.add(replace(order, promised=reserved.promised))
            uow.orders.add_events(number, events)
            reserved = steps.new_status(uow, reserved, now, employee)
            units = {p.sku: p.unit for p, _ in found}
            uow.commit()
        return OrderDetails(reserved, owner, units)

    # --- the answers ------------------------------------------------------------------------

    def show(self, number: int) -> OrderDetails:
        """An order, its customer with contact details, where each line is, its parcels
        and its status history (``orders show``).

        Raises:
            NotFound: No such order.
        """
        with self._units(read_only=True) as uow:
            order = steps.find(uow, number)
            customer = uow.customers.get(order.customer) or Customer(order.customer, "")
            return OrderDetails(order, customer, unit_of(uow, [ln.sku for ln in order.lines]))

    def list(
        self,
        *,
        customer: str | None = None,
        status: OrderStatus | None = None,
        channel: str | None = None,
        late: bool = False,
        limit: int = 100,
    ) -> list[OrderSummary]:
        """Orders newest first (``orders list``).

        Raises:
            NotFound: An unknown customer.
            InvalidInput: A bad channel.
        """
        chan = channel_code(channel) if channel is not None else None
        with self._units(read_only=True) as uow:
            if customer is not None and uow.customers.get(customer.strip()) is None:
                raise NotFound(code="order.unknown_customer", number=customer.strip())
            return uow.orders.find(
                customer=None if customer is None else customer.strip(),
                status=() if status is None else (status,),
                channel=chan,
                late_on=business_day(self._clock.now()) if late else None,
                limit=limit,
            )

    def till_orders(self, *, limit: int = 200) -> TillOrders:
        """What the till's F12 order list shows: the pick-ups waiting, and late orders."""
        today = business_day(self._clock.now())
        waiting = tuple(sorted(WAITING))
        with self._units(read_only=True) as uow:
            pickups = uow.orders.find(status=waiting, delivery=Delivery.PICKUP, limit=limit)
            late = uow.orders.find(late_on=today, limit=limit)
        pickups.sort(key=lambda o: (o.promised is None or o.promised > today, o.promised, o.number))
        return TillOrders(pickups, late)

    def customer_history(self, number: str, *, limit: int = 20) -> CustomerHistory:
        """A customer with their latest orders and purchases (``customers show``).

        Raises:
            NotFound: No such customer.
        """
        with self._units(read_only=True) as uow:
            customer = uow.customers.get(number.strip())
            if customer is None:
                raise NotFound(code="customer.unknown", number=number)
            orders = uow.orders.find(customer=customer.number, limit=limit)
            purchases = uow.orders.purchases(customer.number, limit=limit)
        return CustomerHistory(customer, orders, purchases)

    # --- picking, packing, cancelling -------------------------------------------------------

    def pick(
        self,
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
        now = self._clock.now()
        with self._units() as uow:
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

    def pack(self, number: int, *, employee: str = "") -> CustomerOrder:
        """Say a picked order is packed (``orders pack``).

        Raises:
            NotFound: No such order.
            RuleViolation: It is not picked (or finished).
        """
        now = self._clock.now()
        with self._units() as uow:
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
        self,
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
        now = self._clock.now()
        with self._units() as uow:
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

    # --- paper ------------------------------------------------------------------------------

    def confirmation(self, number: int) -> Document:
        """The order confirmation for the receipt printer (with the order's barcode).

        Raises:
            NotFound: No such order.
            RuleViolation: The shop is not set up (no company).
        """
        from omnipos_tui.core.orders.paper import order_confirmation  # the paper when asked

        with self._units(read_only=True) as uow:
            order = steps.find(uow, number)
            company = uow.shop.company()
            if company is None:
                raise RuleViolation(code="order.no_company")
            customer = uow.customers.get(order.customer)
            units = unit_of(uow, [ln.sku for ln in order.lines])
        return order_confirmation(
            order, company=company, customer=customer, units=units, columns=self._columns
        )

    def pick_list(self, number: int) -> Document:
        """The pick list for the receipt printer.

        Raises:
            NotFound: No such order.
        """
        from omnipos_tui.core.orders.paper import pick_list  # the paper when asked

        with self._units(read_only=True) as uow:
            order = steps.find(uow, number)
            units = unit_of(uow, [ln.sku for ln in order.lines])
        return pick_list(order, units=units, columns=self._columns)


def _price(line: LineInput) -> Money | None:
    """The agreed price typed after ``@`` (incl. VAT), or None for the shelf price.

    Raises:
        InvalidInput: Not an amount, or negative.
    """
    if not line.cost:
        return None
    price = Money.parse(line.cost)
    if price.ore < 0:
        raise InvalidInput(code="order.negative_price", code_given=line.code, text=line.cost)
    return price


def _address(delivery: Delivery, given: Address | None, customer: Customer) -> Address:
    """Where the goods go: the given address, else the customer's; none for a pick-up.

    Raises:
        InvalidInput: A shipped order without a street, postal code and city.
    """
    if delivery is Delivery.PICKUP:
        return given or Address()
    if given is None or given.empty:
        given = Address(customer.name, customer.street, customer.postal_code, customer.city)
    address = replace(given, name=given.name or customer.name)
    if not (address.street and address.postal_code and address.city):
        raise InvalidInput(code="order.no_address", customer=customer.number)
    return address


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
