"""Count mode at the till (varetelling, F12 menu): blind counting by scanner.

Each scan adds one of the item to the open count (a quantity typed first adds that many;
a weighed item needs its weight typed first) and is stored at once, so a crash loses
nothing. The screen shows what was counted, never what the system expects (a blind
count). The pay key (+) finishes the count (a manager approves) and posts the variances;
Esc pauses: the count stays open for this or another till.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import PosError, UnknownCode
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.stock.documents import StockCount
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import PAGE_ROWS, DialogScreen
from omnipos_tui.ui.session import TillSession

MAX_TYPED = 10

#: What the screen gives back: "finish" (the pay key), or None (paused with Esc).
CountOutcome = str | None


class StockCountScreen(DialogScreen[CountOutcome]):
    """Blind counting into an open count."""

    scan_policy = ScanPolicy.ACCEPT

    def __init__(self, session: TillSession, count: StockCount) -> None:
        """Count into ``count``."""
        super().__init__(
            session,
            session.translator.text(
                "stockcount.title", number=count.number, location=count.location
            ),
        )
        self.count = count
        self.typed = ""
        self.counted: dict[str, tuple[Product, int]] = {}
        self.recent: list[str] = []

    def body(self) -> RenderableType:
        """The items counted at this till so far, newest first, with their totals."""
        if not self.recent:
            return Text(self.t("stockcount.nothing"))
        table = Table(box=None, padding=(0, 2), show_edge=False)
        table.add_column(self.t("stockcount.col_item"), no_wrap=True, max_width=50)
        table.add_column(self.t("stockcount.col_counted"), justify="right")
        for sku in self.recent[: PAGE_ROWS - 2]:
            product, quantity = self.counted[sku]
            table.add_row(f"{sku} {product.name}", format_quantity(quantity, product.unit))
        return Group(table)

    def entry_text(self) -> str:
        """The prompt with what is typed."""
        return self.t("stockcount.prompt", typed=self.typed)

    def hint(self) -> str:
        """+ finishes, Esc pauses."""
        return self.t("stockcount.hint", finish=self.key(Command.PAY), esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """Digits build a quantity for the next scan."""
        if character.isdigit() and len(self.typed) < MAX_TYPED:
            self.typed += character
            self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Comma, Backspace, + (finish) and Esc (clear, then pause)."""
        if command is Command.DECIMAL and "," not in self.typed:
            self.typed += ","
        elif command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
        elif command is Command.ESCAPE:
            if not self.typed:
                self.dismiss(None)
                return
            self.typed = ""
        elif command is Command.PAY:
            self.dismiss("finish")
            return
        self.redraw()

    def scan_arrived(self, scan: Scan) -> None:
        """Add the scanned item to the count, stored at once."""
        typed, self.typed = self.typed, ""
        try:
            product = self.session.services.catalogue.lookup(scan.code)
            if product is None:
                raise UnknownCode(scan.code)
            if not typed and product.unit is Unit.KG:
                self.say(self.t("receive.weight", name=product.name))
                self.redraw()
                return
            quantity = parse_quantity(typed or "1", product.unit, what=product.name)
            totals = self.session.services.stock_documents.add_counts(
                self.count.number,
                [LineInput(product.sku, format_quantity(quantity, product.unit))],
                employee=self.session.employee_number,
            )
        except PosError as error:
            self.say(error_text(error, self.session.translator))
            self.redraw()
            return
        self.counted[product.sku] = (product, totals[product.sku])
        if product.sku in self.recent:
            self.recent.remove(product.sku)
        self.recent.insert(0, product.sku)
        self.say(
            self.t(
                "stockcount.counted",
                name=product.name,
                quantity=format_quantity(totals[product.sku], product.unit),
            ),
            ok=True,
        )
        self.redraw()
