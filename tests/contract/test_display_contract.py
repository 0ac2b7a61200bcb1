"""The CustomerDisplay contract, run against the simulated display and the serial pole
display on a pty whose far end emulates a 2x20 ESC/POS display."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "drivers"))
from pty_devices import FakePoleDisplay, finishes

from drivers.display import SerialPoleDisplay, SimulatedCustomerDisplay
from omnipos_tui.core.errors import DisplayError
from omnipos_tui.core.ports import CustomerDisplay


@dataclass
class Rig:
    """A display under test and what it shows."""

    display: CustomerDisplay
    shown: Callable[[], tuple[str, str]]
    unplug: Callable[[], None]
    cleanup: list[Callable[[], None]] = field(default_factory=list)


def _simulated() -> Rig:
    display = SimulatedCustomerDisplay()
    return Rig(display, lambda: (display.top, display.bottom), display.disconnect)


def _serial() -> Rig:
    device = FakePoleDisplay()
    display = SerialPoleDisplay(device.path, timeout=0.5)

    def unplug() -> None:
        display.close()
        device.unplug()

    return Rig(display, device.text, unplug, cleanup=[display.close, device.close])


@pytest.fixture(params=[_simulated, _serial], ids=lambda f: f.__name__[1:])
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    built: Rig = request.param()
    yield built
    for step in built.cleanup:
        step()


def test_it_is_a_customer_display_of_twenty_columns(rig: Rig) -> None:
    assert isinstance(rig.display, CustomerDisplay)
    assert rig.display.columns == 20


def test_two_lines_are_shown_padded_to_the_width_with_norwegian_letters(rig: Rig) -> None:
    rig.display.show("Blåbærsyltetøy", "Total 129,90")

    assert rig.shown() == ("Blåbærsyltetøy      ", "Total 129,90        ")


def test_long_lines_are_cut_and_unprintable_characters_replaced(rig: Rig) -> None:
    rig.display.show("Rømme – «ekte» 18 % fett ekstra", "Å betale: 10 €")

    assert rig.shown() == ('Rømme - "ekte" 18 % ', "Å betale: 10 EUR    ")


def test_later_lines_replace_earlier_ones_and_clear_blanks_both(rig: Rig) -> None:
    rig.display.show("Melk 1 l      24,90", "Total         24,90")
    rig.display.show("Brød          39,90", "Total         64,80")
    assert rig.shown() == ("Brød          39,90 ", "Total         64,80 ")

    rig.display.clear()
    assert rig.shown() == (" " * 20, " " * 20)


def test_an_unreachable_display_raises_display_error(rig: Rig) -> None:
    rig.unplug()

    finished, outcome = finishes(lambda: rig.display.show("Takk for", "handelen!"))

    assert finished
    assert isinstance(outcome, DisplayError)
