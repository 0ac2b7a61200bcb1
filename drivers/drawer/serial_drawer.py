"""A cash drawer with its own serial interface: configured open bytes and status query."""

from __future__ import annotations

import logging

from drivers.serial_port import SerialLink
from omnipos_tui.core.errors import ConfigError, DeviceError, DrawerError

log = logging.getLogger(__name__)

#: The Epson-style pulse most drawer interfaces accept: ESC p 0, 50 ms on, 500 ms off.
DEFAULT_OPEN = b"\x1b\x70\x00\x19\xfa"


def parse_hex(text: str, key: str = "bytes") -> bytes:
    """Bytes from configuration text such as ``"1B 70 00 19 FA"`` or ``"1b700019fa"``.

    Raises:
        ConfigError: The text is not hexadecimal bytes; the message names ``key``.
    """
    try:
        return bytes.fromhex(text.replace(",", " "))
    except ValueError as exc:
        raise ConfigError(f"{key} must be hexadecimal bytes like '1B 70 00', not {text!r}") from exc


class SerialCashDrawer:
    """Implements :class:`~omnipos_tui.core.ports.CashDrawer` on its own serial port.

    Args:
        port: A pyserial URL or device path.
        baudrate: The interface's baud rate.
        open_command: Bytes that open the drawer.
        status_command: Bytes that ask for the switch; None when the drawer cannot tell.
        open_reply: The reply meaning open.
        closed_reply: The reply meaning closed.
        timeout: Seconds for each write and for the status reply.

    Raises:
        ConfigError: A status command without both replies, or an empty open command.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        open_command: bytes = DEFAULT_OPEN,
        status_command: bytes | None = None,
        open_reply: bytes = b"",
        closed_reply: bytes = b"",
        timeout: float = 1.0,
    ) -> None:
        if not open_command:
            raise ConfigError("drawer open_command must not be empty")
        if status_command and (not open_reply or not closed_reply or open_reply == closed_reply):
            raise ConfigError(
                "a drawer status_command needs two different replies: open_reply and closed_reply"
            )
        self.port = port
        self.baudrate = baudrate
        self.open_command = open_command
        self.status_command = status_command or None
        self.open_reply = open_reply
        self.closed_reply = closed_reply
        self.timeout = timeout

    def _link(self) -> SerialLink:
        return SerialLink(
            self.port, label="cash drawer", baudrate=self.baudrate, write_timeout=self.timeout
        )

    def open(self) -> None:
        """Send the open bytes.

        Raises:
            DrawerError: The port is missing or does not take the bytes.
        """
        try:
            with self._link() as link:
                link.write(self.open_command)
        except DeviceError as exc:
            raise DrawerError(str(exc)) from exc

    def is_open(self) -> bool | None:
        """Ask the switch; None without a status command or without a clear reply. Never raises."""
        if self.status_command is None:
            return None
        size = max(len(self.open_reply), len(self.closed_reply))
        try:
            with self._link() as link:
                link.discard_input()
                link.write(self.status_command)
                reply = link.read(size, self.timeout)
        except DeviceError as exc:
            log.info("cash drawer status: %s", exc)
            return None
        if reply.startswith(self.open_reply):
            return True
        if reply.startswith(self.closed_reply):
            return False
        return None

    def probe(self) -> str:
        """Open the port and read the switch, without opening the drawer.

        Raises:
            DrawerError: The port cannot be opened.
        """
        try:
            self._link().close()
        except DeviceError as exc:
            raise DrawerError(str(exc)) from exc
        state = self.is_open()
        shown = "switch not reported" if state is None else ("open" if state else "closed")
        return f"cash drawer on {self.port} ({shown})"
