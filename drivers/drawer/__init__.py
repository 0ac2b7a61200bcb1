"""Cash drawers: kicked through a printer, on their own serial port, or simulated."""

from __future__ import annotations

from drivers.drawer.printer_drawer import DrawerKicker, PrinterKickedDrawer
from drivers.drawer.serial_drawer import DEFAULT_OPEN, SerialCashDrawer, parse_hex
from drivers.drawer.simulated import SimulatedCashDrawer

__all__ = [
    "DEFAULT_OPEN",
    "DrawerKicker",
    "PrinterKickedDrawer",
    "SerialCashDrawer",
    "SimulatedCashDrawer",
    "parse_hex",
]
