"""The BarcodeScanner contract, run against the simulated scanner and the evdev scanner fed
with synthetic input events."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "drivers"))
from fake_input import Clock, FakeInputBus, typed

from drivers.scanner import EvdevScanner, SimulatedScanner
from omnipos_tui.core.ports import BarcodeScanner, Scan

PATH = "/dev/input/by-id/usb-Scanner-event-kbd"


@dataclass
class Rig:
    """A scanner under test and how to make it scan, lose and regain its cable."""

    scanner: SimulatedScanner | EvdevScanner
    deliver: Callable[[str], None]
    unplug: Callable[[], None]
    plug: Callable[[], None]


def _simulated() -> Rig:
    sim = SimulatedScanner(prefix="]E0")
    return Rig(sim, sim.inject, sim.unplug, sim.plug)


def _evdev() -> Rig:
    bus = FakeInputBus()
    bus.plug(PATH)
    clock = Clock()
    reader = EvdevScanner(
        PATH, prefix="]E0", opener=bus.open, lister=bus.list, reopen_interval=0.02
    )

    def deliver(code: str) -> None:
        bus.devices[PATH].push(typed(code, clock=clock))

    def plug() -> None:
        bus.plug(PATH)

    return Rig(reader, deliver, lambda: bus.unplug(PATH), plug)


@pytest.fixture(params=[_simulated, _evdev], ids=lambda f: f.__name__[1:])
def rig(request: pytest.FixtureRequest) -> Rig:
    built: Rig = request.param()
    return built


async def until(condition: Callable[[], bool], patience: float = 30.0) -> bool:
    """Whether ``condition`` comes true within ``patience`` seconds (a generous bound: the
    test waits for what happens, it does not time it)."""
    deadline = asyncio.get_running_loop().time() + patience
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def started(rig: Rig) -> AsyncGenerator[Scan, None]:
    stream = rig.scanner.scans()
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.02)
    rig.deliver("0")
    assert (await asyncio.wait_for(first, 10)).code == "0"
    return stream


async def test_it_is_a_barcode_scanner(rig: Rig) -> None:
    assert isinstance(rig.scanner, BarcodeScanner)
    assert rig.scanner.connected()


async def test_codes_arrive_whole_and_in_order_with_the_prefix_stripped(rig: Rig) -> None:
    stream = await started(rig)

    rig.deliver("]E07038010009457")
    rig.deliver("96385074")
    got = [(await asyncio.wait_for(anext(stream), 10)) for _ in range(2)]

    assert [scan.code for scan in got] == ["7038010009457", "96385074"]
    assert got[0].at <= got[1].at
    rig.scanner.close()
    await stream.aclose()


async def test_close_ends_the_stream(rig: Rig) -> None:
    stream = await started(rig)
    rest = asyncio.ensure_future(anext(stream, None))
    await asyncio.sleep(0.02)

    rig.scanner.close()

    assert await asyncio.wait_for(rest, 10) is None


async def test_connected_follows_the_cable_and_scans_resume_after_replug(rig: Rig) -> None:
    stream = await started(rig)
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.02)

    rig.unplug()
    assert await until(lambda: not rig.scanner.connected()), "the unplug was never seen"
    rig.plug()
    assert await until(rig.scanner.connected), "the replug was never seen"
    await asyncio.sleep(0.05)
    rig.deliver("42")

    assert (await asyncio.wait_for(waiting, 10)).code == "42"
    rig.scanner.close()
    await stream.aclose()
