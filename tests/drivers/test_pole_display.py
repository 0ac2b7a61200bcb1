"""Pole display bytes and the serial display's recovery."""

from __future__ import annotations

import pytest
from pty_devices import FakePoleDisplay

from drivers.display import SerialPoleDisplay
from drivers.display.pole_codec import fit, init_bytes, show_bytes
from omnipos_tui.core.errors import ConfigError, DisplayError


def test_init_resets_sets_overwrite_mode_hides_the_cursor_and_pins_cp865() -> None:
    assert init_bytes() == b"\x1b@\x1f\x01\x1fC\x00\x1bt\x05"
    assert init_bytes("CP858")[-3:] == b"\x1bt\x13"


def test_show_writes_both_lines_in_place_in_the_code_page() -> None:
    data = show_bytes("Øl", "Sum 29,90", 20)

    assert data == b"\x1f$\x01\x01" + b"\x9dl" + b" " * 18 + b"\x1f$\x01\x02Sum 29,90" + b" " * 11


def test_the_euro_sign_survives_only_in_cp858() -> None:
    assert fit("10 €", 8, "CP858") == "10 €    "
    assert fit("10 €", 8, "CP865") == "10 EUR  "


def test_an_unknown_code_page_is_refused() -> None:
    with pytest.raises(ConfigError):
        SerialPoleDisplay("/dev/ttyUSB0", code_page="UTF-8")


def test_the_emulated_display_understood_every_byte() -> None:
    device = FakePoleDisplay()
    display = SerialPoleDisplay(device.path)
    try:
        display.show("Takk for handelen!", "Velkommen igjen")
        display.clear()
        display.show("Vekslepenger", "20,00")
        assert device.text() == ("Vekslepenger        ", "20,00               ")
        assert device.errors == []
    finally:
        display.close()
        device.close()


def test_a_display_that_was_missing_is_reopened_when_it_is_back() -> None:
    device = FakePoleDisplay()
    path = device.path
    device.close()
    display = SerialPoleDisplay(path, timeout=0.3)

    with pytest.raises(DisplayError, match="not found"):
        display.probe()

    back = FakePoleDisplay()
    display.port = back.path
    try:
        assert "customer display" in display.probe()
        display.show("Hei", "")
        assert back.text()[0].startswith("Hei")
    finally:
        display.close()
        back.close()
