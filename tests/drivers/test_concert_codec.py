"""Concert V2 framing, requests and answers, checked with literal frames."""

from __future__ import annotations

import pytest
from telium import TeliumAsk

from drivers.terminal.concert_codec import (
    ConcertAnswer,
    ConcertFrameError,
    ConcertRequest,
    TransactionType,
    answer_to_result,
    frame,
    lrc,
    mask_card,
    unframe,
)
from omnipos_tui.core.errors import InvalidAmount, TerminalOutcomeUnknown
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined

PURCHASE_12345 = b"\x020100012345110578          A010B010\x03\n"
REFUND_500_SHORT = b"\x020700050000012578          A010B010\x03\x0b"
APPROVED_LONG = b"\x02010000123451************4242" + b" " * 39 + b"578T000000042\x03z"
REFUSED_SHORT = b"\x02017000123451578          \x03?"


def test_lrc_is_the_xor_of_the_bytes() -> None:
    assert lrc(b"") == 0
    assert lrc(b"\x01\x02\x03") == 0
    assert lrc(b"A\x03") == 0x42


def test_a_purchase_request_encodes_to_the_literal_frame() -> None:
    request = ConcertRequest(Money(12345))

    assert frame(request.encode()) == PURCHASE_12345


def test_our_request_is_byte_for_byte_what_pytelium_sends() -> None:
    ours = frame(ConcertRequest(Money(12345)).encode())
    theirs = TeliumAsk.new_payment(123.45, "debit", "NOK").encode().encode("ascii")

    assert ours == theirs


def test_a_short_refund_request_for_till_7_encodes_to_the_literal_frame() -> None:
    request = ConcertRequest(Money(50000), TransactionType.REFUND, pos_number=7, long_answer=False)

    assert frame(request.encode()) == REFUND_500_SHORT
    assert ConcertRequest.decode(unframe(REFUND_500_SHORT)) == request


def test_a_long_approved_answer_decodes_from_the_literal_frame() -> None:
    answer = ConcertAnswer.decode(unframe(APPROVED_LONG))

    assert answer.status == "0"
    assert answer.amount == Money(12345)
    assert answer.report == "************4242"
    assert answer.private == "T000000042"
    assert frame(answer.encode()) == APPROVED_LONG


def test_a_short_refused_answer_decodes_from_the_literal_frame() -> None:
    answer = ConcertAnswer.decode(unframe(REFUSED_SHORT))

    assert (answer.status, answer.amount, answer.long) == ("7", Money(12345), False)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x02abc",
        PURCHASE_12345[:-1] + b"\x00",
        b"x" + PURCHASE_12345[1:],
        PURCHASE_12345[:-2] + b"\x04" + PURCHASE_12345[-1:],
    ],
)
def test_broken_frames_are_refused(data: bytes) -> None:
    with pytest.raises(ConcertFrameError):
        unframe(data)


@pytest.mark.parametrize(
    "message",
    [b"01000123", b"0100012345110578          A010B01X1", "01ØØ".encode() * 9],
)
def test_messages_of_the_wrong_shape_are_refused(message: bytes) -> None:
    with pytest.raises(ConcertFrameError):
        ConcertRequest.decode(message)
    with pytest.raises(ConcertFrameError):
        ConcertAnswer.decode(message)


@pytest.mark.parametrize("ore", [0, -100, 100_000_000])
def test_amounts_outside_eight_digits_are_refused(ore: int) -> None:
    with pytest.raises(InvalidAmount):
        ConcertRequest(Money(ore)).encode()


def test_an_approval_for_more_than_asked_is_a_tip() -> None:
    request = ConcertRequest(Money(10000))
    answer = ConcertAnswer("0", Money(12000), report="************4242", private="T1")

    result = answer_to_result(answer, request)

    assert result == CardApproved(Money(12000), "T1", "************4242", Money(2000))


def test_refused_and_cancelled_answers_are_values() -> None:
    request = ConcertRequest(Money(10000))

    assert isinstance(answer_to_result(ConcertAnswer("7", Money(10000)), request), CardDeclined)
    assert isinstance(answer_to_result(ConcertAnswer("6", Money(10000)), request), CardCancelled)


@pytest.mark.parametrize(
    "answer",
    [
        ConcertAnswer("9", Money(10000)),
        ConcertAnswer("0", Money(10000), pos_number=2),
        ConcertAnswer("0", Money(10000), currency="978"),
    ],
)
def test_an_answer_that_does_not_say_clearly_what_happened_is_unknown(
    answer: ConcertAnswer,
) -> None:
    with pytest.raises(TerminalOutcomeUnknown):
        answer_to_result(answer, ConcertRequest(Money(10000)))


@pytest.mark.parametrize(
    ("report", "masked"),
    [
        ("************4242", "************4242"),
        ("4970100000000063 1225 X", "************0063"),
        ("", ""),
        ("ABCD", ""),
        ("XXXXXXXXXXXX", ""),
    ],
)
def test_card_numbers_are_never_kept_unmasked(report: str, masked: str) -> None:
    assert mask_card(report) == masked
