"""A serial link with a deadline on every call, shared by the printer, terminal, drawer and
display drivers.

pyserial's own ``timeout`` is per call and ``write_timeout`` is unset by default, so a
switched-off device with flow control can block a write forever. :class:`SerialLink` opens a
pyserial URL (``/dev/ttyUSB0``, ``/dev/pts/3``, ``loop://``, ``spy:///dev/ttyACM0``) with both
timeouts set and measures every call against ``time.monotonic()``. pyserial errors become
:class:`~omnipos_tui.core.errors.DeviceNotConnected` or
:class:`~omnipos_tui.core.errors.DeviceTimeout`; each driver narrows them to its own error.
"""

from __future__ import annotations

import errno
import logging
import termios
import time
from types import TracebackType

import serial

from omnipos_tui.core.errors import DeviceNotConnected, DeviceTimeout

log = logging.getLogger(__name__)

_PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}
_CHUNK = 256


def _hex(data: bytes) -> str:
    return data.hex(" ") if len(data) <= 64 else f"{data[:64].hex(' ')} ... ({len(data)} bytes)"


class SerialLink:
    """An open serial port whose reads and writes all end by a deadline.

    Args:
        url: A pyserial URL or device path.
        label: What the device is, for messages ("card terminal").
        baudrate: Bits per second (a pty ignores it).
        bytesize: 7 or 8 data bits.
        parity: "N", "E" or "O".
        stopbits: 1 or 2.
        rtscts: Hardware flow control (off by default: with it a switched-off printer blocks).
        write_timeout: Seconds one chunk of a write may take before the device counts as stuck.
        redact: Log only byte counts, not the bytes (card terminals: answers may carry a card
            number, which is never logged).

    Raises:
        DeviceNotConnected: The port does not exist, is busy or may not be opened.
    """

    def __init__(
        self,
        url: str,
        *,
        label: str,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: int = 1,
        rtscts: bool = False,
        write_timeout: float = 2.0,
        redact: bool = False,
    ) -> None:
        self.url = url
        self.label = label
        self.redact = redact
        self.write_timeout = write_timeout
        if parity not in _PARITIES:
            raise DeviceNotConnected(f"{label}: parity must be N, E or O, not {parity!r}")
        try:
            self._port = serial.serial_for_url(
                url,
                baudrate=baudrate,
                bytesize=bytesize,
                parity=_PARITIES[parity],
                stopbits=stopbits,
                rtscts=rtscts,
                timeout=0,
                write_timeout=write_timeout,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceNotConnected(_open_failure(label, url, exc)) from exc

    def __enter__(self) -> SerialLink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, data: bytes, timeout: float | None = None) -> None:
        """Write every byte, a chunk at a time, or raise.

        Args:
            data: The bytes.
            timeout: Seconds for the whole write; default ``write_timeout`` per chunk.

        Raises:
            DeviceTimeout: The device stopped taking bytes (buffer full, flow control held).
            DeviceNotConnected: The port went away.
        """
        log.debug("%s <- %s", self.label, self._shown(data))
        deadline = None if timeout is None else time.monotonic() + timeout
        for start in range(0, len(data), _CHUNK):
            chunk = data[start : start + _CHUNK]
            budget = self.write_timeout
            if deadline is not None:
                budget = deadline - time.monotonic()
                if budget <= 0:
                    raise DeviceTimeout(f"{self.label} at {self.url} stopped taking data")
            try:
                self._port.write_timeout = budget
                written = self._port.write(chunk)
                self._port.flush()
            except serial.SerialTimeoutException as exc:
                raise DeviceTimeout(
                    f"{self.label} at {self.url} stopped taking data "
                    f"(switched off, out of paper or flow control held)"
                ) from exc
            except (serial.SerialException, OSError, termios.error) as exc:
                raise DeviceNotConnected(f"{self.label} at {self.url} went away: {exc}") from exc
            if written is not None and written != len(chunk):
                raise DeviceTimeout(f"{self.label} at {self.url} took only part of the data")

    def read(self, size: int, timeout: float) -> bytes:
        """Read up to ``size`` bytes, returning early only when they all arrived.

        Returns what arrived before the deadline (``b""`` from a silent device).

        Raises:
            DeviceNotConnected: The port went away.
        """
        deadline = time.monotonic() + timeout
        out = bytearray()
        while len(out) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                self._port.timeout = min(remaining, 0.5)
                chunk = self._port.read(size - len(out))
            except (serial.SerialException, OSError, termios.error) as exc:
                raise DeviceNotConnected(f"{self.label} at {self.url} went away: {exc}") from exc
            out += chunk
        if out:
            log.debug("%s -> %s", self.label, self._shown(bytes(out)))
        return bytes(out)

    def read_until(self, terminator: bytes, extra: int, limit: int, timeout: float) -> bytes:
        """Read until ``terminator`` and then ``extra`` more bytes (an LRC), or the deadline.

        Returns what arrived; the caller checks it is complete.

        Raises:
            DeviceNotConnected: The port went away.
        """
        deadline = time.monotonic() + timeout
        out = bytearray()
        while len(out) < limit:
            end = out.find(terminator)
            if end >= 0 and len(out) >= end + len(terminator) + extra:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            out += self.read(1, remaining)
        return bytes(out)

    def _shown(self, data: bytes) -> str:
        if self.redact and any(byte >= 0x20 for byte in data):
            # Control bytes (ENQ, ACK, NAK, ...) are shown; anything that could be text is not.
            return f"({len(data)} bytes)"
        return _hex(data)

    def discard_input(self) -> None:
        """Drop whatever the device sent before (stale status bytes, a late answer).

        Raises:
            DeviceNotConnected: The port went away.
        """
        try:
            self._port.reset_input_buffer()
        except (serial.SerialException, OSError, termios.error) as exc:
            raise DeviceNotConnected(f"{self.label} at {self.url} went away: {exc}") from exc

    def close(self) -> None:
        """Close the port; a port that already vanished closes quietly."""
        try:
            self._port.close()
        except (serial.SerialException, OSError, termios.error) as exc:
            log.debug("closing %s at %s: %s", self.label, self.url, exc)


def _open_failure(label: str, url: str, exc: BaseException) -> str:
    text = str(exc)
    code = getattr(exc, "errno", None)
    if code == errno.EACCES or "Permission denied" in text:
        return (
            f"{label}: no permission to open {url}; add the till user to the 'dialout' group "
            f"(sudo usermod -aG dialout USER) and log in again"
        )
    if code == errno.EBUSY or "busy" in text:
        return f"{label}: {url} is in use by another program"
    if code == errno.ENOENT or "No such file" in text:
        return f"{label}: serial port {url} not found; check the cable and the configured port"
    return f"{label}: cannot open {url}: {text}"
