"""Price check (numpad ``/`` then a scan or PLU): name, price, group and VAT of an item;
sells nothing. The look-up itself is journaled by the sale service (13022) before this
panel opens. Esc closes it; the next scan closes it and goes to the sale (TILL-UX B4).
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.ports import Scan
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen
from omnipos_tui.ui.session import TillSession, percent_text


class PriceCheckScreen(DialogScreen[None]):
    """The price of one item."""

    scan_policy = ScanPolicy.ACCEPT

    def __init__(self, session: TillSession, product: Product, group_name: str) -> None:
        """Show ``product`` (already looked up and journaled)."""
        super().__init__(session, session.translator.text("price.title"))
        self.product = product
        self.group_name = group_name

    def body(self) -> RenderableType:
        """Name big, then price, unit, group and VAT."""
        p = self.product
        table = Table.grid(padding=(0, 2))
        table.add_row("", "")
        table.add_row(self.t("price.item"), Text(p.name, style="bold"))
        unit = self.t("price.per_kg") if p.unit is Unit.KG else ""
        table.add_row(
            self.t("price.price"), Text(f"{p.price.format(thousands=True)} {unit}".strip(), "bold")
        )
        table.add_row(self.t("price.group"), f"{p.group} {self.group_name}".strip())
        table.add_row(self.t("price.vat"), percent_text(p.vat.percent))
        table.add_row(self.t("price.sku"), p.sku)
        if not p.active:
            table.add_row("", Text(self.t("price.inactive"), style="bold red"))
        return table

    def hint(self) -> str:
        """Esc closes; a scan sells as usual."""
        return self.t("price.hint", esc=self.key(Command.ESCAPE))

    def command_pressed(self, command: Command) -> None:
        """Esc, Enter or ``/`` close the panel."""
        if command in (Command.ESCAPE, Command.ENTER, Command.PRICE_CHECK):
            self.dismiss(None)

    def scan_arrived(self, scan: Scan) -> None:
        """The next scan closes the panel and goes to the sale."""
        till = self.till
        self.dismiss(None)
        till.call_after_refresh(till.deliver_scan, scan)
