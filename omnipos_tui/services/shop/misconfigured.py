"""The stand-in for a device whose settings cannot be turned into a driver
(:class:`MisconfiguredDevice`): ``bootstrap`` puts it where the driver would be, so the
configuration error shows up wherever the device is used (``omnipos doctor``, ``omnipos hw
list``, the till) instead of the device silently missing.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator

from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardResult, PrinterState, Scan


class MisconfiguredDevice:
    """Stands in for a device whose settings cannot be used (a required port left empty,
    an unknown printer profile). It implements every device port; each use raises the
    :class:`ConfigError` that explains the problem, and the "never raises" queries answer
    "unknown".

    Args:
        role: The role ("printer", "scanner", ...).
        error: What is wrong, naming the key and the file.
        name: The printer name, for printers.
    """

    integrated = True

    def __init__(self, role: str, error: ConfigError, *, name: str = "") -> None:
        self.role = role
        self.error = error
        self.name = name or role
        self.columns = 42

    def _fail(self) -> ConfigError:
        return copy.copy(self.error)  # a fresh error each time, without the last traceback

    def probe(self) -> str:
        """Raises:
        ConfigError: Always, with the problem and its fix."""
        raise self._fail()

    def print_document(self, document: Document) -> None:
        """Raises:
        ConfigError: Always."""
        raise self._fail()

    def print_test_page(self) -> None:
        """Raises:
        ConfigError: Always."""
        raise self._fail()

    def status(self) -> PrinterState:
        """Offline: the printer cannot be reached with these settings. Never raises."""
        return PrinterState.OFFLINE

    def open(self) -> None:
        """Raises:
        ConfigError: Always."""
        raise self._fail()

    def is_open(self) -> bool | None:
        """None: cannot tell. Never raises."""
        return None

    def authorize(self, amount: Money, reference: str) -> CardResult:
        """Raises:
        ConfigError: Always (nothing is sent)."""
        raise self._fail()

    def refund(self, amount: Money, reference: str) -> CardResult:
        """Raises:
        ConfigError: Always (nothing is sent)."""
        raise self._fail()

    async def scans(self) -> AsyncIterator[Scan]:
        """Raises:
        ConfigError: On the first read."""
        raise self._fail()
        yield  # pragma: no cover - makes this an async generator

    def connected(self) -> bool:
        """False. Never raises."""
        return False

    def close(self) -> None:
        """Nothing to close."""

    def show(self, top: str, bottom: str) -> None:
        """Raises:
        ConfigError: Always."""
        raise self._fail()

    def clear(self) -> None:
        """Raises:
        ConfigError: Always."""
        raise self._fail()
