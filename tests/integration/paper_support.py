"""The till with simulated paper devices, for the paper-after-money tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ledger_support import open_shop

from drivers.printer import SimulatedReceiptPrinter
from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.device_settings import DevicesSettings, device


def till_shop(
    tmp_path: Path,
    *,
    initialise: bool = True,
    clock: FixedClock | None = None,
    algorithm: str = "rsa-sha1",
) -> tuple[Services, FixedClock]:
    """The ledger test shop with a simulated printer, drawer and display (built fresh: a
    start of the till)."""
    services, clock = open_shop(tmp_path, initialise=initialise, clock=clock, algorithm=algorithm)
    settings = services.settings
    services.close()
    simulated = replace(
        settings,
        devices=DevicesSettings(
            printer=device("printer", "simulated"),
            drawer=device("drawer", "simulated"),
            terminal=device("terminal", "none"),
            scanner=device("scanner", "none"),
            display=device("display", "simulated"),
        ),
    )
    return build(simulated, clock=clock), clock


def receipt_printer(services: Services) -> SimulatedReceiptPrinter:
    printer = services.devices().printers["receipt"]
    assert isinstance(printer, SimulatedReceiptPrinter)
    return printer
