"""What the sale use cases return: a rung item, a parked sale for the recall list, a
returnable line of an earlier receipt, a completed sale and what to print for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.document import Document
from omnipos_tui.core.ledger.transaction import Payment, Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import SaleLine
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.ledger.steps import receipt_key


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ringing up an item did.

    Attributes:
        sale: The sale afterwards.
        line: The line rung (or, when merged, the line whose quantity grew).
        product: The product as sold (with the label price of an in-store price code).
        merged: The scan raised the last line's quantity instead of adding a line.
    """

    sale: Sale
    line: SaleLine
    product: Product
    merged: bool = False


@dataclass(frozen=True, slots=True)
class ParkedSale:
    """A parked sale, for the recall list.

    Attributes:
        sale_id: Its id.
        register_id: The register it was parked at.
        employee: Who rang it.
        note: The park note.
        started_at: When it was opened.
        parked_at: When it was parked.
        total: Its total.
        line_count: How many registrations it has.
    """

    sale_id: str
    register_id: str
    employee: str
    note: str
    started_at: datetime
    parked_at: datetime
    total: Money
    line_count: int


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """A line of an earlier receipt and how much of it can still be returned.

    Attributes:
        receipt_id: The original receipt.
        line_no: The line on it.
        sku: Article number.
        name: Name as printed.
        unit: Piece or kg.
        unit_price: Price per unit as sold.
        sold: Quantity sold (after the sale's own corrections).
        returned: Quantity earlier returns took back.
        left: What can still be returned.
        paid: What the line cost in all (after discounts).
        tenders: The original receipt's payments (a refund defaults to them).
    """

    receipt_id: str
    line_no: int
    sku: str
    name: str
    unit: Unit
    unit_price: Money
    sold: Decimal
    returned: Decimal
    left: Decimal
    paid: Money
    tenders: tuple[Payment, ...]


class CompletedSale:
    """A completed (or voided) sale: the stored transaction and what to print.

    The documents are laid out when first asked for (after the commit; the till asks at
    once to queue the print jobs), so completing a sale does not wait for the layout.

    Attributes:
        transaction: The signed transaction.
        receipt_id: The receipt's id for copies, reprints and returns.
        kick_drawer: Open the drawer (cash moved and not training).
        change: Change to hand back.
    """

    __slots__ = ("_build", "_documents", "change", "kick_drawer", "receipt_id", "transaction")

    def __init__(
        self,
        transaction: Transaction,
        build: Callable[[], tuple[Document, ...]],
        *,
        kick_drawer: bool,
    ) -> None:
        self.transaction = transaction
        self.receipt_id = receipt_key(transaction)
        self.kick_drawer = kick_drawer
        self.change = transaction.change()
        self._build: Callable[[], tuple[Document, ...]] | None = build
        self._documents: tuple[Document, ...] | None = None

    @property
    def documents(self) -> tuple[Document, ...]:
        """What the till prints after the commit: the receipt (for a credit sale the
        delivery receipt), laid out on first access."""
        if self._documents is None:
            assert self._build is not None
            self._documents, self._build = self._build(), None
        return self._documents

    @classmethod
    def of(cls, tx: Transaction, documents: tuple[Document, ...]) -> CompletedSale:
        """The result for a transaction and documents laid out already."""
        return cls(tx, lambda: documents, kick_drawer=any(d.kick_drawer for d in documents))

    def __repr__(self) -> str:
        return f"CompletedSale({self.transaction.trans_id}, receipt {self.receipt_id})"
