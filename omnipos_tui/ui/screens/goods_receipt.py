"""Goods receipt at the till (varemottak, F12 menu, a manager): the purchase order number
(or none), the delivery note number, then each item scanned; a quantity typed and Enter
sets the selected line. What was ordered and what arrived stand side by side, with the
over- and under-deliveries. The pay key (+) posts it in one unit of work; Esc twice
discards it. The scanner is this screen's while it is open: a scan never reaches the sale.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import PosError, UnknownCode
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.stock.documents import PurchaseOrder
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.services.stock.documents import ReceiptResult
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import PAGE_ROWS, DialogScreen, PickList
from omnipos_tui.ui.session import TillSession

MAX_TYPED = 20
#: Typed digits this long are taken as a barcode when a product has it (else a quantity).
MIN_TYPED_BARCODE = 8
#: Keys bound to commands that a delivery note number may hold.
_NOTE_CHARACTERS = {Command.VOID: "-", Command.PRICE_CHECK: "/", Command.DECIMAL: "."}


def _difference(diff: int, unit: Unit) -> str:
    """An over-delivery with its plus sign, an under-delivery with its minus."""
    return f"+{format_quantity(diff, unit)}" if diff > 0 else format_quantity(diff, unit)


class Step(enum.Enum):
    """What the receipt screen is asking for."""

    ORDER = "order"
    NOTE = "note"
    SCAN = "scan"


@dataclass
class ReceivedLine:
    """A product on the receipt: what was ordered (outstanding) and what arrived."""

    product: Product
    ordered: int = 0
    received: int = 0


class GoodsReceiptScreen(DialogScreen[ReceiptResult | None]):
    """Take in a delivery; dismisses with the posted receipt, or None when discarded."""

    scan_policy = ScanPolicy.ACCEPT

    def __init__(self, session: TillSession) -> None:
        """Start at the order number."""
        super().__init__(session, session.translator.text("receive.title"))
        self.step = Step.ORDER
        self.typed = ""
        self.order: PurchaseOrder | None = None
        self.note = ""
        self.lines = PickList[ReceivedLine]([], page=PAGE_ROWS - 4)
        self.discarding = False

    # --- drawing ------------------------------------------------------------------------

    def body(self) -> RenderableType:
        """The order, the delivery note, and ordered against received per product."""
        head = self.t("receive.no_order")
        if self.order is not None:
            when = self.order.expected.strftime("%d.%m.%Y") if self.order.expected else "-"
            head = self.t(
                "receive.order_line",
                number=self.order.number,
                supplier=self.order.supplier,
                date=when,
            )
        parts: list[RenderableType] = [Text(head, style="bold")]
        if self.step is Step.SCAN:
            parts.append(Text(self.t("receive.note", note=self.note or "-")))
            table = Table(box=None, padding=(0, 1), show_edge=False)
            table.add_column(self.t("receive.col_item"), no_wrap=True, max_width=40)
            for key in ("receive.col_ordered", "receive.col_received", "receive.col_diff"):
                table.add_column(self.t(key), justify="right")
            start, page = self.lines.window()
            for index, line in enumerate(page, start):
                unit = line.product.unit
                diff = line.received - line.ordered
                style = "reverse" if index == self.lines.index else ""
                mark = "green" if diff == 0 else "bold red" if diff < 0 else "bold yellow"
                table.add_row(
                    f"{line.product.sku} {line.product.name}",
                    format_quantity(line.ordered, unit) if self.order else "",
                    format_quantity(line.received, unit),
                    Text(_difference(diff, unit) if self.order else "", style=mark),
                    style=style,
                )
            parts.append(table if self.lines.items else Text(self.t("receive.empty")))
        return Group(*parts)

    def entry_text(self) -> str:
        """The prompt of the step."""
        key = {
            Step.ORDER: "receive.order_prompt",
            Step.NOTE: "receive.note_prompt",
            Step.SCAN: "receive.scan_prompt",
        }[self.step]
        return self.t(key, typed=self.typed)

    def hint(self) -> str:
        """The pay key posts; Esc cancels."""
        return self.t("receive.hint", post=self.key(Command.PAY), esc=self.key(Command.ESCAPE))

    # --- keys ---------------------------------------------------------------------------

    def character_typed(self, character: str) -> None:
        """Digits (and, for the delivery note, letters) build the entry."""
        if len(self.typed) >= MAX_TYPED:
            return
        if self.step is Step.NOTE or character.isdigit():
            self.typed += character
            self.discarding = False
            self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter moves on or sets a quantity; + posts; arrows select; Esc cancels."""
        if self.step is Step.NOTE and command in _NOTE_CHARACTERS:
            self.character_typed(_NOTE_CHARACTERS[command])  # "F-9/2": keys bound elsewhere
        elif command is Command.ESCAPE:
            self._escape()
        elif command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
            self.redraw()
        elif command is Command.DECIMAL and self.step is Step.SCAN:
            if "," not in self.typed:
                self.typed += ","
                self.redraw()
        elif command is Command.ENTER:
            self._enter()
        elif command is Command.PAY and self.step is Step.SCAN:
            self._post()
        elif self.lines.move(command):
            self.redraw()

    def _escape(self) -> None:
        if self.typed:
            self.typed = ""
            self.redraw()
            return
        if self.lines.items and not self.discarding:
            self.discarding = True
            self.say(self.t("receive.discard", esc=self.key(Command.ESCAPE)))
            return
        self.dismiss(None)

    def _enter(self) -> None:
        typed, self.typed = self.typed.strip(), ""
        try:
            if self.step is Step.ORDER:
                if typed:
                    self._open_order(int(typed))
                self.step = Step.NOTE
            elif self.step is Step.NOTE:
                self.note = typed
                self.step = Step.SCAN
            elif len(typed) >= MIN_TYPED_BARCODE and "," not in typed and self._typed_item(typed):
                return  # a barcode typed (or a keyboard scanner in a plain terminal)
            elif typed:
                self._set_quantity(typed)
        except PosError as error:
            self.say(error_text(error, self.session.translator))
        else:
            self.clear_message()
        self.redraw()

    def _typed_item(self, typed: str) -> bool:
        """Take a typed barcode as a scan of that item; False when no product has it."""
        if self.session.services.catalogue.lookup(typed) is None:
            return False
        self.scan_arrived(Scan(typed, 0.0))
        return True

    def _open_order(self, number: int) -> None:
        documents = self.session.services.stock_documents
        expected = documents.expected_lines(number)
        self.order = self.session.services.purchasing.get(number)[0]
        self.lines.replace([ReceivedLine(p, ordered=q) for p, q in expected])

    def _set_quantity(self, typed: str) -> None:
        line = self.lines.current
        if line is None:
            return
        line.received = parse_quantity(typed, line.product.unit, what=line.product.name, zero=True)

    # --- scans --------------------------------------------------------------------------

    def scan_arrived(self, scan: Scan) -> None:
        """A scanned item: one more of it (or the typed quantity), its line selected."""
        if self.step is not Step.SCAN:
            self.say(self.t("receive.finish_step"))
            return
        product = self.session.services.catalogue.lookup(scan.code)
        if product is None:
            self.say(error_text(UnknownCode(scan.code), self.session.translator))
            return
        typed, self.typed = self.typed, ""
        try:
            if typed:
                quantity = parse_quantity(typed, product.unit, what=product.name)
            elif product.unit is Unit.KG:
                self.say(self.t("receive.weight", name=product.name))
                self._select(product)
                self.redraw()
                return
            else:
                quantity = 1000
        except PosError as error:
            self.say(error_text(error, self.session.translator))
            self.redraw()
            return
        line = self._select(product)
        line.received += quantity
        self.discarding = False
        self.say(
            self.t(
                "receive.added", quantity=format_quantity(quantity, product.unit), name=product.name
            ),
            ok=True,
        )
        self.redraw()

    def _select(self, product: Product) -> ReceivedLine:
        for index, line in enumerate(self.lines.items):
            if line.product.sku == product.sku:
                self.lines.index = index
                return line
        line = ReceivedLine(product)
        self.lines.items.append(line)
        self.lines.index = len(self.lines.items) - 1
        return line

    # --- posting ------------------------------------------------------------------------

    def _post(self) -> None:
        wanted = [line for line in self.lines.items if line.received > 0]
        if not wanted:
            self.say(self.t("receive.empty"))
            return
        lines = [
            LineInput(line.product.sku, format_quantity(line.received, line.product.unit))
            for line in wanted
        ]
        try:
            result = self.session.services.stock_documents.receive(
                lines,
                order_no=self.order.number if self.order else None,
                delivery_note=self.note,
                employee=self.session.employee_number,
            )
        except PosError as error:
            self.say(error_text(error, self.session.translator))
            return
        self.dismiss(result)
