"""CSV cells that a spreadsheet opens as text, never as a formula.

Excel, LibreOffice and Numbers run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula when they open a CSV file: a product named
``=cmd|' /C calc'!A0`` in an export would run a program on the owner's machine. Every CSV
file OmniPOS writes passes its cells through :func:`safe_cell`, which puts an apostrophe in
front of such a cell (the spreadsheets' own "this is text" mark); a plain number such as
``-0.40`` stays as it is. :func:`read_cell` takes the apostrophe off again, so a file we
wrote reads back to the same values (a cell that started with an apostrophe of its own is
written with a second one for that).
"""

from __future__ import annotations

import re

__all__ = ["read_cell", "safe_cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def safe_cell(value: object) -> str:
    """``value`` as a cell a spreadsheet shows as text: ``'`` in front of one that would
    start a formula, or that starts with ``'`` itself; numbers unchanged.

    >>> safe_cell("=1+2"), safe_cell("-0.40"), safe_cell("Kaffe"), safe_cell("'sitat")
    ("'=1+2", '-0.40', 'Kaffe', "''sitat")
    """
    text = str(value)
    if text.startswith("'") or (text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text)):
        return "'" + text
    return text


def read_cell(text: str) -> str:
    """A cell as :func:`safe_cell` got it: one leading ``'`` taken off where
    :func:`safe_cell` put it (before a formula start or another ``'``).

    >>> read_cell("'=1+2"), read_cell("''sitat"), read_cell("'sitat")
    ('=1+2', "'sitat", "'sitat")
    """
    if text.startswith("'") and text[1:].startswith(("'", *_FORMULA_START)):
        return text[1:]
    return text
