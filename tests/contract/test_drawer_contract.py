"""The CashDrawer contract, run against the simulated drawer, a drawer kicked through the
simulated and the real ESC/POS printer (on a pty), and a serial drawer on a pty."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "drivers"))
from pty_devices import FakeSerialDrawer, FakeSerialPrinter, finishes

from drivers.drawer import PrinterKickedDrawer, SerialCashDrawer, SimulatedCashDrawer
from drivers.printer import EscposReceiptPrinter, SerialTransport, SimulatedReceiptPrinter
from omnipos_tui.core.errors import DrawerError
from omnipos_tui.core.ports import CashDrawer


@dataclass
class Rig:
    """A drawer under test, the hand that shuts it and the cable that can be pulled."""

    drawer: CashDrawer
    shut: Callable[[], None]
    unplug: Callable[[], None]
    settle: Callable[[], None] = lambda: None
    cleanup: list[Callable[[], None]] = field(default_factory=list)


def _simulated() -> Rig:
    drawer = SimulatedCashDrawer()
    return Rig(drawer, drawer.close, drawer.disconnect)


def _simulated_printer() -> Rig:
    printer = SimulatedReceiptPrinter()
    return Rig(PrinterKickedDrawer(printer), printer.close_drawer, printer.go_offline)


def _escpos_printer() -> Rig:
    device = FakeSerialPrinter()
    printer = EscposReceiptPrinter(
        "receipt", SerialTransport(device.path, timeout=1.0, status_timeout=0.2), drawer_pin=2
    )

    def shut() -> None:
        device.model.drawer_open = False

    def wait_for_kick() -> None:
        # The pulse is written before open() returns; the fake reads it a moment later.
        deadline = time.monotonic() + 10
        while device.model.kicks == 0 and time.monotonic() < deadline:
            time.sleep(0.01)

    drawer = PrinterKickedDrawer(printer)
    return Rig(drawer, shut, device.unplug, wait_for_kick, cleanup=[device.close])


def _serial() -> Rig:
    device = FakeSerialDrawer()
    drawer = SerialCashDrawer(
        device.path,
        status_command=device.status_command,
        open_reply=b"O",
        closed_reply=b"C",
        timeout=0.5,
    )

    def shut() -> None:
        device.is_open = False

    def settle() -> None:
        device.wait_for_openings(1)

    return Rig(drawer, shut, device.unplug, settle, cleanup=[device.close])


@pytest.fixture(
    params=[_simulated, _simulated_printer, _escpos_printer, _serial],
    ids=lambda f: f.__name__[1:],
)
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    built: Rig = request.param()
    yield built
    for step in built.cleanup:
        step()


def test_it_is_a_cash_drawer(rig: Rig) -> None:
    assert isinstance(rig.drawer, CashDrawer)


def test_a_closed_drawer_reads_closed(rig: Rig) -> None:
    assert rig.drawer.is_open() is False


def test_open_opens_it_and_the_switch_says_so_until_it_is_shut(rig: Rig) -> None:
    rig.drawer.open()
    rig.settle()  # the fake device reads the bytes a moment after open() wrote them

    assert rig.drawer.is_open() is True
    rig.shut()
    assert rig.drawer.is_open() is False


def test_an_unreachable_drawer_raises_on_open_and_reads_unknown(rig: Rig) -> None:
    rig.unplug()

    finished, outcome = finishes(rig.drawer.open)
    assert finished
    assert isinstance(outcome, DrawerError)
    assert rig.drawer.is_open() is None
