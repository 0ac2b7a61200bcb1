"""The integrated card terminal: Concert V2 protocol E over a serial port.

Money safety: this driver never reports a result it did not read. Until the terminal has
acknowledged the request (the amount), a fault means no payment started
(``DeviceTimeout``, ``DeviceNotConnected``, ``TerminalError``). From the moment the request
bytes left the till, any fault is ``TerminalOutcomeUnknown``: the terminal may have taken
the card, and Concert V2 cannot be asked afterwards, so the cashier must look at the
terminal. Recording the attempt before the call is the payment service's job.
"""

from __future__ import annotations

import logging
import time

from drivers.serial_port import SerialLink
from drivers.terminal.concert_codec import (
    ACK,
    ENQ,
    EOT,
    ETX,
    NAK,
    NOK,
    STX,
    ConcertAnswer,
    ConcertFrameError,
    ConcertRequest,
    TransactionType,
    answer_to_result,
    frame,
    unframe,
)
from omnipos_tui.core.errors import (
    DeviceNotConnected,
    DeviceTimeout,
    InvalidAmount,
    TerminalError,
    TerminalOutcomeUnknown,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardResult

log = logging.getLogger(__name__)

_MAX_FRAME = 128


class ConcertCardTerminal:
    """An Ingenico-style terminal speaking Concert V2 (protocol E) on a serial port.

    Implements :class:`~omnipos_tui.core.ports.CardTerminal` with ``integrated = True``.
    The port is opened for each transaction and closed after it.

    Args:
        port: A pyserial URL or device path ("/dev/ttyACM0" for USB, "/dev/ttyS0").
        baudrate: 9600 on most terminals.
        bytesize: 8 for USB-CDC; 7 for RS-232 terminals set to 7E1.
        parity: "N" for USB-CDC; "E" for 7E1.
        pos_number: The till's number as configured on the terminal (1-99).
        currency: ISO 4217 numeric currency (578 = NOK).
        ack_timeout: Seconds to wait for ACK to ENQ and to the request.
        answer_timeout: Seconds the customer has to finish on the terminal.
        frame_timeout: Seconds to receive a whole answer frame once ENQ arrived.
        max_resends: Resends after NAK, in each direction.

    Raises:
        ConfigError: Never at construction; the port is checked on first use.
    """

    integrated = True

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        pos_number: int = 1,
        currency: str = NOK,
        ack_timeout: float = 2.0,
        answer_timeout: float = 180.0,
        frame_timeout: float = 3.0,
        max_resends: int = 3,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.bytesize = bytesize
        self.parity = parity
        self.pos_number = pos_number
        self.currency = currency
        self.ack_timeout = ack_timeout
        self.answer_timeout = answer_timeout
        self.frame_timeout = frame_timeout
        self.max_resends = max_resends

    # --- the port ----------------------------------------------------------------------

    def authorize(self, amount: Money, reference: str) -> CardResult:
        """Take a card payment (see the port for the errors)."""
        return self._transact(TransactionType.PURCHASE, amount, reference)

    def refund(self, amount: Money, reference: str) -> CardResult:
        """Pay money back to the card (see the port for the errors)."""
        return self._transact(TransactionType.REFUND, amount, reference)

    def probe(self) -> str:
        """Check the terminal answers ``ENQ`` with ``ACK`` (no transaction is started).

        Returns:
            A short status text.

        Raises:
            DeviceNotConnected: The port is missing.
            DeviceTimeout: The terminal does not answer.
            TerminalError: The terminal answered something else (busy).
        """
        with self._open() as link:
            self._enquire(link)
            link.write(EOT)
        return f"card terminal on {self.port} answers"

    # --- protocol ----------------------------------------------------------------------

    def _open(self) -> SerialLink:
        return SerialLink(
            self.port,
            label="card terminal",
            baudrate=self.baudrate,
            bytesize=self.bytesize,
            parity=self.parity,
            write_timeout=self.ack_timeout,
            redact=True,
        )

    def _transact(self, kind: TransactionType, amount: Money, reference: str) -> CardResult:
        if amount.ore <= 0:
            raise InvalidAmount(f"card amount must be positive, not {amount}")
        request = ConcertRequest(
            amount=amount, transaction=kind, pos_number=self.pos_number, currency=self.currency
        )
        message = frame(request.encode())
        log.info("card %s %s øre, reference %s, on %s", kind.name, amount.ore, reference, self.port)
        link = self._open()
        try:
            link.discard_input()
            self._send_request(link, message)
            answer = self._receive_answer(link)
        finally:
            link.close()
        result = answer_to_result(answer, request)
        log.info("card reference %s: %s", reference, type(result).__name__)
        return result

    def _enquire(self, link: SerialLink) -> None:
        link.write(ENQ)
        reply = link.read(1, self.ack_timeout)
        if not reply:
            raise DeviceTimeout(
                f"card terminal on {self.port} did not answer; check that it is on, connected "
                f"and showing its idle screen"
            )
        if reply != ACK:
            raise TerminalError(
                f"card terminal on {self.port} is busy (answered {reply.hex()} instead of ACK)"
            )

    def _send_request(self, link: SerialLink, message: bytes) -> None:
        """ENQ/ACK, the request frame until ACK (resending on NAK), then EOT."""
        self._enquire(link)
        try:
            for attempt in range(self.max_resends + 1):
                link.write(message)
                reply = link.read(1, self.ack_timeout)
                if reply == ACK:
                    link.write(EOT)
                    return
                if not reply:
                    raise TerminalOutcomeUnknown(
                        "the card terminal went silent after the amount was sent: look at the "
                        "terminal to see whether the payment went through"
                    )
                log.warning(
                    "card terminal answered %s to the request (try %d)", reply.hex(), attempt + 1
                )
        except (DeviceTimeout, DeviceNotConnected) as exc:
            raise TerminalOutcomeUnknown(
                f"the card terminal link failed after the amount was sent ({exc}): look at the "
                f"terminal to see whether the payment went through"
            ) from exc
        try:
            link.write(EOT)
        except (DeviceTimeout, DeviceNotConnected) as exc:
            log.warning("card terminal: EOT after refused request not sent: %s", exc)
        raise TerminalError(
            f"the card terminal refused the request {self.max_resends + 1} times (NAK); "
            f"no payment was started"
        )

    def _receive_answer(self, link: SerialLink) -> ConcertAnswer:
        """Wait for the terminal's ENQ, read its answer frame (NAK on a bad one), ACK, EOT."""
        try:
            self._wait_for_enq(link)
            link.write(ACK)
            for attempt in range(self.max_resends + 1):
                data = self._read_frame(link)
                try:
                    answer = ConcertAnswer.decode(unframe(data))
                except ConcertFrameError as exc:
                    log.warning("card terminal answer unreadable (try %d): %s", attempt + 1, exc)
                    link.write(NAK)
                    continue
                link.write(ACK)
                if link.read(1, self.ack_timeout) != EOT:
                    log.warning("card terminal did not end with EOT; the answer was complete")
                return answer
        except (DeviceTimeout, DeviceNotConnected) as exc:
            raise TerminalOutcomeUnknown(
                f"the card terminal link failed while the payment was in progress ({exc}): "
                f"look at the terminal to see whether the payment went through"
            ) from exc
        raise TerminalOutcomeUnknown(
            f"the card terminal's answer could not be read after {self.max_resends + 1} tries: "
            f"look at the terminal to see whether the payment went through"
        )

    def _wait_for_enq(self, link: SerialLink) -> None:
        deadline = time.monotonic() + self.answer_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TerminalOutcomeUnknown(
                    f"the card terminal sent no answer within {self.answer_timeout:g} s: look "
                    f"at the terminal to see whether the payment went through"
                )
            byte = link.read(1, remaining)
            if byte == ENQ:
                return
            if byte:
                log.debug("card terminal: ignoring %s while waiting for ENQ", byte.hex())

    def _read_frame(self, link: SerialLink) -> bytes:
        """Bytes from STX to ETX plus the LRC; whatever arrived when the deadline passed."""
        deadline = time.monotonic() + self.frame_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b""
            byte = link.read(1, remaining)
            if byte == STX:
                break
        rest = link.read_until(ETX, 1, _MAX_FRAME, max(deadline - time.monotonic(), 0.0))
        return STX + rest
