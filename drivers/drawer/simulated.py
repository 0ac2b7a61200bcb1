"""The simulated cash drawer: opened by ``open()``, shut by ``close()`` (a key in the demo)."""

from __future__ import annotations

import threading

from omnipos_tui.core.errors import DrawerError


class SimulatedCashDrawer:
    """Implements :class:`~omnipos_tui.core.ports.CashDrawer` without hardware.

    Args:
        has_sensor: False to behave like a drawer without a switch (``is_open()`` is None).

    Attributes:
        openings: How many times it was opened.
    """

    def __init__(self, *, has_sensor: bool = True) -> None:
        self.has_sensor = has_sensor
        self.openings = 0
        self._open = False
        self._broken = False
        self._lock = threading.Lock()

    def open(self) -> None:
        """Open the drawer.

        Raises:
            DrawerError: After :meth:`disconnect`.
        """
        with self._lock:
            if self._broken:
                raise DrawerError("simulated cash drawer is disconnected")
            self._open = True
            self.openings += 1

    def close(self) -> None:
        """Push the drawer shut (the cashier's hand, or a key in the demo)."""
        with self._lock:
            self._open = False

    def is_open(self) -> bool | None:
        """The switch; None without a sensor or while disconnected. Never raises."""
        with self._lock:
            if not self.has_sensor or self._broken:
                return None
            return self._open

    def disconnect(self) -> None:
        """Pull the cable: ``open()`` raises ``DrawerError``."""
        self._broken = True

    def reconnect(self) -> None:
        """Put the cable back."""
        self._broken = False

    def probe(self) -> str:
        """Whether the simulated cable is in.

        Raises:
            DrawerError: Disconnected.
        """
        if self._broken:
            raise DrawerError("simulated cash drawer is disconnected")
        return "simulated cash drawer"
