"""The simulated cash drawer: opened by ``open()``, shut by ``close()``, or by its simulated
cashier ``auto_close_s`` seconds after every opening (a sale, a no-sale, cash in or out: a
simulated device behaves the same after every kind of opening)."""

from __future__ import annotations

import threading

from omnipos_tui.core.errors import DrawerError


class SimulatedCashDrawer:
    """Implements :class:`~omnipos_tui.core.ports.CashDrawer` without hardware.

    Args:
        has_sensor: False to behave like a drawer without a switch (``is_open()`` is None).
        auto_close_s: Seconds after each opening when the simulated cashier pushes the
            drawer shut; 0 leaves it open until :meth:`close` (a drawer left open).

    Attributes:
        openings: How many times it was opened.
    """

    def __init__(self, *, has_sensor: bool = True, auto_close_s: float = 0.0) -> None:
        self.has_sensor = has_sensor
        self.auto_close_s = auto_close_s
        self.openings = 0
        self._open = False
        self._broken = False
        self._lock = threading.Lock()
        self._shut_timer: threading.Timer | None = None

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
            if self.auto_close_s > 0:
                if self._shut_timer is not None:
                    self._shut_timer.cancel()
                # Each opening gets the whole delay, however the drawer was opened.
                self._shut_timer = threading.Timer(self.auto_close_s, self.close)
                self._shut_timer.daemon = True
                self._shut_timer.start()

    def close(self) -> None:
        """Push the drawer shut (the cashier's hand, or a key in the demo)."""
        with self._lock:
            self._open = False
            if self._shut_timer is not None:
                self._shut_timer.cancel()
                self._shut_timer = None

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
