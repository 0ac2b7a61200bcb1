"""F1: the keys of the till, generated from the key map table (the footer's source too).

At 80x24 the list does not fit on one screen; it is shown in pages, and the closing row says
which page this is and which keys the next page holds ("Side 1 av 2 – PgDn: F2 … Ctrl+L"),
so a cashier who sees only the first page knows the function keys are there.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.keymap import Keymap
from omnipos_tui.ui.screens.base import ScanPolicy, TillScreen

HelpRow = tuple[str, str, str]


def help_rows(keymap: Keymap, translator: Translator) -> list[HelpRow]:
    """Key, name and explanation of every bound command, digits first."""
    t = translator.text
    rows = [(t("help.digits"), t("help.digits_label"), t("help.digits_help"))]
    rows.extend(keymap.help_rows(translator.language))
    return rows


def help_table(rows: list[HelpRow]) -> Table:
    """The rows as a three-column table."""
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True, width=12)
    table.add_column(no_wrap=True, width=10)
    table.add_column(ratio=1)
    for keys, label, explanation in rows:
        table.add_row(keys, label, explanation)
    return table


def paginate(rows: list[HelpRow], width: int, height: int) -> list[list[HelpRow]]:
    """The rows in pages of at most ``height`` lines at ``width`` cells (a row whose
    explanation wraps takes two lines; a page holds at least one row)."""
    console = Console(width=max(width, 30), file=None, legacy_windows=False)
    options = console.options.update_width(max(width, 30))
    pages: list[list[HelpRow]] = [[]]
    used = 0
    for row in rows:
        lines = len(console.render_lines(help_table([row]), options, pad=False))
        if pages[-1] and used + lines > height:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += lines
    return pages


class HelpScreen(TillScreen):
    """The key list in pages; PgDn/↓ and PgUp/↑ turn them; Esc or F1 closes it. Scans wait
    in the queue meanwhile."""

    scan_policy = ScanPolicy.QUEUE

    DEFAULT_CSS = """
    HelpScreen { layout: vertical; }
    HelpScreen #help-title { height: 1; background: $panel; text-style: bold; padding: 0 1; }
    HelpScreen #help-note { height: auto; color: red; padding: 0 1; }
    HelpScreen #help-body { height: 1fr; }
    HelpScreen #help-queue { height: auto; color: yellow; padding: 0 1; }
    HelpScreen #help-close { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, keymap: Keymap, translator: Translator, *, note: str = "") -> None:
        """Build the list.

        Args:
            keymap: The table the keys come from.
            translator: Texts in the till's language.
            note: The last message the cashier saw (an error to explain), or "".
        """
        super().__init__()
        self._keymap = keymap
        self._t = translator
        self._note = note
        self._rows = help_rows(keymap, translator)
        self._pages: list[list[HelpRow]] = [self._rows]
        self.page = 0
        self._table = Static("", id="help-table")
        self._close = Static("", id="help-close")

    def page_keys(self) -> list[str]:
        """The keys listed on the page shown."""
        return [keys for keys, _, _ in self._pages[self.page]]

    @property
    def pages(self) -> int:
        """How many pages the list takes at the screen's size."""
        return len(self._pages)

    def compose(self) -> ComposeResult:
        """Title, the last message, the table, the closing hint."""
        t = self._t.text
        yield Static(t("help.title"), id="help-title")
        if self._note:
            yield Static(t("help.current_error", text=self._note), id="help-note")
        with Container(id="help-body"):
            yield self._table
        yield Static("", id="help-queue")
        yield self._close

    def on_mount(self) -> None:
        """Lay the pages out once the body has its size."""
        self._draw()
        self.call_after_refresh(self._layout_pages)

    def on_resize(self) -> None:
        """A new terminal size: new pages."""
        self.call_after_refresh(self._layout_pages)

    def _layout_pages(self) -> None:
        body = self.query_one("#help-body", Container).size
        if body.height <= 0 or body.width <= 0:
            return
        first = self._pages[self.page][0] if self._pages and self._pages[self.page] else None
        self._pages = paginate(self._rows, body.width, body.height)
        self.page = next((i for i, page in enumerate(self._pages) if first in page), 0)
        self._draw()

    def _draw(self) -> None:
        self._table.update(help_table(self._pages[self.page]))
        self._close.update(Text(self.close_text()))

    def close_text(self) -> str:
        """The closing row: how to close, and the page with the keys still to come."""
        t = self._t.text
        close = t(
            "help.close",
            esc=self._keymap.key_text(Command.ESCAPE),
            help=self._keymap.key_text(Command.HELP),
        )
        if len(self._pages) <= 1:
            return close
        page = t("help.page", page=self.page + 1, pages=len(self._pages))
        later = [row for page_rows in self._pages[self.page + 1 :] for row in page_rows]
        if later:
            first, last = later[0][0].split()[0], later[-1][0].split()[0]
            keys = first if first == last else f"{first} … {last}"
            more = t("help.more", key=self._keymap.key_text(Command.PAGE_DOWN), keys=keys)
            return f"{page} – {more}   {close}"
        back = t("help.back", key=self._keymap.key_text(Command.PAGE_UP))
        return f"{page} – {back}   {close}"

    def command_pressed(self, command: Command) -> None:
        """Esc or F1 closes; PgDn/↓/End turn forward, PgUp/↑/Home back."""
        if command in (Command.ESCAPE, Command.HELP):
            self.dismiss()
            return
        last = len(self._pages) - 1
        turn = {
            Command.DOWN: self.page + 1,
            Command.PAGE_DOWN: self.page + 1,
            Command.UP: self.page - 1,
            Command.PAGE_UP: self.page - 1,
            Command.FIRST: 0,
            Command.LAST: last,
        }
        if command in turn:
            page = min(max(turn[command], 0), last)
            if page != self.page:
                self.page = page
                self._draw()

    def scan_notice(self, text: str) -> None:
        """Show "Skann i kø: n" while the help is open."""
        self.query_one("#help-queue", Static).update(text)
