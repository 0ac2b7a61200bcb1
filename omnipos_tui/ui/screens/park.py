"""Park and recall (F5, F6). F5 asks for an optional note (Enter alone skips it) and parks
the sale (13010); F6 lists the parked sales with time, cashier, note, total and till, and
Enter takes the selected one up again (13011). The services refuse what is not allowed
(payments taken, a card payment pending, a sale open at another till).
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from omnipos_tui.core.clock import OSLO
from omnipos_tui.services.sales.results import ParkedSale
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen, PickList
from omnipos_tui.ui.session import TillSession

MAX_NOTE = 60


class ParkNoteScreen(DialogScreen[str | None]):
    """The park note; dismisses with the note ("" for none), or None on Esc."""

    # A text field: a scan must never be typed into it, so scans wait for the sale.
    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, total: str) -> None:
        """Ask for a note for the sale of ``total``."""
        super().__init__(session, session.translator.text("park.title", total=total))
        self.note = ""

    def body(self) -> RenderableType:
        """The question."""
        return "\n" + self.t("park.question")

    def entry_text(self) -> str:
        """The note as typed."""
        return f"> {self.note}_"

    def hint(self) -> str:
        """Enter parks, Esc cancels."""
        return self.t("park.hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """Any printable character goes into the note."""
        if len(self.note) < MAX_NOTE:
            self.note += character
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter parks; Backspace edits; Esc clears, then cancels."""
        if command is Command.ENTER:
            self.dismiss(self.note.strip())
            return
        if command is Command.BACKSPACE:
            self.note = self.note[:-1]
        elif command is Command.DECIMAL:
            self.character_typed(",")
        elif command is Command.ESCAPE:
            if not self.note:
                self.dismiss(None)
                return
            self.note = ""
        self.redraw()


class RecallScreen(DialogScreen[str | None]):
    """The parked sales; dismisses with the chosen sale id, or None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, parked: list[ParkedSale]) -> None:
        """List ``parked`` (oldest first)."""
        super().__init__(session, session.translator.text("recall.title", count=len(parked)))
        self.parked = PickList(parked)

    def body(self) -> RenderableType:
        """Time, cashier, note, total and till of each parked sale."""
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("recall.time"), width=11, no_wrap=True)
        table.add_column(self.t("recall.cashier"), width=8, no_wrap=True)
        table.add_column(self.t("recall.note"), ratio=1, no_wrap=True)
        table.add_column(self.t("recall.lines"), justify="right", width=6)
        table.add_column(self.t("list.amount"), justify="right", width=10)
        table.add_column(self.t("recall.till"), justify="right", width=6)
        start, page = self.parked.window()
        for offset, sale in enumerate(page, start):
            at = sale.parked_at.astimezone(OSLO).strftime("%d.%m %H:%M")
            table.add_row(
                at,
                sale.employee,
                sale.note,
                str(sale.line_count),
                sale.total.format(thousands=True),
                sale.register_id,
                style="reverse" if offset == self.parked.index else "",
            )
        return table

    def hint(self) -> str:
        """↑↓ choose, Enter recalls, Esc closes."""
        return self.t("recall.hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE))

    def command_pressed(self, command: Command) -> None:
        """Moves; Enter recalls the selected sale; Esc closes."""
        if self.parked.move(command):
            self.redraw()
        elif command is Command.ENTER and self.parked.current is not None:
            self.dismiss(self.parked.current.sale_id)
        elif command in (Command.ESCAPE, Command.RECALL):
            self.dismiss(None)
