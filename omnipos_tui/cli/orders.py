"""``omnipos orders``: new, list, show, pick, pack, ship, track, cancel.

Commands that change an order take ``--employee N`` and the PIN (as the stock commands do);
``--json`` prints the order (``cli/order_output.py``) for scripts.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.dates import parse_day
from omnipos_tui.cli.order_json import order_json, summary_json
from omnipos_tui.cli.order_output import ORDER_COLUMNS, print_order, summary_row
from omnipos_tui.cli.output import console, err_console, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.cli.stock_options import EmployeeOption, JsonFlag, LineOption, PinOption, actor
from omnipos_tui.core.clock import business_day
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.orders.order import Address, Delivery, OrderStatus, PaymentState
from omnipos_tui.core.orders.shipping import ParcelStatus
from omnipos_tui.services.stock.common import parse_line

app = typer.Typer(no_args_is_help=True)

NumberArgument = Annotated[int, typer.Argument(help="Order number.", min=1)]
OrderLineOption = Annotated[
    list[str] | None,
    typer.Option(
        "--line",
        help="LINE=QUANTITY of the order (repeat the option); none: every line.",
        metavar="LINE=QTY",
    ),
]
_PAYMENTS = {"prepaid": "prepaid", "pay-at-pickup": "pay_at_pickup", "on-account": "on_account"}


def _order_lines(given: list[str] | None) -> list[tuple[int, str]]:
    """``--line 2=1`` as (order line, quantity text).

    Raises:
        InvalidInput: Not LINE=QUANTITY.
    """
    out = []
    for text in given or []:
        line, sep, quantity = text.partition("=")
        if not sep or not line.strip().isdigit() or not quantity.strip():
            raise InvalidInput(f"--line {text!r}: write LINE=QUANTITY (for example --line 2=1)")
        out.append((int(line.strip()), quantity.strip()))
    return out


def _print(ctx: typer.Context, number: int, as_json: bool) -> None:
    details = services(ctx).orders.show(number)
    today = business_day(services(ctx).clock.now())
    if as_json:
        print_json(order_json(details, today))
    else:
        print_order(details, today)


@app.command("new")
def new(
    ctx: typer.Context,
    *,
    customer: Annotated[str, typer.Option(help="The customer's number.")],
    line: LineOption = None,
    pickup: Annotated[
        bool, typer.Option("--pickup/--ship", help="Picked up in the shop (default) or shipped.")
    ] = True,
    channel: Annotated[str, typer.Option(help='Where it was taken ("till", "web", ...).')] = "till",
    external_id: Annotated[
        str | None, typer.Option(help="The channel's own order id (every channel but till).")
    ] = None,
    payment: Annotated[
        str | None,
        typer.Option(
            help="prepaid | pay-at-pickup | on-account (default: pay-at-pickup; prepaid when "
            "shipped).",
            metavar="STATE",
        ),
    ] = None,
    location: Annotated[
        str | None, typer.Option(help="Reserve here (default: where the goods are).")
    ] = None,
    promised: Annotated[
        str | None, typer.Option(help="Day promised to the customer, YYYY-MM-DD.", metavar="DATE")
    ] = None,
    name: Annotated[str, typer.Option(help="Ship to this name (default: the customer).")] = "",
    street: Annotated[str, typer.Option(help="Ship to this street.")] = "",
    postal_code: Annotated[str, typer.Option(help="Ship to this postal code.")] = "",
    city: Annotated[str, typer.Option(help="Ship to this place.")] = "",
    note: Annotated[str, typer.Option(help="Free text on the order.")] = "",
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Take a customer order and reserve its lines (SKU=QTY, or SKU=QTY@PRICE for an agreed
    price incl. VAT); what cannot be reserved is back-ordered. Prints its number."""
    lines = [parse_line(text) for text in line or []]
    if payment is not None and payment not in _PAYMENTS:
        raise InvalidInput(f"--payment {payment!r}: one of {', '.join(_PAYMENTS)}")
    when = None if promised is None else parse_day(promised, "--promised")
    address = Address(name.strip(), street.strip(), postal_code.strip(), city.strip())
    who = actor(ctx, employee, pin)
    details = services(ctx).orders.new(
        customer,
        lines,
        channel=channel,
        external=external_id,
        delivery=Delivery.PICKUP if pickup else Delivery.SHIP,
        payment=None if payment is None else PaymentState(_PAYMENTS[payment]),
        address=None if address.empty else address,
        location=location,
        promised=when,
        note=note,
        employee=who,
    )
    if as_json:
        print_json(order_json(details, business_day(services(ctx).clock.now())))
        return
    waiting = sum(1 for ln in details.order.lines if ln.back_ordered)
    typer.echo(details.order.number)
    if waiting:
        err_console().print(f"{waiting} line(s) back-ordered: see omnipos orders show")


@app.command("list")
def list_orders(
    ctx: typer.Context,
    *,
    customer: Annotated[str | None, typer.Option(help="Only this customer's orders.")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only orders in this status: " + ", ".join(s.value for s in OrderStatus) + ".",
        ),
    ] = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel's orders.")] = None,
    late: Annotated[
        bool, typer.Option("--late", help="Only orders promised before today and not done.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Most orders to show.")] = 100,
    as_json: JsonFlag = False,
) -> None:
    """Orders, newest first."""
    wanted = None
    if status is not None:
        try:
            wanted = OrderStatus(status.strip().lower().replace(" ", "_").replace("-", "_"))
        except ValueError:
            known = ", ".join(s.value for s in OrderStatus)
            raise InvalidInput(f"--status {status!r}: one of {known}") from None
    found = services(ctx).orders.list(
        customer=customer, status=wanted, channel=channel, late=late, limit=limit
    )
    today = business_day(services(ctx).clock.now())
    if as_json:
        print_json([summary_json(o, today) for o in found])
        return
    table("Orders", ORDER_COLUMNS, (summary_row(o, today) for o in found))


@app.command("show")
def show(ctx: typer.Context, number: NumberArgument, as_json: JsonFlag = False) -> None:
    """What was ordered, who the customer is, where each line is (reserved where, picked,
    in which parcel), when it was sent and is expected, and its status history."""
    _print(ctx, number, as_json)


@app.command("pick")
def pick(
    ctx: typer.Context,
    number: NumberArgument,
    *,
    line: OrderLineOption = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Take the order's reserved goods off the shelf (they wait in transit until shipped or
    collected); goods that came in for back-ordered lines are reserved first."""
    who = actor(ctx, employee, pin)
    order = services(ctx).orders.pick(number, _order_lines(line), employee=who)
    if as_json:
        _print(ctx, number, True)
        return
    console().print(f"Order {order.number} is {order.status.label}")


@app.command("pack")
def pack(
    ctx: typer.Context,
    number: NumberArgument,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Say a picked order is packed."""
    who = actor(ctx, employee, pin)
    order = services(ctx).orders.pack(number, employee=who)
    console().print(f"Order {order.number} is {order.status.label}")


@app.command("ship")
def ship(
    ctx: typer.Context,
    number: NumberArgument,
    *,
    carrier: Annotated[str, typer.Option(help="bring or manual.")],
    tracking: Annotated[str, typer.Option(help="The carrier's tracking number.")],
    service: Annotated[str, typer.Option(help="The carrier's service, e.g. 5800.")] = "",
    line: OrderLineOption = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Send a parcel of the order (several parcels: once per parcel with --line); without
    picked goods everything reserved is picked first."""
    who = actor(ctx, employee, pin)
    order, parcel = services(ctx).shipping.ship(
        number,
        carrier=carrier,
        tracking=tracking,
        service=service,
        lines=_order_lines(line),
        employee=who,
    )
    if as_json:
        _print(ctx, number, True)
        return
    console().print(
        f"Order {order.number}: parcel {parcel.tracking_number} with {parcel.carrier} "
        f"({len(parcel.lines)} line(s)); order is {order.status.label}"
    )


@app.command("track")
def track(
    ctx: typer.Context,
    number: NumberArgument,
    *,
    status: Annotated[
        str | None,
        typer.Option(
            help="Set a manual carrier's status: " + ", ".join(s.value for s in ParcelStatus) + ".",
        ),
    ] = None,
    tracking: Annotated[
        str | None, typer.Option(help="The manual parcel to set (when there are several).")
    ] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Ask the carrier about the order's open parcels now (or type a manual parcel's
    status). A carrier that does not answer leaves the last known status."""
    shipping = services(ctx).shipping
    if status is not None:
        try:
            wanted = ParcelStatus(status.strip().lower().replace(" ", "_").replace("-", "_"))
        except ValueError:
            known = ", ".join(s.value for s in ParcelStatus)
            raise InvalidInput(f"--status {status!r}: one of {known}") from None
        who = actor(ctx, employee, pin)
        shipping.set_status(number, wanted, tracking=tracking, employee=who)
    else:
        for result in shipping.track(number):
            if result.error:
                err_console().print(
                    f"{result.shipment.carrier} {result.shipment.tracking_number}: "
                    f"{result.error}; showing the last known status",
                    markup=False,
                )
    _print(ctx, number, as_json)


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    number: NumberArgument,
    *,
    line: OrderLineOption = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the history).")] = "",
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Cancel the order, or quantities of its lines: reservations are released and picked
    goods go back on the shelf. Delivered goods are not cancelled (take them back at the
    till)."""
    who = actor(ctx, employee, pin)
    order = services(ctx).orders.cancel(number, _order_lines(line), reason=reason, employee=who)
    if as_json:
        _print(ctx, number, True)
        return
    console().print(f"Order {order.number} is {order.status.label}")


@app.command("refresh")
def refresh(
    ctx: typer.Context,
    *,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Most parcels to ask about.")] = 10,
    as_json: JsonFlag = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Ask the carriers about the open parcels that are due (every [carriers]
    refresh_minutes; what the background worker does at a low rate, for a cron job until
    it runs). It changes the orders' parcels, so it asks who you are, as ``track`` does."""
    actor(ctx, employee, pin)
    report = services(ctx).shipping.refresh_due(limit=limit)
    if as_json:
        print_json({"asked": report.asked, "changed": report.changed, "failed": report.failed})
        return
    console().print(
        f"Asked about {report.asked} parcel(s): {report.changed} changed, "
        f"{report.failed} without an answer"
    )
