"""What ``omnipos orders`` prints: an order, a list and the customer's history, as JSON for
scripts and as rich tables for people.

``orders show N --json`` (and ``orders new ... --json``) is one object: ``number``,
``channel``, ``external_id``, ``status``, ``customer`` (``number``, ``name``, ``email``,
``phone``, address), ``lines`` (``sku``, ``quantity``, ``reserved``, ``picked``,
``location``, ...), ``shipments`` (``carrier``, ``tracking_number``, ``status``,
``shipped_at``, ``estimated_delivery``, ``delivered_at``, ``pickup_code``, ...) and
``history`` (``status``, ``at``, ``employee``). Quantities are numbers (kilograms with
three decimals), money in øre, times ISO 8601 in UTC, days ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import date, datetime

from rich.table import Table

from omnipos_tui.cli.output import JsonValue, console
from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.clock import local
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.orders.order import Delivery
from omnipos_tui.core.orders.ports import OrderSummary, Purchase
from omnipos_tui.core.orders.shipping import Shipment
from omnipos_tui.core.stock.quantity import format_quantity, quantity_number
from omnipos_tui.services.orders.service import CustomerHistory, OrderDetails

ORDER_COLUMNS = ("Order", "Channel", "Customer", "Status", "Delivery", "Promised", "Lines", "Total")


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _shown(moment: datetime | None) -> str:
    return "-" if moment is None else local(moment).strftime("%d.%m.%Y %H:%M")


def _shown_day(day: date | None) -> str:
    return "-" if day is None else day.strftime("%d.%m.%Y")


def customer_json(customer: Customer) -> dict[str, JsonValue]:
    """Who the customer is, with contact details."""
    return {
        "number": customer.number,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "street": customer.street,
        "postal_code": customer.postal_code,
        "city": customer.city,
    }


def shipment_json(
    shipment: Shipment, units: dict[str, Unit], skus: dict[int, str]
) -> dict[str, JsonValue]:
    """A parcel with what is in it and what the carrier last said."""
    tracking = shipment.tracking
    return {
        "id": shipment.shipment_id,
        "carrier": shipment.carrier,
        "service": shipment.service,
        "tracking_number": shipment.tracking_number,
        "status": shipment.status.value,
        "found": tracking.found,
        "raw_status": tracking.raw_status,
        "description": tracking.description,
        "booked_at": shipment.booked_at.isoformat(),
        "shipped_at": shipment.shipped_at.isoformat(),
        "estimated_delivery": _day(tracking.estimated_date),
        "estimated_window": {"start": tracking.window_start, "end": tracking.window_end}
        if tracking.window_start or tracking.window_end
        else None,
        "delivered_at": _when(tracking.delivered_at),
        "pickup_code": tracking.pickup_code,
        "shelf": tracking.shelf,
        "pickup_point": tracking.pickup_point,
        "fetched_at": _when(shipment.fetched_at),
        "fetch_error": shipment.fetch_error,
        "lines": [
            {"line": line_no, "quantity": quantity_number(q, units.get(skus.get(line_no, "")))}
            for line_no, q in shipment.lines
        ],
        "events": [
            {
                "at": event.at.isoformat(),
                "status": event.status.value,
                "raw_status": event.raw_status,
                "description": event.description,
                "place": event.place,
            }
            for event in tracking.events
        ],
    }


def order_json(details: OrderDetails, today: date) -> dict[str, JsonValue]:
    """``orders show --json`` (see the module docstring)."""
    order, units = details.order, details.units
    skus = {line.line_no: line.sku for line in order.lines}
    parcels: dict[int, list[str]] = {}
    for shipment in order.shipments:
        for line_no, _ in shipment.lines:
            parcels.setdefault(line_no, []).append(shipment.tracking_number)

    def number(sku: str, scaled: int) -> int | float:
        return quantity_number(scaled, units.get(sku))

    return {
        "number": order.number,
        "channel": order.channel,
        "external_id": order.external_id,
        "status": order.status.value,
        "late": order.late(today),
        "delivery": order.delivery.value,
        "payment": order.payment.value,
        "promised": _day(order.promised),
        "created_at": order.created_at.isoformat(),
        "employee": order.employee,
        "register": order.register_id,
        "note": order.note,
        "total": order.total.ore,
        "barcode": order.barcode,
        "customer": customer_json(details.customer),
        "address": None
        if order.delivery is Delivery.PICKUP
        else {
            "name": order.address.name,
            "street": order.address.street,
            "postal_code": order.address.postal_code,
            "city": order.address.city,
            "country": order.address.country,
        },
        "lines": [
            {
                "line": line.line_no,
                "sku": line.sku,
                "name": line.name,
                "quantity": number(line.sku, line.quantity),
                "reserved": number(line.sku, line.reserved),
                "picked": number(line.sku, line.picked),
                "delivered": number(line.sku, line.delivered),
                "cancelled": number(line.sku, line.cancelled),
                "back_ordered": number(line.sku, line.back_ordered),
                "expected": _day(line.expected),
                "location": line.location,
                "unit_price": line.unit_price.ore,
                "amount": line.amount.ore,
                "parcels": parcels.get(line.line_no, []),
            }
            for line in order.lines
        ],
        "shipments": [shipment_json(s, units, skus) for s in order.shipments],
        "history": [
            {"status": h.status, "at": h.at.isoformat(), "employee": h.employee, "note": h.note}
            for h in order.history
        ],
    }


def summary_json(order: OrderSummary, today: date) -> dict[str, JsonValue]:
    """An ``orders list --json`` entry."""
    return {
        "number": order.number,
        "channel": order.channel,
        "external_id": order.external_id,
        "customer": {"number": order.customer, "name": order.customer_name},
        "status": order.status.value,
        "late": order.late(today),
        "delivery": order.delivery.value,
        "payment": order.payment.value,
        "promised": _day(order.promised),
        "created_at": order.created_at.isoformat(),
        "total": order.total.ore,
        "lines": order.lines,
    }


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


def purchase_json(purchase: Purchase) -> dict[str, JsonValue]:
    """A customer's till transaction."""
    return {
        "trans_id": purchase.trans_id,
        "receipt": purchase.receipt_id,
        "kind": purchase.kind,
        "at": purchase.at.isoformat(),
        "total": purchase.total.ore,
        "lines": purchase.lines,
    }


def history_json(history: CustomerHistory, today: date) -> dict[str, JsonValue]:
    """``customers show --json``: the customer, their orders and purchases."""
    return {
        **customer_json(history.customer),
        "org_number": history.customer.org_number,
        "orders": [summary_json(o, today) for o in history.orders],
        "purchases": [purchase_json(p) for p in history.purchases],
    }


def print_order(details: OrderDetails, today: date) -> None:
    """An order for people: who, what and where each line is, parcels, history."""
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
    ):
        lines.add_column(column)
    for line in order.lines:
        unit = units.get(line.sku)
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
            fetched = _shown(shipment.fetched_at)
            if shipment.fetch_error:
                fetched += f" (failed: {shipment.fetch_error})"
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
