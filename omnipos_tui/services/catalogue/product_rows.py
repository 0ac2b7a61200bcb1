"""One data row of a product CSV file made into a product (``product_csv.py`` reads the
file): every field parsed (``product_fields.py``), every problem collected with its line
and column (:class:`CsvProblem`), SKUs and barcodes kept unique across the rows.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

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
)

REQUIRED_COLUMNS: frozenset[str] = frozenset({"sku", "name", "price", "vat", "group"})
"""Columns a file must have; the others may be left out and take their defaults."""

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


@dataclass(frozen=True, slots=True)
class ParsedProduct:
    """A product read from a CSV file.

    Attributes:
        line: The physical line it started on, for messages about it later.
        product: The product.
    """

    line: int
    product: Product


class RowParser:
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
