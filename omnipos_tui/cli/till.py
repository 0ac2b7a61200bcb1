"""``omnipos till``: the full-screen keyboard till (no Typer here: the console script starts
a plain ``omnipos till`` without building the whole command line, see ``cli.main``).

The till writes its log to ``<data_dir>/logs/till.log`` (rotated), never to the terminal it
draws on. The program start and stop are journaled (13001/13002); the employee logged in
when the program ends is logged out (13004); an open sale stays stored for the next log-in.
"""

from __future__ import annotations

import gc
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from omnipos_tui.cli.state import CliState
from omnipos_tui.core.errors import InvalidInput, PosError

LOG_BYTES = 1_000_000
LOG_FILES = 5
#: How often Python's threads may take turns (the default is 5 ms). Textual stamps each key
#: in its input thread; a keyboard-wedge scanner sends a key every 2 ms, and a stamp held
#: back while the screen thread runs looks like a pause in the scan (scripts/bench till).
SWITCH_INTERVAL_S = 0.0005
#: Textual's frame cap (its default is 60): a changed screen waits for the next frame, so a
#: scan's line and total reach the screen up to 1/60 s = 16.7 ms after they are ready. At
#: 120 the wait is at most 8.3 ms (scripts/bench till: scan p99 ~16 -> ~10 ms). Frames are
#: drawn only when something changed, so an idle till costs nothing. TEXTUAL_FPS in the
#: environment still wins.
TILL_FPS = 120


def use_till_frame_rate() -> None:
    """Set Textual's frame cap for the till; call before Textual is first imported."""
    os.environ.setdefault("TEXTUAL_FPS", str(TILL_FPS))


def run_till(current: CliState, register: str | None) -> None:
    """Run the till until it is left from the lock screen (``omnipos till``).

    Args:
        current: The global options of this run.
        register: ``--register``: the register this till is (default: shop.register_id).

    Raises:
        PosError: No shop yet, the configuration or the database cannot be used.
    """
    use_till_frame_rate()
    from omnipos_tui.ui.wiring import build_till  # Textual loads only for this command

    settings = current.settings
    log_to_file(settings.data_dir / "logs" / "till.log")
    services = current.services
    built = build_till(services, register_id=register)
    built.app.freeze_heap_at_log_in = True  # no full collector passes over start-up objects
    built.app.collector_paused_until_shown = not gc.isenabled()  # see cli.main
    if settings.devices.scanner.kind == "wedge":
        sys.setswitchinterval(SWITCH_INTERVAL_S)
    register_id = built.session.register_id
    if not services.setup.is_initialised():
        raise InvalidInput(
            f"no shop in {settings.data_dir}: run `omnipos init` (or `omnipos init --demo`) first"
        )
    services.register.start(register_id)
    try:
        built.app.run()
    finally:
        try:
            employee = built.session.employee
            if employee is not None:
                services.register.log_out(register_id, employee.number)
            services.register.stop(register_id)
        except PosError as error:
            logging.getLogger(__name__).error("till stop not journaled: %s", error)
        current.close()


def log_to_file(path: Path) -> None:
    """Send every log record to a rotating file (and none to the terminal).

    Raises:
        InvalidInput: The log folder cannot be created.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(f"log folder {path.parent} cannot be created: {error}") from error
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_FILES, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
