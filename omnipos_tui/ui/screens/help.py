"""F1: the keys of the till, generated from the key map table (the footer's source too)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.keymap import Keymap
from omnipos_tui.ui.screens.base import ScanPolicy, TillScreen


def help_table(keymap: Keymap, translator: Translator) -> Table:
    """Key, name and explanation of every bound command, digits first."""
    t = translator.text
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True, width=12)
    table.add_column(no_wrap=True, width=10)
    table.add_column(ratio=1)
    table.add_row(t("help.digits"), t("help.digits_label"), t("help.digits_help"))
    for keys, label, explanation in keymap.help_rows(translator.language):
        table.add_row(keys, label, explanation)
    return table


class HelpScreen(TillScreen):
    """The key list; Esc or F1 closes it, arrows scroll. Scans wait in the queue meanwhile."""

    scan_policy = ScanPolicy.QUEUE

    DEFAULT_CSS = """
    HelpScreen { layout: vertical; }
    HelpScreen #help-title { height: 1; background: $panel; text-style: bold; padding: 0 1; }
    HelpScreen #help-note { height: auto; color: red; padding: 0 1; }
    HelpScreen #help-body { height: 1fr; scrollbar-size-vertical: 1; }
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

    def compose(self) -> ComposeResult:
        """Title, the last message, the table, the closing hint."""
        t = self._t.text
        yield Static(t("help.title"), id="help-title")
        if self._note:
            yield Static(t("help.current_error", text=self._note), id="help-note")
        with VerticalScroll(id="help-body", can_focus=False):
            yield Static(help_table(self._keymap, self._t))
        yield Static("", id="help-queue")
        close = t(
            "help.close",
            esc=self._keymap.key_text(Command.ESCAPE),
            help=self._keymap.key_text(Command.HELP),
        )
        yield Static(Text(close), id="help-close")

    def command_pressed(self, command: Command) -> None:
        """Esc or F1 closes; arrows and page keys scroll."""
        body = self.query_one("#help-body", VerticalScroll)
        if command in (Command.ESCAPE, Command.HELP):
            self.dismiss()
        elif command is Command.UP:
            body.scroll_up(animate=False)
        elif command is Command.DOWN:
            body.scroll_down(animate=False)
        elif command is Command.PAGE_UP:
            body.scroll_page_up(animate=False)
        elif command is Command.PAGE_DOWN:
            body.scroll_page_down(animate=False)
        elif command is Command.FIRST:
            body.scroll_home(animate=False)
        elif command is Command.LAST:
            body.scroll_end(animate=False)

    def scan_notice(self, text: str) -> None:
        """Show "Skann i kø: n" while the help is open."""
        self.query_one("#help-queue", Static).update(text)
