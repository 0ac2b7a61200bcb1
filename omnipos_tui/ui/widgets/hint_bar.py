"""The key hint at the foot of a dialog: groups such as ``Esc tilbake`` are never split.

A hint is written as groups separated by two or more spaces ("Enter selg  n * antall  Esc
tilbake"). At 80 columns some hints need two rows; Rich would break them at any space and
leave "Esc" at the end of one row and "tilbake" at the start of the next. :func:`pack_hint`
breaks only between groups (a group longer than a whole row is the one exception, and is
cut at its spaces).
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

_GROUPS = re.compile(r" {2,}")


def hint_groups(text: str) -> list[tuple[str, str]]:
    """``(separator before it, group)`` pairs of a hint; the first separator is ""."""
    parts: list[tuple[str, str]] = []
    position = 0
    separator = ""
    for match in _GROUPS.finditer(text):
        parts.append((separator, text[position : match.start()]))
        separator, position = match.group(), match.end()
    parts.append((separator, text[position:]))
    return [(sep, group) for sep, group in parts if group]


def pack_hint(text: str, width: int) -> list[str]:
    """The rows of ``text`` at ``width`` cells, broken only between groups."""
    rows: list[str] = []
    row = ""
    for separator, group in hint_groups(text.strip()):
        candidate = group if not row else row + separator + group
        if cell_len(candidate) <= width or not row:
            row = candidate
            continue
        rows.append(row)
        row = group
    if row:
        rows.append(row)
    out: list[str] = []
    for line in rows:
        # Only a single group wider than the whole row is cut, at its own spaces.
        out.extend(_wrap(line, width) if cell_len(line) > width else [line])
    return out


def _wrap(text: str, width: int) -> list[str]:
    """Plain word wrap (for a single group wider than the row)."""
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and cell_len(line) + 1 + cell_len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


class HintBar(Widget, can_focus=False):
    """Draws a hint packed by :func:`pack_hint` at the widget's width (minus padding)."""

    DEFAULT_CSS = """
    HintBar { height: 2; background: $panel; padding: 0 1; }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        """Show ``text``."""
        super().__init__(id=id, classes=classes)
        self._text = text

    @property
    def text(self) -> str:
        """The hint as given (one line)."""
        return self._text

    def show(self, text: str) -> None:
        """A new hint (drawn only when it changed)."""
        if text != self._text:
            self._text = text
            self.refresh()

    def rows(self) -> list[str]:
        """The rows as drawn at the current width."""
        return pack_hint(self._text, max(1, self.content_region.width or 78))

    def render(self) -> Text:
        """The packed rows."""
        return Text("\n".join(self.rows()), no_wrap=True, overflow="crop")
