"""A fake Concert V2 terminal on a pseudo-terminal, built from pyTeliumManager's own message
classes (``TeliumAsk`` decodes our request, ``TeliumResponse`` encodes the answer), so the
driver is checked against an independent implementation of the protocol."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pty_devices import PtyPair
from telium import TeliumAsk, TeliumResponse

ENQ, ACK, NAK, EOT, STX, ETX = b"\x05", b"\x06", b"\x15", b"\x04", b"\x02", b"\x03"


@dataclass
class Behaviour:
    """How the fake terminal misbehaves.

    Attributes:
        status: Answer status (0 accepted, 7 refused).
        tip: Kroner the customer adds.
        report: The card report (the terminal's masked card number first).
        private: The terminal's transaction id.
        nak_requests: NAK this many request frames before taking one.
        bad_lrc_answers: Send this many answers with a wrong LRC first.
        ignore_enq: Never answer ENQ (switched off).
        silent_after_request: Take the request, then say nothing more.
        unplug_after_request: Take the request, then vanish.
    """

    status: int = 0
    tip: float = 0.0
    report: str = "************4242"
    private: str = "T000000042"
    nak_requests: int = 0
    bad_lrc_answers: int = 0
    ignore_enq: bool = False
    silent_after_request: bool = False
    unplug_after_request: bool = False
    naks_received: int = 0
    asks: list[TeliumAsk] = field(default_factory=list)


class FakeTeliumTerminal:
    """Serves one behaviour on a pty until closed."""

    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.pty = PtyPair()
        self.path = self.pty.path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def asks(self) -> list[TeliumAsk]:
        return self.behaviour.asks

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.pty.close()

    def _read_frame(self) -> bytes:
        data = bytearray()
        while not self._stop.is_set():
            byte = self.pty.read(1, 0.05)
            if not data and byte == EOT:
                return b""  # the till only checked that we answer (a probe)
            if not byte or (not data and byte != STX):
                continue
            data += byte
            if len(data) >= 3 and data[-2:-1] == ETX:
                return bytes(data)
        return bytes(data)

    def _expect(self, wanted: bytes) -> bool:
        return self.pty.read_exact(1, 5.0) == wanted

    def _serve(self) -> None:
        b = self.behaviour
        while not self._stop.is_set():
            if self.pty.read(1, 0.05) != ENQ or b.ignore_enq:
                continue
            self.pty.write(ACK)
            request = self._read_frame()
            if not request:
                continue
            while request and b.nak_requests > 0:
                b.nak_requests -= 1
                self.pty.write(NAK)
                request = self._read_frame()
            if not request:
                continue
            ask = TeliumAsk.decode(request)
            b.asks.append(ask)
            self.pty.write(ACK)
            self._expect(EOT)
            if b.silent_after_request:
                continue
            if b.unplug_after_request:
                self.pty.unplug()
                return
            response = TeliumResponse(
                ask.pos_number,
                b.status,
                round(ask.amount + b.tip, 2),
                ask.payment_mode,
                b.report.ljust(55) if ask.answer_flag == "1" else None,
                ask.currency_numeric,
                b.private,
            )
            answer = response.encode().encode("ascii")
            self.pty.write(ENQ)
            if not self._expect(ACK):
                continue
            for _ in range(b.bad_lrc_answers):
                self.pty.write(answer[:-1] + bytes([answer[-1] ^ 0x5A]))
                if self._expect(NAK):
                    b.naks_received += 1
            self.pty.write(answer)
            self._expect(ACK)
            self.pty.write(EOT)
