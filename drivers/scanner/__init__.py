"""Barcode scanners: a pure key-event decoder, the evdev scanner and the simulated one.

Nothing here imports evdev at import time; only opening a real device does.
"""

from __future__ import annotations

from drivers.scanner.decoder import KeyEvent, ScanDecoder
from drivers.scanner.evdev_scanner import EvdevScanner, InputSource
from drivers.scanner.simulated import SimulatedScanner

__all__ = ["EvdevScanner", "InputSource", "KeyEvent", "ScanDecoder", "SimulatedScanner"]
