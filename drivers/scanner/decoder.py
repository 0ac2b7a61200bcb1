"""Key events to barcodes: a pure decoder, fed one input event at a time."""

from __future__ import annotations

import logging
from typing import Protocol

from drivers.scanner import keymaps
from drivers.scanner.keymaps import ALTGR, EV_KEY, SHIFTS, terminator_codes

log = logging.getLogger(__name__)

_DOWN, _UP = 1, 0


class KeyEvent(Protocol):
    """What the decoder reads from an event (``evdev.InputEvent`` has all of it)."""

    type: int
    code: int
    value: int

    def timestamp(self) -> float: ...


class ScanDecoder:
    """Builds codes from key-down events, tracking shift and AltGr, until a terminator.

    Auto-repeat (value 2) and key-up events type nothing. A gap longer than
    ``partial_timeout`` between two keys drops what was collected: a scanner types a code
    in milliseconds, so a long gap means a half scan (or a person), not one barcode.

    Args:
        layout: "us" or "no": must match the scanner's configured keyboard layout.
        terminators: Which keys end a code: "enter", "kpenter", "tab".
        prefix: Stripped from the start of a code when present.
        suffix: Stripped from the end of a code when present.
        partial_timeout: Seconds between two keys after which a partial code is dropped.

    Raises:
        ConfigError: Unknown layout or terminator.
    """

    def __init__(
        self,
        *,
        layout: str = "us",
        terminators: tuple[str, ...] = ("enter", "kpenter", "tab"),
        prefix: str = "",
        suffix: str = "",
        partial_timeout: float = 0.5,
    ) -> None:
        self._layout = keymaps.layout(layout)
        self._terminators = terminator_codes(terminators)
        self.prefix = prefix
        self.suffix = suffix
        self.partial_timeout = partial_timeout
        self._buffer: list[str] = []
        self._shift: set[int] = set()
        self._altgr = False
        self._last: float | None = None
        self.dropped = 0

    @property
    def partial(self) -> str:
        """What has been collected since the last terminator."""
        return "".join(self._buffer)

    def reset(self) -> None:
        """Drop a partial code (counted in ``dropped``)."""
        if self._buffer:
            self.dropped += 1
            log.info("scanner: dropped a partial scan of %d characters", len(self._buffer))
        self._buffer.clear()

    def feed(self, event: KeyEvent) -> str | None:
        """Take one event; return a finished code when it was the terminator."""
        if event.type != EV_KEY:
            return None
        code, value = event.code, event.value
        if code in SHIFTS:
            if value == _DOWN:
                self._shift.add(code)
            elif value == _UP:
                self._shift.discard(code)
            return None
        if code == ALTGR:
            if value in (_DOWN, _UP):
                self._altgr = value == _DOWN
            return None
        if value != _DOWN:
            return None
        now = event.timestamp()
        if self._buffer and self._last is not None and now - self._last > self.partial_timeout:
            self.reset()
        self._last = now
        if code in self._terminators:
            text = "".join(self._buffer)
            self._buffer.clear()
            return self._strip(text) or None
        char = self._layout.char(code, shift=bool(self._shift), altgr=self._altgr)
        if char is None:
            log.debug("scanner: key %d types nothing in layout %s", code, self._layout.name)
        else:
            self._buffer.append(char)
        return None

    def _strip(self, text: str) -> str:
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix) :]
        if self.suffix and text.endswith(self.suffix):
            text = text[: -len(self.suffix)]
        return text
