"""Card terminals: Concert V2 (integrated), manual (stand-alone) and simulated, plus a
Concert V2 simulator server."""

from __future__ import annotations

from drivers.terminal.concert import ConcertCardTerminal
from drivers.terminal.manual import ManualCardRequest, ManualCardTerminal, ManualKind
from drivers.terminal.simulated import Outcome, Scripted, SimulatedCardTerminal, parse_script
from drivers.terminal.simulator_server import ConcertTerminalSimulator, run_terminal_simulator

__all__ = [
    "ConcertCardTerminal",
    "ConcertTerminalSimulator",
    "ManualCardRequest",
    "ManualCardTerminal",
    "ManualKind",
    "Outcome",
    "Scripted",
    "SimulatedCardTerminal",
    "parse_script",
    "run_terminal_simulator",
]
