"""The till's semantic commands: what a key means, independent of which key it is.

Screens bind commands, never raw keys; ``config/keymaps/*.toml`` says which keys send which
command (TILL-UX B2). The ids are the names used in those files.
"""

from __future__ import annotations

import enum


class Command(enum.StrEnum):
    """A cashier command with the id used in key map files."""

    DECIMAL = "decimal"
    BACKSPACE = "backspace"
    QUANTITY = "quantity"
    ENTER = "enter"
    PAY = "pay"
    VOID = "void"
    PRICE_CHECK = "price_check"
    ESCAPE = "escape"
    UP = "up"
    DOWN = "down"
    PAGE_UP = "page_up"
    PAGE_DOWN = "page_down"
    FIRST = "first"
    LAST = "last"
    HELP = "help"
    SEARCH = "search"
    OPEN_RING = "open_ring"
    DISCOUNT = "discount"
    PARK = "park"
    RECALL = "recall"
    RETURN = "return"
    NO_SALE = "no_sale"
    CASH = "cash"
    CARD = "card"
    OTHER_TENDER = "other_tender"
    MENU = "menu"
    LOCK = "lock"
    STOCK_INFO = "stock_info"


#: Commands without which the till cannot be worked; a key map must keep a key for each.
ESSENTIAL_COMMANDS: frozenset[Command] = frozenset(
    {Command.ENTER, Command.ESCAPE, Command.BACKSPACE, Command.DECIMAL}
)
