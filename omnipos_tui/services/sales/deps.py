"""What every sale use case depends on, in one frozen object built once (``bootstrap``).

The use cases are functions grouped by what they do (``opening``, ``ringing``,
``pricing``, ``payments``, ``completion``, ``receipts``, ``returns``, ``parking``); each
takes a :class:`SaleDeps` as its first argument, so what it may touch is what is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.services.ledger.steps import SignerFor
from omnipos_tui.services.sales.print_headers import PrintHeaders

if TYPE_CHECKING:
    from omnipos_tui.core.orders.paper import OrderPaperWords  # the paper when printed

DEFAULT_DISCOUNT_LIMIT = Decimal(10)


@dataclass(frozen=True, slots=True)
class SaleDeps:
    """The sale use cases' dependencies and settings.

    Attributes:
        units: Opens units of work.
        clock: Where the time comes from.
        signer: Gives a register's current signing key, recorded in the unit of work that
            signs (asked at every completion, so a rotation takes effect at once).
        order_paper: The labels of an order's delivery receipt in the till's language
            (``messages.order_paper.order_paper_words``).
        merge_identical_scans: A scan of the same product as the last line raises its
            quantity instead of adding a line.
        discount_limit_percent: Largest discount a cashier gives without a manager.
        receipt_columns: Receipt width (32, 42 or 48 characters).
        drawer_in_training: Open the drawer for training receipts too.
        headers: What receipts print about the shop and its people, kept for a minute
            (built from ``receipt_columns``).
    """

    units: UnitOfWorkFactory
    clock: Clock
    signer: SignerFor
    order_paper: OrderPaperWords
    merge_identical_scans: bool = False
    discount_limit_percent: Decimal = DEFAULT_DISCOUNT_LIMIT
    receipt_columns: int = 42
    drawer_in_training: bool = False
    headers: PrintHeaders = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "discount_limit_percent", Decimal(self.discount_limit_percent))
        object.__setattr__(self, "headers", PrintHeaders(self.receipt_columns))
