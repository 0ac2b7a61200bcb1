"""Product search (F2, or letters typed on the sale screen): an incremental list by name,
brand or article number; ↑↓ PgUp PgDn move, Enter sells the selected item, ``3 *`` before
Enter sells three, and a scan inside search sells the scanned item directly (TILL-UX B4).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rich.console import RenderableType
from rich.table import Table
from textual import work

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.ports import Scan
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.entry import MAX_QUANTITY
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen, PickList
from omnipos_tui.ui.session import TillSession, quantity_text

#: Hits fetched per search; more is a sign the cashier should type more.
SEARCH_LIMIT = 200
MAX_QUERY = 40


@dataclass(frozen=True, slots=True)
class SearchPick:
    """What to sell: a code the sale service knows (SKU, PLU or barcode) and how many."""

    code: str
    quantity: Decimal | None = None


class SearchScreen(DialogScreen[SearchPick | None]):
    """The search list; dismisses with the pick, or None on Esc."""

    scan_policy = ScanPolicy.ACCEPT

    def __init__(self, session: TillSession, text: str = "") -> None:
        """Open search, pre-filled with ``text`` (the letters typed on the sale screen)."""
        super().__init__(session, session.translator.text("search.title"))
        self.search_text = text[:MAX_QUERY]
        self.quantity: Decimal | None = None
        self.hits: PickList[Product] = PickList()
        self.searched = ""

    def on_mount(self) -> None:
        """Draw, then search for the pre-filled text."""
        super().on_mount()
        self._search()

    # --- drawing ----------------------------------------------------------------------

    def body(self) -> RenderableType:
        """One row per hit: article number, name, price; the selected row reversed."""
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("search.sku"), width=14, no_wrap=True)
        table.add_column(self.t("list.item"), ratio=1, no_wrap=True)
        table.add_column(self.t("list.unit_price"), justify="right", width=10)
        start, page = self.hits.window()
        for offset, product in enumerate(page, start):
            style = "reverse" if offset == self.hits.index else ""
            table.add_row(
                product.sku, product.name, product.price.format(thousands=True), style=style
            )
        return table

    def entry_text(self) -> str:
        """``> 3 × melk_``."""
        pending = f"{quantity_text(self.quantity)} × " if self.quantity is not None else ""
        return f"> {pending}{self.search_text}_"

    def hint(self) -> str:
        """What the keys do and how many hits there are."""
        count = len(self.hits.items)
        shown = f"{count}+" if count >= SEARCH_LIMIT else str(count)
        return self.t(
            "search.hint",
            enter=self.key(Command.ENTER),
            quantity=self.key(Command.QUANTITY),
            esc=self.key(Command.ESCAPE),
            count=shown,
        )

    # --- input ------------------------------------------------------------------------

    def character_typed(self, character: str) -> None:
        """Letters, digits and spaces build the search text."""
        if len(self.search_text) < MAX_QUERY:
            self.search_text += character
            self._search()
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Moves, Enter sells, ``*`` takes the number typed as the quantity, Esc steps back."""
        if self.hits.move(command):
            self.redraw()
            return
        if command is Command.ENTER:
            self._sell()
        elif command is Command.QUANTITY:
            self._take_quantity()
        elif command is Command.DECIMAL:
            self.character_typed(",")
        elif command is Command.BACKSPACE:
            if self.search_text:
                self.search_text = self.search_text[:-1]
                self._search()
            elif self.quantity is not None:
                self.search_text, self.quantity = quantity_text(self.quantity), None
        elif command in (Command.ESCAPE, Command.SEARCH):
            self._escape()
        self.redraw()

    def scan_arrived(self, scan: Scan) -> None:
        """A scan is a direct hit: sell that item (with a pending quantity)."""
        self.dismiss(SearchPick(scan.code, self.quantity))

    def _escape(self) -> None:
        if self.search_text:
            self.search_text = ""
            self._search()
        elif self.quantity is not None:
            self.quantity = None
        else:
            self.dismiss(None)

    def _take_quantity(self) -> None:
        head, _, last = self.search_text.rpartition(" ")
        try:
            quantity = Decimal(last.replace(",", "."))
        except InvalidOperation:
            quantity = None
        if quantity is None or not Decimal(0) < quantity <= MAX_QUANTITY:
            self.say(self.t("search.quantity_first", quantity=self.key(Command.QUANTITY)))
            return
        self.quantity, self.search_text = quantity, head
        self.clear_message()
        self._search()

    def _sell(self) -> None:
        product = self.hits.current
        if product is None or self.searched != self.search_text:
            self.say(self.t("search.nothing"))
            return
        self.dismiss(SearchPick(product.sku, self.quantity))

    @work(exclusive=True, group="search")
    async def _search(self) -> None:
        query = self.search_text.strip()
        catalogue = self.session.services.catalogue
        if not query:
            hits: list[Product] = []
        else:
            try:
                hits = await self.session.run_blocking(
                    lambda: catalogue.search(query, limit=SEARCH_LIMIT, active_only=True)
                )
            except PosError as error:
                self.say(error_text(error, self.session.translator))
                return
        self.hits.replace(hits)
        self.searched = self.search_text
        if query and not hits:
            self.say(self.t("search.no_hits", text=query))
        else:
            self.clear_message()
        self.redraw()
