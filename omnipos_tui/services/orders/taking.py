"""Customer orders, taking one (any channel: ``orders new``, the till, the web shop's
import): the order's rows, its line events and the reservations commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from omnipos_tui.core.clock import business_day
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    TILL,
    Address,
    CustomerOrder,
    Delivery,
    LineEvent,
    LineEventKind,
    OrderLine,
    OrderStatus,
    PaymentState,
    channel_code,
    external_id,
)
from omnipos_tui.core.stock.documents import StatusChange
from omnipos_tui.services.orders import steps
from omnipos_tui.services.orders.answers import OrderDeps, OrderDetails
from omnipos_tui.services.stock.common import (
    LineInput,
    check_employee,
    products_and_quantities,
    real_location,
)

MAX_LINES = 500
"""An order of more lines is a typo (or a file that belongs in a purchase order)."""


def new_order(
    deps: OrderDeps,
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
        payment = PaymentState.PREPAID if delivery is Delivery.SHIP else PaymentState.PAY_AT_PICKUP
    now = deps.clock.now()
    today = business_day(now)
    if promised is not None and promised < today:
        raise InvalidInput(code="order.promised_past", promised=promised, today=today)
    with deps.units() as uow:
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
