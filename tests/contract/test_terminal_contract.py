"""The CardTerminal contract, run against the simulated terminal, the Concert V2 driver on a
pseudo-terminal served by the simulator, and the manual terminal with a scripted cashier."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "drivers"))
from pty_devices import finishes

from drivers.terminal import (
    ConcertCardTerminal,
    ConcertTerminalSimulator,
    ManualCardRequest,
    ManualCardTerminal,
    ManualKind,
    Outcome,
    SimulatedCardTerminal,
)
from omnipos_tui.core.errors import DeviceTimeout, InvalidAmount, TerminalOutcomeUnknown
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import (
    CardApproved,
    CardCancelled,
    CardDeclined,
    CardResult,
    CardTerminal,
)


@dataclass
class Rig:
    """A terminal under test and the script that decides what the customer does."""

    terminal: CardTerminal
    script: SimulatedCardTerminal
    has_link: bool = True
    cleanup: list[Callable[[], None]] = field(default_factory=list)


def _simulated() -> Rig:
    script = SimulatedCardTerminal()
    return Rig(script, script)


def _concert() -> Rig:
    script = SimulatedCardTerminal()
    simulator = ConcertTerminalSimulator(script, byte_timeout=0.5)
    path = simulator.start()
    terminal = ConcertCardTerminal(path, ack_timeout=0.5, answer_timeout=1.5, frame_timeout=0.5)
    return Rig(terminal, script, cleanup=[simulator.stop])


def _manual() -> Rig:
    script = SimulatedCardTerminal()
    seen: list[ManualCardRequest] = []

    def cashier(request: ManualCardRequest) -> CardResult:
        seen.append(request)
        kind = "refund" if request.kind is ManualKind.REFUND else "purchase"
        _, result = script.decide(kind, request.amount, request.reference)
        assert result is not None
        return result

    return Rig(ManualCardTerminal(cashier), script, has_link=False)


@pytest.fixture(params=[_simulated, _concert, _manual], ids=lambda f: f.__name__[1:])
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    built: Rig = request.param()
    yield built
    for step in built.cleanup:
        step()


def test_it_is_a_card_terminal(rig: Rig) -> None:
    assert isinstance(rig.terminal, CardTerminal)
    assert rig.terminal.integrated is rig.has_link


def test_an_approved_purchase_has_the_amount_an_id_and_a_masked_card(rig: Rig) -> None:
    result = rig.terminal.authorize(Money(24990), "pay-1")

    assert isinstance(result, CardApproved)
    assert result.amount == Money(24990)
    assert result.tip == Money.zero()
    assert result.transaction_id
    assert result.masked_card.endswith("1234")
    assert set(result.masked_card[:-4]) == {"*"}


def test_an_approved_refund_has_the_amount(rig: Rig) -> None:
    result = rig.terminal.refund(Money(5000), "ret-1")

    assert isinstance(result, CardApproved)
    assert result.amount == Money(5000)
    assert rig.script.transactions[-1].kind == "refund"


def test_declined_and_cancelled_are_values(rig: Rig) -> None:
    rig.script.push(Outcome.DECLINE)
    rig.script.push(Outcome.CANCEL)

    assert isinstance(rig.terminal.authorize(Money(100), "p1"), CardDeclined)
    assert isinstance(rig.terminal.authorize(Money(100), "p2"), CardCancelled)


def test_a_tip_raises_the_approved_amount_and_is_reported(rig: Rig) -> None:
    rig.script.push(Outcome.TIP, tip=Money(2500))

    result = rig.terminal.authorize(Money(10000), "p3")

    assert isinstance(result, CardApproved)
    assert (result.amount, result.tip) == (Money(12500), Money(2500))


def test_silence_after_the_amount_is_an_unknown_outcome_and_the_call_ends(rig: Rig) -> None:
    if not rig.has_link:
        pytest.skip("a stand-alone terminal has no link to go silent")
    rig.script.push(Outcome.SILENCE)

    finished, outcome = finishes(lambda: rig.terminal.authorize(Money(100), "p4"))

    assert finished
    assert isinstance(outcome, TerminalOutcomeUnknown)


def test_a_terminal_that_is_off_times_out_before_the_amount(rig: Rig) -> None:
    if not rig.has_link:
        pytest.skip("a stand-alone terminal has no link")
    rig.script.push(Outcome.OFF)

    finished, outcome = finishes(lambda: rig.terminal.authorize(Money(100), "p5"))

    assert finished
    assert isinstance(outcome, DeviceTimeout)


@pytest.mark.parametrize("ore", [0, -500])
def test_a_non_positive_amount_is_refused_before_anything_is_sent(rig: Rig, ore: int) -> None:
    with pytest.raises(InvalidAmount):
        rig.terminal.authorize(Money(ore), "p6")
    assert rig.script.transactions == []
