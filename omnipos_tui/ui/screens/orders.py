"""The till's customer orders (F12 menu): today's pick-ups and the late orders; the cashier
scans an order's barcode (printed on its confirmation), types its number or picks it from
the list, and Enter starts the pick-up. The pay key makes a new order; the quantity key and
the price-check key print an order's pick list and confirmation. The screen only says what
was chosen; ``ui/screens/order_actions.py`` carries it out through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from omnipos_tui.core.orders.order import PaymentState, order_number_of
from omnipos_tui.core.orders.ports import OrderSummary
from omnipos_tui.core.ports import Scan
from omnipos_tui.services.orders.service import TillOrders
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import PAGE_ROWS, DialogScreen, PickList
from omnipos_tui.ui.session import TillSession

MAX_TYPED = 20


@dataclass(frozen=True, slots=True)
class OrderChoice:
    """What the cashier asked for.

    Attributes:
        kind: "pickup", "new", "picklist" or "confirmation".
        number: The order ("new": None).
    """

    kind: str
    number: int | None = None


@dataclass(frozen=True, slots=True)
class _Row:
    order: OrderSummary
    late: bool


def typed_order(text: str) -> int | None:
    """The order a typed number or scanned barcode names, or None."""
    code = text.strip()
    number = order_number_of(code)
    if number is None and code.isdigit() and 0 < len(code) <= 12:
        number = int(code)
    return number


class OrdersScreen(DialogScreen[OrderChoice | None]):
    """Pick-ups and late orders; dismisses with the choice, or None on Esc."""

    scan_policy = ScanPolicy.ACCEPT  # the order's barcode

    def __init__(self, session: TillSession, orders: TillOrders, today: date) -> None:
        """Show ``orders`` as of ``today``."""
        super().__init__(session, session.translator.text("orders.title"))
        self.today = today
        seen = {o.number for o in orders.pickups}
        rows = [_Row(o, o.late(today)) for o in orders.pickups]
        rows += [_Row(o, True) for o in orders.late if o.number not in seen]
        self.counts = (len(orders.pickups), len(orders.late))
        self.rows = PickList(rows, page=PAGE_ROWS - 2)
        self.typed = ""

    def body(self) -> RenderableType:
        """The orders: number, customer, status, promised day (late in red), amount."""
        pickups, late = self.counts
        head = Text(
            f"{self.t('orders.pickups', count=pickups)}   {self.t('orders.late', count=late)}",
            style="bold",
        )
        if not self.rows.items:
            return Group(head, Text(self.t("orders.none")))
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("orders.col_no"), width=6, justify="right")
        table.add_column(self.t("orders.col_customer"), ratio=1, no_wrap=True)
        table.add_column(self.t("orders.col_status"), width=12, no_wrap=True)
        table.add_column(self.t("orders.col_promised"), width=10)
        table.add_column(self.t("orders.col_total"), width=11, justify="right")
        start, page = self.rows.window()
        for index, row in enumerate(page, start):
            order = row.order
            status = self.t(f"orders.status.{order.status.value}")
            if order.payment is PaymentState.PREPAID:
                status += f" ({self.t('orders.prepaid')})"
            promised = order.promised.strftime("%d.%m.%y") if order.promised else "-"
            table.add_row(
                str(order.number),
                f"{order.customer_name} ({order.customer})",
                status,
                Text(promised, style="bold red" if row.late else ""),
                order.total.format(),
                style="reverse" if index == self.rows.index else "",
            )
        return Group(head, table)

    def entry_text(self) -> str:
        """What was typed."""
        return self.t("orders.prompt", typed=self.typed)

    def hint(self) -> str:
        """The keys."""
        return self.t(
            "orders.hint",
            enter=self.key(Command.ENTER),
            new=self.key(Command.PAY),
            picklist=self.key(Command.QUANTITY),
            confirmation=self.key(Command.PRICE_CHECK),
            esc=self.key(Command.ESCAPE),
        )

    def character_typed(self, character: str) -> None:
        """Digits (and the letters of a typed order barcode) build the entry."""
        if len(self.typed) < MAX_TYPED and character.isalnum():
            self.typed += character
            self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter picks up; + new; * pick list; / confirmation; arrows; Esc."""
        if self.rows.move(command):
            self.typed = ""
            self.redraw()
        elif command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
            self.redraw()
        elif command is Command.ESCAPE:
            if self.typed:
                self.typed = ""
                self.redraw()
            else:
                self.dismiss(None)
        elif command is Command.PAY:
            self.dismiss(OrderChoice("new"))
        elif command is Command.ENTER:
            self._choose("pickup")
        elif command is Command.QUANTITY:
            self._choose("picklist")
        elif command is Command.PRICE_CHECK:
            self._choose("confirmation")

    def _choose(self, kind: str) -> None:
        number = typed_order(self.typed) if self.typed else None
        if self.typed and number is None:
            self.say(self.t("orders.choose"))
            self.typed = ""
            self.redraw()
            return
        if number is None and self.rows.current is not None:
            number = self.rows.current.order.number
        if number is None:
            self.say(self.t("orders.choose"))
            return
        self.dismiss(OrderChoice(kind, number))

    def scan_arrived(self, scan: Scan) -> None:
        """An order's barcode starts its pick-up."""
        number = typed_order(scan.code)
        if number is None:
            self.say(self.t("orders.choose"))
            return
        self.dismiss(OrderChoice("pickup", number))
