"""The F12 menu: X and Z reports, a copy receipt, a pro forma receipt, training mode, cash in
and out, the print queue, hardware status, attaching a customer, voiding the whole sale,
lock and log out. The menu
only says what was chosen; ``ui/screens/dialogs.py`` carries it out through the services,
which decide what needs a manager.
"""

from __future__ import annotations

import enum

from rich.console import RenderableType
from rich.table import Table

from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen, PickList
from omnipos_tui.ui.session import TillSession


class MenuItem(enum.StrEnum):
    """A menu entry; the value is the digit that picks it ("" for arrows only)."""

    X_REPORT = "1"
    Z_REPORT = "2"
    COPY = "3"
    PRO_FORMA = "4"
    TRAINING = "5"
    CASH_IN = "6"
    CASH_OUT = "7"
    REPRINT = "8"
    HARDWARE = "9"
    CUSTOMER = "c"
    RECEIVE = "v"
    COUNT = "t"
    VOID_SALE = "a"
    LOCK = "l"
    LOG_OUT = "0"


_LABELS = {
    MenuItem.X_REPORT: "menu.x",
    MenuItem.Z_REPORT: "menu.z",
    MenuItem.COPY: "menu.copy",
    MenuItem.PRO_FORMA: "menu.proforma",
    MenuItem.CASH_IN: "menu.cash_in",
    MenuItem.CASH_OUT: "menu.cash_out",
    MenuItem.HARDWARE: "menu.hardware",
    MenuItem.CUSTOMER: "menu.customer",
    MenuItem.RECEIVE: "menu.receive",
    MenuItem.COUNT: "menu.count",
    MenuItem.VOID_SALE: "menu.void_sale",
    MenuItem.LOCK: "menu.lock",
    MenuItem.LOG_OUT: "menu.log_out",
}


class MenuScreen(DialogScreen[MenuItem | None]):
    """The menu list; dismisses with the chosen item, or None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, *, training: bool, queued: int) -> None:
        """The menu as it stands: the training item says which way it switches.

        Args:
            session: The till session.
            training: Whether training mode is on now.
            queued: Documents waiting in the print queue.
        """
        super().__init__(session, session.translator.text("menu.title"))
        self.training = training
        self.queued = queued
        self.items = PickList(list(MenuItem))

    def label(self, item: MenuItem) -> str:
        """The item's text."""
        if item is MenuItem.TRAINING:
            return self.t("menu.training_off" if self.training else "menu.training_on")
        if item is MenuItem.REPRINT:
            return self.t("menu.reprint", count=self.queued)
        return self.t(_LABELS[item])

    def body(self) -> RenderableType:
        """Digit (or letter) and text of each item; the selected one reversed."""
        table = Table.grid(padding=(0, 2))
        for index, item in enumerate(self.items.items):
            style = "reverse" if index == self.items.index else ""
            table.add_row(item.value.upper(), self.label(item), style=style)
        return table

    def hint(self) -> str:
        """Digits pick; arrows and Enter pick; Esc closes."""
        return self.t("menu.hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """A digit or letter picks its item."""
        for item in MenuItem:
            if item.value == character.lower():
                self.dismiss(item)
                return

    def command_pressed(self, command: Command) -> None:
        """Arrows move; Enter picks; Esc or F12 closes."""
        if self.items.move(command):
            self.redraw()
        elif command is Command.ENTER and self.items.current is not None:
            self.dismiss(self.items.current)
        elif command in (Command.ESCAPE, Command.MENU):
            self.dismiss(None)
