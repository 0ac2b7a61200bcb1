"""Moves: every change of stock is one append-only move of a quantity of one product from
one location to another, caused by a document and dated when it is made (no back-dating;
a mistake is corrected by a new move).

:func:`transaction_moves` says which moves a completed till transaction makes: each sold
line moves goods from the register's location to ``customer``, each return line and each
line correction moves them back. A training transaction moves nothing; neither does a
voided sale, whose goods never left the shop (its lines are in the journal, and nothing in
stock changed).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from omnipos_tui.core.ledger.transaction import LineKind, Transaction
from omnipos_tui.core.stock.locations import CUSTOMER
from omnipos_tui.core.stock.quantity import to_scaled


class DocType(enum.StrEnum):
    """What kind of document caused a move."""

    SALE = "sale"
    """A completed till transaction (sales, returns and line corrections)."""
    RECEIPT = "receipt"
    """A goods receipt (varemottak)."""
    TRANSFER = "transfer"
    """A transfer between locations."""
    COUNT = "count"
    """The variance of a stock count (varetelling)."""
    PICK = "pick"
    """A customer order picked."""
    WRITE_OFF = "write-off"
    """Goods lost, broken or expired."""
    REBUILD = "rebuild"
    """Reserved for repairs; ``stock rebuild`` repairs balances, never the ledger."""


@dataclass(frozen=True, slots=True)
class MoveRequest:
    """A move a use case wants posted (storage fills in cost, time and the negative flag).

    Attributes:
        sku: The product.
        quantity: Thousandths of the product's unit, above 0.
        source: The location code goods leave.
        target: The location code goods arrive at.
        doc_type: The kind of document.
        doc_id: The document's id ("1-42" for a transaction, "12" for a receipt).
        doc_line: The document's line the move belongs to.
        unit_cost: Cost price per unit in øre for goods arriving from a supplier; None: the
            product's average cost at the moment the move is posted.
        reason: Why (a count difference's reason, a write-off's cause); may be empty.
    """

    sku: str
    quantity: int
    source: str
    target: str
    doc_type: DocType
    doc_id: str
    doc_line: int
    unit_cost: int | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError(f"a move's quantity is above 0, got {self.quantity}")
        if self.source == self.target:
            raise ValueError(f"a move from {self.source} to itself")
        if self.unit_cost is not None and self.unit_cost < 0:
            raise ValueError(f"a negative unit cost {self.unit_cost}")


@dataclass(frozen=True, slots=True)
class Posting:
    """Who posts moves, where and when: the same for every move of one document.

    Attributes:
        employee: The employee's number ("" from the admin command line without one).
        register_id: The register it happened at (the process's register for the CLI).
        at: When (aware UTC); moves are dated when they are made.
    """

    employee: str
    register_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class StockMove:
    """A posted move as stored.

    Attributes:
        move_id: Its place in the ledger (increasing).
        sku: The product.
        quantity: Thousandths of the product's unit, above 0.
        source: Location code goods left.
        target: Location code goods arrived at.
        unit_cost: Cost per unit in øre at that moment (average cost for goods leaving).
        doc_type: The kind of document.
        doc_id: The document's id.
        doc_line: The document's line.
        employee: Who.
        register_id: Where.
        at: When (aware UTC).
        negative: The move left its source location below zero.
        reason: Why, where one was given.
    """

    move_id: int
    sku: str
    quantity: int
    source: str
    target: str
    unit_cost: int
    doc_type: DocType
    doc_id: str
    doc_line: int
    employee: str
    register_id: str
    at: datetime
    negative: bool
    reason: str = ""


def transaction_moves(tx: Transaction, location: str) -> list[MoveRequest]:
    """The moves a completed till transaction makes at ``location``.

    Item lines move goods to ``customer``; return lines and line corrections (negative
    quantities) move them back. Lines without an article number (open sales on an article
    group) and lines of quantity 0 move nothing, nor does a training or voided transaction.
    Lines of products the catalogue does not know are left to the caller to drop.
    """
    if tx.training or tx.voided:
        return []
    moves: list[MoveRequest] = []
    for line in tx.lines:
        if not line.sku or line.kind not in _STOCK_LINES:
            continue
        scaled = to_scaled(line.quantity)
        if scaled == 0:
            continue
        source, target = (location, CUSTOMER) if scaled > 0 else (CUSTOMER, location)
        moves.append(
            MoveRequest(
                sku=line.sku,
                quantity=abs(scaled),
                source=source,
                target=target,
                doc_type=DocType.SALE,
                doc_id=tx.trans_id,
                doc_line=line.line_no,
            )
        )
    return moves


_STOCK_LINES = frozenset({LineKind.ITEM, LineKind.RETURN, LineKind.CORRECTION})
