"""A lean composition for the fast path of ``omnipos stock show`` (``cli/stock_fast.py``):
the database and the stock service, nothing else.

:func:`omnipos_tui.bootstrap.build` composes every service, and importing it imports all of
them (about 200 modules); a fresh process that only reads one product's stock paid most of
its time for that. This builds the same store (the same URL, register, file access and
schema check on first use) and the same :class:`StockService` over it, so the answer is the
one the Typer app gives through ``build``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from omnipos_tui.core.clock import Clock, SystemClock
from omnipos_tui.core.events import EventBus
from omnipos_tui.file_modes import FileAccess
from omnipos_tui.services.stock.service import StockService
from omnipos_tui.settings import Settings
from omnipos_tui.storage.store import Store


@dataclass(frozen=True, slots=True)
class StockReader:
    """The stock service on its own database connection.

    Attributes:
        stock: The stock service.
        close: Closes the database connection.
    """

    stock: StockService
    close: Callable[[], None]


def stock_reader(settings: Settings, *, clock: Clock | None = None) -> StockReader:
    """The stock service for ``settings`` (the database connects on first use).

    Raises:
        StorageError: The database URL cannot be used.
    """
    clock = clock or SystemClock()
    store = Store(
        settings.database_url,
        clock,
        register_id=settings.shop.register_id,
        events=EventBus(),
        files=FileAccess(settings.security.file_group),
    )
    return StockReader(StockService(store.unit_of_work, clock), store.close)
