"""The product CSV format: reading a catalogue file into products, and writing one.

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

import copy
import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TextIO, TypeVar

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import InvalidInput, Message, PosError
from omnipos_tui.core.vat import VatRate
from omnipos_tui.services.catalogue.product_fields import (
    parse_active,
    parse_barcodes,
    parse_name,
    parse_price,
    parse_sku,
    parse_unit,
    parse_vat,
    vat_text,
)

COLUMNS: tuple[str, ...] = ("sku", "name", "price", "vat", "group", "unit", "barcodes", "active")
"""Every column, in the order :func:`write_products_csv` writes them."""

REQUIRED_COLUMNS: frozenset[str] = frozenset({"sku", "name", "price", "vat", "group"})
"""Columns a file must have; the others may be left out and take their defaults."""

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
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """One thing wrong in a CSV file.

    Attributes:
        line: 1-based physical line of the file (the header is line 1).
        column: The column's header name, or "-" for the whole line or file.
        what: What is wrong: a message, or the error a field's parser raised.
    """

    line: int
    column: str
    what: Message | PosError

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return str(self.what)

    def as_message(self, source: str) -> Message:
        """The problem with its place: ``FILE: line N, column X: what is wrong``."""
        return Message(
            "csv.problem", source=source, line=self.line, column=self.column, what=self.what
        )

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


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


@dataclass(frozen=True, slots=True)
class ParsedProduct:
    """A product read from a CSV file.

    Attributes:
        line: The physical line it started on, for messages about it later.
        product: The product.
    """

    line: int
    product: Product


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
    rows = _RowParser(columns, width, on=on, known_groups=known_groups, problems=problems)
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
                rows.parse(line, fields)
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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", [CsvProblem(1, "-", Message("csv.utf16"))]
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


class _RowParser:
    """Turns data rows into products, collecting problems and duplicates across rows.

    A row with the header's number of fields goes through a straight fast path; a row that
    fails it (or is short) is parsed again field by field so that every problem is reported.
    """

    def __init__(
        self,
        columns: dict[str, int],
        width: int,
        *,
        on: date,
        known_groups: set[str],
        problems: list[CsvProblem],
    ) -> None:
        self.columns = columns
        self.width = width
        self.names = {position: name for name, position in columns.items()}
        self.on = on
        self.known_groups = known_groups
        self.problems = problems
        self.parsed: list[ParsedProduct] = []
        self.rows_seen = 0
        self.sku_lines: dict[str, int] = {}
        self.barcode_rows: dict[str, tuple[int, str]] = {}
        self.vat_cache: dict[str, VatRate | InvalidInput] = {}
        self.fast = columns.keys() >= REQUIRED_COLUMNS
        self.required_at = tuple(
            columns.get(c, -1) for c in ("sku", "name", "price", "vat", "group")
        )
        self.optional_at = tuple(columns.get(c) for c in ("unit", "barcodes", "active"))

    def parse(self, line: int, fields: list[str]) -> None:
        """Check one data row and keep its product if nothing is wrong."""
        self.rows_seen += 1
        if self.fast and len(fields) == self.width:
            try:
                product = self._build(fields)
            except InvalidInput:
                pass  # parsed again below, to report every problem of the row
            else:
                if self._unique(line, product.sku, product.barcodes):
                    self.parsed.append(ParsedProduct(line, product))
                return
        self._parse_each_field(line, fields)

    def _build(self, fields: list[str]) -> Product:
        """The row's product; the first bad field raises."""
        sku, name, price, vat, group = self.required_at
        unit, barcodes, active = self.optional_at
        return Product(
            sku=parse_sku(fields[sku].strip()),
            name=parse_name(fields[name].strip()),
            price=parse_price(fields[price].strip()),
            vat=self._parse_vat(fields[vat].strip()),
            group=self._parse_group(fields[group].strip()),
            unit=Unit.PIECE if unit is None else parse_unit(fields[unit].strip()),
            barcodes=() if barcodes is None else parse_barcodes(fields[barcodes].strip()),
            active=True if active is None else parse_active(fields[active].strip()),
        )

    def _parse_each_field(self, line: int, fields: list[str]) -> None:
        """Parse a row field by field, reporting every problem; keep the product if none."""
        problems_before = len(self.problems)
        count, width = len(fields), self.width
        # Rows may leave out trailing optional fields, never a required one.
        if count < width and (missing := self._first_required_from(count)):
            self._problem(line, missing, Message("csv.missing_field", count=count, width=width))
        elif any(extra.strip() for extra in fields[width:]):
            self._problem(line, "-", Message("csv.too_many_fields", count=count, width=width))
        values = {name: fields[at].strip() for name, at in self.columns.items() if at < count}

        sku = self._field(line, values, "sku", parse_sku)
        name = self._field(line, values, "name", parse_name)
        price = self._field(line, values, "price", parse_price)
        vat = self._field(line, values, "vat", self._parse_vat)
        group = self._field(line, values, "group", self._parse_group)
        unit = self._field(line, values, "unit", parse_unit)
        barcodes = self._field(line, values, "barcodes", parse_barcodes)
        active = self._field(line, values, "active", parse_active)

        unique = self._unique(line, sku, barcodes or ())
        # Without every required column (reported with the header) no row makes a product.
        if not unique or not self.fast or len(self.problems) > problems_before:
            return
        assert sku is not None and name is not None and price is not None
        assert vat is not None and group is not None
        product = Product(
            sku=sku,
            name=name,
            price=price,
            vat=vat,
            group=group,
            unit=unit or Unit.PIECE,
            barcodes=barcodes or (),
            active=True if active is None else active,
        )
        self.parsed.append(ParsedProduct(line, product))

    def _unique(self, line: int, sku: str | None, barcodes: tuple[str, ...]) -> bool:
        """Remember the row's SKU and barcodes; report those an earlier row already has."""
        unique = True
        if sku is not None and (first := self.sku_lines.setdefault(sku, line)) != line:
            self._problem(line, "sku", Message("csv.sku_twice", sku=sku, first=first))
            unique = False
        for code in barcodes:
            other_line, other_sku = self.barcode_rows.setdefault(code, (line, sku or "?"))
            if other_line != line:
                why = Message("csv.barcode_twice", barcode=code, first=other_line, sku=other_sku)
                self._problem(line, "barcodes", why)
                unique = False
        return unique

    def _first_required_from(self, position: int) -> str | None:
        """The first required column at or after a position, if any."""
        for at in range(position, self.width):
            if self.names.get(at) in REQUIRED_COLUMNS:
                return self.names[at]
        return None

    def _field(
        self, line: int, values: dict[str, str], column: str, parse: Callable[[str], _T]
    ) -> _T | None:
        """The parsed value of a field, or None (with a problem if it is bad or missing).

        A required column that the header lacks, or a field a short row lacks, has already
        been reported once; only an empty field present in the row is reported here.
        """
        raw = values.get(column, "")
        if not raw and column in REQUIRED_COLUMNS:
            if column in values:
                self._problem(line, column, Message("csv.missing_value"))
            return None
        try:
            return parse(raw)
        except InvalidInput as exc:
            self._problem(line, column, exc.with_traceback(None))  # keep no row's frames
            return None

    def _problem(self, line: int, column: str, what: Message | PosError) -> None:
        self.problems.append(CsvProblem(line, column, what))

    def _parse_vat(self, raw: str) -> VatRate:
        """:func:`parse_vat` for the import day, remembered per distinct text."""
        found = self.vat_cache.get(raw)
        if found is None:
            try:
                found = parse_vat(raw, on=self.on)
            except InvalidInput as exc:
                found = exc
            self.vat_cache[raw] = found
        if isinstance(found, InvalidInput):
            raise copy.copy(found)  # a fresh error each time, without the last traceback
        return found

    def _parse_group(self, raw: str) -> str:
        if raw in self.known_groups:
            return raw
        known = sorted(self.known_groups)
        if not known:
            raise InvalidInput(code="csv.no_groups", group=raw)
        listed = known[:20] + (["..."] if len(known) > 20 else [])
        raise InvalidInput(code="csv.unknown_group", group=raw, known=listed)


def write_products_csv(products: Iterable[Product], out: TextIO) -> int:
    """Write products in the format :func:`parse_products_csv` reads.

    The text has a header row, ``;`` as delimiter, decimal commas, barcodes separated by
    ``|``, ``vat`` as the percentage (``0-outside`` for outside the VAT act) and ``active``
    as yes/no. Open ``out`` with ``encoding="utf-8", newline=""`` (``"utf-8-sig"`` if the
    file is for Excel). Reading the output back gives the same products.

    Returns:
        The number of product rows written.
    """
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for product in products:
        writer.writerow(
            (
                product.sku,
                product.name,
                product.price.format(),
                vat_text(product.vat),
                product.group,
                product.unit.value,
                "|".join(product.barcodes),
                "yes" if product.active else "no",
            )
        )
        count += 1
    return count
