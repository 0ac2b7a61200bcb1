"""Attach a customer to the sale (F12 menu): search the customer register by name, number
or phone as the cashier types; Enter attaches the selected customer (needed for a sale on
account). The opener asks the sale service to attach it.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from textual import work

from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import PosError
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen, PickList
from omnipos_tui.ui.session import TillSession

CUSTOMER_LIMIT = 50
MAX_QUERY = 40


class CustomerScreen(DialogScreen[Customer | None]):
    """The customer search; dismisses with the customer, or None on Esc."""

    # A text field: scans wait for the sale.
    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession) -> None:
        """Start with an empty search."""
        super().__init__(session, session.translator.text("customer.title"))
        self.search_text = ""
        self.hits: PickList[Customer] = PickList()

    def body(self) -> RenderableType:
        """Number, name and phone of each hit."""
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("customer.number"), width=10, no_wrap=True)
        table.add_column(self.t("customer.name"), ratio=1, no_wrap=True)
        table.add_column(self.t("customer.phone"), width=14, no_wrap=True)
        start, page = self.hits.window()
        for offset, customer in enumerate(page, start):
            style = "reverse" if offset == self.hits.index else ""
            table.add_row(customer.number, customer.name, customer.phone, style=style)
        return table

    def entry_text(self) -> str:
        """The search text."""
        return f"> {self.search_text}_"

    def hint(self) -> str:
        """Type, choose, Enter, Esc."""
        return self.t("customer.hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """Characters build the search text."""
        if len(self.search_text) < MAX_QUERY:
            self.search_text += character
            self._search()
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Moves, Enter attaches, Backspace edits, Esc clears then cancels."""
        if self.hits.move(command):
            self.redraw()
            return
        if command is Command.ENTER and self.hits.current is not None:
            self.dismiss(self.hits.current)
            return
        if command is Command.BACKSPACE:
            self.search_text = self.search_text[:-1]
            self._search()
        elif command is Command.ESCAPE:
            if not self.search_text:
                self.dismiss(None)
                return
            self.search_text = ""
            self._search()
        self.redraw()

    @work(exclusive=True, group="customer")
    async def _search(self) -> None:
        query = self.search_text.strip()
        customers = self.session.services.customers
        hits: list[Customer] = []
        if query:
            try:
                hits = await self.session.run_blocking(
                    lambda: customers.search(query, limit=CUSTOMER_LIMIT)
                )
            except PosError as error:
                self.say(error_text(error, self.session.translator))
                return
        self.hits.replace(hits)
        if query and not hits:
            self.say(self.t("customer.no_hits", text=query))
        else:
            self.clear_message()
        self.redraw()
