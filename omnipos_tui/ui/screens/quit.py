"""Quitting the till program: only from the lock screen (F12 there), confirmed with ``1``.

A cashier cannot drop the till to a shell by accident (Ctrl+Q and Ctrl+C do nothing); at
closing time the lock screen's menu key asks once and ``1`` ends the program. Open sales
stay stored and come back at the next log-in.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy, TillScreen


class QuitScreen(TillScreen[bool]):
    """ "Avslutte kassen?": ``1`` dismisses True (quit), Esc dismisses False."""

    scan_policy = ScanPolicy.REFUSE

    DEFAULT_CSS = """
    QuitScreen { align: center middle; background: $background 60%; }
    QuitScreen #quit-box {
        width: 50; height: 6; border: heavy $accent; background: $panel; padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._box = Static(id="quit-box")

    def compose(self) -> ComposeResult:
        """One framed question."""
        yield self._box

    def on_mount(self) -> None:
        """Ask."""
        t = self.till.translator.text
        esc = self.till.keymap.key_text(Command.ESCAPE)
        self._box.update(f"{t('quit.title')}\n\n{t('quit.hint', esc=esc)}")

    def command_pressed(self, command: Command) -> None:
        """Esc: back to the lock screen."""
        if command is Command.ESCAPE:
            self.dismiss(False)

    def character_typed(self, character: str) -> None:
        """``1``: quit."""
        if character == "1":
            self.dismiss(True)
