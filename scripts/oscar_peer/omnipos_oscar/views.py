"""The OmniPOS plug-in: what django-oscar-api's admin API does not offer and the sync needs.

- ``GET /api/omnipos/orders/?since=ISO``: orders placed or whose status changed after
  ``since`` (oldest change first), each with its lines (partner SKU, quantity, unit price
  incl. tax), its customer (user id or guest e-mail) and shipping address; the admin API
  lists orders without a change time and their lines one request per order.
- ``POST /api/omnipos/orders/<id>/status/`` ``{"status": ..., "note": ...}``: an order's
  status through Oscar's own event handler (the pipeline is respected); the admin API's
  orders are read-only.

Staff only (basic or session authentication), like the admin API.
"""

from datetime import datetime

from django.db.models import Max
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

Order = get_model("order", "Order")
EventHandler = get_class("order.processing", "EventHandler")


def _changed(order):
    last = getattr(order, "last_change", None)
    return max(order.date_placed, last) if last else order.date_placed


def _order(order):
    address = order.shipping_address
    user = order.user
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status,
        "changed": _changed(order).isoformat(),
        "total_incl_tax": str(order.total_incl_tax),
        "user": user.id if user else None,
        "email": user.email if user else order.guest_email,
        "name": user.get_full_name() if user else "",
        "phone": str(address.phone_number) if address and address.phone_number else "",
        "ship": bool(order.shipping_code and order.shipping_code != "no-shipping-required"),
        "address": {
            "name": address.name if address else "",
            "street": address.line1 if address else "",
            "postcode": address.postcode if address else "",
            "city": address.line4 if address else "",
        },
        "lines": [
            {
                "sku": line.partner_sku,
                "upc": line.upc or "",
                "title": line.title,
                "quantity": line.quantity,
                "unit_price_incl_tax": str(line.unit_price_incl_tax),
            }
            for line in order.lines.all()
        ],
    }


@api_view(["GET"])
@permission_classes([IsAdminUser])
def orders_since(request):
    since_text = request.query_params.get("since", "")
    orders = Order.objects.annotate(
        last_change=Max("status_changes__date_created")
    ).prefetch_related("lines")
    found = [_order(o) for o in orders]
    if since_text:
        since = datetime.fromisoformat(since_text)
        if timezone.is_naive(since):
            since = timezone.make_aware(since, timezone.utc)
        found = [o for o in found if datetime.fromisoformat(o["changed"]) > since]
    found.sort(key=lambda o: (o["changed"], o["id"]))
    return Response(found)


@api_view(["POST"])
@permission_classes([IsAdminUser])
def order_status(request, pk):
    try:
        order = Order.objects.get(pk=pk)
    except Order.DoesNotExist:
        return Response({"detail": f"no order {pk}"}, status=404)
    status = str(request.data.get("status", ""))
    if status == order.status:
        return Response(_order(order))
    if status not in order.available_statuses():
        return Response(
            {"detail": f"order {order.number} cannot go from {order.status!r} to {status!r}"},
            status=422,
        )
    EventHandler(request.user).handle_order_status_change(
        order, status, note_msg=str(request.data.get("note", ""))
    )
    order.refresh_from_db()
    return Response(_order(order))
