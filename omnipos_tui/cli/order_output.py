"""What ``omnipos orders`` prints for people: an order, a list and the customer's orders and
purchases as rich tables (the JSON is in ``cli/order_json.py``)."""

from __future__ import annotations

from datetime import date, datetime

from rich.table import Table

from omnipos_tui.cli.output import console
from omnipos_tui.core.clock import local
from omnipos_tui.core.orders.order import Delivery
from omnipos_tui.core.orders.ports import OrderSummary
from omnipos_tui.core.stock.quantity import format_quantity
from omnipos_tui.services.orders.service import CustomerHistory, OrderDetails

ORDER_COLUMNS = ("Order", "Channel", "Customer", "Status", "Delivery", "Promised", "Lines", "Total")


def _shown(moment: datetime | None) -> str:
    return "-" if moment is None else local(moment).strftime("%d.%m.%Y %H:%M")


def _shown_day(day: date | None) -> str:
    return "-" if day is None else day.strftime("%d.%m.%Y")


def summary_row(order: OrderSummary, today: date) -> list[str]:
    """An order as a table row."""
    status = order.status.label + (" (late)" if order.late(today) else "")
    channel = order.channel + (f" {order.external_id}" if order.external_id else "")
    return [
        str(order.number),
        channel,
        f"{order.customer} {order.customer_name}",
        status,
        order.delivery.value,
        _shown_day(order.promised),
        str(order.lines),
        order.total.format(thousands=True),
    ]


def print_order(details: OrderDetails, today: date) -> None:
    """An order for people: who, what and where each line is (reserved at which location,
    picked, in which parcel), the parcels, the history."""
    order, customer, units = details.order, details.customer, details.units
    out = console()
    late = "  [bold red]LATE[/]" if order.late(today) else ""
    out.print(f"[bold]Order {order.number}[/]  {order.status.label}{late}")
    head = Table.grid(padding=(0, 2))
    head.add_row(
        "Channel", order.channel + (f" ({order.external_id})" if order.external_id else "")
    )
    head.add_row("Customer", f"{customer.number} {customer.name}")
    contact = ", ".join(part for part in (customer.phone, customer.email) if part)
    if contact:
        head.add_row("Contact", contact)
    head.add_row("Delivery", order.delivery.value)
    if order.delivery is Delivery.SHIP:
        head.add_row("Address", f"{order.address.name}, {order.address.one_line()}")
    head.add_row("Payment", order.payment.value.replace("_", " "))
    head.add_row("Taken", f"{_shown(order.created_at)} by {order.employee or 'cli'}")
    head.add_row("Promised", _shown_day(order.promised))
    head.add_row("Total", order.total.format(thousands=True))
    if order.note:
        head.add_row("Note", order.note)
    out.print(head)
    lines = Table(title="Lines", title_justify="left")
    for column in (
        "#",
        "SKU",
        "Name",
        "Qty",
        "Where",
        "Reserved",
        "Picked",
        "Delivered",
        "Waiting",
        "Parcel",
    ):
        lines.add_column(column)
    parcels_of: dict[int, list[tuple[str, int]]] = {}
    for shipment in order.shipments:
        for line_no, quantity in shipment.lines:
            parcels_of.setdefault(line_no, []).append((shipment.tracking_number, quantity))
    for line in order.lines:
        unit = units.get(line.sku)
        went = parcels_of.get(line.line_no, [])
        whole = len(went) == 1 and went[0][1] == line.wanted  # all of it in one parcel
        parcel = (
            went[0][0]
            if whole
            else ", ".join(f"{number} ({format_quantity(q, unit)})" for number, q in went) or "-"
        )
        waiting = format_quantity(line.back_ordered, unit) if line.back_ordered else ""
        if line.back_ordered:
            waiting += f" (exp. {_shown_day(line.expected)})"
        lines.add_row(
            str(line.line_no),
            line.sku,
            line.name,
            format_quantity(line.wanted, unit)
            + (f" ({format_quantity(line.cancelled, unit)} cancelled)" if line.cancelled else ""),
            line.location,
            format_quantity(line.reserved, unit),
            format_quantity(line.picked, unit),
            format_quantity(line.delivered, unit),
            waiting,
            parcel,
        )
    out.print(lines)
    if order.shipments:
        parcels = Table(title="Shipments", title_justify="left")
        for column in (
            "Carrier",
            "Tracking no.",
            "Status",
            "Sent",
            "Expected",
            "Delivered",
            "Fetched",
        ):
            parcels.add_column(column)
        for shipment in order.shipments:
            tracking = shipment.tracking
            status = shipment.status.label
            if tracking.raw_status and shipment.status.value == "unknown":
                status += f" ({tracking.raw_status})"
            if tracking.pickup_code:
                status += f", code {tracking.pickup_code}"
                status += f" shelf {tracking.shelf}" if tracking.shelf else ""
            expected = _shown_day(tracking.estimated_date)
            if tracking.window_start:
                expected += f" {tracking.window_start}-{tracking.window_end}"
            fetched = _shown(shipment.fetched_at)  # when the carrier last answered
            if shipment.fetch_error:
                fetched += f" (last asking failed: {shipment.fetch_error})"
            parcels.add_row(
                f"{shipment.carrier} {shipment.service}".strip(),
                shipment.tracking_number,
                status,
                _shown(shipment.shipped_at),
                expected,
                _shown(tracking.delivered_at),
                fetched,
            )
        out.print(parcels)
    history = Table(title="History", title_justify="left")
    for column in ("Status", "When", "Who", "Note"):
        history.add_column(column)
    for change in order.history:
        history.add_row(
            change.status.replace("_", " "),
            _shown(change.at),
            change.employee or "cli",
            change.note,
        )
    out.print(history)


def print_customer(history: CustomerHistory, today: date) -> None:
    """A customer's orders and purchases for people (under the customer's own table)."""
    out = console()
    orders = Table(title="Orders", title_justify="left")
    for column in ORDER_COLUMNS:
        orders.add_column(column)
    for order in history.orders:
        orders.add_row(*summary_row(order, today))
    out.print(orders if history.orders else "No orders.")
    purchases = Table(title="Purchases", title_justify="left")
    for column in ("Receipt", "Kind", "When", "Lines", "Total"):
        purchases.add_column(column)
    for purchase in history.purchases:
        purchases.add_row(
            purchase.receipt_id,
            purchase.kind.replace("_", " "),
            _shown(purchase.at),
            str(purchase.lines),
            purchase.total.format(thousands=True),
        )
    out.print(purchases if history.purchases else "No purchases.")
