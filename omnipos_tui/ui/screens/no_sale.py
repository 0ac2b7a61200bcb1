"""No-sale drawer opening (F8): the cashier picks a reason, 1 Veksling, 2 Kontroll, 3 Feil
or 4 Annet (with a text); the opener journals it through the register service (13005,
counted on X/Z, a manager approves when the shop requires it) and only then opens the drawer.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen
from omnipos_tui.ui.session import TillSession

#: The reason keys and their text keys; 4 asks for the cashier's own words.
REASONS: tuple[tuple[str, str], ...] = (
    ("1", "nosale.change"),
    ("2", "nosale.check"),
    ("3", "nosale.error"),
    ("4", "nosale.other"),
)
OTHER = "4"
MAX_TEXT = 60


class NoSaleScreen(DialogScreen[str | None]):
    """The reason list; dismisses with the reason text, or None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession) -> None:
        """Ask why the drawer is opened."""
        super().__init__(session, session.translator.text("nosale.title"))
        self.other: str | None = None  # the text typed for 4 Annet, while it is typed

    def body(self) -> RenderableType:
        """The four reasons."""
        table = Table.grid(padding=(0, 2))
        table.add_row("", "")
        for digit, key in REASONS:
            table.add_row(digit, self.t(key))
        return table

    def entry_text(self) -> str:
        """The other reason's text while it is typed."""
        if self.other is None:
            return "> _"
        return f"> {self.t('nosale.other')}: {self.other}_"

    def hint(self) -> str:
        """1-4 picks, Esc cancels."""
        return self.t("nosale.hint", esc=self.key(Command.ESCAPE), enter=self.key(Command.ENTER))

    def character_typed(self, character: str) -> None:
        """1-3 pick a reason; 4 asks for a text; then characters build it."""
        if self.other is not None:
            if len(self.other) < MAX_TEXT:
                self.other += character
        elif character == OTHER:
            self.other = ""
        else:
            chosen = dict(REASONS).get(character)
            if chosen is None:
                self.say(self.t("nosale.pick", esc=self.key(Command.ESCAPE)))
                return
            self.dismiss(self.t(chosen))
            return
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter gives the typed reason; Backspace edits; Esc steps back, then cancels."""
        if self.other is not None:
            if command is Command.ENTER:
                if not self.other.strip():
                    self.say(self.t("nosale.need_text", enter=self.key(Command.ENTER)))
                    return
                self.dismiss(f"{self.t('nosale.other')}: {self.other.strip()}")
                return
            if command is Command.BACKSPACE:
                self.other = self.other[:-1]
            elif command is Command.ESCAPE:
                self.other = None if not self.other else ""
            self.redraw()
        elif command in (Command.ESCAPE, Command.NO_SALE):
            self.dismiss(None)
