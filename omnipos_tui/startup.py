"""The till's start-up tuning, in one place: what keeps ``omnipos till`` showing its log-in
screen within a second and its scans on screen within a frame.

Each trick is here with the measurement that justified it; the places that use them only
call in:

- **Argument reading** (:func:`read_till_line`): a plain ``omnipos [--config F] [--db-url
  U] [--data-dir D] till [--register R]`` starts the till without the Typer app (``cli.main``).
  The Typer app (``cli.root``) with every command group, Typer itself and the Pydantic it
  checks options with cost about a third of a second. Any other command line, and any
  ``till`` line this reading does not take exactly (``--help``, a repeated or unknown
  option, a value that is missing, empty or starts with ``-``, a ``--config`` that is a
  folder, a ``--data-dir`` that is a file...), goes to the Typer app, which parses and
  answers it as before.
- **Collector paused while starting** (:func:`pause_collector`, then
  :func:`resume_collector` once the log-in screen is drawn: ``ui.app.OmniposTill``):
  start-up makes ~100,000 long-lived objects (modules, classes, the screen) and little
  garbage; the collector's passes over them cost ~15 % of the imports' CPU.
- **Heap frozen at the first log-in** (:func:`freeze_heap`, called by the app once the
  later screens are loaded): the modules, key map, screens and devices are alive for the
  whole run; frozen, the collector's full passes skip them, and a full pass during a scan
  takes ~8 ms instead of ~100.
- **Frame cap** (:func:`use_till_frame_rate`): see :data:`TILL_FPS`.
- **Thread switch interval** with a keyboard-wedge scanner
  (:func:`use_wedge_switch_interval`): see :data:`SWITCH_INTERVAL_S`.

What is imported late (the drivers, lxml, the services and screens the log-in screen does
not need) is said where it is deferred: ``bootstrap`` and ``ui.app.LATER_SCREENS``.

Only the standard library is imported here: ``cli.main`` imports this module first thing.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The options before ``till`` (the root callback's) and after it, as ``cli.root`` has them.
GLOBAL_OPTIONS: tuple[str, ...] = ("--config", "--db-url", "--data-dir")
TILL_OPTIONS: tuple[str, ...] = ("--register",)

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


@dataclass(frozen=True, slots=True)
class TillLine:
    """A plain ``omnipos ... till ...`` command line, read.

    Attributes:
        config_file: ``--config``.
        db_url: ``--db-url``.
        data_dir: ``--data-dir``.
        register: ``--register``.
    """

    config_file: Path | None = None
    db_url: str | None = None
    data_dir: Path | None = None
    register: str | None = None


def read_till_line(argv: Sequence[str]) -> TillLine | None:
    """``argv`` (without the program name) as a plain ``till`` command, or None when it is
    anything else or anything this reading does not take exactly (the Typer app decides)."""
    given: dict[str, str] = {}
    allowed, seen_till, index = GLOBAL_OPTIONS, False, 0
    while index < len(argv):
        word = argv[index]
        if word == "till" and not seen_till:
            allowed, seen_till, index = TILL_OPTIONS, True, index + 1
            continue
        name, equals, value = word.partition("=")
        if name not in allowed or name in given:
            return None
        if not equals:
            if index + 1 >= len(argv):
                return None
            value = argv[index + 1]
            index += 1
        index += 1
        if not value or value.startswith("-"):
            return None
        given[name] = value
    if not seen_till:
        return None
    config = given.get("--config")
    data_dir = given.get("--data-dir")
    if config is not None and not _plain_path(config, file_okay=True):
        return None
    if data_dir is not None and not _plain_path(data_dir, file_okay=False):
        return None
    return TillLine(
        config_file=Path(config) if config is not None else None,
        db_url=given.get("--db-url"),
        data_dir=Path(data_dir) if data_dir is not None else None,
        register=given.get("--register"),
    )


def _plain_path(value: str, *, file_okay: bool) -> bool:
    """Whether Typer would take ``value`` as it is: it does not exist, or it is a readable
    file (``file_okay``) or a readable folder (not ``file_okay``)."""
    try:
        mode = os.stat(value).st_mode
    except OSError:
        return not os.path.lexists(value)
    kind_ok = stat.S_ISREG(mode) if file_okay else stat.S_ISDIR(mode)
    return kind_ok and os.access(value, os.R_OK)


def pause_collector() -> None:
    """Stop the garbage collector's passes while the till starts (before its imports)."""
    gc.disable()


def collector_paused() -> bool:
    """Whether the collector is paused (by :func:`pause_collector`, or by whoever runs us)."""
    return not gc.isenabled()


def resume_collector() -> None:
    """Turn the collector back on (the log-in screen is drawn)."""
    gc.enable()


def freeze_heap() -> None:
    """Move everything alive into the collector's permanent generation, after a last full
    pass (once, at the first log-in, when the start-up objects are all made)."""
    gc.collect()
    gc.freeze()


def use_till_frame_rate() -> None:
    """Set Textual's frame cap for the till (:data:`TILL_FPS`); call before Textual is first
    imported."""
    os.environ.setdefault("TEXTUAL_FPS", str(TILL_FPS))


def use_wedge_switch_interval() -> None:
    """Let threads take turns every :data:`SWITCH_INTERVAL_S` (a keyboard-wedge scanner)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
