"""The Concert V2 terminal simulator: pyTeliumManager's own client and our driver complete
transactions against it on a pseudo-terminal."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from pty_devices import PtyPair, finishes
from telium import Telium, TeliumAsk

from drivers.terminal import (
    ConcertCardTerminal,
    ConcertTerminalSimulator,
    Outcome,
    SimulatedCardTerminal,
    parse_script,
    run_terminal_simulator,
)
from drivers.terminal.concert_codec import ConcertRequest, frame
from omnipos_tui.core.errors import DeviceTimeout, InvalidInput, TerminalOutcomeUnknown
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined


@pytest.fixture
def served() -> Iterator[tuple[str, SimulatedCardTerminal]]:
    terminal = SimulatedCardTerminal()
    simulator = ConcertTerminalSimulator(terminal, byte_timeout=0.5)
    path = simulator.start()
    yield path, terminal
    simulator.stop()


def driver(path: str) -> ConcertCardTerminal:
    return ConcertCardTerminal(path, ack_timeout=0.5, answer_timeout=1.5, frame_timeout=0.5)


def test_pytelium_client_completes_a_purchase_against_the_simulator_command() -> None:
    ready: list[str] = []
    stop = threading.Event()
    server = threading.Thread(
        target=run_terminal_simulator,
        args=(None,),
        kwargs={"on_ready": ready.append, "stop": stop},
        daemon=True,
    )
    server.start()
    try:
        while not ready and server.is_alive():
            stop.wait(0.01)
        (path,) = ready
        assert path.startswith("/dev/pts/")

        client = Telium(path, timeout=2)
        ask = TeliumAsk.new_payment(49.9, "debit", "NOK")
        assert client.ask(ask)
        answer = client.verify(ask, waiting_timeout=10)
        client.close()
    finally:
        stop.set()
        server.join(10)

    assert answer is not None
    assert answer.has_succeeded
    assert answer.amount == 49.9
    assert answer.transaction_id.startswith("SIM")
    assert answer.repport.startswith("************1234")
    assert not server.is_alive()


def test_pytelium_client_sees_a_scripted_decline(
    served: tuple[str, SimulatedCardTerminal],
) -> None:
    path, terminal = served
    terminal.push(Outcome.DECLINE)
    client = Telium(path, timeout=2)
    ask = TeliumAsk.new_payment(10.0, "debit", "NOK", collect_payment_source_info=False)

    assert client.ask(ask)
    answer = client.verify(ask, waiting_timeout=10)
    client.close()

    assert answer is not None
    assert not answer.has_succeeded


def test_our_driver_gets_every_scripted_outcome_through_the_simulator(
    served: tuple[str, SimulatedCardTerminal],
) -> None:
    path, terminal = served
    for word in ("approve", "decline", "cancel", "tip"):
        terminal.push(Outcome(word), tip=Money(1500))
    concert = driver(path)

    results = [concert.authorize(Money(10000), f"r{n}") for n in range(4)]

    assert isinstance(results[0], CardApproved)
    assert isinstance(results[1], CardDeclined)
    assert isinstance(results[2], CardCancelled)
    assert isinstance(results[3], CardApproved)
    assert (results[3].amount, results[3].tip) == (Money(11500), Money(1500))
    assert [t.amount for t in terminal.transactions] == [Money(10000)] * 4


def test_a_silent_simulated_terminal_leaves_the_driver_with_an_unknown_outcome(
    served: tuple[str, SimulatedCardTerminal],
) -> None:
    path, terminal = served
    terminal.push(Outcome.SILENCE)

    finished, outcome = finishes(lambda: driver(path).authorize(Money(100), "s1"))

    assert finished
    assert isinstance(outcome, TerminalOutcomeUnknown)


def test_a_switched_off_simulated_terminal_times_out_before_the_amount(
    served: tuple[str, SimulatedCardTerminal],
) -> None:
    path, terminal = served
    terminal.push(Outcome.OFF)

    finished, outcome = finishes(lambda: driver(path).authorize(Money(100), "o1"))

    assert finished
    assert isinstance(outcome, DeviceTimeout)
    assert isinstance(driver(path).authorize(Money(100), "o2"), CardApproved)


def test_the_simulator_refuses_a_frame_with_a_bad_lrc_with_nak(
    served: tuple[str, SimulatedCardTerminal],
) -> None:
    path, _ = served
    good = frame(ConcertRequest(Money(100)).encode())
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, b"\x05")
        assert os.read(fd, 1) == b"\x06"
        os.write(fd, good[:-1] + bytes([good[-1] ^ 1]))
        assert os.read(fd, 1) == b"\x15"
        os.write(fd, good)
        assert os.read(fd, 1) == b"\x06"
        os.write(fd, b"\x04")
        assert os.read(fd, 1) == b"\x05"
    finally:
        os.close(fd)


def test_the_simulator_can_answer_on_a_given_serial_port() -> None:
    pair = PtyPair()
    terminal = SimulatedCardTerminal()
    simulator = ConcertTerminalSimulator(terminal, pair.path, byte_timeout=0.5)
    simulator.start()
    try:
        pair.write(b"\x05")
        assert pair.read_exact(1, 5) == b"\x06"
        pair.write(b"\x04")
    finally:
        simulator.stop()
        pair.close()


def test_scripts_are_read_from_words() -> None:
    script = parse_script("approve decline tip:20,00 silence cancel off")

    assert [s.outcome for s in script] == [
        Outcome.APPROVE,
        Outcome.DECLINE,
        Outcome.TIP,
        Outcome.SILENCE,
        Outcome.CANCEL,
        Outcome.OFF,
    ]
    assert script[2].tip == Money(2000)


@pytest.mark.parametrize("text", ["approve maybe", "tip:abc", "tip:0"])
def test_a_bad_script_is_refused_with_the_word_named(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_script(text)
