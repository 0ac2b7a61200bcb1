"""A 2x20 pole display on a serial port, ESC/POS display command set."""

from __future__ import annotations

import logging
import threading

from drivers.display.pole_codec import CLEAR, check_code_page, init_bytes, show_bytes
from drivers.serial_port import SerialLink
from omnipos_tui.core.errors import DeviceError, DisplayError

log = logging.getLogger(__name__)


class SerialPoleDisplay:
    """Implements :class:`~omnipos_tui.core.ports.CustomerDisplay`.

    The port stays open between updates (the till updates on every scan) and is reopened
    after a fault.

    Args:
        port: A pyserial URL or device path.
        baudrate: The display's baud rate (9600 on most).
        columns: Characters per line (20).
        code_page: "CP865" (default), "CP858", "CP850" or "CP437".
        timeout: Seconds a write may take.

    Raises:
        ConfigError: An unknown code page.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        columns: int = 20,
        code_page: str = "CP865",
        timeout: float = 1.0,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.columns = columns
        self.code_page = check_code_page(code_page)
        self.timeout = timeout
        self._link: SerialLink | None = None
        self._lock = threading.Lock()

    def show(self, top: str, bottom: str) -> None:
        """Show two lines (see the port).

        Raises:
            DisplayError: The display cannot be written.
        """
        self._send(show_bytes(top, bottom, self.columns, self.code_page))

    def clear(self) -> None:
        """Blank the display.

        Raises:
            DisplayError: The display cannot be written.
        """
        self._send(CLEAR)

    def probe(self) -> str:
        """Open the port and initialise the display.

        Raises:
            DisplayError: The display cannot be written.
        """
        self._send(b"")
        return f"customer display on {self.port}"

    def close(self) -> None:
        """Close the port."""
        with self._lock:
            if self._link is not None:
                self._link.close()
                self._link = None

    def _send(self, data: bytes) -> None:
        with self._lock:
            try:
                if self._link is None:
                    link = SerialLink(
                        self.port,
                        label="customer display",
                        baudrate=self.baudrate,
                        write_timeout=self.timeout,
                    )
                    try:
                        link.write(init_bytes(self.code_page))
                    except DeviceError:
                        link.close()
                        raise
                    self._link = link
                if data:
                    self._link.write(data)
            except DeviceError as exc:
                if self._link is not None:
                    self._link.close()
                    self._link = None
                raise DisplayError(str(exc)) from exc
