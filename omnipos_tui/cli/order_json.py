"""``orders --json`` and ``customers show --json``: an order, a list entry and the
customer's history as JSON values (no rich, so the fast path of ``orders show N --json``
loads nothing it does not print).

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

from omnipos_tui.cli.stock_json import JsonValue
from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.orders.order import Delivery
from omnipos_tui.core.orders.ports import OrderSummary, Purchase
from omnipos_tui.core.orders.shipping import Shipment
from omnipos_tui.core.stock.quantity import quantity_number
from omnipos_tui.services.orders.service import CustomerHistory, OrderDetails


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


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
