"""The simulated customer display: keeps the two lines it shows."""

from __future__ import annotations

import threading

from drivers.display.pole_codec import fit
from omnipos_tui.core.errors import DisplayError


class SimulatedCustomerDisplay:
    """Implements :class:`~omnipos_tui.core.ports.CustomerDisplay` in memory.

    Args:
        columns: Characters per line.
        code_page: Decides which characters survive, as on the real display.

    Attributes:
        top: The first line as shown (cut or padded to ``columns``).
        bottom: The second line as shown.
        history: Every (top, bottom) shown, in order.
    """

    def __init__(self, *, columns: int = 20, code_page: str = "CP865") -> None:
        self.columns = columns
        self.code_page = code_page
        self.top = " " * columns
        self.bottom = " " * columns
        self.history: list[tuple[str, str]] = []
        self._connected = True
        self._lock = threading.Lock()

    def show(self, top: str, bottom: str) -> None:
        """Show two lines.

        Raises:
            DisplayError: After :meth:`disconnect`.
        """
        with self._lock:
            self._check()
            self.top = _shown(top, self.columns, self.code_page)
            self.bottom = _shown(bottom, self.columns, self.code_page)
            self.history.append((self.top, self.bottom))

    def clear(self) -> None:
        """Blank the display.

        Raises:
            DisplayError: After :meth:`disconnect`.
        """
        with self._lock:
            self._check()
            self.top = self.bottom = " " * self.columns

    def disconnect(self) -> None:
        """Pull the cable."""
        self._connected = False

    def reconnect(self) -> None:
        """Put the cable back."""
        self._connected = True

    def probe(self) -> str:
        """Whether the simulated cable is in.

        Raises:
            DisplayError: Disconnected.
        """
        self._check()
        return "simulated customer display"

    def _check(self) -> None:
        if not self._connected:
            raise DisplayError("simulated customer display is disconnected")


def _shown(text: str, columns: int, code_page: str) -> str:
    codec = code_page.lower()
    return fit(text, columns, code_page).encode(codec, errors="replace").decode(codec)
