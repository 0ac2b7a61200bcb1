"""The simulated card terminal speaking Concert V2 on a serial port or a new pseudo-terminal,
so other programs (pyTeliumManager, another till, a technician's script) can be tested
against it. ``omnipos hw terminal-simulator --port PATH|pty`` runs it until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
import tty
from collections.abc import Callable
from typing import Protocol

from drivers.serial_port import SerialLink
from drivers.terminal.concert_codec import (
    ACK,
    ENQ,
    EOT,
    ETX,
    NAK,
    STX,
    ConcertFrameError,
    ConcertRequest,
    TransactionType,
    frame,
    result_to_answer,
    unframe,
)
from drivers.terminal.simulated import Outcome, SimulatedCardTerminal, parse_script
from omnipos_tui.core.errors import DeviceError
from omnipos_tui.core.money import Money

log = logging.getLogger(__name__)

_RESENDS = 3


class _Channel(Protocol):
    def read(self, size: int, timeout: float) -> bytes: ...

    def write(self, data: bytes, timeout: float | None = None) -> None: ...

    def close(self) -> None: ...


class _PtyChannel:
    """The master side of a new pseudo-terminal; its slave path is what clients open."""

    def __init__(self) -> None:
        self.master, self._slave = os.openpty()
        tty.setraw(self.master)
        tty.setraw(self._slave)
        # Keeping the slave open means the master never sees EIO while clients come and go.
        self.path = os.ttyname(self._slave)

    def read(self, size: int, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0.0))
        if not ready:
            return b""
        try:
            return os.read(self.master, size)
        except OSError:
            return b""

    def write(self, data: bytes, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or 2.0)
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [self.master], [], max(deadline - time.monotonic(), 0))
            if not ready:
                raise DeviceError(f"nobody reads the simulated terminal at {self.path}")
            view = view[os.write(self.master, view) :]

    def close(self) -> None:
        for fd in (self.master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class ConcertTerminalSimulator:
    """Serves a :class:`SimulatedCardTerminal` as a Concert V2 terminal.

    Args:
        terminal: The scripted terminal that decides each outcome.
        port: A serial port to answer on (for example one end of a ``socat`` pair); None
            makes a new pseudo-terminal whose path is :attr:`path`.
        baudrate: For a real serial port.
        byte_timeout: Seconds to wait for each protocol step from the client.
        answer_delay: Seconds the "customer" takes before the answer is sent.
        stop: An event that ends :meth:`serve_forever` when set (a new one by default).

    Raises:
        DeviceNotConnected: The given port cannot be opened.
    """

    def __init__(
        self,
        terminal: SimulatedCardTerminal,
        port: str | None = None,
        *,
        baudrate: int = 9600,
        byte_timeout: float = 2.0,
        answer_delay: float = 0.0,
        stop: threading.Event | None = None,
    ) -> None:
        self.terminal = terminal
        self.byte_timeout = byte_timeout
        self.answer_delay = answer_delay
        self.answered = 0
        self._channel: _Channel
        if port is None:
            pty = _PtyChannel()
            self._channel = pty
            self.path = pty.path
        else:
            self._channel = SerialLink(port, label="terminal simulator", baudrate=baudrate)
            self.path = port
        self._stop = stop or threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Serve in a background thread; returns the path clients should open."""
        self._thread = threading.Thread(target=self.serve_forever, name="concert-sim", daemon=True)
        self._thread.start()
        return self.path

    def stop(self) -> None:
        """Stop serving and close the port."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.byte_timeout * 4 + 5)
        self._channel.close()

    def serve_forever(self) -> None:
        """Answer transactions until :meth:`stop` (or KeyboardInterrupt in the caller)."""
        while not self._stop.is_set():
            try:
                if self._channel.read(1, 0.2) == ENQ:
                    self._transaction()
            except DeviceError as exc:
                log.warning("terminal simulator: %s", exc)
                self._stop.wait(0.5)

    # --- one transaction ---------------------------------------------------------------

    def _transaction(self) -> None:
        if self.terminal.next_outcome() is Outcome.OFF:
            self.terminal.decide("purchase", Money.zero(), "concert")
            log.info("terminal simulator: scripted off, ignoring ENQ")
            return
        request = self._receive_request()
        if request is None:
            return
        kind = "refund" if request.transaction is TransactionType.REFUND else "purchase"
        outcome, result = self.terminal.decide(kind, request.amount, "concert")
        log.info("terminal simulator: %s %s øre -> %s", kind, request.amount.ore, outcome)
        if result is None:
            return
        self._stop.wait(self.answer_delay)
        self._send_answer(frame(result_to_answer(result, request).encode()))
        self.answered += 1

    def _receive_request(self) -> ConcertRequest | None:
        self._channel.write(ACK)
        for _ in range(_RESENDS + 1):
            data = self._read_frame()
            if not data:
                return None
            try:
                request = ConcertRequest.decode(unframe(data))
            except ConcertFrameError as exc:
                log.info("terminal simulator: bad request frame (%s), NAK", exc)
                self._channel.write(NAK)
                continue
            self._channel.write(ACK)
            if self._channel.read(1, self.byte_timeout) != EOT:
                log.info("terminal simulator: no EOT after the request")
            return request
        return None

    def _read_frame(self) -> bytes:
        """A frame from STX to LRC; b"" when the client ended the session (EOT) or went
        quiet. A new ENQ before STX (the client started over) is acknowledged again."""
        deadline = time.monotonic() + self.byte_timeout
        data = bytearray()
        while time.monotonic() < deadline:
            byte = self._channel.read(1, deadline - time.monotonic())
            if not data:
                if byte == EOT:
                    return b""
                if byte == ENQ:
                    self._channel.write(ACK)
                    deadline = time.monotonic() + self.byte_timeout
                if byte != STX:
                    continue
            data += byte
            if len(data) >= 3 and data[-2:-1] == ETX:
                return bytes(data)
        return bytes(data)

    def _send_answer(self, answer: bytes) -> None:
        for _ in range(_RESENDS + 1):
            self._channel.write(ENQ)
            if self._channel.read(1, self.byte_timeout) == ACK:
                break
        else:
            log.warning("terminal simulator: the till did not take the answer (no ACK to ENQ)")
            return
        for _ in range(_RESENDS + 1):
            self._channel.write(answer)
            if self._channel.read(1, self.byte_timeout) == ACK:
                break
        self._channel.write(EOT)


def run_terminal_simulator(
    port: str | None,
    *,
    script: str = "",
    answer_delay: float = 0.0,
    on_ready: Callable[[str], None] = lambda path: None,
    stop: threading.Event | None = None,
) -> None:
    """Serve a simulated terminal until KeyboardInterrupt (the CLI command's body).

    Args:
        port: A serial port, or None (or "pty") for a new pseudo-terminal.
        script: Outcomes for the first transactions (see ``parse_script``); approve after.
        answer_delay: Seconds before each answer.
        on_ready: Called with the path clients should open (the CLI prints it).
        stop: Ends serving when set; otherwise it runs until KeyboardInterrupt.

    Raises:
        InvalidInput: The script is not valid.
        DeviceNotConnected: The port cannot be opened.
    """
    terminal = SimulatedCardTerminal(parse_script(script))
    simulator = ConcertTerminalSimulator(
        terminal, None if port in (None, "pty") else port, answer_delay=answer_delay, stop=stop
    )
    on_ready(simulator.path)
    try:
        simulator.serve_forever()
    finally:
        simulator.stop()
