"""Fake serial and network devices for driver tests: real pseudo-terminals and sockets,
answered by a thread, exactly as a device on /dev/ttyUSB0 or port 9100 would be.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
import tty
from collections.abc import Callable
from typing import ClassVar


class PtyPair:
    """A pseudo-terminal: hand ``path`` to the code under test, answer on the master side.

    The slave end stays open here too, so the master never reads EIO while the code under
    test closes and reopens the port between calls.
    """

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self._closed = False

    def read(self, size: int, timeout: float) -> bytes:
        """Up to ``size`` bytes that arrived before ``timeout`` (b"" when none or closed)."""
        if self._closed:
            return b""
        try:
            ready, _, _ = select.select([self.master], [], [], timeout)
            if not ready:
                return b""
            return os.read(self.master, size)
        except OSError:
            return b""

    def read_exact(self, size: int, timeout: float) -> bytes:
        """Exactly ``size`` bytes, or fewer when the deadline passed."""
        deadline = time.monotonic() + timeout
        out = bytearray()
        while len(out) < size and time.monotonic() < deadline:
            out += self.read(size - len(out), max(deadline - time.monotonic(), 0))
        return bytes(out)

    def write(self, data: bytes) -> None:
        """Send bytes to the code under test."""
        if not self._closed:
            os.write(self.master, data)

    def unplug(self) -> None:
        """Close both ends: the path disappears and the code under test gets I/O errors."""
        if not self._closed:
            self._closed = True
            for fd in (self.master, self.slave):
                with contextlib.suppress(OSError):
                    os.close(fd)

    close = unplug


READY = 0x12
PAPER_NEAR_END = 0x12 | 0x0C
PAPER_END = 0x12 | 0x60
COVER_OPEN = 0x12 | 0x04
DRAWER_HIGH = 0x12 | 0x04


class EscposDeviceModel:
    """What an ESC/POS printer does with bytes: keeps the job, answers ``DLE EOT n``.

    Attributes:
        replies: The byte answered to ``DLE EOT n`` per n (1 printer, 2 offline cause,
            4 paper sensor); a missing n gets no answer.
        silent: Answer no status request at all.
        received: Every byte received, status requests included.
    """

    def __init__(self) -> None:
        self.replies: dict[int, int] = {1: READY, 2: READY, 4: READY}
        self.silent = False
        self.received = bytearray()
        self.status_requests = 0
        self.drawer_open = False
        self.kicks = 0
        self._lock = threading.Lock()

    def set_ready(self) -> None:
        self.replies = {1: READY, 2: READY, 4: READY}

    def set_paper_out(self) -> None:
        self.replies = {1: READY | 0x08, 2: READY | 0x20, 4: PAPER_END}

    def set_cover_open(self) -> None:
        self.replies = {1: READY | 0x08, 2: COVER_OPEN, 4: READY}

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host and return the printer's answer."""
        answer = bytearray()
        with self._lock:
            for byte in data:
                self.received.append(byte)
                tail = self.received[-3:]
                if len(tail) == 3 and tail[0] == 0x10 and tail[1] == 0x04:
                    self.status_requests += 1
                    if not self.silent and tail[2] in self.replies:
                        drawer = 0x04 if tail[2] == 1 and self.drawer_open else 0
                        answer.append(self.replies[tail[2]] | drawer)
                if self.received[-5:-3] == b"\x1bp":
                    # ESC p m t1 t2: the drawer pulse; its switch now reads open.
                    self.kicks += 1
                    self.drawer_open = True
        return bytes(answer)

    def job_bytes(self, settle: float = 0.1, limit: float = 10.0) -> bytes:
        """What was printed: every byte except the status requests.

        Waits until no byte arrived for ``settle`` seconds (at most ``limit``): the host's
        write returns when the bytes are in the pty or socket, before this thread read them.
        """
        deadline = time.monotonic() + limit
        seen = -1
        while time.monotonic() < deadline:
            with self._lock:
                size = len(self.received)
            if size == seen:
                break
            seen = size
            time.sleep(settle)
        with self._lock:
            data = bytes(self.received)
        for n in (1, 2, 4):
            data = data.replace(bytes([0x10, 0x04, n]), b"")
        return data


class FakeSerialPrinter:
    """An ESC/POS printer on a pseudo-terminal, served by a thread.

    Attributes:
        path: The serial port to configure.
        model: The printer's behaviour (status replies, received bytes).
        stuck: Stop reading (a printer that is off with flow control held): writes fill
            the pty buffer and then time out.
    """

    def __init__(self) -> None:
        self.pty = PtyPair()
        self.path = self.pty.path
        self.model = EscposDeviceModel()
        self.stuck = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            if self.stuck:
                time.sleep(0.01)
                continue
            data = self.pty.read(4096, 0.05)
            if data:
                answer = self.model.feed(data)
                if answer:
                    self.pty.write(answer)

    def unplug(self) -> None:
        """Pull the cable: the port disappears."""
        self._stop.set()
        self._thread.join(5)
        self.pty.unplug()

    def close(self) -> None:
        self.unplug()


class FakeNetworkPrinter:
    """An ESC/POS printer listening on 127.0.0.1, one connection at a time."""

    def __init__(self) -> None:
        self.model = EscposDeviceModel()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.host, self.port = self._server.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(0.1)
                while not self._stop.is_set():
                    try:
                        data = conn.recv(4096)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    answer = self.model.feed(data)
                    if answer:
                        conn.sendall(answer)

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        self._thread.join(5)


class FakeSerialDrawer:
    """A drawer interface on a pty: opens on ``open_command``, answers ``status_command``."""

    def __init__(
        self,
        open_command: bytes = b"\x1b\x70\x00\x19\xfa",
        status_command: bytes = b"\x1d\x72\x02",
        open_reply: bytes = b"O",
        closed_reply: bytes = b"C",
    ) -> None:
        self.pty = PtyPair()
        self.path = self.pty.path
        self.open_command = open_command
        self.status_command = status_command
        self.open_reply = open_reply
        self.closed_reply = closed_reply
        self.is_open = False
        self.openings = 0
        self._received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            data = self.pty.read(256, 0.05)
            for byte in data:
                self._received.append(byte)
                if self._received.endswith(self.open_command):
                    self.is_open = True
                    self.openings += 1
                    self._received.clear()
                elif self._received.endswith(self.status_command):
                    self.pty.write(self.open_reply if self.is_open else self.closed_reply)
                    self._received.clear()

    def wait_for_openings(self, count: int, limit: float = 10.0) -> int:
        """The number of openings once it reached ``count`` (or the limit passed)."""
        deadline = time.monotonic() + limit
        while self.openings < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.openings

    def unplug(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.pty.unplug()

    close = unplug


def finishes(call: Callable[[], object], guard: float = 30.0) -> tuple[bool, object]:
    """Run ``call`` in a thread; return (finished, result or exception).

    The guard is generous: it only catches a call that would block forever.
    """
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # noqa: BLE001 - the test inspects whatever it raised
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(guard)
    return (not thread.is_alive(), box[0] if box else None)


class FakePoleDisplay:
    """A 2x20 ESC/POS customer display on a pty that keeps what it would show.

    Attributes:
        errors: Commands it did not understand (a test expects none).
    """

    _CODECS: ClassVar[dict[int, str]] = {0: "cp437", 2: "cp850", 5: "cp865", 19: "cp858"}

    def __init__(self, columns: int = 20) -> None:
        self.pty = PtyPair()
        self.path = self.pty.path
        self.columns = columns
        self.lines = [[" "] * columns, [" "] * columns]
        self.codec = "cp437"
        self.errors: list[str] = []
        self.bytes_seen = 0
        self._x = 0
        self._y = 0
        self._pending = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def text(self, settle: float = 0.1, limit: float = 10.0) -> tuple[str, str]:
        """The two lines, once no byte arrived for ``settle`` seconds."""
        deadline = time.monotonic() + limit
        seen = -1
        while time.monotonic() < deadline:
            with self._lock:
                count = self.bytes_seen
            if count == seen:
                break
            seen = count
            time.sleep(settle)
        with self._lock:
            return "".join(self.lines[0]), "".join(self.lines[1])

    def _serve(self) -> None:
        while not self._stop.is_set():
            data = self.pty.read(256, 0.05)
            with self._lock:
                self.bytes_seen += len(data)
                self._pending += data
                self._interpret()

    def _put(self, char: str) -> None:
        self.lines[self._y][self._x] = char
        self._x += 1
        if self._x == self.columns:
            self._x, self._y = 0, (self._y + 1) % 2

    def _interpret(self) -> None:
        buf = self._pending
        while buf:
            byte = buf[0]
            if byte == 0x1B:
                if len(buf) < 2 or (buf[1] == ord("t") and len(buf) < 3):
                    return
                if buf[1] == ord("@"):
                    self.lines = [[" "] * self.columns, [" "] * self.columns]
                    self._x = self._y = 0
                    self.codec = "cp437"
                    del buf[:2]
                elif buf[1] == ord("t"):
                    self.codec = self._CODECS.get(buf[2], "cp437")
                    del buf[:3]
                else:
                    self.errors.append(f"ESC {buf[1]:#04x}")
                    del buf[:2]
            elif byte == 0x1F:
                if len(buf) < 2:
                    return
                if buf[1] == ord("$"):
                    if len(buf) < 4:
                        return
                    self._x, self._y = buf[2] - 1, buf[3] - 1
                    del buf[:4]
                elif buf[1] == ord("C"):
                    if len(buf) < 3:
                        return
                    del buf[:3]
                elif buf[1] == 0x01:
                    del buf[:2]
                else:
                    self.errors.append(f"US {buf[1]:#04x}")
                    del buf[:2]
            elif byte == 0x0C:
                self.lines = [[" "] * self.columns, [" "] * self.columns]
                self._x = self._y = 0
                del buf[:1]
            elif byte >= 0x20:
                self._put(bytes([byte]).decode(self.codec))
                del buf[:1]
            else:
                self.errors.append(f"control {byte:#04x}")
                del buf[:1]

    def unplug(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.pty.unplug()

    close = unplug
