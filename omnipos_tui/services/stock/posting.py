"""A completed till transaction's stock moves, posted inside the sale's own unit of work.

The sale and its stock commit or fail together: :func:`post_transaction` runs in the
completing use case's unit of work, after the transaction is stored and before the commit.
Training transactions and voided sales move nothing (``core.stock.moves``). A sale that
completes a customer order's pick-up consumes the order's reservation for the lines it
carries (``services.orders.pickup``) instead of moving them from the shelf again. Products that
go below zero are allowed (the goods are in the customer's hands) and flagged on their
moves; ``stock list --negative`` shows them.
"""

from __future__ import annotations

import logging

from omnipos_tui.core.events import SaleCompleted
from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.stock.moves import Posting, transaction_moves
from omnipos_tui.core.stock.ports import PostResult

log = logging.getLogger(__name__)


def post_completed_sale(event: SaleCompleted, uow: UnitOfWork) -> None:
    """The in-transaction handler of :class:`SaleCompleted`: the sale's stock moves commit
    with the sale or not at all (subscribed in ``bootstrap``)."""
    post_transaction(uow, event.transaction)


def post_transaction(uow: UnitOfWork, tx: Transaction) -> PostResult:
    """Post the moves of a completed transaction at its register's selling location.

    Lines whose article number is not in the catalogue are left out (logged), never a
    reason to refuse a paid sale.
    """
    if tx.training or tx.voided or not tx.lines:
        return PostResult(0)
    location = uow.stock.register_location(tx.register_id)
    moves = transaction_moves(tx, location)
    # A pick-up: the order's goods leave from its reservation, not a second time here.
    # (Imported here: the till's start does not wait for the order use cases; the till
    # imports them after its log-in screen is drawn, bootstrap.Services.prepare_for_sales.)
    from omnipos_tui.services.orders.pickup import hand_over_sold

    covered, extra = hand_over_sold(uow, tx)
    moves = [m for m in moves if m.doc_line not in covered] + extra
    if not moves:
        return PostResult(0)
    result = uow.stock.post(moves, Posting(tx.employee, tx.register_id, tx.completed_at))
    if result.unknown:
        log.warning(
            "transaction %s: no stock moves for unknown SKUs %s",
            tx.trans_id,
            ", ".join(result.unknown),
        )
    return result
