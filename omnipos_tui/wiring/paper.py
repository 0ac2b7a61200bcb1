"""The till's paper, composed: the register's devices and the sale service's receipt layout
behind the device handlers of :mod:`omnipos_tui.services.sales.paper`, and the paper of
each sale, voided sale and prepaid hand-over subscribed to the event bus (see
``Services.own_devices``)."""

from __future__ import annotations

from functools import partial

from omnipos_tui.core.document import Document
from omnipos_tui.core.events import EventBus, OrderHandedOver, SaleCompleted, SaleVoided
from omnipos_tui.messages.display import display_words
from omnipos_tui.services.outbox.dispatcher import OutboxDispatcher
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.paper import (
    DeliveryHandler,
    DisplayHandler,
    DrawerHandler,
    PaperPlan,
    ReceiptHandler,
    TillPaper,
    delivery_subscriber,
    paper_subscriber,
    void_subscriber,
)
from omnipos_tui.services.sales.receipts import reprint_original
from omnipos_tui.settings import Settings
from omnipos_tui.wiring.devices import Devices
from omnipos_tui.wiring.lazy import Lazy


def own_devices(
    register_id: str,
    *,
    settings: Settings,
    devices: Lazy[Devices],
    sales: SaleDeps,
    events: EventBus,
    dispatcher: OutboxDispatcher,
) -> TillPaper:
    """Subscribe the register's paper (the rows of the devices configured) and register
    its device handlers; the devices themselves are built on first use."""
    config = settings.devices
    plan = PaperPlan(
        register_id,
        receipt=config.printer.kind != "none",
        drawer=config.drawer.kind != "none",
        display=config.display.kind != "none",
    )
    receipts = ReceiptHandler(lambda: devices().print_queue, partial(reprint_original, sales))
    dispatcher.register(receipts)
    dispatcher.register(DrawerHandler(lambda: devices().drawer, sales.clock))
    dispatcher.register(
        DisplayHandler(
            lambda: devices().display,
            sales.clock,
            words=display_words(settings.shop.language),
        )
    )

    def delivery_layout(payload: dict[str, object]) -> Document:
        # Imported on use: the till's start does not load the order use cases.
        from omnipos_tui.services.orders.pickup import delivery_reprint

        return delivery_reprint(sales, payload)

    deliveries = DeliveryHandler(lambda: devices().print_queue, delivery_layout)
    dispatcher.register(deliveries)
    events.subscribe(SaleCompleted, paper_subscriber(plan))
    events.subscribe(SaleVoided, void_subscriber(plan))
    events.subscribe(OrderHandedOver, delivery_subscriber(plan))
    return TillPaper(register_id, dispatcher, receipts, deliveries)
