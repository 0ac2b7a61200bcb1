"""A lean composition for the fast paths of ``omnipos stock show`` and ``omnipos orders
show`` (``cli/stock_fast.py``): the database and the one service asked, nothing else.

:func:`omnipos_tui.bootstrap.build` composes every service, and importing it imports all of
them (about 200 modules); a fresh process that only reads one product's stock or one order
paid most of its time for that. This builds the same store (the same URL, register, file
access and schema check on first use) and the same services over it, each imported when
first asked for, so the answers are the ones the Typer app gives through ``build``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from omnipos_tui.core.clock import Clock, SystemClock
from omnipos_tui.core.events import EventBus
from omnipos_tui.file_modes import FileAccess
from omnipos_tui.settings import Settings
from omnipos_tui.storage.store import Store

if TYPE_CHECKING:
    from omnipos_tui.services.orders.service import OrderService
    from omnipos_tui.services.stock.service import StockService


class Readers:
    """The stock and order services on one database connection (connected on first use).

    Attributes:
        clock: The services' clock.
    """

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        """Open (lazily) the database of ``settings``.

        Raises:
            StorageError: The database URL cannot be used.
        """
        self.clock: Clock = clock or SystemClock()
        self._settings = settings
        self._store = Store(
            settings.database_url,
            self.clock,
            register_id=settings.shop.register_id,
            events=EventBus(),
            files=FileAccess(settings.security.file_group),
        )

    def stock(self) -> StockService:
        """The stock service."""
        from omnipos_tui.services.stock.service import StockService

        return StockService(self._store.unit_of_work, self.clock)

    def orders(self) -> OrderService:
        """The order service."""
        from omnipos_tui.messages.order_paper import order_paper_words
        from omnipos_tui.services.orders.service import OrderService

        return OrderService(
            self._store.unit_of_work,
            self.clock,
            paper_words=order_paper_words(self._settings.shop.language),
            columns=self._settings.devices.printer.columns,
        )

    def close(self) -> None:
        """Close the database connection."""
        self._store.close()
