"""The entry line: "number, then function" as a pure state machine (no Textual).

Digits and the decimal comma build a number; ``*`` turns it into a pending quantity
(``3 × _``); a function key consumes it and the machine returns a typed action for the
screen to dispatch (``500 F9`` -> ``Tender(CASH, 500,00)``). Esc clears one level per press
and never voids anything; when there is nothing left to clear it returns :class:`Cancel` so
the screen closes its panel or dialog. Scans come in through :meth:`EntryState.scan`, never
as typed digits, so a scan never mixes with what the cashier is typing.

Typed article numbers may have up to 14 digits (GTIN-14); anything used as an amount or a
quantity has at most 9 digits before and 2 after the comma (TILL-UX B2).
"""

from __future__ import annotations

import enum
from decimal import Decimal

from omnipos_tui.core.money import Money
from omnipos_tui.ui.actions import (
    NO_RECEIPT,
    Action,
    Cancel,
    Discount,
    DiscountKind,
    EnterCode,
    Ignored,
    Move,
    MoveSelection,
    OpenRing,
    PriceCheck,
    Rejected,
    ReturnReceipt,
    Search,
    SetLineQuantity,
    Simple,
    StockInfo,
    Tender,
    TenderKind,
)
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.keymap import Keymap

MAX_CODE_DIGITS = 14
MAX_AMOUNT_DIGITS = 9
MAX_DECIMALS = 3  # a weight in kg has grams; an amount has two (checked where it is used)
MAX_AMOUNT_DECIMALS = 2
MAX_QUANTITY = Decimal(9999)


_MOVES = {
    Command.UP: Move.UP,
    Command.DOWN: Move.DOWN,
    Command.PAGE_UP: Move.PAGE_UP,
    Command.PAGE_DOWN: Move.PAGE_DOWN,
    Command.FIRST: Move.FIRST,
    Command.LAST: Move.LAST,
}
_TENDERS = {
    Command.CASH: TenderKind.CASH,
    Command.CARD: TenderKind.CARD,
    Command.OTHER_TENDER: TenderKind.OTHER,
}
_SIMPLE = frozenset(
    {
        Command.PAY,
        Command.VOID,
        Command.PARK,
        Command.RECALL,
        Command.NO_SALE,
        Command.MENU,
        Command.HELP,
        Command.LOCK,
    }
)
_DISCOUNT_KINDS = {"1": DiscountKind.PERCENT, "2": DiscountKind.AMOUNT, "3": DiscountKind.NEW_PRICE}


class Stage(enum.StrEnum):
    """What the entry line is waiting for."""

    NUMBER = "number"
    PRICE_CHECK = "price_check"
    RETURN = "return"
    LINE_QUANTITY = "line_quantity"
    DISCOUNT_KIND = "discount_kind"


class EntryState:
    """The entry line's state: typed digits, a pending quantity and what it waits for."""

    def __init__(self, translator: Translator, keymap: Keymap) -> None:
        """Start empty.

        Args:
            translator: For the pending-state texts and refusals.
            keymap: To name the right keys in refusals.
        """
        self._t = translator
        self._keymap = keymap
        self._typed = ""
        self._quantity: Decimal | None = None
        self._stage = Stage.NUMBER
        self._held = ""  # the number F4 is waiting to use, as typed

    # --- state ----------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        """What the line is waiting for."""
        return self._stage

    @property
    def typed(self) -> str:
        """The digits (and comma) typed so far."""
        return self._typed

    @property
    def quantity(self) -> Decimal | None:
        """The pending quantity, if ``n *`` was typed."""
        return self._quantity

    @property
    def is_empty(self) -> bool:
        """Nothing typed, nothing pending."""
        return not self._typed and self._quantity is None and self._stage is Stage.NUMBER

    def text(self) -> str:
        """What the entry line shows, e.g. ``"3 × 12_"`` or ``"PRISSJEKK: skann vare"``."""
        typed = f"{self._typed}_"
        if self._stage in (Stage.PRICE_CHECK, Stage.RETURN):
            if self._stage is Stage.PRICE_CHECK:
                label = self._t.text("entry.price_check")
            else:
                label = self._t.text("entry.return", key=self._key(Command.RETURN))
            return f"{label} {typed}" if self._typed else label
        if self._stage is Stage.LINE_QUANTITY:
            return self._t.text("entry.line_quantity") + typed
        if self._stage is Stage.DISCOUNT_KIND:
            return self._t.text("entry.discount", value=self._held)
        if self._quantity is not None:
            return f"{_decimal_text(self._quantity)} × {typed}"
        return typed

    def clear(self) -> None:
        """Forget everything (after a lock or a completed sale)."""
        self._typed = ""
        self._quantity = None
        self._stage = Stage.NUMBER
        self._held = ""

    # --- input ----------------------------------------------------------------------

    def type(self, character: str) -> Action | None:
        """A printable key that is not bound to a command: a digit, or a letter for search.

        Returns None when the key was taken into the entry.
        """
        if character.isdigit() and len(character) == 1:
            return self._digit(character)
        if self._stage is not Stage.NUMBER:
            return self._finish_first()
        text = self._typed + character
        self._typed = ""
        return Search(text=text)

    def scan(self, code: str) -> Action:
        """A whole code from the scanner. Uses a pending quantity; keeps typed digits."""
        if self._stage is Stage.PRICE_CHECK:
            self._stage = Stage.NUMBER
            return PriceCheck(code=code, scanned=True)
        if self._stage is Stage.RETURN:
            self._stage = Stage.NUMBER
            return ReturnReceipt(receipt=code, scanned=True)
        pending = None
        if self._stage is Stage.NUMBER:
            pending, self._quantity = self._quantity, None
        return EnterCode(code=code, quantity=pending, scanned=True)

    def press(self, command: Command) -> Action | None:
        """A command key. Returns the action, or None when the key only changed the entry."""
        if command is Command.ESCAPE:
            return self._escape()
        if command is Command.BACKSPACE:
            return self._backspace()
        if command is Command.HELP:
            return Simple(command)
        if command in _MOVES:
            return MoveSelection(_MOVES[command])
        if self._stage is Stage.DISCOUNT_KIND:
            return Rejected(self._t.text("entry.pick_discount", esc=self._key(Command.ESCAPE)))
        if command is Command.DECIMAL:
            return self._comma()
        if command is Command.ENTER:
            return self._enter()
        if command is Command.VOID and self._stage is Stage.RETURN:
            return self._receipt_dash()
        if command is Command.RETURN and self._stage is Stage.RETURN:
            # The return key again: the typed receipt, or with nothing typed the visible
            # way to a return without a receipt.
            receipt = self._typed or NO_RECEIPT
            self.clear()
            return ReturnReceipt(receipt=receipt)
        if self._stage is not Stage.NUMBER:
            return self._finish_first()
        return self._function(command)

    # --- helpers --------------------------------------------------------------------

    def _key(self, command: Command) -> str:
        return self._keymap.key_text(command)

    def _finish_first(self) -> Rejected:
        return Rejected(self._t.text("entry.finish_first", esc=self._key(Command.ESCAPE)))

    def _digit(self, digit: str) -> Action | None:
        if self._stage is Stage.DISCOUNT_KIND:
            kind = _DISCOUNT_KINDS.get(digit)
            if kind is None:
                return Rejected(self._t.text("entry.pick_discount", esc=self._key(Command.ESCAPE)))
            value = _to_decimal(self._held)
            if kind is DiscountKind.PERCENT and value > 100:
                return Rejected(self._t.text("entry.percent_too_large"))
            self.clear()
            return Discount(kind=kind, value=value)
        whole, comma, decimals = self._typed.partition(",")
        if comma:
            if len(decimals) >= MAX_DECIMALS:
                return Rejected(self._t.text("entry.too_many_decimals"))
        elif len(whole) >= MAX_CODE_DIGITS:
            return Rejected(self._t.text("entry.too_long"))
        self._typed += digit
        return None

    def _comma(self) -> Action | None:
        if self._stage in (Stage.PRICE_CHECK, Stage.RETURN):
            return Rejected(self._t.text("entry.code_has_comma", esc=self._key(Command.ESCAPE)))
        if "," in self._typed:
            return Rejected(self._t.text("entry.one_comma"))
        if len(self._typed) > MAX_AMOUNT_DIGITS:
            return Rejected(self._t.text("entry.amount_too_large"))
        self._typed = (self._typed or "0") + ","
        return None

    def _receipt_dash(self) -> Action | None:
        """The void key (numpad ``-``) types the dash of a receipt number ("1-62": register,
        dash, number) while the return waits for one; it voids nothing there."""
        if not self._typed or "-" in self._typed:
            return Rejected(self._t.text("entry.receipt_dash"))
        self._typed += "-"
        return None

    def _escape(self) -> Action | None:
        if self._stage is Stage.DISCOUNT_KIND:
            self._stage, self._typed, self._held = Stage.NUMBER, self._held, ""
            return None
        if self._typed:
            self._typed = ""
            return None
        if self._quantity is not None:
            self._quantity = None
            return None
        if self._stage is not Stage.NUMBER:
            self._stage = Stage.NUMBER
            return None
        return Cancel()

    def _backspace(self) -> Action | None:
        if self._stage is Stage.DISCOUNT_KIND:
            return self._escape()
        if self._typed:
            self._typed = self._typed[:-1]
            return None
        if self._quantity is not None and self._stage is Stage.NUMBER:
            self._typed = _decimal_text(self._quantity)
            self._quantity = None
            return None
        return Ignored()

    def _enter(self) -> Action:
        typed = self._typed
        enter = self._key(Command.ENTER)
        if self._stage is Stage.LINE_QUANTITY:
            if not typed:
                return Rejected(self._t.text("entry.need_quantity", enter=enter))
            quantity = self._quantity_of(typed)
            if isinstance(quantity, Rejected):
                return quantity
            self.clear()
            return SetLineQuantity(quantity)
        if not typed:
            if self._stage is Stage.PRICE_CHECK:
                return Rejected(self._t.text("entry.need_code", enter=enter))
            if self._stage is Stage.RETURN:
                return Rejected(self._t.text("entry.need_receipt", enter=enter))
            if self._quantity is not None:
                return Rejected(self._t.text("entry.need_code", enter=enter))
            return Ignored()
        if "," in typed:
            return Rejected(self._t.text("entry.code_has_comma", esc=self._key(Command.ESCAPE)))
        stage, pending = self._stage, self._quantity
        self.clear()
        if stage is Stage.PRICE_CHECK:
            return PriceCheck(code=typed)
        if stage is Stage.RETURN:
            return ReturnReceipt(receipt=typed)
        return EnterCode(code=typed, quantity=pending)

    def _function(self, command: Command) -> Action | None:
        typed = self._typed
        if command is Command.QUANTITY:
            if not typed:
                if self._quantity is None:
                    self._stage = Stage.LINE_QUANTITY
                return None
            quantity = self._quantity_of(typed)
            if isinstance(quantity, Rejected):
                return quantity
            self._quantity, self._typed = quantity, ""
            return None
        if command in _TENDERS:
            if self._quantity is not None:
                return Rejected(self._t.text("entry.quantity_waits", esc=self._key(Command.ESCAPE)))
            amount = self._amount_of(typed) if typed else None
            if isinstance(amount, Rejected):
                return amount
            self._typed = ""
            return Tender(kind=_TENDERS[command], amount=amount)
        if command is Command.STOCK_INFO:
            self._typed, self._quantity = "", None
            return StockInfo(code=typed if "," not in typed else "")
        if command is Command.PRICE_CHECK:
            if typed and "," not in typed:
                self._typed = ""
                return PriceCheck(code=typed)
            self._typed, self._stage = "", Stage.PRICE_CHECK
            return None
        if command is Command.RETURN:
            if typed and "," not in typed:
                self._typed = ""
                return ReturnReceipt(receipt=typed)
            self._typed, self._stage = "", Stage.RETURN
            return None
        if command is Command.OPEN_RING:
            key = self._key(Command.OPEN_RING)
            if not typed:
                return Rejected(self._t.text("entry.need_amount", key=key))
            amount = self._amount_of(typed)
            if isinstance(amount, Rejected):
                return amount
            pending = self._quantity
            self.clear()
            return OpenRing(amount=amount, quantity=pending)
        if command is Command.DISCOUNT:
            if not typed:
                key = self._key(Command.DISCOUNT)
                return Rejected(self._t.text("entry.need_discount", key=key))
            amount = self._amount_of(typed)
            if isinstance(amount, Rejected):
                return amount
            self._held, self._typed, self._stage = typed.rstrip(","), "", Stage.DISCOUNT_KIND
            return None
        if command is Command.SEARCH:
            self._typed = ""
            return Search(text=typed)
        if command in _SIMPLE:
            return Simple(command)
        return Ignored()

    def _amount_of(self, typed: str) -> Money | Rejected:
        whole, _, decimals = typed.partition(",")
        if len(whole) > MAX_AMOUNT_DIGITS:
            return Rejected(self._t.text("entry.amount_too_large"))
        if len(decimals) > MAX_AMOUNT_DECIMALS:
            return Rejected(self._t.text("entry.amount_decimals"))
        amount = Money.parse(typed.rstrip(","))
        if amount.ore <= 0:
            return Rejected(self._t.text("entry.zero_amount"))
        return amount

    def _quantity_of(self, typed: str) -> Decimal | Rejected:
        quantity = _to_decimal(typed)
        if quantity <= 0 or quantity > MAX_QUANTITY:
            return Rejected(self._t.text("entry.bad_quantity"))
        return quantity


def _to_decimal(typed: str) -> Decimal:
    return Decimal(typed.rstrip(",").replace(",", ".") or "0")


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.replace(".", ",")
