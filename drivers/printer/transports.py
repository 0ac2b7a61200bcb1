"""Where printer bytes go: serial, network (port 9100), a device file (USB ``usblp``) or a
plain file. Each transport opens per job and closes after it, so an unplugged and replugged
printer needs no restart, and every call ends within its timeout.

python-escpos's own connection classes are not used for sending: its serial class sets no
write timeout and turns hardware flow control on (a switched-off printer blocks forever),
and a missing port gives a bare ``AssertionError`` on the next write.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import stat
import time
from pathlib import Path
from typing import Protocol, runtime_checkable

from drivers.serial_port import SerialLink
from omnipos_tui.core.errors import DeviceNotConnected, DeviceTimeout, PrinterOffline


@runtime_checkable
class PrinterTransport(Protocol):
    """A way to reach a printer.

    Attributes:
        description: Where it goes, for messages ("serial /dev/ttyUSB0").
    """

    description: str

    def send(self, data: bytes) -> None:
        """Write every byte or raise.

        Raises:
            PrinterOffline: The printer cannot be reached or stopped taking data.
        """
        ...

    def query(self, requests: list[bytes], reply_size: int = 1) -> list[bytes]:
        """Send each request and collect its reply; stop at the first empty reply.

        Returns:
            One reply per request answered (``b""`` for the one that got none); an empty
            list when this transport cannot read at all.

        Raises:
            PrinterOffline: The printer cannot be reached.
        """
        ...


class SerialTransport:
    """A printer on a serial port (RS-232 or a USB serial adapter).

    Args:
        port: A pyserial URL or device path ("/dev/ttyUSB0").
        baudrate: The printer's baud rate (Epson default 38400; many clones 9600 or 19200).
        rtscts: Hardware flow control; leave off unless the printer's DIP switches need it.
        timeout: Seconds a chunk of the job may take before the printer counts as offline.
        status_timeout: Seconds to wait for each status reply.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 19200,
        rtscts: bool = False,
        timeout: float = 5.0,
        status_timeout: float = 0.3,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.rtscts = rtscts
        self.timeout = timeout
        self.status_timeout = status_timeout
        self.description = f"serial {port}"

    def _open(self) -> SerialLink:
        try:
            return SerialLink(
                self.port,
                label="receipt printer",
                baudrate=self.baudrate,
                rtscts=self.rtscts,
                write_timeout=self.timeout,
            )
        except DeviceNotConnected as exc:
            raise PrinterOffline(str(exc)) from exc

    def send(self, data: bytes) -> None:
        """Write the job (see :class:`PrinterTransport`)."""
        link = self._open()
        try:
            link.write(data)
        except (DeviceTimeout, DeviceNotConnected) as exc:
            raise PrinterOffline(f"receipt printer ({self.description}): {exc}") from exc
        finally:
            link.close()

    def query(self, requests: list[bytes], reply_size: int = 1) -> list[bytes]:
        """Ask for real-time status (see :class:`PrinterTransport`)."""
        link = self._open()
        try:
            link.discard_input()
            replies: list[bytes] = []
            for request in requests:
                link.write(request)
                reply = link.read(reply_size, self.status_timeout)
                replies.append(reply)
                if not reply:
                    break
            return replies
        except (DeviceTimeout, DeviceNotConnected) as exc:
            raise PrinterOffline(f"receipt printer ({self.description}): {exc}") from exc
        finally:
            link.close()


class NetworkTransport:
    """A printer on the network, raw TCP (usually port 9100).

    Args:
        host: Host name or address.
        port: TCP port.
        timeout: Seconds for connecting and for each send.
        status_timeout: Seconds to wait for each status reply.
    """

    def __init__(
        self, host: str, port: int = 9100, *, timeout: float = 5.0, status_timeout: float = 0.5
    ) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.status_timeout = status_timeout
        self.description = f"network {host}:{port}"

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise PrinterOffline(
                f"receipt printer ({self.description}) cannot be reached: {exc}; check that it "
                f"is on and that the address is right"
            ) from exc

    def send(self, data: bytes) -> None:
        """Write the job (see :class:`PrinterTransport`)."""
        with self._connect() as conn:
            try:
                conn.sendall(data)
            except OSError as exc:
                raise PrinterOffline(f"receipt printer ({self.description}): {exc}") from exc

    def query(self, requests: list[bytes], reply_size: int = 1) -> list[bytes]:
        """Ask for real-time status (see :class:`PrinterTransport`)."""
        with self._connect() as conn:
            replies: list[bytes] = []
            try:
                for request in requests:
                    conn.sendall(request)
                    reply = _recv(conn, reply_size, self.status_timeout)
                    replies.append(reply)
                    if not reply:
                        break
            except OSError as exc:
                raise PrinterOffline(f"receipt printer ({self.description}): {exc}") from exc
            return replies


def _recv(conn: socket.socket, size: int, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    out = bytearray()
    while len(out) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        conn.settimeout(remaining)
        try:
            chunk = conn.recv(size - len(out))
        except TimeoutError:
            break
        if not chunk:
            break
        out += chunk
    return bytes(out)


class FileTransport:
    """A printer reached through a file: the kernel's USB printer device (``/dev/usb/lp0``)
    or a plain file that collects the bytes (for trying a layout without a printer).

    Args:
        path: The device or file.
        timeout: Seconds a write may stall before the printer counts as offline.
        status_timeout: Seconds to wait for each status reply (devices only).
    """

    def __init__(self, path: Path, *, timeout: float = 5.0, status_timeout: float = 0.5) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.status_timeout = status_timeout
        self.description = f"file {self.path}"

    def _is_device(self) -> bool:
        """Anything that exists and is not a regular file (a character device, a FIFO)."""
        try:
            return not stat.S_ISREG(self.path.stat().st_mode)
        except OSError:
            return False

    def _open(self, flags: int) -> int:
        try:
            return os.open(self.path, flags | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno == errno.EACCES:
                message = f"no permission to write {self.path}; add the till user to the 'lp' group"
            elif exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
                message = f"{self.path} not found: is the printer on and plugged in?"
            else:
                message = f"cannot open {self.path}: {exc}"
            raise PrinterOffline(f"receipt printer: {message}") from exc

    def send(self, data: bytes) -> None:
        """Write the job (see :class:`PrinterTransport`)."""
        device = self._is_device()
        if not device and not self.path.parent.is_dir():
            raise PrinterOffline(f"receipt printer: folder {self.path.parent} does not exist")
        flags = os.O_WRONLY if device else os.O_WRONLY | os.O_APPEND | os.O_CREAT
        fd = self._open(flags)
        try:
            view = memoryview(data)
            while view:
                # Measured per stall, not per job: a long job on a slow printer is fine as
                # long as bytes keep moving.
                _, writable, _ = select.select([], [fd], [], self.timeout)
                if not writable:
                    raise PrinterOffline(
                        f"receipt printer ({self.description}) stopped taking data"
                    )
                try:
                    written = os.write(fd, view)
                except BlockingIOError:
                    continue
                except OSError as exc:
                    raise PrinterOffline(f"receipt printer ({self.description}): {exc}") from exc
                view = view[written:]
            if not device:
                os.fsync(fd)
        finally:
            os.close(fd)

    def query(self, requests: list[bytes], reply_size: int = 1) -> list[bytes]:
        """Ask for real-time status where the device can answer; a plain file cannot."""
        if not self._is_device():
            if not self.path.parent.is_dir():
                raise PrinterOffline(f"receipt printer: folder {self.path.parent} does not exist")
            return []
        fd = self._open(os.O_RDWR)
        try:
            replies: list[bytes] = []
            for request in requests:
                try:
                    os.write(fd, request)
                    reply = _read_fd(fd, reply_size, self.status_timeout)
                except OSError as exc:
                    raise PrinterOffline(f"receipt printer ({self.description}): {exc}") from exc
                replies.append(reply)
                if not reply:
                    break
            return replies
        finally:
            os.close(fd)


def _read_fd(fd: int, size: int, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    out = bytearray()
    while len(out) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        readable, _, _ = select.select([fd], [], [], remaining)
        if not readable:
            break
        try:
            chunk = os.read(fd, size - len(out))
        except BlockingIOError:
            continue
        if not chunk:
            break
        out += chunk
    return bytes(out)
