"""A printable document (receipt, report, test page) as pure data.

Layouts (``core/receipt_layout.py``) produce documents for a paper width; printer drivers
render them to bytes. A document says *what* to print, never *how* a printer encodes it.
Text must only use characters the printer's code page has: :func:`printable` maps the
usual offenders (en dash, curly quotes, €) to safe equivalents.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Align(enum.StrEnum):
    """Horizontal alignment of a line."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text.

    Attributes:
        text: The text, at most the paper's columns (half of them when ``double``).
        bold: Emphasised.
        double: Double width and height (markings such as «KOPI» must be ≥ 50 % larger).
        align: Left, centre or right.
    """

    text: str
    bold: bool = False
    double: bool = False
    align: Align = Align.LEFT


@dataclass(frozen=True, slots=True)
class Rule:
    """A full-width line of ``char``."""

    char: str = "-"


@dataclass(frozen=True, slots=True)
class Barcode:
    """A barcode printed by the printer itself.

    Attributes:
        data: The digits.
        symbology: "EAN13", "EAN8" or "CODE128".
    """

    data: str
    symbology: str = "EAN13"


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code printed by the printer's own QR engine.

    Attributes:
        data: The encoded text.
        size: Module size 1-16.
    """

    data: str
    size: int = 4


@dataclass(frozen=True, slots=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True, slots=True)
class Logo:
    """The shop logo configured for the printer (printed only where one is configured)."""


@dataclass(frozen=True, slots=True)
class Cut:
    """Feed and cut the paper."""


Item = TextLine | Rule | Barcode | QrCode | Feed | Logo | Cut


@dataclass(frozen=True, slots=True)
class Document:
    """A whole printout.

    Attributes:
        title: What it is ("Salgskvittering 123"), for queues and logs; not printed.
        columns: The paper width in characters it was laid out for (32, 42 or 48).
        items: What to print, top to bottom.
        kick_drawer: Open the cash drawer after printing (cash sales).
    """

    title: str
    columns: int
    items: tuple[Item, ...] = field(default=())
    kick_drawer: bool = False

    def text(self) -> str:
        """The printable text, one line per text item, for previews, logs and tests."""
        out: list[str] = []
        for item in self.items:
            if isinstance(item, TextLine):
                width = self.columns // 2 if item.double else self.columns
                if item.align is Align.CENTER:
                    out.append(item.text.center(width).rstrip())
                elif item.align is Align.RIGHT:
                    out.append(item.text.rjust(width))
                else:
                    out.append(item.text)
            elif isinstance(item, Rule):
                out.append(item.char * self.columns)
            elif isinstance(item, Feed):
                out.extend([""] * item.lines)
            elif isinstance(item, Barcode):
                out.append(f"[{item.symbology} {item.data}]")
            elif isinstance(item, QrCode):
                out.append(f"[QR {item.data}]")
        return "\n".join(out)


_REPLACEMENTS = {
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',  # «
    "\u00bb": '"',  # »
    "\u2026": "...",
    "\u00a0": " ",
    "\u00d7": "x",  # ×
    "\u2713": "*",
    "\u20ac": "EUR",
}


def printable(text: str) -> str:
    """Text with characters outside the common receipt code pages replaced.

    CP865 and CP858 both have æøåÆØÅ, but no en dash, curly quotes or «»; € exists only in
    CP858, so it is written "EUR" unless a driver pinned to CP858 prints it itself.
    """
    return "".join(_REPLACEMENTS.get(ch, ch) for ch in text)
