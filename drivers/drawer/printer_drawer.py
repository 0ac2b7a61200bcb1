"""A cash drawer on the receipt printer's drawer connector (RJ-11 "DK" port)."""

from __future__ import annotations

import logging
from typing import Protocol

from omnipos_tui.core.errors import ConfigError, DrawerError, PosError

log = logging.getLogger(__name__)


class DrawerKicker(Protocol):
    """What a printer offers a drawer (``EscposReceiptPrinter`` and the simulated one)."""

    name: str

    def kick_drawer(self, pin: int | None = None) -> None: ...

    def drawer_sensor(self) -> bool | None: ...


class PrinterKickedDrawer:
    """Implements :class:`~omnipos_tui.core.ports.CashDrawer` through a printer.

    The pulse is ``ESC p`` on pin 2 or 5; the switch is read from the printer's ``DLE EOT 1``
    status (bit 2), so ``is_open()`` is None when the printer does not answer.

    Args:
        printer: The printer the drawer hangs on.
        pin: The connector pin (2 or 5); the printer's configured pin when None.
        has_sensor: False for a drawer without a switch wire: ``is_open()`` is then None
            without asking the printer (its bit 2 would be meaningless).

    Raises:
        ConfigError: The pin is neither 2 nor 5.
    """

    def __init__(
        self, printer: DrawerKicker, *, pin: int | None = None, has_sensor: bool = True
    ) -> None:
        if pin not in (None, 2, 5):
            raise ConfigError(f"drawer pin must be 2 or 5, not {pin}")
        self.printer = printer
        self.pin = pin
        self.has_sensor = has_sensor

    def open(self) -> None:
        """Send the pulse.

        Raises:
            DrawerError: The printer cannot be reached (the message says why).
        """
        try:
            self.printer.kick_drawer(self.pin)
        except PosError as exc:
            raise DrawerError(f"cash drawer on printer {self.printer.name!r}: {exc}") from exc

    def is_open(self) -> bool | None:
        """The drawer switch as the printer reports it; None when it does not. Never raises."""
        if not self.has_sensor:
            return None
        return self.printer.drawer_sensor()

    def probe(self) -> str:
        """Read the switch (for ``omnipos doctor``); no pulse is sent.

        Raises:
            DrawerError: Never; an unreadable switch is reported as text.
        """
        state = self.is_open()
        if state is None:
            return f"drawer on printer {self.printer.name!r} (switch not reported)"
        return f"drawer on printer {self.printer.name!r} is {'open' if state else 'closed'}"
