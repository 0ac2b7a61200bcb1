"""A new customer order at the till (special order, click and collect): the items the
customer wants, scanned or typed (``3 *`` before for a quantity), each with what is
available now. The pay key makes the order (picked up in the shop, paid at the pick-up);
``-`` removes the chosen line; Esc twice discards it. The scanner is this screen's while it
is open. The screen only collects the lines; the order service reserves them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import PosError, UnknownCode
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import PAGE_ROWS, DialogScreen, PickList
from omnipos_tui.ui.session import TillSession

MAX_TYPED = 20


@dataclass
class WantedLine:
    """An item on the new order."""

    product: Product
    quantity: int
    available: int


class OrderEntryScreen(DialogScreen[list[LineInput] | None]):
    """The items of a new order; dismisses with its lines, or None when discarded."""

    scan_policy = ScanPolicy.ACCEPT

    def __init__(self, session: TillSession, customer: Customer) -> None:
        """Start an empty order for ``customer``."""
        super().__init__(
            session, session.translator.text("order_entry.title", customer=customer.name)
        )
        self.customer = customer
        self.typed = ""
        self.quantity = ""
        self.lines = PickList[WantedLine]([], page=PAGE_ROWS - 2)
        self.discarding = False

    def body(self) -> RenderableType:
        """Item, quantity, available now and price per line."""
        if not self.lines.items:
            return Text(self.t("order_entry.empty"))
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("order_entry.col_item"), ratio=1, no_wrap=True)
        table.add_column(self.t("order_entry.col_qty"), width=8, justify="right")
        table.add_column(self.t("order_entry.col_available"), width=9, justify="right")
        table.add_column(self.t("order_entry.col_price"), width=10, justify="right")
        start, page = self.lines.window()
        for index, line in enumerate(page, start):
            unit = line.product.unit
            short = line.available < line.quantity
            table.add_row(
                f"{line.product.sku} {line.product.name}",
                format_quantity(line.quantity, unit),
                Text(format_quantity(line.available, unit), style="bold red" if short else ""),
                line.product.price.format(),
                style="reverse" if index == self.lines.index else "",
            )
        return Group(table)

    def entry_text(self) -> str:
        """The pending quantity and what is typed."""
        pending = f"{self.quantity} × " if self.quantity else ""
        return self.t("order_entry.prompt", typed=pending + self.typed)

    def hint(self) -> str:
        """The keys."""
        return self.t(
            "order_entry.hint",
            create=self.key(Command.PAY),
            void=self.key(Command.VOID),
            esc=self.key(Command.ESCAPE),
        )

    def character_typed(self, character: str) -> None:
        """Digits build the article number (or the quantity)."""
        if len(self.typed) < MAX_TYPED and character.isalnum():
            self.typed += character
            self.discarding = False
            self.redraw()

    def command_pressed(self, command: Command) -> None:
        """``*`` takes the typed number as the quantity; Enter adds the typed item; ``-``
        removes the chosen line; + makes the order; Esc clears, then discards."""
        if self.lines.move(command):
            self.redraw()
        elif command is Command.DECIMAL:
            if "," not in self.typed:
                self.typed += ","
                self.redraw()
        elif command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
            self.redraw()
        elif command is Command.QUANTITY:
            self.quantity, self.typed = self.typed, ""
            self.redraw()
        elif command is Command.ENTER:
            typed, self.typed = self.typed.strip(), ""
            if typed:
                self.scan_arrived(Scan(typed, 0.0))
            else:
                self.redraw()
        elif command is Command.VOID and self.lines.current is not None:
            del self.lines.items[self.lines.index]
            self.lines.index = max(0, min(self.lines.index, len(self.lines.items) - 1))
            self.redraw()
        elif command is Command.PAY and self.lines.items:
            self.dismiss(
                [
                    LineInput(line.product.sku, format_quantity(line.quantity, line.product.unit))
                    for line in self.lines.items
                ]
            )
        elif command is Command.ESCAPE:
            self._escape()

    def _escape(self) -> None:
        if self.typed or self.quantity:
            self.typed = self.quantity = ""
            self.redraw()
            return
        if self.lines.items and not self.discarding:
            self.discarding = True
            self.say(self.t("order_entry.discard", esc=self.key(Command.ESCAPE)))
            return
        self.dismiss(None)

    def scan_arrived(self, scan: Scan) -> None:
        """An item: the pending quantity of it (else one), its line chosen."""
        services = self.session.services
        product = services.catalogue.lookup(scan.code)
        if product is None:
            self.say(error_text(UnknownCode(scan.code), self.session.translator))
            self.redraw()
            return
        pending, self.quantity = self.quantity, ""
        try:
            if pending:
                quantity = parse_quantity(pending, product.unit, what=product.name)
            elif product.unit is Unit.KG:
                self.say(self.t("order_entry.weight", name=product.name))
                self.redraw()
                return
            else:
                quantity = 1000
            available = services.stock.show(product.sku, moves=0).available
        except PosError as error:
            self.say(error_text(error, self.session.translator))
            self.redraw()
            return
        for index, line in enumerate(self.lines.items):
            if line.product.sku == product.sku:
                line.quantity += quantity
                line.available = available
                self.lines.index = index
                break
        else:
            self.lines.items.append(WantedLine(product, quantity, available))
            self.lines.index = len(self.lines.items) - 1
        self.discarding = False
        self.say(
            self.t(
                "order_entry.added",
                quantity=format_quantity(quantity, product.unit),
                name=product.name,
            ),
            ok=True,
        )
        self.redraw()
