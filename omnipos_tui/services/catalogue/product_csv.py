"""The product CSV format: reading a catalogue file into products, and writing one (each
data row is made a product in ``product_rows.py``).

The format is for shop owners who keep their catalogue in a spreadsheet. Reading is strict
and complete: every problem in the file is collected, each with its physical line number and
column, and nothing is returned unless the whole file is good. Rules that need the database
(a barcode already on another stored product) are the import service's job.

Columns (header names case-insensitive, any order): see :data:`COLUMNS`. The file may be
UTF-8 (with or without a byte order mark) or Windows-1252; the delimiter is ``;`` or ``,``,
decided by the header line; prices take a decimal comma or point and a space (or no-break
space) as thousands separator.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.errors import InvalidInput, Message
from omnipos_tui.core.spreadsheet import read_cell, safe_cell
from omnipos_tui.core.text_encoding import wide_encoding
from omnipos_tui.services.catalogue.product_fields import vat_text
from omnipos_tui.services.catalogue.product_rows import (
    REQUIRED_COLUMNS,
    CsvProblem,
    ParsedProduct,
    RowParser,
)

__all__ = [
    "COLUMNS",
    "COLUMN_HELP",
    "MAX_LISTED_PROBLEMS",
    "REQUIRED_COLUMNS",
    "CsvImportError",
    "CsvProblem",
    "ParsedProduct",
    "parse_products_csv",
    "write_products_csv",
]

COLUMNS: tuple[str, ...] = ("sku", "name", "price", "vat", "group", "unit", "barcodes", "active")
"""Every column, in the order :func:`write_products_csv` writes them."""

COLUMN_HELP: dict[str, str] = {
    "sku": "article number, 1-20 letters, digits or '-', unique in the file (required)",
    "name": "name on screen and receipt, at most 60 characters (required)",
    "price": "shelf price incl. VAT per piece or per kg, e.g. 1 234,50 or 29.90 (required)",
    "vat": "25, 15, 12, 0, or 'outside' / '0-outside' for outside the VAT act (required)",
    "group": "article group code; the group must exist (required)",
    "unit": "piece (or stk; the default) or kg",
    "barcodes": "EAN-13, EAN-8 or UPC-A codes separated by | or spaces",
    "active": "yes/no, ja/nei, true/false or 1/0 (default yes)",
}
"""One line of help per column, for the CLI and the README."""

MAX_LISTED_PROBLEMS = 50
"""How many problems ``str(CsvImportError)`` lists before it says how many more there are."""

# Control characters never appear in a spreadsheet's text export; when they do, the file is
# binary, UTF-16, or damaged. Lone surrogates are the bytes that did not decode (surrogateescape).
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\udc80-\udcff]")
_UTF8_BOM = b"\xef\xbb\xbf"


class CsvImportError(InvalidInput):
    """A CSV file cannot be imported; nothing was read from it.

    ``str()`` lists the problems one per line as ``FILE: line N, column X: what is wrong``,
    the first :data:`MAX_LISTED_PROBLEMS` of them, then how many more there are.

    Attributes:
        problems: Every problem found, in file order.
        source: The file name used in the messages.
    """

    def __init__(self, source: str, problems: list[CsvProblem]) -> None:
        shown = [problem.as_message(source) for problem in problems[:MAX_LISTED_PROBLEMS]]
        more = len(problems) - len(shown)
        if more:
            super().__init__(code="csv.problems_and_more", shown=shown, source=source, more=more)
        else:
            super().__init__(code="csv.problems", shown=shown)
        self.problems = problems
        self.source = source


def parse_products_csv(
    data: bytes, *, source: str, on: date, known_groups: set[str]
) -> list[ParsedProduct]:
    """Read a whole product CSV file.

    Args:
        data: The file's bytes.
        source: The file name to put in messages.
        on: The day whose VAT rates apply.
        known_groups: The article group codes a product may belong to.

    Returns:
        The products in file order, each with the line it started on.

    Raises:
        CsvImportError: Anything in the file is wrong; every problem is listed.
    """
    text, problems = _decode(data)
    if any(problem.line == 1 for problem in problems):
        raise CsvImportError(source, problems)
    header_line = re.split(r"[\r\n]", text, maxsplit=1)[0]
    if not header_line.strip():
        example = ";".join(c for c in COLUMNS if c in REQUIRED_COLUMNS)
        empty = (
            Message("csv.empty_file", example=example)
            if not text.strip()
            else Message("csv.empty_header", example=example)
        )
        problems.append(CsvProblem(1, "-", empty))
        raise CsvImportError(source, problems)
    delimiter = "," if header_line.count(",") > header_line.count(";") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    columns, width = _read_header(header, problems)
    rows = RowParser(columns, width, on=on, known_groups=known_groups, problems=problems)
    previous_line = reader.line_num
    try:
        for fields in reader:
            line, previous_line = previous_line + 1, reader.line_num
            # An unclosed quote swallows the rest of the file into the row's last field.
            if line != previous_line or (fields and fields[-1].endswith(("\n", "\r"))):
                why = (
                    Message("csv.line_break_in_field_to", last=previous_line)
                    if line != previous_line
                    else Message("csv.line_break_in_field")
                )
                problems.append(CsvProblem(line, "-", why))
            elif "".join(fields).strip():
                rows.parse(line, [read_cell(field) for field in fields])
    except csv.Error as exc:
        why = Message("csv.unreadable", reason=str(exc))
        problems.append(CsvProblem(reader.line_num, "-", why))
    if rows.rows_seen == 0 and not problems:
        problems.append(CsvProblem(1, "-", Message("csv.no_rows")))
    if problems:
        problems.sort(key=lambda problem: problem.line)  # bad bytes were found first
        raise CsvImportError(source, problems)
    return rows.parsed


def _decode(data: bytes) -> tuple[str, list[CsvProblem]]:
    """The file as text, and a problem for each line with bytes that are not text."""
    wide = wide_encoding(data)
    if wide is not None:
        return "", [CsvProblem(1, "-", Message("csv.wide_encoding", encoding=wide))]
    has_bom = data.startswith(_UTF8_BOM)
    if has_bom:
        data = data[len(_UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Without a byte order mark, bytes that are not UTF-8 are most likely Windows-1252
        # (what Excel saves on a Norwegian Windows). Undefined bytes stay as lone surrogates.
        encoding = "utf-8" if has_bom else "cp1252"
        text = data.decode(encoding, errors="surrogateescape")
    else:
        encoding = "utf-8"
    if _BAD_CHARS.search(text) is None:
        return text, []

    problems: list[CsvProblem] = []
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        found = _BAD_CHARS.search(line)
        if found is None:
            continue
        char = ord(found.group())
        if 0xDC80 <= char <= 0xDCFF:
            byte = f"0x{char - 0xDC00:02X}"
            message = (
                Message("csv.bad_utf8_after_bom", byte=byte)
                if encoding == "utf-8"
                else Message("csv.bad_byte", byte=byte)
            )
        else:
            message = Message("csv.control_character", byte=f"0x{char:02X}")
        problems.append(CsvProblem(number, "-", message))
    return _BAD_CHARS.sub("\ufffd", text), problems


def _read_header(header: list[str], problems: list[CsvProblem]) -> tuple[dict[str, int], int]:
    """Each known column's position, and the number of columns.

    Unknown, unnamed, doubled and missing required columns are reported.
    """
    names = [name.strip().lower() for name in header]
    while names and not names[-1]:
        names.pop()  # trailing delimiters, as some spreadsheets write them
    columns: dict[str, int] = {}
    for position, name in enumerate(names):
        if not name:
            problems.append(CsvProblem(1, "-", Message("csv.unnamed_column", number=position + 1)))
        elif name not in COLUMN_HELP:
            why = Message("csv.unknown_column", name=name, known=list(COLUMNS))
            problems.append(CsvProblem(1, name, why))
        elif name in columns:
            problems.append(CsvProblem(1, name, Message("csv.column_twice")))
        else:
            columns[name] = position
    for name in COLUMNS:
        if name in REQUIRED_COLUMNS and name not in columns:
            problems.append(CsvProblem(1, name, Message("csv.missing_column")))
    return columns, len(names)


def write_products_csv(products: Iterable[Product], out: TextIO) -> int:
    """Write products in the format :func:`parse_products_csv` reads.

    The text has a header row, ``;`` as delimiter, decimal commas, barcodes separated by
    ``|``, ``vat`` as the percentage (``0-outside`` for outside the VAT act) and ``active``
    as yes/no; a cell a spreadsheet would run as a formula gets a ``'`` in front
    (:mod:`omnipos_tui.core.spreadsheet`, taken off again on import). Open ``out`` with
    ``encoding="utf-8", newline=""`` (``"utf-8-sig"`` if the file is for Excel). Reading
    the output back gives the same products.

    Returns:
        The number of product rows written.
    """
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for product in products:
        row = (
            product.sku,
            product.name,
            product.price.format(),
            vat_text(product.vat),
            product.group,
            product.unit.value,
            "|".join(product.barcodes),
            "yes" if product.active else "no",
        )
        writer.writerow(safe_cell(cell) for cell in row)
        count += 1
    return count
