"""The order's paper on the receipt printer: the order confirmation the customer takes home
(with the order's barcode, scanned at the pick-up), the pick list for whoever fetches the
goods, and the delivery receipt a prepaid order is handed over with.

The delivery receipt of a prepaid order is not a receipt for a purchase: the customer paid
elsewhere (the web shop), so nothing is sold at the till. It is marked as a delivery receipt
(the legally fixed marking, R-16) and numbered by the order.

The labels come in the till's language as :class:`OrderPaperWords` from the translation
layer (``messages.order_paper.order_paper_words``); only the delivery receipt's legally
fixed marking stays here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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

#: The delivery receipt's marking is legally fixed (R-16: a delivery of goods paid elsewhere
#: is not a receipt for a purchase), so it stays here in bokmål whatever the till's language.
DELIVERY_NAME = "Utleveringskvittering"
DELIVERY = f"{DELIVERY_NAME} – IKKJE KVITTERING FOR KJØP"


@dataclass(frozen=True, slots=True)
class OrderPaperWords:
    """The labels of the order's paper, in the till's language: the words are in the
    translation layer (``messages.order_paper.order_paper_words``), not here.

    Attributes:
        confirmation: The order confirmation's heading.
        pick_list: The pick list's heading.
        order: The word for an order in the pick list's heading and the delivery receipt's name.
        order_no: The order number's label.
        date: The date's label.
        order_in: Before the channel of an order from elsewhere (the web shop).
        customer: The customer's label.
        phone: The customer's phone.
        delivery: How the order is delivered (label).
        pickup: Delivered by a pick-up in the shop.
        ship: Delivered by shipping.
        ready_for_pickup: The promised day of a pick-up (label).
        ship_by: The promised day of a shipping (label).
        back_order: A back-ordered quantity.
        expected: Before the day a back-order is expected.
        total: The order's total (label).
        payment: How the order is paid (label).
        prepaid: Paid beforehand.
        pay_at_pickup: Paid at the pick-up.
        on_account: On the customer's account.
        show_at_pickup: Above the order's barcode on the confirmation.
        promised: The pick list's promised day (label).
        location: Before a stock location on the pick list.
        quantity: The quantity to pick (label).
        nothing_to_pick: The pick list of an order with nothing reserved.
        not_in_stock: The heading of the pick list's back-ordered lines.
        unknown: An expected day that is not known.
        register: The register's label.
        handed_by: Who handed the goods over (label).
        value: The value of what was handed over (label).
        received_by: The customer's signature line's label.
    """

    confirmation: str
    pick_list: str
    order: str
    order_no: str
    date: str
    order_in: str
    customer: str
    phone: str
    delivery: str
    pickup: str
    ship: str
    ready_for_pickup: str
    ship_by: str
    back_order: str
    expected: str
    total: str
    payment: str
    prepaid: str
    pay_at_pickup: str
    on_account: str
    show_at_pickup: str
    promised: str
    location: str
    quantity: str
    nothing_to_pick: str
    not_in_stock: str
    unknown: str
    register: str
    handed_by: str
    value: str
    received_by: str


def _payment(state: PaymentState, words: OrderPaperWords) -> str:
    return {
        PaymentState.PREPAID: words.prepaid,
        PaymentState.PAY_AT_PICKUP: words.pay_at_pickup,
        PaymentState.ON_ACCOUNT: words.on_account,
    }[state]


def _delivery(delivery: Delivery, words: OrderPaperWords) -> str:
    return words.pickup if delivery is Delivery.PICKUP else words.ship


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
    words: OrderPaperWords,
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
    out.head(words.confirmation, ())
    out.seller(company)
    out.pair(words.order_no, str(order.number))
    out.pair(words.date, _when(order.created_at))
    if order.external_id:
        out.pair(f"{words.order_in} {order.channel}", order.external_id)
    name = customer.name if customer else ""
    out.pair(words.customer, f"{name} ({order.customer})" if name else order.customer)
    if customer is not None and customer.phone:
        out.pair(words.phone, customer.phone)
    out.pair(words.delivery, _delivery(order.delivery, words))
    if order.delivery is Delivery.SHIP and not order.address.empty:
        out.text(order.address.name or name)
        out.text(order.address.one_line())
    if order.promised is not None:
        ready = words.ready_for_pickup if order.delivery is Delivery.PICKUP else words.ship_by
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
            when = f", {words.expected} {_day(line.expected)}" if line.expected else ""
            out.text(f"  {words.back_order} {_qty(line.back_ordered, known, line.sku)}{when}")
    out.rule()
    out.pair(words.total, order.total.format(thousands=True), bold=True)
    out.pair(words.payment, _payment(order.payment, words))
    if order.note:
        out.text(order.note)
    out.rule()
    out.text(words.show_at_pickup, bold=True)
    out.items.append(Barcode(order.barcode, "CODE128"))
    return out.document(printable(f"{words.confirmation} {order.number}"), kick_drawer=False)


def pick_list(
    order: CustomerOrder,
    *,
    words: OrderPaperWords,
    units: dict[str, Unit] | None = None,
    columns: int = 42,
) -> Document:
    """What to fetch for an order, by location and SKU, with a box to tick; back-ordered
    quantities are listed apart with their expected day.

    Raises:
        InvalidInput: ``columns`` is not 32, 42 or 48.
    """
    check_width(columns)
    known = units or {}
    out = ReceiptLayout(columns)
    out.head(f"{words.pick_list} {words.order} {order.number}", ())
    out.pair(words.delivery, _delivery(order.delivery, words))
    if order.promised is not None:
        out.pair(words.promised, _day(order.promised))
    out.rule()
    to_pick = sorted(
        (line for line in order.lines if line.reserved > 0),
        key=lambda line: (line.location, line.sku),
    )
    location = None
    for line in to_pick:
        if line.location != location:
            location = line.location
            out.text(f"{words.location}: {location}", bold=True)
        out.text(f"[ ] {line.sku} {line.name}")
        out.pair(f"      {words.quantity}", _qty(line.reserved, known, line.sku))
    if not to_pick:
        out.text(words.nothing_to_pick)
    waiting = [line for line in order.lines if line.back_ordered > 0]
    if waiting:
        out.rule()
        out.text(words.not_in_stock, bold=True)
        for line in waiting:
            when = _day(line.expected) if line.expected else words.unknown
            out.text(f"{line.sku} {line.name}")
            out.pair(f"  {_qty(line.back_ordered, known, line.sku)}", f"{words.expected} {when}")
    out.items.append(Barcode(order.barcode, "CODE128"))
    return out.document(printable(f"{words.pick_list} {order.number}"), kick_drawer=False)


def delivery_receipt(
    order: CustomerOrder,
    handed: Sequence[tuple[OrderLine, int]],
    *,
    company: Company,
    register: str,
    employee_name: str,
    customer: Customer | None,
    at: datetime,
    words: OrderPaperWords,
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
    out.pair(words.register, register)
    out.pair(words.order_no, str(order.number))
    if order.external_id:
        out.pair(f"{words.order_in} {order.channel}", order.external_id)
    out.pair(words.date, _when(at))
    out.pair(words.handed_by, employee_name)
    name = customer.name if customer else ""
    out.pair(words.customer, f"{name} ({order.customer})" if name else order.customer)
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
    out.pair(words.value, Money.sum(total).format(thousands=True))
    out.text(_payment(order.payment, words))
    out.text("")
    out.text(f"{words.received_by}: ______________________")
    out.tail((DELIVERY,))
    name = printable(f"{DELIVERY_NAME} {words.order} {order.number}")
    return out.document(name, kick_drawer=False)
