"""What a key asks the till to do: the typed actions the entry line produces (no Textual).

The sale screen dispatches each to the sale services (phase 2); refusals and no-ops are
values too, so the screen can show the message and sound the right tone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from omnipos_tui.core.money import Money
from omnipos_tui.ui.commands import Command


class TenderKind(enum.StrEnum):
    """Which tender key was pressed."""

    CASH = "cash"
    CARD = "card"
    OTHER = "other"


class DiscountKind(enum.StrEnum):
    """What a discount number means (``10 F4`` then 1, 2 or 3)."""

    PERCENT = "percent"
    AMOUNT = "amount"
    NEW_PRICE = "new_price"


class Move(enum.StrEnum):
    """A selection move in the sale list."""

    UP = "up"
    DOWN = "down"
    PAGE_UP = "page_up"
    PAGE_DOWN = "page_down"
    FIRST = "first"
    LAST = "last"


# --- actions: what the screen is asked to do ----------------------------------------------


@dataclass(frozen=True, slots=True)
class EnterCode:
    """Sell the item with this PLU, EAN or article number.

    Attributes:
        code: The digits typed or the scanned code.
        quantity: The pending quantity (``3 *``), or None for one.
        scanned: True when it came from the scanner.
    """

    code: str
    quantity: Decimal | None = None
    scanned: bool = False


@dataclass(frozen=True, slots=True)
class PriceCheck:
    """Show the price of an item and sell nothing."""

    code: str
    scanned: bool = False


@dataclass(frozen=True, slots=True)
class StockInfo:
    """Show an item's stock per location and its next delivery; sells nothing.

    Attributes:
        code: The typed article number or barcode; "" for the selected line (or a scan).
    """

    code: str = ""


#: The receipt "number" of a return without a receipt (typed ``0 F7``, or F7 twice).
NO_RECEIPT = "0"


@dataclass(frozen=True, slots=True)
class ReturnReceipt:
    """Start a return against the receipt with this number or barcode
    (:data:`NO_RECEIPT`: a return without a receipt, which needs a manager)."""

    receipt: str
    scanned: bool = False


@dataclass(frozen=True, slots=True)
class SetLineQuantity:
    """Change the selected (else last) line's quantity (``*`` on an empty entry)."""

    quantity: Decimal


@dataclass(frozen=True, slots=True)
class OpenRing:
    """Sell an amount in an article group: ``149,00 F3`` opens the list of the shop's
    groups, where the group's number (``2``) or the arrows and Enter pick one.

    Attributes:
        amount: The amount (each, when a quantity is pending).
        quantity: The pending quantity (``2 * 49 F3``), or None for one.
    """

    amount: Money
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Discount:
    """Discount the selected line, or the whole sale when none is selected (``10 F4 1``).

    Attributes:
        kind: Percent, kroner off, or a new price.
        value: The number typed: percent for PERCENT, kroner otherwise.
    """

    kind: DiscountKind
    value: Decimal

    @property
    def amount(self) -> Money:
        """The value as money (for AMOUNT and NEW_PRICE)."""
        return Money.from_decimal(self.value)


@dataclass(frozen=True, slots=True)
class Tender:
    """Pay with this tender: ``amount`` None means "the rest" (``F9`` alone = exact)."""

    kind: TenderKind
    amount: Money | None = None


@dataclass(frozen=True, slots=True)
class MoveSelection:
    """Move the selected line."""

    move: Move


@dataclass(frozen=True, slots=True)
class Search:
    """Open product search, pre-filled with ``text``."""

    text: str = ""


@dataclass(frozen=True, slots=True)
class Simple:
    """A command that takes no number: pay panel, void, park, recall, no-sale, menu, help,
    lock. ``command`` says which."""

    command: Command


@dataclass(frozen=True, slots=True)
class Cancel:
    """Esc with nothing left to clear: close the panel or cancel the dialog."""


@dataclass(frozen=True, slots=True)
class Ignored:
    """A key that does nothing here (Enter on an empty entry): a soft tone at most."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """The key cannot be used now; ``message`` says why and names the next key."""

    message: str


Action = (
    EnterCode
    | PriceCheck
    | StockInfo
    | ReturnReceipt
    | SetLineQuantity
    | OpenRing
    | Discount
    | Tender
    | MoveSelection
    | Search
    | Simple
    | Cancel
    | Ignored
    | Rejected
)
