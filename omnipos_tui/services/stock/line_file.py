"""Document lines from a text file (``omnipos receive --file``, ``stock count add --file``).

One line per product, in any of these forms::

    1001=12            SKU=QUANTITY, optionally @COST (1001=12@8,50)
    4011;1,234         separated by semicolons (Norwegian spreadsheets): the comma is decimal
    1001<TAB>12        separated by tabs
    4011,"1,234"       separated by commas: a decimal comma must then be quoted

A third field is the unit cost. A decimal comma or point is a decimal, never a thousands
separator: ``1,234`` is 1.234 kg of a weighed product and refused for a piece product, and
``1 234`` is refused. Blank lines and lines starting with ``#`` are skipped. Every problem is
named as ``FILE:LINE:COLUMN`` and all of them are reported at once; the products and
quantities are checked against the catalogue (``line_problems``) before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from omnipos_tui.core.errors import InvalidInput, PosError
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.services.stock.supplier_csv import cost_price

Field = tuple[int, str]
"""A field's 1-based column in the line and its text (stripped, unquoted)."""


@dataclass(frozen=True, slots=True)
class LineFile:
    """A file's lines as read.

    Attributes:
        lines: The lines of a right form (their products and quantities still unchecked).
        problems: What is wrong with the others, each at ``FILE:LINE:COLUMN``.
    """

    lines: list[LineInput]
    problems: list[PosError]


def read_line_file(text: str, source: str, *, costs: bool = True) -> LineFile:
    """The lines of a file's text; ``source`` names the file in messages.

    Args:
        text: The file's text.
        source: The file's name, as messages show it.
        costs: Whether a line may give a unit cost (a goods receipt), or not (a count).
    """
    out: list[LineInput] = []
    problems: list[PosError] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        fields = _fields(raw)
        where = f"{source}:{number}"
        code, quantity = fields[0], fields[1] if len(fields) > 1 else (0, "")
        if not code[1] or not quantity[1]:
            form = InvalidInput(code="stock.bad_line", what="line", text=raw.strip())
            problems.append(InvalidInput(code="stock.at", where=f"{where}:{code[0]}", problem=form))
            continue
        if len(fields) > 3:
            col = fields[3][0]
            problems.append(
                InvalidInput(
                    code="stock.too_many_fields", where=f"{where}:{col}", count=len(fields)
                )
            )
            continue
        cost = fields[2] if len(fields) == 3 else (0, "")
        if cost[1] and not costs:
            problems.append(
                InvalidInput(code="stock.count_cost", where=f"{where}:{cost[0]}", text=cost[1])
            )
            continue
        if cost[1]:
            try:
                cost_price(cost[1])
            except InvalidInput as exc:
                problems.append(
                    InvalidInput(code="stock.at", where=f"{where}:{cost[0]}", problem=exc)
                )
                continue
        out.append(
            LineInput(
                code[1],
                quantity[1],
                cost[1],
                code_at=f"{where}:{code[0]}",
                quantity_at=f"{where}:{quantity[0]}",
            )
        )
    return LineFile(out, problems)


def in_file_order(problems: list[PosError]) -> list[PosError]:
    """Problems placed at ``FILE:LINE:COLUMN`` (their ``where``) by line, then column."""

    def place(problem: PosError) -> tuple[int, int]:
        _, line, column = str(problem.params.get("where", "::")).rsplit(":", 2)
        return (int(line or 0), int(column or 0))

    return sorted(problems, key=place)


def _fields(raw: str) -> list[Field]:
    """A line split into its fields (see the module docstring), trailing empty ones dropped."""
    if "=" in raw:
        code, _, rest = raw.partition("=")
        quantity, _, cost = rest.partition("@")
        starts = (0, len(code) + 1, len(code) + 1 + len(quantity) + 1)
        parts = [(starts[0], code), (starts[1], quantity)]
        if "@" in rest:
            parts.append((starts[2], cost))
        fields = [_stripped(start, part) for start, part in parts]
    else:
        separator = ";" if ";" in raw else "\t" if "\t" in raw else ","
        fields = _split(raw, separator)
    while len(fields) > 2 and not fields[-1][1]:
        fields.pop()
    return fields


def _stripped(start: int, part: str) -> Field:
    """A field's text without surrounding blanks or quotes, at its first character."""
    lead = len(part) - len(part.lstrip())
    text = part.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].replace('""', '"').strip()
    return start + lead + 1, text


def _split(raw: str, separator: str) -> list[Field]:
    """Split on ``separator`` outside double quotes."""
    fields: list[Field] = []
    start = 0
    quoted = False
    for index, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            fields.append(_stripped(start, raw[start:index]))
            start = index + 1
    fields.append(_stripped(start, raw[start:]))
    return fields
