"""The simulated scanner: codes are pushed in with :meth:`SimulatedScanner.inject`."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator

from omnipos_tui.core.errors import ScannerError
from omnipos_tui.core.ports import Scan


class SimulatedScanner:
    """A scanner for tests and the demo (the demo binds a key that injects a code).

    Args:
        prefix: Stripped from injected codes when present, like the real scanner.
        suffix: Stripped from injected codes when present.
    """

    def __init__(self, *, prefix: str = "", suffix: str = "") -> None:
        self.prefix = prefix
        self.suffix = suffix
        self._codes: deque[str] = deque()
        self._lock = threading.Lock()
        self._plugged = True
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    def inject(self, code: str) -> None:
        """Deliver a code as if scanned (safe from any thread)."""
        with self._lock:
            self._codes.append(code)
        self._poke()

    def unplug(self) -> None:
        """Pull the cable: ``connected()`` is False and injected codes wait."""
        self._plugged = False

    def plug(self) -> None:
        """Put the cable back; waiting codes arrive."""
        self._plugged = True
        self._poke()

    async def scans(self) -> AsyncGenerator[Scan, None]:
        """Injected codes until :meth:`close`.

        Raises:
            ScannerError: Never for the simulated scanner (it cannot be missing).
        """
        self._closed = False
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        while not self._closed:
            code = self._next()
            if code is None:
                await self._wake.wait()
                self._wake.clear()
                continue
            stripped = self._strip(code)
            if stripped:
                yield Scan(code=stripped, at=time.monotonic())

    def connected(self) -> bool:
        """Whether the simulated cable is in."""
        return self._plugged

    def close(self) -> None:
        """Stop the stream (safe from any thread)."""
        self._closed = True
        self._poke()

    def probe(self) -> str:
        """Whether the simulated cable is in.

        Raises:
            ScannerError: Unplugged.
        """
        if not self._plugged:
            raise ScannerError("simulated scanner is unplugged")
        return "simulated scanner"

    def _next(self) -> str | None:
        with self._lock:
            if self._plugged and self._codes:
                return self._codes.popleft()
        return None

    def _poke(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wake.set)

    def _strip(self, code: str) -> str:
        if self.prefix and code.startswith(self.prefix):
            code = code[len(self.prefix) :]
        if self.suffix and code.endswith(self.suffix):
            code = code[: -len(self.suffix)]
        return code
