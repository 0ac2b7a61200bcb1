"""Real-time status (``DLE EOT n``) requests and replies, as pure functions.

Every reply is one byte whose bits 0, 1, 4 and 7 are fixed (``0xx1 0x10``); a reply without
that pattern is noise (an echo, a stale byte) and counts as no reply. No reply is
:attr:`PrinterState.UNKNOWN`, never "ready": python-escpos's ``paper_status()`` says "paper
OK" when the printer is silent, which is exactly the trap this module avoids.
"""

from __future__ import annotations

from omnipos_tui.core.errors import CoverOpen, PaperOut, PrinterOffline
from omnipos_tui.core.ports import PrinterState

#: ``DLE EOT 1``: printer status (bit 2 drawer connector pin 3, bit 3 offline).
PRINTER_STATUS = b"\x10\x04\x01"
#: ``DLE EOT 2``: offline cause (bit 2 cover open, bit 5 stopped for paper end, bit 6 error).
OFFLINE_CAUSE = b"\x10\x04\x02"
#: ``DLE EOT 4``: paper roll sensor (bits 2-3 near end, bits 5-6 paper end).
PAPER_SENSOR = b"\x10\x04\x04"

_FIXED_MASK = 0x93
_FIXED_BITS = 0x12


def valid_reply(reply: bytes) -> int | None:
    """The status byte of a one-byte reply with the fixed bits right, else None."""
    if len(reply) != 1:
        return None
    value = reply[0]
    return value if value & _FIXED_MASK == _FIXED_BITS else None


def printer_state(printer: bytes, offline: bytes = b"", paper: bytes = b"") -> PrinterState:
    """The printer's state from its replies to ``DLE EOT 1``, ``2`` and ``4``.

    Args:
        printer: Reply to ``DLE EOT 1``; empty or malformed means the printer did not answer.
        offline: Reply to ``DLE EOT 2`` (may be empty).
        paper: Reply to ``DLE EOT 4`` (may be empty).

    Returns:
        The state; ``UNKNOWN`` when the first reply is missing or malformed.
    """
    status = valid_reply(printer)
    if status is None:
        return PrinterState.UNKNOWN
    cause = valid_reply(offline)
    roll = valid_reply(paper)
    if cause is not None and cause & 0x04:
        return PrinterState.COVER_OPEN
    if (roll is not None and roll & 0x60) or (cause is not None and cause & 0x20):
        return PrinterState.PAPER_OUT
    if status & 0x08:
        return PrinterState.OFFLINE
    if roll is not None and roll & 0x0C:
        return PrinterState.PAPER_LOW
    return PrinterState.READY


def drawer_open(printer: bytes, *, open_when_high: bool = True) -> bool | None:
    """Whether the drawer is open, from the reply to ``DLE EOT 1`` (bit 2, connector pin 3).

    Args:
        printer: The reply; empty or malformed gives None.
        open_when_high: True when the drawer's switch pulls pin 3 high while open (most
            Epson-compatible drawers); False for drawers wired the other way.
    """
    status = valid_reply(printer)
    if status is None:
        return None
    high = bool(status & 0x04)
    return high if open_when_high else not high


def describe_state(name: str, where: str, state: PrinterState) -> str:
    """A probe's text for a state, or the error a technician should see.

    Raises:
        PrinterOffline: The state is offline.
        PaperOut: The state is paper out.
        CoverOpen: The state is cover open.
    """
    if state is PrinterState.OFFLINE:
        raise PrinterOffline(f"printer {name!r} ({where}) reports itself offline")
    if state is PrinterState.PAPER_OUT:
        raise PaperOut(f"printer {name!r} ({where}) is out of paper: load a new roll")
    if state is PrinterState.COVER_OPEN:
        raise CoverOpen(f"printer {name!r} ({where}) has its cover open: close it")
    if state is PrinterState.UNKNOWN:
        return f"printer {name!r} ({where}) takes data but does not report its status"
    return f"printer {name!r} ({where}) is {state.value.replace('_', ' ')}"
