"""Returns (F7). With the receipt: its item lines with what can still be returned (earlier
returns subtracted); ↑↓ choose a line, ``n *`` takes n of it back (``*`` alone: all that is
left), Enter adds the chosen lines as return lines linked to the original. Without the
receipt (receipt number ``0``): the item (scan or article number), ``n *`` for the
quantity, and a reason; a manager approves (TILL-UX B4).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rich.console import RenderableType
from rich.table import Table

from omnipos_tui.core.ports import Scan
from omnipos_tui.services.sales.results import ReturnableLine
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.entry import MAX_QUANTITY
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen, PickList
from omnipos_tui.ui.session import TillSession, quantity_text

REASONS: tuple[tuple[str, str], ...] = (
    ("1", "return.reason_faulty"),
    ("2", "return.reason_regret"),
    ("3", "return.reason_wrong"),
    ("4", "return.reason_other"),
)
MAX_TYPED = 14


def is_receipt_code(code: str) -> bool:
    """Whether a scanned code is a receipt's barcode ("1-123": register, dash, receipt
    number, as ``Transaction.receipt_id`` prints it) rather than an article's code."""
    register, dash, number = code.strip().rpartition("-")
    return bool(dash) and register.isalnum() and number.isdigit()


def receipt_id(text: str, register_id: str) -> str:
    """A receipt as the services name it: a scanned "1-123" stays; digits typed on the
    numpad ("123") mean that receipt of this till."""
    text = text.strip()
    return f"{register_id}-{text}" if text.isdigit() else text


def _quantity(typed: str) -> Decimal | None:
    try:
        value = Decimal(typed.replace(",", "."))
    except InvalidOperation:
        return None
    return value if Decimal(0) < value <= MAX_QUANTITY else None


@dataclass(frozen=True, slots=True)
class ReturnPick:
    """A line of the original receipt and how much of it comes back."""

    line_no: int
    quantity: Decimal


class ReturnScreen(DialogScreen[list[ReturnPick] | None]):
    """The original receipt's lines; dismisses with the picks, or None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, receipt: str, lines: list[ReturnableLine]) -> None:
        """Offer ``lines`` of ``receipt`` for return."""
        super().__init__(session, session.translator.text("return.title", receipt=receipt))
        self.receipt = receipt
        self.lines = PickList(lines)
        self.picked: dict[int, Decimal] = {}
        self.typed = ""

    def body(self) -> RenderableType:
        """Line, name, sold, returned before, left, price, and what is picked."""
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("list.no"), width=3, justify="right")
        table.add_column(self.t("list.item"), ratio=1, no_wrap=True)
        table.add_column(self.t("return.sold"), justify="right", width=6)
        table.add_column(self.t("return.before"), justify="right", width=6)
        table.add_column(self.t("return.left"), justify="right", width=6)
        table.add_column(self.t("list.unit_price"), justify="right", width=9)
        table.add_column(self.t("return.back"), justify="right", width=6)
        start, page = self.lines.window()
        for offset, line in enumerate(page, start):
            picked = self.picked.get(line.line_no)
            table.add_row(
                str(line.line_no),
                line.name,
                quantity_text(line.sold),
                quantity_text(line.returned),
                quantity_text(line.left),
                line.unit_price.format(thousands=True),
                quantity_text(picked) if picked is not None else "",
                style="reverse" if offset == self.lines.index else ("dim" if not line.left else ""),
            )
        return table

    def entry_text(self) -> str:
        """The number typed for ``n *``."""
        return f"> {self.typed}_"

    def hint(self) -> str:
        """↑↓ choose, n * quantity, Enter adds, Esc cancels."""
        return self.t(
            "return.hint",
            quantity=self.key(Command.QUANTITY),
            enter=self.key(Command.ENTER),
            esc=self.key(Command.ESCAPE),
        )

    def character_typed(self, character: str) -> None:
        """Digits build the quantity."""
        if character.isdigit() and len(self.typed) < MAX_TYPED:
            self.typed += character
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Moves, ``*``, Enter, Backspace and Esc."""
        if self.lines.move(command):
            pass
        elif command is Command.QUANTITY:
            self._pick()
        elif command is Command.DECIMAL and "," not in self.typed:
            self.typed = (self.typed or "0") + ","
        elif command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
        elif command is Command.ENTER:
            self._done()
            return
        elif command is Command.ESCAPE:
            if self.typed:
                self.typed = ""
            elif self.picked:
                self.picked.clear()
            else:
                self.dismiss(None)
                return
        self.redraw()

    def _pick(self) -> None:
        line = self.lines.current
        if line is None:
            return
        wanted = _quantity(self.typed) if self.typed else line.left
        self.typed = ""
        if wanted is None:
            self.say(self.t("entry.bad_quantity"))
        elif wanted > line.left:
            self.say(self.t("return.too_many", left=quantity_text(line.left)))
        elif wanted == 0:
            self.say(self.t("return.nothing_left", line=line.line_no))
        else:
            self.picked[line.line_no] = wanted
            self.clear_message()

    def _done(self) -> None:
        if not self.picked:
            line = self.lines.current
            if line is None or not line.left:
                self.say(self.t("return.pick_first", quantity=self.key(Command.QUANTITY)))
                return
            self.picked[line.line_no] = line.left
        self.dismiss([ReturnPick(no, q) for no, q in sorted(self.picked.items())])


@dataclass(frozen=True, slots=True)
class LooseReturn:
    """A return without the receipt: the item's code, how many, and why."""

    code: str
    quantity: Decimal
    reason: str


class LooseReturnScreen(DialogScreen[LooseReturn | None]):
    """Return without receipt: item, quantity, reason; the opener asks for the manager."""

    scan_policy = ScanPolicy.ACCEPT  # the item's barcode

    def __init__(self, session: TillSession) -> None:
        """Ask for the item first."""
        super().__init__(session, session.translator.text("return.loose_title"))
        self.typed = ""
        self.quantity = Decimal(1)
        self.code = ""

    def body(self) -> RenderableType:
        """The item so far and, once it is known, the reasons."""
        table = Table.grid(padding=(0, 2))
        table.add_row("", "")
        table.add_row(self.t("return.item"), self.code or "—")
        table.add_row(self.t("list.quantity"), quantity_text(self.quantity))
        if self.code:
            table.add_row("", "")
            for digit, key in REASONS:
                table.add_row(digit, self.t(key))
        return table

    def entry_text(self) -> str:
        """What is typed."""
        return f"> {self.typed}_"

    def hint(self) -> str:
        """Scan or type the item; then pick a reason."""
        if self.code:
            return self.t("return.loose_reason_hint", esc=self.key(Command.ESCAPE))
        return self.t(
            "return.loose_hint",
            quantity=self.key(Command.QUANTITY),
            enter=self.key(Command.ENTER),
            esc=self.key(Command.ESCAPE),
        )

    def scan_arrived(self, scan: Scan) -> None:
        """The item's barcode."""
        if not self.code:
            self.code = scan.code
            self.redraw()

    def character_typed(self, character: str) -> None:
        """Digits: the article number, or a reason once the item is known."""
        if not character.isdigit():
            return
        if self.code:
            reason = dict(REASONS).get(character)
            if reason is None:
                self.say(self.t("return.loose_reason_hint", esc=self.key(Command.ESCAPE)))
                return
            self.dismiss(LooseReturn(self.code, self.quantity, self.t(reason)))
            return
        if len(self.typed) < MAX_TYPED:
            self.typed += character
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """``n *`` sets the quantity, Enter takes the typed article number, Esc steps back."""
        if command is Command.QUANTITY and not self.code:
            quantity = _quantity(self.typed)
            if quantity is None:
                self.say(self.t("entry.bad_quantity"))
            else:
                self.quantity = quantity
            self.typed = ""
        elif command is Command.ENTER and not self.code and self.typed:
            self.code, self.typed = self.typed, ""
        elif command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
        elif command is Command.ESCAPE:
            if self.typed:
                self.typed = ""
            elif self.code:
                self.code = ""
            else:
                self.dismiss(None)
                return
        self.redraw()
