"""A USB barcode scanner read through evdev, grabbed so scans never reach the console.

evdev is imported only when a real device is opened, so this package imports on machines
without it (macOS, a box without the ``hardware`` extra).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from typing import Protocol

from drivers.scanner.decoder import KeyEvent, ScanDecoder
from omnipos_tui.core.errors import ScannerError
from omnipos_tui.core.ports import Scan

log = logging.getLogger(__name__)

_PERMISSION_HINT = (
    "add the till user to the 'input' group (sudo usermod -aG input USER, then log in again) "
    "or install the udev rule from the README"
)


class InputSource(Protocol):
    """What the scanner needs from an input device (``evdev.InputDevice`` has it)."""

    @property
    def path(self) -> str | bytes: ...

    @property
    def name(self) -> str: ...

    def fileno(self) -> int: ...

    def read(self) -> Iterable[KeyEvent]: ...

    def grab(self) -> None: ...

    def ungrab(self) -> None: ...

    def close(self) -> None: ...


Opener = Callable[[str], InputSource]
Lister = Callable[[], list[str]]


def _evdev_open(path: str) -> InputSource:
    try:
        import evdev
    except ImportError as exc:
        raise ScannerError(
            "python-evdev is not installed: install OmniPOS with the 'hardware' extra, or use "
            "the scanner as a keyboard wedge"
        ) from exc
    device: InputSource = evdev.InputDevice(path)
    return device


def _evdev_list() -> list[str]:
    try:
        import evdev
    except ImportError:
        return []
    return list(evdev.list_devices())


class EvdevScanner:
    """Implements :class:`~omnipos_tui.core.ports.BarcodeScanner` on a Linux input device.

    Args:
        device: A path (``/dev/input/by-id/usb-...-event-kbd``, stable across reboots) or
            the device's name as ``evtest`` shows it ("Honeywell Imaging ... Scanner").
        layout: The scanner's keyboard layout: "us" (recommended) or "no".
        terminators: Keys that end a code: "enter", "kpenter", "tab".
        prefix: Stripped from each code when present.
        suffix: Stripped from each code when present.
        partial_timeout: Seconds of silence after which a half code is dropped.
        grab: Take the device exclusively (scans then never reach the console or a widget).
        reopen_interval: Seconds between tries to reopen an unplugged scanner.
        opener: Opens a device path (``evdev.InputDevice`` by default; tests pass a fake).
        lister: Lists device paths for finding one by name (``evdev.list_devices``).

    Raises:
        ConfigError: Unknown layout or terminator.
    """

    def __init__(
        self,
        device: str,
        *,
        layout: str = "us",
        terminators: tuple[str, ...] = ("enter", "kpenter", "tab"),
        prefix: str = "",
        suffix: str = "",
        partial_timeout: float = 0.5,
        grab: bool = True,
        reopen_interval: float = 1.0,
        opener: Opener | None = None,
        lister: Lister | None = None,
    ) -> None:
        self.device = device
        self.grab = grab
        self.reopen_interval = reopen_interval
        self.partial_timeout = partial_timeout
        self._decoder = ScanDecoder(
            layout=layout,
            terminators=terminators,
            prefix=prefix,
            suffix=suffix,
            partial_timeout=partial_timeout,
        )
        self._opener = opener or _evdev_open
        self._lister = lister or _evdev_list
        self._source: InputSource | None = None
        self._closed = False
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- the port ----------------------------------------------------------------------

    async def scans(self) -> AsyncGenerator[Scan, None]:
        """Scans as they arrive until :meth:`close`; an unplugged scanner is reopened.

        Raises:
            ScannerError: The scanner cannot be opened the first time (missing, no
                permission, grabbed by another program).
        """
        self._closed = False
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        first = True
        while not self._closed:
            try:
                source = self._open()
            except ScannerError as exc:
                if first:
                    raise
                log.debug("scanner not back yet: %s", exc)
                await self._pause(self.reopen_interval)
                continue
            if not first:
                log.info("scanner %s is back", self.device)
            first = False
            try:
                async for scan in self._read(source):
                    yield scan
            finally:
                self._release(source)
            if not self._closed:
                log.warning("scanner %s was unplugged; waiting for it to come back", self.device)
                await self._pause(self.reopen_interval)

    def connected(self) -> bool:
        """Whether the scanner is open now, or (when not reading) can be opened. Never raises."""
        if self._source is not None:
            return True
        if not self.device.startswith("/"):
            return any(self._name_matches(path) for path in self._lister())
        try:
            self._opener(self.device).close()
        except (OSError, ScannerError):
            return False
        return True

    def close(self) -> None:
        """Stop reading and release the device (safe from any thread)."""
        self._closed = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wake.set)

    def probe(self) -> str:
        """Open and release the scanner once (for ``omnipos doctor``).

        Raises:
            ScannerError: Missing, no permission or grabbed by another program.
        """
        source = self._open()
        name, path = source.name, source.path
        self._release(source)
        shown = path.decode(errors="replace") if isinstance(path, bytes) else path
        return f"scanner {name!r} at {shown}"

    # --- internals ---------------------------------------------------------------------

    def _open(self) -> InputSource:
        path = self.device if self.device.startswith("/") else self._find_by_name()
        try:
            source = self._opener(path)
        except PermissionError as exc:
            raise ScannerError(
                f"no permission to read the scanner {path}: {_PERMISSION_HINT}"
            ) from exc
        except OSError as exc:
            raise ScannerError(
                f"scanner {path} not found: check the cable and the configured device "
                f"(ls /dev/input/by-id/)"
            ) from exc
        if self.grab:
            try:
                source.grab()
            except OSError as exc:
                source.close()
                if exc.errno == errno.EBUSY:
                    raise ScannerError(
                        f"scanner {path} is grabbed by another program (another till running?)"
                    ) from exc
                raise ScannerError(f"scanner {path} cannot be grabbed: {exc}") from exc
        self._source = source
        self._decoder.reset()
        return source

    def _name_matches(self, path: str) -> bool:
        try:
            source = self._opener(path)
        except OSError:
            return False
        try:
            return source.name == self.device
        finally:
            source.close()

    def _find_by_name(self) -> str:
        for path in self._lister():
            if self._name_matches(path):
                return path
        raise ScannerError(
            f"no input device is named {self.device!r}; list them with 'omnipos hw scanner-listen' "
            f"or evtest, or configure the /dev/input/by-id path"
        )

    def _release(self, source: InputSource) -> None:
        self._source = None
        for step in (source.ungrab, source.close) if self.grab else (source.close,):
            try:
                step()
            except OSError as exc:
                log.debug("releasing scanner: %s", exc)

    async def _pause(self, seconds: float) -> None:
        assert self._wake is not None
        if not self._closed:
            self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            return

    async def _read(self, source: InputSource) -> AsyncIterator[Scan]:
        assert self._loop is not None and self._wake is not None
        ready = self._wake
        fd = source.fileno()
        self._loop.add_reader(fd, ready.set)
        last_key = time.monotonic()
        try:
            while not self._closed:
                try:
                    await asyncio.wait_for(ready.wait(), self.partial_timeout)
                except TimeoutError:
                    if self._decoder.partial and time.monotonic() - last_key > self.partial_timeout:
                        self._decoder.reset()
                    continue
                ready.clear()
                if self._closed:
                    return
                try:
                    events = list(source.read())
                except BlockingIOError:
                    continue
                except OSError as exc:
                    log.debug("scanner read failed: %s", exc)
                    return
                last_key = time.monotonic()
                for event in events:
                    code = self._decoder.feed(event)
                    if code is not None:
                        yield Scan(code=code, at=time.monotonic())
        finally:
            self._loop.remove_reader(fd)
