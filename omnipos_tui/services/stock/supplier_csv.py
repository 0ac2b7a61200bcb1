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

from omnipos_tui.core.errors import InvalidInput, Message
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
        example = ";".join(c for c in known if c in required)
        problems.append(CsvProblem(1, "-", Message("csv.empty_file", example=example)))
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
                CsvProblem(1, name or "-", Message("csv.unknown_column", name=name, known=known))
            )
        elif name in columns:
            problems.append(CsvProblem(1, name, Message("csv.column_twice")))
        else:
            columns[name] = position
    for name in known:
        if name in required and name not in columns:
            problems.append(CsvProblem(1, name, Message("csv.missing_column")))
    rows: list[CsvRow] = []
    previous = reader.line_num
    try:
        for fields in reader:
            line, previous = previous + 1, reader.line_num
            if line != previous:
                problems.append(CsvProblem(line, "-", Message("csv.line_break_in_field")))
                continue
            if not "".join(fields).strip():
                continue
            if any(extra.strip() for extra in fields[len(names) :]):
                why = Message("csv.too_many_fields", count=len(fields), width=len(names))
                problems.append(CsvProblem(line, "-", why))
                continue
            values = {name: fields[at].strip() for name, at in columns.items() if at < len(fields)}
            for name in sorted(required & columns.keys()):
                if not values.get(name):
                    problems.append(CsvProblem(line, name, Message("csv.missing_value")))
            rows.append(CsvRow(line, values))
    except csv.Error as exc:
        problems.append(
            CsvProblem(reader.line_num, "-", Message("csv.unreadable", reason=str(exc)))
        )
    if not rows and not problems:
        problems.append(CsvProblem(1, "-", Message("stock.csv_no_rows")))
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
            self.problems.append(CsvProblem(row.line, column, exc))
            return None


def supplier_code(text: str) -> str:
    """A supplier code: 1-20 letters, digits, ``-`` or ``_``.

    Raises:
        InvalidInput: It is not.
    """
    code = text.strip()
    if not _CODE.match(code):
        raise InvalidInput(code="stock.bad_supplier_code", given=code)
    return code


def cost_price(text: str) -> int:
    """A cost price per unit excl. VAT ("12,50") in øre, 0 or more.

    Raises:
        InvalidInput: Not an amount, or negative.
    """
    amount = Money.parse(text)
    if amount.ore < 0:
        raise InvalidInput(code="stock.negative_cost", text=text.strip())
    return amount.ore


def whole_days(text: str) -> int:
    """A number of days, 0-365.

    Raises:
        InvalidInput: Not such a number.
    """
    if not text.strip().isdigit() or int(text) > 365:
        raise InvalidInput(code="stock.bad_days", text=text.strip())
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
    raise InvalidInput(code="stock.bad_flag", text=text.strip())
