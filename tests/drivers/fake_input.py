"""Synthetic evdev input for scanner tests: real ``evdev.InputEvent`` objects, and a fake
input device whose readiness is a real pipe, so the asyncio reader path is the real one.

These machines have no /dev/input; the events are what a USB scanner in keyboard mode
sends: per character ``MSC_SCAN``, ``KEY`` down, ``SYN``, ``KEY`` up, ``SYN``, with
``KEY_LEFTSHIFT`` around shifted characters, then the terminator.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections import deque
from collections.abc import Iterator

from evdev import InputEvent, ecodes

# An independent table (not the driver's) of which key and shift make each character.
_US_SHIFTED = dict(zip("!@#$%^&*()", "1234567890", strict=True))
_NO_KEYS = {
    "ø": ("KEY_SEMICOLON", False),
    "Ø": ("KEY_SEMICOLON", True),
    "æ": ("KEY_APOSTROPHE", False),
    "Æ": ("KEY_APOSTROPHE", True),
    "å": ("KEY_LEFTBRACE", False),
    "Å": ("KEY_LEFTBRACE", True),
    "-": ("KEY_SLASH", False),
    "+": ("KEY_MINUS", False),
    "/": ("KEY_7", True),
}
_US_KEYS = {
    "-": ("KEY_MINUS", False),
    "+": ("KEY_EQUAL", True),
    "/": ("KEY_SLASH", False),
    "]": ("KEY_RIGHTBRACE", False),
}


def _key_for(char: str, layout: str) -> tuple[int, bool]:
    table = _NO_KEYS if layout == "no" else _US_KEYS
    if char in table:
        name, shift = table[char]
        return ecodes.ecodes[name], shift
    if char.isdigit():
        return ecodes.ecodes[f"KEY_{char}"], False
    if char.isalpha() and char.isascii():
        return ecodes.ecodes[f"KEY_{char.upper()}"], char.isupper()
    if layout == "us" and char in _US_SHIFTED:
        return ecodes.ecodes[f"KEY_{_US_SHIFTED[char]}"], True
    raise ValueError(f"no key for {char!r} in layout {layout}")


class Clock:
    """Event timestamps that advance by ``step`` seconds per event."""

    def __init__(self, start: float = 1_700_000_000.0, step: float = 0.002) -> None:
        self.now = start
        self.step = step

    def tick(self, seconds: float | None = None) -> tuple[int, int]:
        self.now += self.step if seconds is None else seconds
        sec = int(self.now)
        return sec, round((self.now - sec) * 1_000_000)


def key(clock: Clock, code: int, value: int) -> list[InputEvent]:
    sec, usec = clock.tick()
    return [
        InputEvent(sec, usec, ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70000 + code),
        InputEvent(sec, usec, ecodes.EV_KEY, code, value),
        InputEvent(sec, usec, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
    ]


def typed(
    text: str,
    *,
    layout: str = "us",
    terminator: str | None = "KEY_ENTER",
    clock: Clock | None = None,
    repeat: bool = False,
) -> list[InputEvent]:
    """The events a scanner sends for ``text`` and a terminator.

    Args:
        repeat: Add an auto-repeat event (value 2) after every key-down, as a held key would.
    """
    clock = clock or Clock()
    events: list[InputEvent] = []
    for char in text:
        code, shift = _key_for(char, layout)
        if shift:
            events += key(clock, ecodes.KEY_LEFTSHIFT, 1)
        events += key(clock, code, 1)
        if repeat:
            events += key(clock, code, 2)
        events += key(clock, code, 0)
        if shift:
            events += key(clock, ecodes.KEY_LEFTSHIFT, 0)
    if terminator is not None:
        code = ecodes.ecodes[terminator]
        events += key(clock, code, 1) + key(clock, code, 0)
    return events


class FakeInputDevice:
    """An input device fed by the test; ``fileno()`` is a real pipe so asyncio can wait on it."""

    def __init__(self, path: str, name: str) -> None:
        self.path = path
        self.name = name
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        self._queue: deque[InputEvent] = deque()
        self.grabbed = False
        self.grabbed_elsewhere = False
        self.unplugged = False
        self.closed = False

    def fileno(self) -> int:
        return self._read_fd

    def push(self, events: list[InputEvent]) -> None:
        self._queue.extend(events)
        os.write(self._write_fd, b"x")

    def unplug(self) -> None:
        self.unplugged = True
        os.write(self._write_fd, b"x")

    def read(self) -> Iterator[InputEvent]:
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device")
        with contextlib.suppress(BlockingIOError):
            os.read(self._read_fd, 4096)
        if not self._queue:
            raise BlockingIOError(errno.EAGAIN, "no events")
        events = list(self._queue)
        self._queue.clear()
        return iter(events)

    def grab(self) -> None:
        if self.grabbed_elsewhere:
            raise OSError(errno.EBUSY, "Device or resource busy")
        self.grabbed = True

    def ungrab(self) -> None:
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device")
        self.grabbed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._read_fd)
            os.close(self._write_fd)


class FakeInputBus:
    """The /dev/input of a test: devices come and go by path."""

    def __init__(self) -> None:
        self.devices: dict[str, FakeInputDevice] = {}
        self.opened: list[FakeInputDevice] = []
        self.denied: set[str] = set()

    def plug(self, path: str, name: str = "Generic USB Barcode Scanner") -> FakeInputDevice:
        device = FakeInputDevice(path, name)
        self.devices[path] = device
        return device

    def unplug(self, path: str) -> None:
        self.devices.pop(path).unplug()

    def open(self, path: str) -> FakeInputDevice:
        if path in self.denied:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        if path not in self.devices:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        device = self.devices[path]
        if device.closed:
            # Each open of a real device is a new file descriptor.
            fresh = FakeInputDevice(path, device.name)
            fresh.grabbed_elsewhere = device.grabbed_elsewhere
            self.devices[path] = device = fresh
        self.opened.append(device)
        return device

    def list(self) -> list[str]:
        return sorted(self.devices)
