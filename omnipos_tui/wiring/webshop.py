"""The web shop's part of the composition root: which adapter answers (``[webshop] kind``),
built on first use with the credentials from ``secrets.toml``; the in-transaction handler
that queues the outbox rows; the outbox handlers; the sync service the CLI and the worker
use. With ``kind = "none"`` nothing is subscribed and nothing is registered: a till
without a web shop pays nothing for it, not even the import of the web shop's services
(they are imported inside the functions that use them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.events import EventBus, RecordsChanged
from omnipos_tui.core.outbox import KindStatus, OutboxHandler
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.core.stock.quantity import SCALE
from omnipos_tui.secrets_file import load_secrets
from omnipos_tui.settings import Settings
from omnipos_tui.wiring.lazy import Lazy

if TYPE_CHECKING:
    from omnipos_tui.core.accounting.accounts import AccountMap
    from omnipos_tui.core.webshop.ports import WebShop
    from omnipos_tui.services.webshop.sync import WebshopSync

if TYPE_CHECKING:
    from omnipos_tui.integrations.webshop.webhook import WebhookListener

DEFAULT_WEB_ACCOUNT = "1943"
"""The web shop's payment provider (clearing) unless the shop maps ``web_card``."""


def enabled(settings: Settings) -> bool:
    """Whether a web shop is configured."""
    return settings.webshop.kind != "none"


def subscribe(events: EventBus, settings: Settings) -> None:
    """Queue the web shop's outbox rows in every unit of work that changes stock, orders or
    customers (only when a web shop is configured)."""
    if enabled(settings):
        from omnipos_tui.services.webshop.outbound import queue_changes

        events.subscribe(RecordsChanged, queue_changes)


def shop_of(settings: Settings) -> Lazy[WebShop]:
    """The configured shop's adapter, built on first use.

    Raises (when built):
        ConfigError: No shop configured, no URL, or the credentials are missing.
    """
    return Lazy(lambda: build_shop(settings))


def build_shop(settings: Settings) -> WebShop:
    """Build the adapter of ``[webshop] kind`` with the credentials from secrets.toml."""
    section = settings.webshop
    if section.kind == "none":
        raise ConfigError(
            'no web shop is configured: set [webshop] kind = "woocommerce" or "oscar"'
        )
    if not section.url:
        raise ConfigError("[webshop] url is not set (the shop's address)")
    secrets = load_secrets(settings.data_dir)
    if section.kind == "woocommerce":
        from omnipos_tui.integrations.webshop.woocommerce import WooCommerceShop

        return WooCommerceShop(
            url=section.url,
            consumer_key=secrets.require("webshop", "consumer_key", "WooCommerce's consumer key"),
            consumer_secret=secrets.require(
                "webshop", "consumer_secret", "WooCommerce's consumer secret"
            ),
            timeout_s=float(section.timeout_s),
        )
    from omnipos_tui.integrations.webshop.oscar import OscarShop

    return OscarShop(
        url=section.url,
        username=secrets.require("webshop", "username", "the Oscar staff user"),
        password=secrets.require("webshop", "password", "the Oscar staff user's password"),
        timeout_s=float(section.timeout_s),
    )


def handlers(
    settings: Settings, units: UnitOfWorkFactory, clock: Clock, shop: Callable[[], WebShop]
) -> list[OutboxHandler]:
    """The outbox handlers of the web shop's kinds (none without a web shop)."""
    if not enabled(settings):
        return []
    from omnipos_tui.services.webshop.outbound import (
        CatalogueOut,
        CustomerOut,
        OrderStateOut,
        StockOut,
    )

    return [
        StockOut(units, clock, shop, settings.webshop.buffer * SCALE),
        CatalogueOut(units, clock, shop),
        OrderStateOut(units, clock, shop),
        CustomerOut(units, clock, shop),
    ]


def web_account_map(settings: Settings) -> AccountMap:
    """The account map with the web shop's payment clearing account: ``web_card`` is 1943
    unless ``[accounting.accounts] web_card`` names another (a shop without a web shop is
    never asked about it)."""
    from omnipos_tui.core.accounting.accounts import AccountMap
    from omnipos_tui.core.webshop.settlement import WEB_MEANS

    section = settings.accounting
    return AccountMap.from_table(
        {WEB_MEANS: DEFAULT_WEB_ACCOUNT, **section.accounts},
        gift_voucher_group=section.gift_voucher_group,
        deposit_group=section.deposit_group,
    )


def sync_service(
    settings: Settings,
    units: UnitOfWorkFactory,
    clock: Clock,
    shop: Callable[[], WebShop],
    outbox: Callable[[], Sequence[KindStatus]],
) -> WebshopSync:
    """The web shop's use cases (``omnipos webshop``, the worker's job)."""
    from omnipos_tui.messages.order_paper import order_paper_words
    from omnipos_tui.services.orders.service import OrderService
    from omnipos_tui.services.webshop.inbound import Inbound
    from omnipos_tui.services.webshop.outbound import CatalogueOut, StockOut
    from omnipos_tui.services.webshop.settlement import WebSettlement
    from omnipos_tui.services.webshop.sync import WebshopSync

    section = settings.webshop
    orders = OrderService(
        units,
        clock,
        paper_words=order_paper_words(settings.shop.language),
        columns=settings.devices.printer.columns,
    )
    return WebshopSync(
        units,
        clock,
        shop,
        Inbound(units, clock, shop, orders),
        StockOut(units, clock, shop, section.buffer * SCALE),
        catalogue=CatalogueOut(units, clock, shop),
        kind=section.kind,
        url=section.url,
        poll=timedelta(seconds=section.poll_seconds),
        outbox=outbox,
        settlement=WebSettlement(units, clock, lambda: web_account_map(settings))
        if settings.accounting.kind != "none"
        else None,
    )


def webhook_listener(settings: Settings, wake: Callable[[], None]) -> WebhookListener | None:
    """The worker's webhook endpoint when ``[webshop] webhook_port`` is set (None: not
    configured); not started.

    Raises:
        ConfigError: Webhooks for a shop that sends none we can verify (Oscar), the secret
            missing, or the port taken.
    """
    section = settings.webshop
    if not enabled(settings) or section.webhook_port == 0:
        return None
    if section.kind != "woocommerce":
        raise ConfigError(
            f"[webshop] webhook_port is set, but {section.kind} sends no signed webhooks: "
            "set it to 0 (the worker pulls every poll_seconds)"
        )
    secret = load_secrets(settings.data_dir).require(
        "webshop", "webhook_secret", "the WooCommerce webhook's secret, to check its signature"
    )
    from omnipos_tui.integrations.webshop.webhook import WebhookListener

    try:
        return WebhookListener(secret, wake, host=section.webhook_host, port=section.webhook_port)
    except OSError as error:
        raise ConfigError(
            f"[webshop] webhook_port {section.webhook_port} on {section.webhook_host}: {error}"
        ) from error
