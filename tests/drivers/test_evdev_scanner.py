"""EvdevScanner over a fake input device fed with synthetic evdev events: grab, decode,
unplug and replug, half scans, and the errors a technician sees."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncGenerator

import pytest
from fake_input import Clock, FakeInputBus, typed

from drivers.scanner import EvdevScanner
from omnipos_tui.core.errors import ScannerError
from omnipos_tui.core.ports import BarcodeScanner, Scan

PATH = "/dev/input/by-id/usb-Honeywell_Scanner-event-kbd"


def scanner(bus: FakeInputBus, device: str = PATH, **kwargs: object) -> EvdevScanner:
    return EvdevScanner(
        device,
        opener=bus.open,
        lister=bus.list,
        reopen_interval=0.02,
        **kwargs,  # type: ignore[arg-type]
    )


async def next_scan(stream: AsyncGenerator[Scan, None]) -> Scan:
    return await asyncio.wait_for(anext(stream), 10)


async def test_scans_arrive_whole_from_a_grabbed_device() -> None:
    bus = FakeInputBus()
    bus.plug(PATH)
    reader = scanner(bus)
    stream = reader.scans()
    first = asyncio.ensure_future(next_scan(stream))
    await asyncio.sleep(0)
    clock = Clock()
    device = bus.devices[PATH]
    device.push(typed("7038010009457", clock=clock) + typed("Abc-12", clock=clock))

    assert (await first).code == "7038010009457"
    assert (await next_scan(stream)).code == "Abc-12"
    assert device.grabbed
    assert isinstance(reader, BarcodeScanner)
    reader.close()
    await stream.aclose()
    assert device.closed and not device.grabbed


async def test_a_scanner_is_found_by_its_name() -> None:
    bus = FakeInputBus()
    bus.plug("/dev/input/event3", "AT Translated Set 2 keyboard")
    bus.plug("/dev/input/event7", "Datalogic Scanner")
    reader = scanner(bus, "Datalogic Scanner")
    stream = reader.scans()
    pending = asyncio.ensure_future(next_scan(stream))
    await asyncio.sleep(0.05)
    bus.devices["/dev/input/event7"].push(typed("123"))

    assert (await pending).code == "123"
    assert reader.connected()
    reader.close()
    await stream.aclose()
    assert not bus.devices["/dev/input/event3"].grabbed


async def test_an_unplugged_scanner_is_reopened_when_it_comes_back() -> None:
    bus = FakeInputBus()
    bus.plug(PATH)
    reader = scanner(bus)
    stream = reader.scans()
    pending = asyncio.ensure_future(next_scan(stream))
    await asyncio.sleep(0)
    bus.devices[PATH].push(typed("111"))
    assert (await pending).code == "111"

    waiting = asyncio.ensure_future(next_scan(stream))
    await asyncio.sleep(0.05)
    bus.unplug(PATH)
    await asyncio.sleep(0.1)
    assert not reader.connected()

    bus.plug(PATH)
    while not bus.devices[PATH].grabbed:
        await asyncio.sleep(0.01)
    assert reader.connected()
    bus.devices[PATH].push(typed("222"))

    assert (await waiting).code == "222"
    reader.close()
    await stream.aclose()


async def test_a_half_scan_is_dropped_when_the_scanner_goes_quiet() -> None:
    bus = FakeInputBus()
    bus.plug(PATH)
    reader = scanner(bus, partial_timeout=0.05)
    stream = reader.scans()
    pending = asyncio.ensure_future(next_scan(stream))
    await asyncio.sleep(0)
    clock = Clock()
    bus.devices[PATH].push(typed("70380", terminator=None, clock=clock))
    await asyncio.sleep(0.3)
    # The event times run on without a gap: only the silence on the device drops the half.
    bus.devices[PATH].push(typed("123", clock=clock))

    assert (await pending).code == "123"
    reader.close()
    await stream.aclose()


async def test_close_from_another_task_ends_the_stream() -> None:
    bus = FakeInputBus()
    bus.plug(PATH)
    reader = scanner(bus)

    async def collect() -> list[Scan]:
        return [scan async for scan in reader.scans()]

    task = asyncio.ensure_future(collect())
    await asyncio.sleep(0.05)
    reader.close()

    assert await asyncio.wait_for(task, 10) == []
    assert bus.devices[PATH].closed


async def test_a_missing_scanner_says_so_at_start() -> None:
    reader = scanner(FakeInputBus())

    with pytest.raises(ScannerError, match="not found"):
        await next_scan(reader.scans())
    assert not reader.connected()


async def test_no_permission_names_the_input_group() -> None:
    bus = FakeInputBus()
    bus.plug(PATH)
    bus.denied.add(PATH)

    with pytest.raises(ScannerError, match="'input' group"):
        await next_scan(scanner(bus).scans())


async def test_a_scanner_grabbed_by_another_program_is_reported() -> None:
    bus = FakeInputBus()
    bus.plug(PATH).grabbed_elsewhere = True

    with pytest.raises(ScannerError, match="grabbed by another program"):
        scanner(bus).probe()


async def test_an_unknown_device_name_is_reported_with_a_hint() -> None:
    bus = FakeInputBus()
    bus.plug("/dev/input/event3", "AT Translated Set 2 keyboard")

    with pytest.raises(ScannerError, match="no input device is named"):
        scanner(bus, "Zebra DS2208").probe()


def test_probe_opens_and_releases_the_scanner() -> None:
    bus = FakeInputBus()
    bus.plug(PATH)

    assert "Generic USB Barcode Scanner" in scanner(bus).probe()
    assert bus.devices[PATH].closed


def test_the_package_imports_and_explains_itself_without_evdev() -> None:
    script = (
        "import sys; sys.modules['evdev'] = None\n"
        "from drivers.scanner import EvdevScanner\n"
        "from omnipos_tui.core.errors import ScannerError\n"
        "try:\n"
        "    EvdevScanner('/dev/input/event0').probe()\n"
        "except ScannerError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60
    )

    assert "hardware" in result.stdout, result.stderr
