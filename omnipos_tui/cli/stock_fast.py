"""The fast path of ``omnipos [--config F] [--db-url U] [--data-dir D] stock show CODE
[--json]`` and ``orders show N [--json]``: the commands the shop's scripts and people
call most, answered without the Typer app (the tables printed by the same code).

Typer, Click and every command module cost about as much as the answer itself; a script
asking for one product's stock pays only for the settings, the services and the query.
Any other line, and any line this reading does not take exactly, goes to the Typer app
(``cli.root``), which answers it the same way. Standard library only at import time.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the standard library only at import time (see the docstring)
    from omnipos_tui.wiring.readers import Readers

_GLOBAL_OPTIONS = ("--config", "--db-url", "--data-dir")


@dataclass(frozen=True, slots=True)
class ShowLine:
    """A plain ``stock show CODE [--json]`` or ``orders show N [--json]`` line, read.

    Attributes:
        config_file: ``--config``.
        db_url: ``--db-url``.
        data_dir: ``--data-dir``.
        code: The SKU or barcode (the order's number for ``orders show``).
        noun: "stock" or "orders".
        as_json: ``--json`` (else the tables for people).
    """

    config_file: Path | None
    db_url: str | None
    data_dir: Path | None
    code: str
    noun: str = "stock"
    as_json: bool = True


def read_show_line(argv: Sequence[str]) -> ShowLine | None:
    """``argv`` (without the program name) as a plain ``stock show CODE [--json]`` or
    ``orders show N [--json]`` (N a whole number above 0), or None."""
    given: dict[str, str] = {}
    index = 0
    while index < len(argv) and argv[index].startswith("--"):
        name, equals, value = argv[index].partition("=")
        if name not in _GLOBAL_OPTIONS or name in given:
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
    rest = list(argv[index:])
    if rest[:2] not in (["stock", "show"], ["orders", "show"]):
        return None
    as_json = "--json" in rest[2:]
    words = [word for word in rest[2:] if word != "--json"]
    if len(words) != 1 or rest[2:].count("--json") > 1 or words[0].startswith("-"):
        return None
    if rest[0] == "orders" and not (words[0].isdigit() and int(words[0]) >= 1):
        return None  # Typer says what is wrong with it
    config, data_dir = given.get("--config"), given.get("--data-dir")
    if config is not None and not _usable(config, file_okay=True):
        return None
    if data_dir is not None and not _usable(data_dir, file_okay=False):
        return None
    return ShowLine(
        config_file=Path(config) if config is not None else None,
        db_url=given.get("--db-url"),
        data_dir=Path(data_dir) if data_dir is not None else None,
        code=words[0],
        noun=rest[0],
        as_json=as_json,
    )


def _usable(value: str, *, file_okay: bool) -> bool:
    """Whether Typer would take the path as it is (missing, or a readable file/folder)."""
    try:
        mode = os.stat(value).st_mode
    except OSError:
        return not os.path.lexists(value)
    kind_ok = stat.S_ISREG(mode) if file_okay else stat.S_ISDIR(mode)
    return kind_ok and os.access(value, os.R_OK)


def run_show_line(line: ShowLine) -> int:
    """Print the product's stock or the order, as JSON or the tables; the exit code (1
    after a ``PosError``, printed as the Typer app prints it). The services come from the
    lean composition (``wiring/readers.py``), not from ``bootstrap.build``."""
    from omnipos_tui.cli.errors import error_lines
    from omnipos_tui.cli.state import CliState, global_overrides
    from omnipos_tui.core.errors import PosError
    from omnipos_tui.wiring.readers import Readers

    current = CliState(line.config_file, global_overrides(line.db_url, line.data_dir))
    readers: Readers | None = None
    try:
        readers = Readers(current.settings, clock=current.clock)
        if line.noun == "orders":
            _order(readers, int(line.code), as_json=line.as_json)
        else:
            _stock(readers, line.code, as_json=line.as_json)
    except PosError as exc:
        sys.stderr.write("".join(f"{text}\n" for text in error_lines(exc)))
        return 1
    finally:
        if readers is not None:
            readers.close()
    return 0


def _stock(readers: Readers, code: str, *, as_json: bool) -> None:
    """``stock show CODE [--json]`` as the Typer app prints it.

    Raises:
        NotFound: No such product.
    """
    stock = readers.stock().show(code)
    if as_json:
        from omnipos_tui.cli.stock_json import product_stock_json

        _print_json(product_stock_json(stock))
    else:
        from omnipos_tui.cli.stock_output import print_product_stock

        print_product_stock(stock)


def _order(readers: Readers, number: int, *, as_json: bool) -> None:
    """``orders show N [--json]`` as the Typer app prints it (``cli/order_json.py``,
    ``cli/order_output.py``).

    Raises:
        NotFound: No such order.
    """
    from omnipos_tui.core.clock import business_day

    details = readers.orders().show(number)
    today = business_day(readers.clock.now())
    if as_json:
        from omnipos_tui.cli.order_json import order_json

        _print_json(order_json(details, today))
    else:
        from omnipos_tui.cli.order_output import print_order

        print_order(details, today)


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
