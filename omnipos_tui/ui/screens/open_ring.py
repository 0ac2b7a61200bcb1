"""Open ring (``149,00 F3 2``): the article group picker. The entry line takes the group's
digit directly; this list shows which group each digit means (the shop's first nine
article groups, in code order) and is opened when the digit matches no group.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.money import Money
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen
from omnipos_tui.ui.session import TillSession

#: Groups reachable from the entry line's single digit.
MAX_GROUPS = 9


def numbered_groups(groups: list[ArticleGroup]) -> list[ArticleGroup]:
    """The groups behind digits 1-9: the first nine in code order."""
    return sorted(groups, key=lambda g: (len(g.code), g.code))[:MAX_GROUPS]


class GroupPickerScreen(DialogScreen[ArticleGroup | None]):
    """Groups 1-9 for an amount; dismisses with the group, or None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, amount: Money, groups: list[ArticleGroup]) -> None:
        """Pick a group for ``amount``."""
        super().__init__(session, session.translator.text("group.title", amount=amount.format()))
        self.groups = groups

    def body(self) -> RenderableType:
        """Digit, code and name of each group."""
        table = Table.grid(padding=(0, 2))
        table.add_row("", "", "")
        for digit, group in enumerate(self.groups, 1):
            table.add_row(str(digit), group.code, group.name)
        if not self.groups:
            table.add_row("", "", self.t("group.none"))
        return table

    def hint(self) -> str:
        """1-9 picks, Esc cancels."""
        return self.t("group.hint", count=len(self.groups), esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """A digit picks its group."""
        if character.isdigit() and 1 <= int(character) <= len(self.groups):
            self.dismiss(self.groups[int(character) - 1])
        else:
            self.say(self.t("group.hint", count=len(self.groups), esc=self.key(Command.ESCAPE)))

    def command_pressed(self, command: Command) -> None:
        """Esc cancels."""
        if command in (Command.ESCAPE, Command.OPEN_RING):
            self.dismiss(None)
