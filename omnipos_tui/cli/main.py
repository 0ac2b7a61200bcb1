"""The ``omnipos`` console script: :func:`main`.

A plain ``omnipos [--config F] [--db-url U] [--data-dir D] till [--register R]`` starts the
till straight away, without the Typer app (``cli.root``); any other command line goes to
the Typer app. The reading of the line, and the rest of the till's start-up tuning, is in
:mod:`omnipos_tui.startup`.
"""

from __future__ import annotations

import sys

from omnipos_tui import startup


def run_till_line(line: startup.TillLine) -> int:
    """Run the till for a plain ``till`` command line; the exit code (1 after a
    ``PosError``, printed as the Typer app prints it)."""
    startup.pause_collector()  # until the log-in screen is drawn (startup.py)
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
    line = startup.read_till_line(sys.argv[1:])
    if line is not None:
        sys.exit(run_till_line(line))
    from omnipos_tui.cli import stock_fast

    show = stock_fast.read_show_line(sys.argv[1:])
    if show is not None:  # scripts asking for one product's stock: no Typer app
        sys.exit(stock_fast.run_show_line(show))
    from omnipos_tui.cli.root import app

    app()
