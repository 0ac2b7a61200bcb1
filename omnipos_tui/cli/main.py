"""The ``omnipos`` console script: :func:`main`.

A plain ``omnipos [--config F] [--db-url U] [--data-dir D] till [--register R]`` starts the
till straight away: the Typer app (``cli.root``) with every command group, Typer itself and
the Pydantic it checks options with cost about a third of a second, and the till must show
its log-in screen within one. Any other command line, and any ``till`` line this reading
does not take exactly (``--help``, a repeated or unknown option, a value that is missing,
empty or starts with ``-``, a ``--config`` that is a folder, a ``--data-dir`` that is a
file...), goes to the Typer app, which parses and answers it as before.
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


def run_till_line(line: TillLine) -> int:
    """Run the till for a plain ``till`` command line; the exit code (1 after a
    ``PosError``, printed as the Typer app prints it)."""
    # Start-up makes ~100,000 long-lived objects (modules, classes, the screen) and little
    # garbage: the collector's passes over them cost ~15 % of the imports' CPU. It is paused
    # until the log-in screen is drawn (then the app turns it back on: see
    # OmniposTill.collector_paused_until_shown).
    gc.disable()
    from omnipos_tui.cli.errors import error_lines
    from omnipos_tui.cli.state import CliState, global_overrides
    from omnipos_tui.cli.till import run_till
    from omnipos_tui.core.errors import PosError

    current = CliState(line.config_file, global_overrides(line.db_url, line.data_dir))
    try:
        run_till(current, line.register)
    except PosError as exc:
        sys.stderr.write("".join(f"{text}\n" for text in error_lines(exc)))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        return 1
    finally:
        current.close()
    return 0


def main() -> None:
    """The ``omnipos`` console script."""
    line = read_till_line(sys.argv[1:])
    if line is not None:
        sys.exit(run_till_line(line))
    from omnipos_tui.cli.root import app

    app()
