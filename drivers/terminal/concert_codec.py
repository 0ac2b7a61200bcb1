"""Concert V2 "protocol E": framing, requests and answers as pure functions over bytes.

Link layer (half duplex): the sender sends ``ENQ``, the receiver ``ACK``; the sender sends
``STX message ETX LRC`` and the receiver ``ACK`` (or ``NAK``: send again); the sender ends
with ``EOT``. The LRC is the XOR of every byte after ``STX`` up to and including ``ETX``.

Request (34 characters): POS number (2) | amount in øre (8) | answer flag (1: ``0`` short,
``1`` with card report) | mode (1: ``1`` card) | type (1: ``0`` purchase, ``1`` credit,
``2`` refund) | currency (3: ``578`` NOK) | private (10) | delay (``A010``: answer when the
transaction ends) | authorisation (``B010``).

Answer (25 or 80 characters): POS number (2) | status (1) | amount (8) | mode (1) |
report (55, long form only) | currency (3) | private (10: the terminal's transaction id).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import reduce
from operator import xor

from omnipos_tui.core.errors import InvalidAmount, TerminalError, TerminalOutcomeUnknown
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined, CardResult

STX = b"\x02"
ETX = b"\x03"
EOT = b"\x04"
ENQ = b"\x05"
ACK = b"\x06"
NAK = b"\x15"

NOK = "578"
MAX_AMOUNT = Money(99_999_999)
REQUEST_LENGTH = 34
SHORT_ANSWER_LENGTH = 25
LONG_ANSWER_LENGTH = 80
REPORT_LENGTH = 55

#: Answer status: accepted.
STATUS_ACCEPTED = "0"
#: Answer status: cancelled on the terminal (Ingenico firmwares and our simulator).
STATUS_CANCELLED = "6"
#: Answer status: refused (declined, or the transaction did not go through).
STATUS_REFUSED = "7"


class ConcertFrameError(TerminalError):
    """A frame is incomplete, has a wrong LRC or a field that cannot be read."""


class TransactionType(enum.StrEnum):
    """The request's type field."""

    PURCHASE = "0"
    CREDIT = "1"
    REFUND = "2"


def lrc(data: bytes) -> int:
    """XOR of every byte (pass everything after STX up to and including ETX)."""
    return reduce(xor, data, 0)


def frame(message: bytes) -> bytes:
    """``STX message ETX LRC``."""
    body = message + ETX
    return STX + body + bytes([lrc(body)])


def unframe(data: bytes) -> bytes:
    """The message inside ``STX message ETX LRC``.

    Raises:
        ConcertFrameError: Missing STX or ETX, or a wrong LRC.
    """
    if len(data) < 3 or data[:1] != STX or data[-2:-1] != ETX:
        raise ConcertFrameError(f"not a complete frame ({len(data)} bytes)")
    body = data[1:-1]
    if lrc(body) != data[-1]:
        raise ConcertFrameError(f"wrong LRC {data[-1]:#04x}, expected {lrc(body):#04x}")
    message = data[1:-2]
    if STX in message or ETX in message:
        raise ConcertFrameError("a control byte inside the message")
    return message


def _ascii(message: bytes) -> str:
    try:
        return message.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ConcertFrameError("a message with non-ASCII bytes") from exc


def _amount(text: str) -> Money:
    if len(text) != 8 or not text.isdigit():
        raise ConcertFrameError(f"amount field {text!r} is not 8 digits")
    return Money(int(text))


@dataclass(frozen=True, slots=True)
class ConcertRequest:
    """A payment request from the till.

    Attributes:
        amount: The amount, 0,01 to 999 999,99.
        transaction: Purchase, credit or refund.
        pos_number: The till's number on the terminal, 1-99.
        long_answer: Ask for the 55-character card report in the answer.
        currency: ISO 4217 numeric code.
        mode: Payment mode; "1" is card.
        private: Ten characters for the terminal (spaces by default).
        delay: "A010" answer when the transaction ends; "A011" answer at once.
        authorization: "B010" normal; "B011" force online authorisation.
    """

    amount: Money
    transaction: TransactionType = TransactionType.PURCHASE
    pos_number: int = 1
    long_answer: bool = True
    currency: str = NOK
    mode: str = "1"
    private: str = ""
    delay: str = "A010"
    authorization: str = "B010"

    def encode(self) -> bytes:
        """The 34-character message (without framing).

        Raises:
            InvalidAmount: The amount is not between 0,01 and 999 999,99.
            TerminalError: Another field does not fit.
        """
        if not Money(1) <= self.amount <= MAX_AMOUNT:
            raise InvalidAmount(
                f"card amount {self.amount} must be between 0,01 and {MAX_AMOUNT.format()}"
            )
        if not 1 <= self.pos_number <= 99:
            raise TerminalError(f"terminal POS number must be 1-99, not {self.pos_number}")
        if len(self.currency) != 3 or not self.currency.isdigit():
            raise TerminalError(f"currency must be a 3-digit ISO code, not {self.currency!r}")
        if len(self.private) > 10 or not self.private.isascii():
            raise TerminalError("private field holds at most 10 ASCII characters")
        text = (
            f"{self.pos_number:02d}{self.amount.ore:08d}{'1' if self.long_answer else '0'}"
            f"{self.mode}{self.transaction.value}{self.currency}{self.private:<10}"
            f"{self.delay}{self.authorization}"
        )
        if len(text) != REQUEST_LENGTH:
            raise TerminalError(f"request has {len(text)} characters, not {REQUEST_LENGTH}")
        return text.encode("ascii")

    @classmethod
    def decode(cls, message: bytes) -> ConcertRequest:
        """Read a request (what a terminal does).

        Raises:
            ConcertFrameError: The message is not a Concert V2 request.
        """
        text = _ascii(message)
        if len(text) != REQUEST_LENGTH:
            raise ConcertFrameError(f"request has {len(text)} characters, not {REQUEST_LENGTH}")
        if not text[0:2].isdigit() or text[10] not in "01" or text[12] not in "012":
            raise ConcertFrameError(f"request fields cannot be read: {text!r}")
        return cls(
            amount=_amount(text[2:10]),
            transaction=TransactionType(text[12]),
            pos_number=int(text[0:2]),
            long_answer=text[10] == "1",
            currency=text[13:16],
            mode=text[11],
            private=text[16:26].rstrip(),
            delay=text[26:30],
            authorization=text[30:34],
        )


@dataclass(frozen=True, slots=True)
class ConcertAnswer:
    """The terminal's answer at the end of a transaction.

    Attributes:
        status: "0" accepted, "7" refused, "6" cancelled; anything else is not understood.
        amount: The amount the terminal settled (more than asked when the customer tipped).
        pos_number: The till's number, echoed.
        mode: Payment mode, echoed.
        report: The 55-character card report (long answers), "" in short answers.
        currency: ISO 4217 numeric code.
        private: The terminal's transaction id (up to 10 characters).
        long: Whether this is the 80-character form.
    """

    status: str
    amount: Money
    pos_number: int = 1
    mode: str = "1"
    report: str = ""
    currency: str = NOK
    private: str = ""
    long: bool = True

    def encode(self) -> bytes:
        """The 25- or 80-character message (what a terminal sends)."""
        report = f"{self.report:<{REPORT_LENGTH}}"[:REPORT_LENGTH] if self.long else ""
        text = (
            f"{self.pos_number:02d}{self.status}{self.amount.ore:08d}{self.mode}"
            f"{report}{self.currency}{self.private:<10}"
        )
        return text.encode("ascii")

    @classmethod
    def decode(cls, message: bytes) -> ConcertAnswer:
        """Read an answer.

        Raises:
            ConcertFrameError: The message is not a Concert V2 answer.
        """
        text = _ascii(message)
        if len(text) == LONG_ANSWER_LENGTH:
            report, rest = text[12:67], text[67:]
        elif len(text) == SHORT_ANSWER_LENGTH:
            report, rest = "", text[12:]
        else:
            raise ConcertFrameError(f"answer has {len(text)} characters, not 25 or 80")
        if not text[0:2].isdigit():
            raise ConcertFrameError(f"POS number {text[0:2]!r} is not a number")
        return cls(
            status=text[2],
            amount=_amount(text[3:11]),
            pos_number=int(text[0:2]),
            mode=text[11],
            report=report.rstrip(),
            currency=rest[0:3],
            private=rest[3:13].strip(),
            long=len(text) == LONG_ANSWER_LENGTH,
        )


def mask_card(report: str) -> str:
    """The card number from a card report, masked to its last four digits.

    Terminals usually mask the number themselves; a full number is masked here so it is
    never stored, printed or logged.
    """
    token = report.split(" ", 1)[0] if report else ""
    if len(token) < 8 or any(ch not in "0123456789*Xx" for ch in token):
        return ""
    last4 = token[-4:]
    if not last4.isdigit():
        return ""
    return "*" * (len(token) - 4) + last4


def answer_to_result(answer: ConcertAnswer, request: ConcertRequest) -> CardResult:
    """The till's result for an answer to ``request``.

    Raises:
        TerminalOutcomeUnknown: The answer does not say clearly what happened (an unknown
            status, another till's number, another currency); the cashier must check the
            terminal.
    """
    if answer.pos_number != request.pos_number or answer.currency != request.currency:
        raise TerminalOutcomeUnknown(
            f"the terminal answered for till {answer.pos_number} in currency {answer.currency}, "
            f"not till {request.pos_number} in {request.currency}: check the terminal's screen"
        )
    if answer.status == STATUS_ACCEPTED:
        tip = Money.zero()
        if request.transaction is TransactionType.PURCHASE and answer.amount > request.amount:
            tip = answer.amount - request.amount
        return CardApproved(
            amount=answer.amount,
            transaction_id=answer.private,
            masked_card=mask_card(answer.report),
            tip=tip,
        )
    if answer.status == STATUS_REFUSED:
        return CardDeclined("Avvist av terminalen")
    if answer.status == STATUS_CANCELLED:
        return CardCancelled("Avbrutt på terminalen")
    raise TerminalOutcomeUnknown(
        f"the terminal answered status {answer.status!r}, which OmniPOS does not know: "
        f"check the terminal's screen or receipt"
    )


def result_to_answer(
    result: CardResult, request: ConcertRequest, *, private: str = ""
) -> ConcertAnswer:
    """The answer a terminal sends for ``result`` (used by the simulator)."""
    if isinstance(result, CardApproved):
        return ConcertAnswer(
            status=STATUS_ACCEPTED,
            amount=result.amount,
            pos_number=request.pos_number,
            mode=request.mode,
            report=result.masked_card,
            currency=request.currency,
            private=result.transaction_id[:10],
            long=request.long_answer,
        )
    status = STATUS_REFUSED if isinstance(result, CardDeclined) else STATUS_CANCELLED
    return ConcertAnswer(
        status=status,
        amount=request.amount,
        pos_number=request.pos_number,
        mode=request.mode,
        currency=request.currency,
        private=private,
        long=request.long_answer,
    )
