"""The product-info key (``ctrl+b`` by default): an item's stock per location, what is on
order and when the next delivery comes, without leaving the sale. It opens for the typed
article number, the selected line, or (on an empty sale) the next scan; while it is open
every scan shows that item's stock. Esc goes back to the sale as it was.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from omnipos_tui.core.errors import PosError
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.stock.figures import ProductStock
from omnipos_tui.core.stock.quantity import format_quantity
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen
from omnipos_tui.ui.session import TillSession


class StockInfoScreen(DialogScreen[None]):
    """One item's stock; a scan shows another's."""

    scan_policy = ScanPolicy.ACCEPT

    def __init__(self, session: TillSession, code: str | None) -> None:
        """Show the stock of ``code`` (a SKU or barcode), or wait for a scan."""
        super().__init__(session, session.translator.text("stock.title"))
        self.stock: ProductStock | None = None
        self.code = code

    def on_mount(self) -> None:
        """Look the item up, then draw."""
        if self.code:
            self.look_up(self.code)
        self.redraw()

    def look_up(self, code: str) -> None:
        """Read an item's stock from the stock service."""
        try:
            self.stock = self.session.services.stock.show(code, moves=0)
        except PosError as error:
            self.say(error_text(error, self.session.translator))
            return
        self.clear_message()

    def body(self) -> RenderableType:
        """Per location on hand, reserved and available; totals; orders; sales."""
        stock = self.stock
        if stock is None:
            return Text(self.t("stock.scan"))
        unit = stock.product.unit
        table = Table(box=None, padding=(0, 2), show_edge=False)
        table.add_column(self.t("stock.location"))
        for key in ("stock.on_hand", "stock.reserved", "stock.available"):
            table.add_column(self.t(key), justify="right")
        for loc in stock.locations:
            if loc.location == "transit":
                continue
            style = "bold red" if loc.on_hand < 0 else ""
            table.add_row(
                loc.location,
                format_quantity(loc.on_hand, unit),
                format_quantity(loc.reserved, unit),
                format_quantity(loc.available, unit),
                style=style,
            )
        table.add_row(
            Text(self.t("stock.total"), style="bold"),
            format_quantity(stock.on_hand, unit),
            format_quantity(stock.reserved, unit),
            format_quantity(stock.available, unit),
            style="bold",
        )
        lines: list[RenderableType] = [
            Text(f"{stock.product.sku}  {stock.product.name}", style="bold"),
            table,
        ]
        if stock.in_transit:
            lines.append(
                Text(self.t("stock.transit", quantity=format_quantity(stock.in_transit, unit)))
            )
        upcoming = stock.next_delivery
        if upcoming is None:
            lines.append(Text(self.t("stock.none_ordered")))
        else:
            lines.append(
                Text(self.t("stock.on_order", quantity=format_quantity(stock.on_order_total, unit)))
            )
            when = upcoming.expected.strftime("%d.%m.%Y") if upcoming.expected else None
            lines.append(
                Text(
                    self.t(
                        "stock.next",
                        quantity=format_quantity(upcoming.outstanding, unit),
                        supplier=upcoming.supplier,
                        date=when or self.t("stock.no_date"),
                    ),
                    style="bold green",
                )
            )
        lines.append(
            Text(
                self.t(
                    "stock.sold",
                    d7=format_quantity(stock.sold.get("7d", 0), unit),
                    d30=format_quantity(stock.sold.get("30d", 0), unit),
                )
            )
        )
        if stock.negative:
            lines.append(Text(self.t("stock.negative"), style="bold red"))
        return Group(*lines)

    def hint(self) -> str:
        """A scan shows another item; Esc goes back."""
        return self.t("stock.hint", esc=self.key(Command.ESCAPE))

    def command_pressed(self, command: Command) -> None:
        """Esc, Enter or the info key close the panel."""
        if command in (Command.ESCAPE, Command.ENTER, Command.STOCK_INFO):
            self.dismiss(None)

    def scan_arrived(self, scan: Scan) -> None:
        """Show the scanned item's stock."""
        self.look_up(scan.code)
        self.redraw()
