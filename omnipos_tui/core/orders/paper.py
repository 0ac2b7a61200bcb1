"""The order's paper on the receipt printer: the order confirmation the customer takes home
(with the order's barcode, scanned at the pick-up), the pick list for whoever fetches the
goods, and the delivery receipt a prepaid order is handed over with.

The delivery receipt of a prepaid order is not a receipt for a purchase: the customer paid
elsewhere (the web shop), so nothing is sold at the till. It is marked as a delivery receipt
(«Utleveringskvittering – IKKJE KVITTERING FOR KJØP», R-16) and numbered by the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.document import Barcode, Document, printable
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    CustomerOrder,
    Delivery,
    OrderLine,
    PaymentState,
    line_amount,
)
from omnipos_tui.core.sales.receipt_blocks import ReceiptLayout, check_width
from omnipos_tui.core.shop.company import Company
from omnipos_tui.core.stock.quantity import format_quantity

CONFIRMATION = "Ordrebekreftelse"
PICK_LIST = "Plukkliste"
DELIVERY = "Utleveringskvittering – IKKJE KVITTERING FOR KJØP"

_PAYMENT = {
    PaymentState.PREPAID: "Betalt på forhånd",
    PaymentState.PAY_AT_PICKUP: "Betales ved henting",
    PaymentState.ON_ACCOUNT: "På kundens konto (faktura)",
}
_DELIVERY = {Delivery.PICKUP: "Hentes i butikken", Delivery.SHIP: "Sendes"}


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _when(moment: datetime) -> str:
    return f"{_date_text(local_date_text(moment))} {local_time_text(moment)[:5]}"


def _date_text(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def _qty(quantity: int, units: dict[str, Unit], sku: str) -> str:
    return format_quantity(quantity, units.get(sku))


def order_confirmation(
    order: CustomerOrder,
    *,
    company: Company,
    customer: Customer | None,
    units: dict[str, Unit] | None = None,
    columns: int = 42,
) -> Document:
    """What the customer ordered, when it is promised, how it is paid and delivered, and
    the order's barcode (scanned at the pick-up).

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    check_width(columns)
    known = units or {}
    out = ReceiptLayout(columns)
    out.head(CONFIRMATION, ())
    out.seller(company)
    out.pair("Ordre nr", str(order.number))
    out.pair("Dato", _when(order.created_at))
    if order.external_id:
        out.pair(f"Ordre i {order.channel}", order.external_id)
    name = customer.name if customer else ""
    out.pair("Kunde", f"{name} ({order.customer})" if name else order.customer)
    if customer is not None and customer.phone:
        out.pair("Telefon", customer.phone)
    out.pair("Levering", _DELIVERY[order.delivery])
    if order.delivery is Delivery.SHIP and not order.address.empty:
        out.text(order.address.name or name)
        out.text(order.address.one_line())
    if order.promised is not None:
        ready = "Klar til henting" if order.delivery is Delivery.PICKUP else "Sendes innen"
        out.pair(ready, _day(order.promised))
    out.rule()
    for line in order.lines:
        if line.wanted <= 0:
            continue
        out.text(line.name)
        out.pair(
            f"  {_qty(line.wanted, known, line.sku)} x {line.unit_price.format()}",
            line.amount.format(),
        )
        if line.back_ordered:
            when = f", ventes {_day(line.expected)}" if line.expected else ""
            out.text(f"  Restordre {_qty(line.back_ordered, known, line.sku)}{when}")
    out.rule()
    out.pair("TOTALT", order.total.format(thousands=True), bold=True)
    out.pair("Betaling", _PAYMENT[order.payment])
    if order.note:
        out.text(order.note)
    out.rule()
    out.text("Vis denne ved henting", bold=True)
    out.items.append(Barcode(order.barcode, "CODE128"))
    return out.document(printable(f"{CONFIRMATION} {order.number}"), kick_drawer=False)


def pick_list(
    order: CustomerOrder, *, units: dict[str, Unit] | None = None, columns: int = 42
) -> Document:
    """What to fetch for an order, by location and SKU, with a box to tick; back-ordered
    quantities are listed apart with their expected day.

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    check_width(columns)
    known = units or {}
    out = ReceiptLayout(columns)
    out.head(f"{PICK_LIST} ordre {order.number}", ())
    out.pair("Levering", _DELIVERY[order.delivery])
    if order.promised is not None:
        out.pair("Lovet", _day(order.promised))
    out.rule()
    to_pick = sorted(
        (line for line in order.lines if line.reserved > 0),
        key=lambda line: (line.location, line.sku),
    )
    location = None
    for line in to_pick:
        if line.location != location:
            location = line.location
            out.text(f"Lager: {location}", bold=True)
        out.text(f"[ ] {line.sku} {line.name}")
        out.pair("      Antall", _qty(line.reserved, known, line.sku))
    if not to_pick:
        out.text("Ingenting å plukke")
    waiting = [line for line in order.lines if line.back_ordered > 0]
    if waiting:
        out.rule()
        out.text("Restordre (ikke på lager)", bold=True)
        for line in waiting:
            when = _day(line.expected) if line.expected else "ukjent"
            out.text(f"{line.sku} {line.name}")
            out.pair(f"  {_qty(line.back_ordered, known, line.sku)}", f"ventes {when}")
    out.items.append(Barcode(order.barcode, "CODE128"))
    return out.document(printable(f"{PICK_LIST} {order.number}"), kick_drawer=False)


def delivery_receipt(
    order: CustomerOrder,
    handed: Sequence[tuple[OrderLine, int]],
    *,
    company: Company,
    register: str,
    employee_name: str,
    customer: Customer | None,
    at: datetime,
    units: dict[str, Unit] | None = None,
    columns: int = 42,
) -> Document:
    """The delivery receipt a prepaid order is handed over with: marked, dated, numbered by
    the order, with what was handed over and the customer's signature line.

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    check_width(columns)
    known = units or {}
    out = ReceiptLayout(columns)
    out.head(None, (DELIVERY,))
    out.seller(company)
    out.pair("Kasse", register)
    out.pair("Ordre nr", str(order.number))
    if order.external_id:
        out.pair(f"Ordre i {order.channel}", order.external_id)
    out.pair("Dato", _when(at))
    out.pair("Utlevert av", employee_name)
    name = customer.name if customer else ""
    out.pair("Kunde", f"{name} ({order.customer})" if name else order.customer)
    out.rule()
    total = []
    for line, quantity in handed:
        amount = line_amount(line.unit_price, quantity)
        total.append(amount)
        out.text(line.name)
        out.pair(
            f"  {_qty(quantity, known, line.sku)} x {line.unit_price.format()}", amount.format()
        )
    out.rule()
    out.pair("Verdi", Money.sum(total).format(thousands=True))
    out.text(_PAYMENT[order.payment])
    out.text("")
    out.text("Mottatt av: ______________________")
    out.tail((DELIVERY,))
    return out.document(printable(f"Utleveringskvittering ordre {order.number}"), kick_drawer=False)
