"""Rows 22-23: the F-keys and number-pad keys with their labels, generated from the key map."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from omnipos_tui.ui.keymap import Keymap


def wrap_footer(entries: list[tuple[str, str]], width: int, lines: int) -> list[list[int]]:
    """Which entries go on which line: greedy, in order, `` KEY label`` each; entries that
    do not fit on the last line are left off."""
    rows: list[list[int]] = [[]]
    used = 0
    for index, (key, label) in enumerate(entries):
        size = 1 + cell_len(key) + 1 + cell_len(label)
        if used + size > width and rows[-1]:
            if len(rows) == lines:
                break
            rows.append([])
            used = 0
        if used + size <= width:
            rows[-1].append(index)
            used += size
    return rows


class KeyFooter(Widget, can_focus=False):
    """The two footer rows. The keys come from the same table as the F1 help screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-footer--key"}

    DEFAULT_CSS = """
    KeyFooter { height: 2; background: $panel; }
    KeyFooter > .key-footer--key { text-style: bold reverse; }
    """

    def __init__(self, keymap: Keymap, language: str, *, id: str | None = None) -> None:
        """Footer for a key map in one language."""
        super().__init__(id=id)
        self._entries = keymap.footer(language)

    def render(self) -> Text:
        """Both rows at the widget's width."""
        key_style = self.get_component_rich_style("key-footer--key")
        text = Text(no_wrap=True, overflow="crop")
        for row_index, row in enumerate(wrap_footer(self._entries, self.size.width, 2)):
            if row_index:
                text.append("\n")
            for index in row:
                key, label = self._entries[index]
                text.append(" ")
                text.append(key, style=key_style)
                text.append(f" {label}")
        return text
