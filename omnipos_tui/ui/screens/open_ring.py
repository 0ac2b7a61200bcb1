"""Open ring (``149,00 F3``): the list of the shop's article groups, numbered 1 to n in code
order. The group's number picks it (``149,00 F3 2``): at once when no other number starts
with the digits typed, else with Enter (``1`` then ``2`` Enter for group 12 of 12); the
arrows and Enter pick from the list too. Every group is reachable, however many there are.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.money import Money
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen, PickList
from omnipos_tui.ui.session import TillSession


def numbered_groups(groups: list[ArticleGroup]) -> list[ArticleGroup]:
    """The groups in the order of their numbers 1..n: by code."""
    return sorted(groups, key=lambda g: (len(g.code), g.code))


class GroupPickerScreen(DialogScreen[ArticleGroup | None]):
    """The groups for an amount; dismisses with the group, or None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, amount: Money, groups: list[ArticleGroup]) -> None:
        """Pick a group for ``amount`` among ``groups`` (numbered in the order given)."""
        super().__init__(
            session, session.translator.text("group.title", amount=amount.format(thousands=True))
        )
        self.groups = groups
        self.list = PickList(groups)
        self.typed = ""

    def body(self) -> RenderableType:
        """Number, code and name of each group; the highlighted one reversed."""
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right")
        table.add_column()
        table.add_column()
        start, page = self.list.window()
        for index, group in enumerate(page, start):
            style = "reverse" if index == self.list.index else ""
            table.add_row(str(index + 1), group.code, group.name, style=style)
        if not self.groups:
            table.add_row("", "", self.t("group.none"))
        return table

    def entry_text(self) -> str:
        """The group number typed so far."""
        return f"> {self.typed}_"

    def hint(self) -> str:
        """Number picks, arrows and Enter pick, Esc cancels."""
        return self.t(
            "group.hint",
            count=len(self.groups),
            enter=self.key(Command.ENTER),
            esc=self.key(Command.ESCAPE),
        )

    def character_typed(self, character: str) -> None:
        """A digit: the group's number; taken at once when no longer number starts so."""
        if not character.isdigit() or not self.groups:
            return
        typed = (self.typed + character).lstrip("0")
        count = len(self.groups)
        if not typed or int(typed) > count:
            self.say(self.t("group.no_such", number=self.typed + character, count=count))
            self.typed = ""
            self.redraw()
            return
        self.typed = typed
        self.list.index = int(typed) - 1
        if int(typed) * 10 > count:  # no longer number starts with these digits
            self.dismiss(self.groups[int(typed) - 1])
            return
        self.clear_message()
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Arrows move; Enter takes the typed number or the highlighted group; Backspace
        edits; Esc clears, then cancels."""
        if self.list.move(command):
            self.typed = ""
        elif command is Command.ENTER and self.list.current is not None:
            self.dismiss(self.list.current)
            return
        elif command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
            if self.typed:
                self.list.index = int(self.typed) - 1
        elif command in (Command.ESCAPE, Command.OPEN_RING):
            if self.typed and command is Command.ESCAPE:
                self.typed = ""
            else:
                self.dismiss(None)
                return
        self.redraw()
