"""``omnipos till``: the full-screen keyboard till (no Typer here: the console script starts
a plain ``omnipos till`` without building the whole command line; the start-up tuning it
applies is in :mod:`omnipos_tui.startup`).

The till writes its log to ``<data_dir>/logs/till.log`` (rotated), never to the terminal it
draws on. The program start and stop are journaled (13001/13002); the employee logged in
when the program ends is logged out (13004); an open sale stays stored for the next log-in.
A till started while its PostgreSQL server is away says so and waits for it
(:func:`wait_for_database`).
"""

from __future__ import annotations

import logging
import logging.handlers
import time
from collections.abc import Callable
from pathlib import Path

from omnipos_tui import startup
from omnipos_tui.cli.state import CliState
from omnipos_tui.core.database_admin import DatabaseAdmin
from omnipos_tui.core.errors import InvalidInput, Message, PosError
from omnipos_tui.messages import render

LOG_BYTES = 1_000_000
LOG_FILES = 5


def run_till(current: CliState, register: str | None) -> None:
    """Run the till until it is left from the lock screen (``omnipos till``).

    Args:
        current: The global options of this run.
        register: ``--register``: the register this till is (default: shop.register_id).

    Raises:
        PosError: No shop yet, the configuration or the database cannot be used.
    """
    startup.use_till_frame_rate()
    from omnipos_tui.ui.wiring import build_till  # Textual loads only for this command

    settings = current.settings
    log_to_file(settings.data_dir / "logs" / "till.log")
    services = current.services
    wait_for_database(services.database, settings.shop.language)
    built = build_till(services, register_id=register)
    built.app.freeze_heap_at_log_in = True  # startup.freeze_heap at the first log-in
    built.app.collector_paused_until_shown = startup.collector_paused()  # see cli.main
    if settings.devices.scanner.kind == "wedge":
        startup.use_wedge_switch_interval()
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


def wait_for_database(
    database: DatabaseAdmin,
    language: str,
    *,
    say: Callable[[str], None] = print,
    pause_s: float = 2.0,
) -> None:
    """A till started while its PostgreSQL server is away waits for it (a shop's tills are
    often switched on before the back-office machine): it says so once, asks again every
    ``pause_s`` and returns as soon as the server answers. A server that answers but
    refuses the till, or an SQLite file, is left to the start-up's own error."""
    if database.engine != "postgresql":
        return
    health = database.health()
    if health.ok or health.refused:
        return
    say(render(Message("database.waiting", detail=health.detail), language))
    while not (health.ok or health.refused):
        time.sleep(pause_s)
        health = database.health()


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
