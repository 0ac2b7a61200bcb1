"""Customer displays: a 2x20 serial pole display and its simulated twin."""

from __future__ import annotations

from drivers.display.serial_display import SerialPoleDisplay
from drivers.display.simulated import SimulatedCustomerDisplay

__all__ = ["SerialPoleDisplay", "SimulatedCustomerDisplay"]
