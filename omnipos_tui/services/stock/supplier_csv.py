"""Supplier files: suppliers, or supplier items (our product, the supplier's article number,
pack size, cost price), read all or nothing with the same rules and messages as the
product CSV (encoding, ``;`` or ``,``, every problem with its file, line and column).

Which of the two a file holds is told by its header: a file with an ``sku`` column holds
supplier items, any other a list of suppliers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.services.catalogue.product_csv import CsvImportError, CsvProblem
from omnipos_tui.services.catalogue.product_csv import _decode as decode_csv

SUPPLIER_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "org_number",
    "contact",
    "email",
    "phone",
    "delivery_days",
    "lead_days",
    "active",
)
"""A suppliers file: ``code`` and ``name`` are required."""

ITEM_COLUMNS: tuple[str, ...] = ("supplier", "sku", "supplier_sku", "pack_size", "cost")
"""A supplier items file: ``sku`` and ``cost`` are required, ``supplier`` unless the
command names it."""

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: its physical line and its fields by column name (stripped)."""

    line: int
    fields: dict[str, str]


def read_rows(
    data: bytes, *, source: str, known: tuple[str, ...], required: set[str]
) -> list[CsvRow]:
    """The rows of a CSV file with the given columns.

    Raises:
        CsvImportError: Bad bytes, an unknown, doubled or missing column, a row with too
            many fields, an unclosed quote, or an empty file (every problem listed).
    """
    text, problems = decode_csv(data)
    if any(p.line == 1 for p in problems):
        raise CsvImportError(source, problems)
    header_line = re.split(r"[\r\n]", text, maxsplit=1)[0]
    if not header_line.strip():
        problems.append(
            CsvProblem(
                1,
                "-",
                f"the file is empty; the first line must be a header: "
                f"{';'.join(c for c in known if c in required)}",
            )
        )
        raise CsvImportError(source, problems)
    delimiter = "," if header_line.count(",") > header_line.count(";") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    names = [name.strip().lower() for name in next(reader)]
    while names and not names[-1]:
        names.pop()
    columns: dict[str, int] = {}
    for position, name in enumerate(names):
        if name not in known:
            problems.append(
                CsvProblem(1, name or "-", f"unknown column {name!r} (known: {', '.join(known)})")
            )
        elif name in columns:
            problems.append(CsvProblem(1, name, "the column appears twice"))
        else:
            columns[name] = position
    for name in known:
        if name in required and name not in columns:
            problems.append(CsvProblem(1, name, "missing required column"))
    rows: list[CsvRow] = []
    previous = reader.line_num
    try:
        for fields in reader:
            line, previous = previous + 1, reader.line_num
            if line != previous:
                why = 'a quoted field holds a line break (is a closing " missing?)'
                problems.append(CsvProblem(line, "-", why))
                continue
            if not "".join(fields).strip():
                continue
            if any(extra.strip() for extra in fields[len(names) :]):
                why = f"too many fields ({len(fields)}, the header has {len(names)})"
                problems.append(CsvProblem(line, "-", why))
                continue
            values = {name: fields[at].strip() for name, at in columns.items() if at < len(fields)}
            for name in sorted(required & columns.keys()):
                if not values.get(name):
                    why = "missing value (the column is required)"
                    problems.append(CsvProblem(line, name, why))
            rows.append(CsvRow(line, values))
    except csv.Error as exc:
        problems.append(CsvProblem(reader.line_num, "-", f"not readable as CSV: {exc}"))
    if not rows and not problems:
        problems.append(CsvProblem(1, "-", "the file has a header but no rows"))
    if problems:
        problems.sort(key=lambda p: p.line)
        raise CsvImportError(source, problems)
    return rows


class FieldReader:
    """Parses fields of rows, collecting each problem with its line and column."""

    def __init__(self) -> None:
        self.problems: list[CsvProblem] = []

    def get(
        self, row: CsvRow, column: str, parse: Callable[[str], Any], default: Any = None
    ) -> Any:
        """The parsed field, ``default`` when empty, None (and a problem) when bad."""
        raw = row.fields.get(column, "")
        if not raw:
            return default
        try:
            return parse(raw)
        except InvalidInput as exc:
            self.problems.append(CsvProblem(row.line, column, str(exc)))
            return None


def supplier_code(text: str) -> str:
    """A supplier code: 1-20 letters, digits, ``-`` or ``_``.

    Raises:
        InvalidInput: It is not.
    """
    code = text.strip()
    if not _CODE.match(code):
        raise InvalidInput(f"not a supplier code: {code!r} (1-20 letters, digits, '-' or '_')")
    return code


def cost_price(text: str) -> int:
    """A cost price per unit excl. VAT ("12,50") in øre, 0 or more.

    Raises:
        InvalidInput: Not an amount, or negative.
    """
    amount = Money.parse(text)
    if amount.ore < 0:
        raise InvalidInput(f"negative cost price {text.strip()} (a cost is 0 or more)")
    return amount.ore


def whole_days(text: str) -> int:
    """A number of days, 0-365.

    Raises:
        InvalidInput: Not such a number.
    """
    if not text.strip().isdigit() or int(text) > 365:
        raise InvalidInput(f"not a number of days: {text.strip()!r} (0-365)")
    return int(text)


def yes_no(text: str) -> bool:
    """yes/no, ja/nei, true/false, 1/0.

    Raises:
        InvalidInput: Anything else.
    """
    value = text.strip().lower()
    if value in {"yes", "ja", "true", "1", "y", "j"}:
        return True
    if value in {"no", "nei", "false", "0", "n"}:
        return False
    raise InvalidInput(f"not a yes/no value: {text.strip()!r}")
