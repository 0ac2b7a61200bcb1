"""What every till dialog shares: the 80x24 frame and a paged pick list.

A dialog is a full-screen :class:`TillScreen` over the sale: a title row, a body, a message
row (green ✓ or red ✗ with a tone), the dialog's entry line and a key hint. It talks to the
services through the :class:`TillSession` and hands its answer back with ``dismiss(...)``;
the opener (``ui/screens/dialogs.py``) carries the answer to the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static
from typing_extensions import TypeVar

from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.keymap import key_of_event
from omnipos_tui.ui.screens.base import ResultT, TillScreen
from omnipos_tui.ui.session import TillSession
from omnipos_tui.ui.widgets.hint_bar import HintBar

ItemT = TypeVar("ItemT")

#: Rows of a list that fit between the title and the message row at 80x24.
PAGE_ROWS = 15


class DialogScreen(TillScreen[ResultT], Generic[ResultT]):
    """The frame of a dialog. Subclasses draw ``body()`` and handle keys.

    Attributes:
        session: The till session (services, register, employee, sale).
    """

    DEFAULT_CSS = """
    DialogScreen { layout: vertical; }
    DialogScreen .dialog-title { height: 1; background: $panel; text-style: bold; padding: 0 1; }
    DialogScreen .dialog-body { height: 1fr; padding: 0 1; }
    DialogScreen .dialog-message { height: 1; padding: 0 1; }
    DialogScreen .dialog-entry { height: 1; padding: 0 1; text-style: bold; }
    DialogScreen .dialog-hint { height: 2; background: $panel; padding: 0 1; }
    """

    def __init__(self, session: TillSession, title: str) -> None:
        """Frame a dialog.

        Args:
            session: The till session.
            title: The title row.
        """
        super().__init__()
        self.session = session
        self._dlg_title = title
        self._dlg_body = Static("", classes="dialog-body")
        self._dlg_message = Static("", classes="dialog-message")
        self._dlg_entry = Static("", classes="dialog-entry")
        self._dlg_hint = HintBar(classes="dialog-hint")

    def t(self, key: str, /, **values: object) -> str:
        """A text in the till's language."""
        return self.session.translator.text(key, **values)

    def key(self, command: Command) -> str:
        """The key that sends ``command`` ("Esc", "F12"), for hints and messages."""
        return self.till.keymap.key_text(command)

    def compose(self) -> ComposeResult:
        """Title, body, message, entry line and hint."""
        yield Static(Text(self._dlg_title), classes="dialog-title")
        yield self._dlg_body
        yield self._dlg_message
        yield self._dlg_entry
        yield self._dlg_hint

    def on_mount(self) -> None:
        """Draw the first state."""
        self.redraw()

    def redraw(self) -> None:
        """Draw the body, the entry line and the hint again from the dialog's state."""
        self._dlg_body.update(self.body())
        self._dlg_entry.update(Text(self.entry_text()))
        self._dlg_hint.show(self.hint())

    def body(self) -> RenderableType:
        """What the dialog shows."""
        return ""

    def entry_text(self) -> str:
        """The dialog's entry line ("" for none)."""
        return ""

    def hint(self) -> str:
        """The keys this dialog takes."""
        return ""

    def say(self, text: str, *, ok: bool = False) -> None:
        """Show a message; a refusal sounds the error tone."""
        if not ok:
            self.app.bell()
        mark, style = ("✓", "green") if ok else ("✗", "bold red")
        self._dlg_message.update(Text(f"{mark} {text}", style=style) if text else "")

    def clear_message(self) -> None:
        """Blank the message row."""
        self._dlg_message.update("")

    def scan_notice(self, text: str) -> None:
        """A scan was queued or refused while this dialog is open."""
        self.say(text, ok=True)

    def key_pressed(self, key: str, character: str | None) -> None:
        """F1 opens the key list over any dialog; every other key goes to the dialog."""
        if self.till.keymap.command_for(key_of_event(key, character)) is Command.HELP:
            self.till.show_help()
            return
        super().key_pressed(key, character)


class PickList(Generic[ItemT]):
    """A list the cashier moves through with ↑↓ PgUp PgDn Home End (no Textual)."""

    def __init__(self, items: Sequence[ItemT] = (), page: int = PAGE_ROWS) -> None:
        """Start at the first item."""
        self.items: list[ItemT] = list(items)
        self.index = 0
        self.page = page

    def replace(self, items: Sequence[ItemT]) -> None:
        """New items (a new search); the selection goes back to the first."""
        self.items = list(items)
        self.index = 0

    @property
    def current(self) -> ItemT | None:
        """The selected item, or None when the list is empty."""
        return self.items[self.index] if self.items else None

    def move(self, command: Command) -> bool:
        """Move the selection; False when ``command`` is not a move."""
        last = len(self.items) - 1
        steps = {
            Command.UP: self.index - 1,
            Command.DOWN: self.index + 1,
            Command.PAGE_UP: self.index - self.page,
            Command.PAGE_DOWN: self.index + self.page,
            Command.FIRST: 0,
            Command.LAST: last,
        }
        if command not in steps:
            return False
        self.index = max(0, min(steps[command], last))
        return True

    def window(self) -> tuple[int, list[ItemT]]:
        """The page around the selection: its first index and its items."""
        start = (self.index // self.page) * self.page
        return start, self.items[start : start + self.page]
