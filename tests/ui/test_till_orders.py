"""Customer orders at the real till on a real SQLite shop (Pilot): a pick-up completed by
scanning the order's barcode (its lines come into the sale, the reservation is consumed,
the stock leaves once), a prepaid order handed over from the F12 order list with a delivery
receipt, and a new order made at the till with its confirmation and pick list printed."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from rich.console import Console, RenderableType

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock, business_day
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.orders.order import Address, Delivery, OrderStatus, PaymentState
from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.services.sales.paper import DELIVERY
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.ui.screens.customer import CustomerScreen
from omnipos_tui.ui.screens.order_entry import OrderEntryScreen
from omnipos_tui.ui.screens.orders import OrdersScreen
from omnipos_tui.ui.screens.sale import SaleScreen

from .till_shop import (
    COLA,
    MILK,
    log_in,
    make_till,
    open_sale,
    open_shop,
    receipt_printer,
    scan,
    settle,
    top,
)

CUSTOMER = "700"


def _shop(tmp_path: Path) -> Services:
    services = open_shop(tmp_path)
    services.customers.add(Customer(CUSTOMER, "Kari Kunde", "+47 900 00 000"))
    services.stock_documents.receive(
        [LineInput("10001", "10", "12,00"), LineInput("20001", "4", "9,00")]
    )
    return services


def _level(services: Services, sku: str) -> tuple[int, int]:
    stock = services.stock.show(sku)
    floor = next(loc for loc in stock.locations if loc.location == "butikk")
    return floor.on_hand, floor.reserved


def _printed(services: Services) -> list[str]:
    return [document.title for document in receipt_printer(services).documents]


async def test_a_pickup_is_completed_at_the_till_by_scanning_the_orders_barcode(
    tmp_path: Path,
) -> None:
    services = _shop(tmp_path)
    order = services.orders.new(
        CUSTOMER, [LineInput("10001", "2"), LineInput("20001", "1")], employee="1"
    ).order
    assert _level(services, "10001") == (10_000, 2000)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, order.barcode)
        await settle(pilot)
        screen = top(pilot)
        assert isinstance(screen, SaleScreen)
        sale = open_sale(till)
        assert [(e.sku, int(e.quantity)) for e in sale.entries] == [("10001", 2), ("20001", 1)]
        assert sale.customer == CUSTOMER
        assert f"Ordre {order.number}" in till.session.last_event.text  # type: ignore[union-attr]
        await pilot.press("f9")  # exact cash
        await settle(pilot)
    shown = services.orders.show(order.number).order
    assert shown.status is OrderStatus.PICKED_UP
    assert _level(services, "10001") == (8000, 0)
    assert _level(services, "20001") == (3000, 0)
    assert services.stock.verify().clean
    assert any(title.startswith("Salgskvittering") for title in _printed(services))
    services.close()


async def test_a_prepaid_order_is_handed_over_from_the_order_list_with_a_delivery_receipt(
    tmp_path: Path,
) -> None:
    services = _shop(tmp_path)
    order = services.orders.new(
        CUSTOMER,
        [LineInput("10001", "3")],
        channel="web",
        external="WOO-31",
        payment=PaymentState.PREPAID,
    ).order
    late = services.orders.new(CUSTOMER, [LineInput("20001", "9")]).order  # back-ordered
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "o")
        await settle(pilot)
        listing = top(pilot)
        assert isinstance(listing, OrdersScreen)
        assert [row.order.number for row in listing.rows.items] == [order.number, late.number]
        await pilot.press(*str(order.number), "enter")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
        assert open_sale(till).entries == ()  # not sold again
    assert services.orders.show(order.number).order.status is OrderStatus.PICKED_UP
    assert f"Utleveringskvittering ordre {order.number}" in _printed(services)
    document = receipt_printer(services).documents[-1]
    assert "IKKJE KVITTERING" in document.text() and "WOO-31" in document.text()
    # Through the outbox: the hand-over's commit queued the delivery receipt, the till
    # delivered it.
    (event,) = [
        e
        for e in services.journal.events("1", codes=[EventCode.OTHER_REPORT])
        if e.payload.get("order") == order.number
    ]
    with services.units(read_only=True) as uow:
        delivered = uow.outbox.get(DELIVERY, f"1-{event.seq}")
    assert delivered is not None and delivered.state is OutboxState.DONE
    assert _level(services, "10001") == (7000, 0)
    services.close()


async def test_a_new_order_is_made_at_the_till_and_its_confirmation_and_pick_list_print(
    tmp_path: Path,
) -> None:
    services = _shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "o")
        await settle(pilot)
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(top(pilot), CustomerScreen)
        await pilot.press(*"Kari")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        entry = top(pilot)
        assert isinstance(entry, OrderEntryScreen)
        await pilot.press("2", "asterisk")
        await scan(pilot, MILK)
        await scan(pilot, COLA)
        assert [(line.product.sku, line.quantity) for line in entry.lines.items] == [
            ("10001", 2000),
            ("20001", 1000),
        ]
        assert open_sale(till).entries == ()  # the scans went to the order
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
    (made,) = services.orders.list()
    assert made.customer == CUSTOMER and made.status is OrderStatus.RESERVED
    assert _printed(services)[-2:] == [
        f"Ordrebekreftelse {made.number}",
        f"Plukkliste {made.number}",
    ]
    assert f"[CODE128 ORD{made.number:05d}]" in receipt_printer(services).documents[-2].text()
    assert _level(services, "10001") == (10_000, 2000)
    services.close()


def _styles_of(renderable: RenderableType, text: str) -> list[str]:
    """The styles ``text`` is drawn in, wherever it is drawn."""
    console = Console(width=80, file=io.StringIO(), color_system="truecolor")
    return [
        str(segment.style or "")
        for segment in console.render(renderable)
        if segment.text.strip() == text
    ]


async def test_the_order_list_shows_late_orders_in_red_after_the_pickups_and_prints_them(
    tmp_path: Path,
) -> None:
    services = _shop(tmp_path)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    today = business_day(clock.now())
    orders = services.orders
    home = Address("Kari Kunde", "Gata 1", "7011", "Trondheim")
    late_pickup = orders.new(CUSTOMER, [LineInput("10001", "1")], promised=today).order
    late_parcel = orders.new(
        CUSTOMER, [LineInput("20001", "1")], delivery=Delivery.SHIP, address=home, promised=today
    ).order
    sent = orders.new(
        CUSTOMER, [LineInput("10001", "1")], delivery=Delivery.SHIP, address=home, promised=today
    ).order
    cancelled = orders.new(CUSTOMER, [LineInput("10001", "1")], promised=today).order
    clock.advance(timedelta(days=2))  # all four were promised for the day before yesterday
    orders.pick(sent.number)
    services.shipping.ship(sent.number, carrier="manual", tracking="PB1")  # sent: not late
    orders.cancel(cancelled.number)  # cancelled: not late
    coming = orders.new(
        CUSTOMER, [LineInput("10001", "1")], promised=today + timedelta(days=3)
    ).order
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "o")
        await settle(pilot)
        listing = top(pilot)
        assert isinstance(listing, OrdersScreen)
        rows = [(row.order.number, row.late) for row in listing.rows.items]
        assert rows == [
            (late_pickup.number, True),  # the pick-ups, the late one first
            (coming.number, False),
            (late_parcel.number, True),  # then the late orders that are not pick-ups
        ]
        assert listing.counts == (2, 2)
        body = listing.body()
        drawn = Console(width=80, record=True, file=io.StringIO())
        drawn.print(body)
        assert "Hentes i butikken (2)   Forsinket (2)" in drawn.export_text()
        late_styles = _styles_of(body, today.strftime("%d.%m.%y"))
        assert len(late_styles) == 2 and all("red" in style.split() for style in late_styles)
        assert coming.promised is not None
        coming_styles = _styles_of(body, coming.promised.strftime("%d.%m.%y"))
        assert coming_styles and not any("red" in style.split() for style in coming_styles)
        await pilot.press("down", "down", "asterisk")  # the late parcel's pick list
        await settle(pilot)
    assert _printed(services)[-1] == f"Plukkliste {late_parcel.number}"
    services.close()
