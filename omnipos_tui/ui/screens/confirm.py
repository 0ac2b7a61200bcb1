"""A question that needs a deliberate yes: ``1`` confirms, Esc says no (Enter does neither,
so a double Enter never confirms). Scans are refused with a tone while it is open
(TILL-UX §2.1: a confirmation dialog). Used before voiding a whole sale and before a Z
report on a day that does not look finished."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen
from omnipos_tui.ui.session import TillSession


class ConfirmScreen(DialogScreen[bool]):
    """Title, what will happen, and ``1 = <yes>   Esc = nei``; dismisses True on ``1``."""

    scan_policy = ScanPolicy.REFUSE

    def __init__(self, session: TillSession, title: str, lines: list[str], yes: str) -> None:
        """Ask ``title``.

        Args:
            session: The till session.
            title: The question ("Annullere hele salget?").
            lines: What the cashier should know before answering, one per row.
            yes: What ``1`` does ("annuller salget").
        """
        super().__init__(session, title)
        self.lines = lines
        self.yes = yes

    def body(self) -> RenderableType:
        """The facts, one per row."""
        text = Text()
        for line in self.lines:
            text.append("\n" + line)
        return text

    def hint(self) -> str:
        """``1`` confirms, Esc does not."""
        return self.t("confirm.hint", yes=self.yes, esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """``1`` confirms; any other key is answered with the hint."""
        if character == "1":
            self.dismiss(True)
        else:
            self.say(self.hint())

    def command_pressed(self, command: Command) -> None:
        """Esc says no; Enter and the rest do nothing but repeat the hint."""
        if command is Command.ESCAPE:
            self.dismiss(False)
        elif command is Command.ENTER:
            self.say(self.hint())
