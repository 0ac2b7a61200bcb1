"""ConcertCardTerminal against a fake terminal built from pyTeliumManager's message classes
on a pseudo-terminal: purchases, refunds and every fault ending with a clear outcome."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fake_telium import Behaviour, FakeTeliumTerminal
from pty_devices import finishes

from drivers.terminal import ConcertCardTerminal
from omnipos_tui.core.errors import (
    DeviceNotConnected,
    DeviceTimeout,
    TerminalError,
    TerminalOutcomeUnknown,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardDeclined, CardTerminal


@pytest.fixture
def fake() -> Iterator[FakeTeliumTerminal]:
    terminal = FakeTeliumTerminal()
    yield terminal
    terminal.close()


def driver(path: str) -> ConcertCardTerminal:
    return ConcertCardTerminal(path, ack_timeout=0.5, answer_timeout=2.0, frame_timeout=0.5)


def test_it_is_an_integrated_card_terminal(fake: FakeTeliumTerminal) -> None:
    terminal = driver(fake.path)

    assert isinstance(terminal, CardTerminal)
    assert terminal.integrated


def test_a_purchase_is_approved_with_amount_transaction_id_and_masked_card(
    fake: FakeTeliumTerminal,
) -> None:
    result = driver(fake.path).authorize(Money(12345), "pay-1")

    assert result == CardApproved(Money(12345), "T000000042", "************4242")
    (ask,) = fake.asks
    assert (ask.amount, ask.transaction_type, ask.currency_numeric) == (123.45, "0", "578")


def test_a_refund_is_sent_as_a_refund(fake: FakeTeliumTerminal) -> None:
    result = driver(fake.path).refund(Money(5000), "ret-1")

    assert isinstance(result, CardApproved)
    assert result.amount == Money(5000)
    assert fake.asks[0].transaction_type == "2"


def test_a_declined_card_is_a_value_not_an_error() -> None:
    fake = FakeTeliumTerminal(Behaviour(status=7))
    try:
        result = driver(fake.path).authorize(Money(10000), "pay-2")
    finally:
        fake.close()
    assert isinstance(result, CardDeclined)


def test_a_tip_added_on_the_terminal_comes_back_with_the_approval() -> None:
    fake = FakeTeliumTerminal(Behaviour(tip=20.0))
    try:
        result = driver(fake.path).authorize(Money(10000), "pay-3")
    finally:
        fake.close()
    assert isinstance(result, CardApproved)
    assert (result.amount, result.tip) == (Money(12000), Money(2000))


def test_an_answer_with_a_bad_lrc_is_refused_with_nak_and_read_again() -> None:
    fake = FakeTeliumTerminal(Behaviour(bad_lrc_answers=2))
    try:
        result = driver(fake.path).authorize(Money(10000), "pay-4")
    finally:
        fake.close()
    assert isinstance(result, CardApproved)
    assert fake.behaviour.naks_received == 2


def test_a_request_refused_with_nak_is_sent_again() -> None:
    fake = FakeTeliumTerminal(Behaviour(nak_requests=2))
    try:
        result = driver(fake.path).authorize(Money(10000), "pay-5")
    finally:
        fake.close()
    assert isinstance(result, CardApproved)
    assert len(fake.asks) == 1


def test_a_request_refused_four_times_starts_no_payment() -> None:
    fake = FakeTeliumTerminal(Behaviour(nak_requests=10))
    try:
        finished, outcome = finishes(lambda: driver(fake.path).authorize(Money(100), "pay-6"))
    finally:
        fake.close()
    assert finished
    assert isinstance(outcome, TerminalError)
    assert not isinstance(outcome, TerminalOutcomeUnknown)
    assert "no payment was started" in str(outcome)


def test_a_switched_off_terminal_times_out_before_it_had_the_amount() -> None:
    fake = FakeTeliumTerminal(Behaviour(ignore_enq=True))
    try:
        finished, outcome = finishes(lambda: driver(fake.path).authorize(Money(100), "pay-7"))
    finally:
        fake.close()
    assert finished
    assert isinstance(outcome, DeviceTimeout)
    assert fake.asks == []


def test_a_terminal_silent_after_taking_the_amount_gives_an_unknown_outcome() -> None:
    fake = FakeTeliumTerminal(Behaviour(silent_after_request=True))
    try:
        finished, outcome = finishes(lambda: driver(fake.path).authorize(Money(100), "pay-8"))
    finally:
        fake.close()
    assert finished
    assert isinstance(outcome, TerminalOutcomeUnknown)
    assert "look at the terminal" in str(outcome)


def test_a_terminal_unplugged_during_the_payment_gives_an_unknown_outcome() -> None:
    fake = FakeTeliumTerminal(Behaviour(unplug_after_request=True))
    try:
        finished, outcome = finishes(lambda: driver(fake.path).authorize(Money(100), "pay-9"))
    finally:
        fake.close()
    assert finished
    assert isinstance(outcome, TerminalOutcomeUnknown)


def test_a_missing_port_is_not_connected_and_names_the_port() -> None:
    fake = FakeTeliumTerminal()
    path = fake.path
    fake.close()

    with pytest.raises(DeviceNotConnected, match=path):
        driver(path).authorize(Money(100), "pay-10")


def test_probe_checks_the_terminal_answers_without_starting_a_payment(
    fake: FakeTeliumTerminal,
) -> None:
    assert "answers" in driver(fake.path).probe()
    assert fake.asks == []


def test_probe_of_a_silent_terminal_times_out() -> None:
    fake = FakeTeliumTerminal(Behaviour(ignore_enq=True))
    try:
        with pytest.raises(DeviceTimeout):
            driver(fake.path).probe()
    finally:
        fake.close()


def test_the_card_number_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTeliumTerminal(Behaviour(report="4970100000000063"))
    try:
        with caplog.at_level(logging.DEBUG):
            result = driver(fake.path).authorize(Money(100), "pay-11")
    finally:
        fake.close()

    assert isinstance(result, CardApproved)
    assert result.masked_card == "************0063"
    assert "4970100000000063" not in caplog.text
    # Nor as hex, even spread over one log line per byte.
    received = bytearray()
    for record in caplog.records:
        message = record.getMessage()
        if message.startswith("card terminal -> ") and "bytes" not in message:
            received += bytes.fromhex(message.removeprefix("card terminal -> "))
    assert b"4970100000000063" not in received
    assert b"\x06" in received or b"\x05" in received  # control bytes are still shown
