"""Drawer settings and the serial drawer's edges."""

from __future__ import annotations

import pytest
from pty_devices import FakeSerialDrawer

from drivers.drawer import DEFAULT_OPEN, PrinterKickedDrawer, SerialCashDrawer, parse_hex
from drivers.printer import SimulatedReceiptPrinter
from omnipos_tui.core.errors import ConfigError, DrawerError


def test_hex_bytes_from_configuration_text() -> None:
    assert parse_hex("1B 70 00 19 FA") == DEFAULT_OPEN
    assert parse_hex("1b700019fa") == DEFAULT_OPEN
    assert parse_hex("07") == b"\x07"


def test_text_that_is_not_hex_is_refused_with_the_key_named() -> None:
    with pytest.raises(ConfigError, match="open_command"):
        parse_hex("ESC p", "open_command")


def test_a_status_command_needs_two_different_replies() -> None:
    with pytest.raises(ConfigError):
        SerialCashDrawer("/dev/ttyUSB0", status_command=b"\x1dr\x02", open_reply=b"O")
    with pytest.raises(ConfigError):
        SerialCashDrawer("/dev/ttyUSB0", open_command=b"")


def test_a_serial_drawer_without_a_status_command_cannot_tell() -> None:
    device = FakeSerialDrawer()
    try:
        drawer = SerialCashDrawer(device.path, timeout=0.5)
        drawer.open()
        assert device.wait_for_openings(1) == 1
        assert drawer.is_open() is None
        assert "switch not reported" in drawer.probe()
    finally:
        device.close()


def test_a_drawer_that_answers_nonsense_is_unknown() -> None:
    device = FakeSerialDrawer(open_reply=b"?", closed_reply=b"!")
    try:
        drawer = SerialCashDrawer(
            device.path,
            status_command=device.status_command,
            open_reply=b"O",
            closed_reply=b"C",
            timeout=0.3,
        )
        assert drawer.is_open() is None
    finally:
        device.close()


def test_a_missing_serial_drawer_names_its_port() -> None:
    drawer = SerialCashDrawer("/dev/ttyUSB97", timeout=0.3)

    with pytest.raises(DrawerError, match="/dev/ttyUSB97"):
        drawer.open()
    with pytest.raises(DrawerError, match="not found"):
        drawer.probe()


def test_a_drawer_kicked_through_the_printer_uses_its_configured_pin() -> None:
    printer = SimulatedReceiptPrinter(drawer_pin=5)
    drawer = PrinterKickedDrawer(printer)

    drawer.open()

    assert printer.drawer_kicks == 1
    assert "open" in drawer.probe()
    with pytest.raises(ConfigError):
        PrinterKickedDrawer(printer, pin=3)


def test_a_drawer_without_a_switch_wire_never_claims_to_know() -> None:
    printer = SimulatedReceiptPrinter()
    drawer = PrinterKickedDrawer(printer, has_sensor=False)

    drawer.open()

    assert printer.drawer_is_open
    assert drawer.is_open() is None
