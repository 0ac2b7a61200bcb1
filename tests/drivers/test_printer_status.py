"""Real-time status bytes (DLE EOT n) read as printer states, with silence as unknown."""

from __future__ import annotations

import pytest

from drivers.printer.status import drawer_open, printer_state, valid_reply
from omnipos_tui.core.ports import PrinterState


def test_an_empty_reply_is_unknown_never_ready() -> None:
    assert printer_state(b"") is PrinterState.UNKNOWN
    assert printer_state(b"", b"\x12", b"\x12") is PrinterState.UNKNOWN


def test_a_reply_with_wrong_fixed_bits_counts_as_no_reply() -> None:
    assert valid_reply(b"\x00") is None
    assert valid_reply(b"\xff") is None
    assert valid_reply(b"\x12\x12") is None
    assert printer_state(b"\x10\x04\x01") is PrinterState.UNKNOWN


@pytest.mark.parametrize(
    ("printer", "offline", "paper", "state"),
    [
        (b"\x12", b"\x12", b"\x12", PrinterState.READY),
        (b"\x12", b"", b"", PrinterState.READY),
        (b"\x12", b"\x12", b"\x1e", PrinterState.PAPER_LOW),
        (b"\x1a", b"\x32", b"\x72", PrinterState.PAPER_OUT),
        (b"\x1a", b"\x32", b"", PrinterState.PAPER_OUT),
        (b"\x1a", b"\x16", b"\x12", PrinterState.COVER_OPEN),
        (b"\x1a", b"\x12", b"\x12", PrinterState.OFFLINE),
    ],
)
def test_status_bytes_map_to_the_printer_state(
    printer: bytes, offline: bytes, paper: bytes, state: PrinterState
) -> None:
    assert printer_state(printer, offline, paper) is state


def test_paper_low_still_prints_and_paper_out_does_not() -> None:
    assert PrinterState.PAPER_LOW.can_print
    assert not PrinterState.PAPER_OUT.can_print
    assert not PrinterState.UNKNOWN.can_print


def test_drawer_switch_is_bit_2_of_the_printer_status_wired_either_way() -> None:
    assert drawer_open(b"\x16") is True
    assert drawer_open(b"\x12") is False
    assert drawer_open(b"\x16", open_when_high=False) is False
    assert drawer_open(b"\x12", open_when_high=False) is True
    assert drawer_open(b"") is None
