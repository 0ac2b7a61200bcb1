"""Completing and voiding sales: the use cases that number and sign.

``complete`` is the heart of the ledger: in ONE unit of work it allocates the transaction
number and the receipt number, signs the transaction chained to the register's previous
signature, stores it with its lines and payments, journals the receipt (and the drawer
opening when cash moved) and removes the open sale. Completing the same sale again returns
what the first completion stored. It records :class:`~omnipos_tui.core.events.SaleCompleted`
(voiding: ``SaleVoided``), whose handlers run in the same unit of work: the till's queues
the receipt, drawer kick and customer display as outbox rows (``services.sales.paper``).
The documents are built after the commit.
"""

from __future__ import annotations

from decimal import Decimal

from omnipos_tui.core.errors import Message, NotFound, RuleViolation
from omnipos_tui.core.events import SaleCompleted, SaleVoided
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.ports import OpenSaleRecord, RegisterState
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind, Transaction, TransactionKind
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.returns import refund_basis
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.ledger.steps import (
    append_signed,
    approver,
    journal,
    lock_register,
    next_event,
    next_position,
    receipt_key,
)
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.print_headers import PrintContext
from omnipos_tui.services.sales.receipts import receipt_document
from omnipos_tui.services.sales.results import CompletedSale

_RECEIPT_EVENTS = {
    TransactionKind.CREDIT_SALE: EventCode.DELIVERY_RECEIPT,
    TransactionKind.RETURN: EventCode.RETURN_RECEIPT,
}


def complete(deps: SaleDeps, sale_id: str, *, employee: str) -> CompletedSale:
    """Complete a paid sale: number, sign, store, journal, commit once.

    Journals the receipt (13012 sales, 13013 return, 13016 delivery for a credit sale,
    13017 training) and, when cash moved outside training, the drawer opening
    (DRAWOPEN, 13005). Idempotent on ``sale_id``: completing again returns the stored
    result and writes nothing.

    Raises:
        NotFound: No such sale.
        RuleViolation: Nothing rung, not fully paid, parked, a card payment pending or
            unknown, or a return of more than is left on the original receipt.
        SigningKeyError: The signing key cannot be used.
    """
    with deps.units() as uow:
        # The open sale is removed in the unit of work that completes it: when it is
        # gone, the stored transaction is the answer.
        record = uow.open_sales.get(sale_id)
        if record is None:
            done = uow.transactions.by_sale_id(sale_id)
            if done is None:
                raise NotFound(code="sale.no_open_sale", sale_id=sale_id)
            ctx = deps.headers.context(uow, done.register_id, done.employee, done.customer)
            return _result(deps, done, ctx)
        sale = steps.unparked(record)
        steps.no_card_in_flight(uow, sale_id)
        _check_returns(uow, record, sale)
        state, tx = _book(deps, uow, record, sale, employee=employee)
        now = tx.completed_at
        key = receipt_key(tx)
        code = (
            EventCode.TRAINING_RECEIPT
            if tx.training
            else _RECEIPT_EVENTS.get(tx.kind, EventCode.SALES_RECEIPT)
        )
        events = [
            next_event(
                state,
                code,
                now,
                employee=employee,
                text=f"{code.description} {key}",
                trans_id=tx.trans_id,
                payload={"receipt": key, "amount": tx.total.ore},
            )
        ]
        if _kicks(deps, tx):
            events.append(
                next_event(
                    state, EventCode.DRAWER_OPEN, now, employee=employee, trans_id=tx.trans_id
                )
            )
        uow.journal.append_all(events)  # one statement for the receipt and the drawer
        uow.open_sales.remove(sale_id)
        uow.register_states.save(state)
        uow.record(SaleCompleted(tx, tx.register_id, kick_drawer=_kicks(deps, tx)))
        ctx = deps.headers.context(uow, tx.register_id, tx.employee, tx.customer)
        uow.commit()  # SaleCompleted's handlers (stock moves) run here, last before the commit
    return _result(deps, tx, ctx)


def _book(
    deps: SaleDeps,
    uow: UnitOfWork,
    record: OpenSaleRecord,
    sale: Sale,
    *,
    employee: str,
    voided: bool = False,
) -> tuple[RegisterState, Transaction]:
    """Lock the sale's register and append the sale to its chain: numbered, signed,
    stored (what completing and voiding share). Returns the register's state, for
    the journal events and to save, and the stored transaction."""
    state = lock_register(uow, sale.register_id)
    position = next_position(state, sale.receipt_series())
    tx = sale.to_transaction(
        nr=position.nr,
        receipt_number=position.receipt_number,
        completed_at=deps.clock.now(),
        previous_signature=position.previous_signature,
        employee=employee,
        voided=voided,
    )
    stored = append_signed(
        uow, state, tx, deps.signer, sale_id=record.sale_id, return_refs=record.return_refs
    )
    return state, stored


def _kicks(deps: SaleDeps, tx: Transaction) -> bool:
    cash = any(p.tender is TenderKind.CASH and p.given.ore for p in tx.payments)
    return cash and not tx.voided and (not tx.training or deps.drawer_in_training)


def _result(deps: SaleDeps, tx: Transaction, ctx: PrintContext) -> CompletedSale:
    kick = _kicks(deps, tx)
    return CompletedSale(tx, lambda: (receipt_document(tx, ctx, kick=kick),), kick_drawer=kick)


def _check_returns(uow: UnitOfWork, record: OpenSaleRecord, sale: Sale) -> None:
    """Refuse returning more of an original line than is left, counting returns
    completed (at any till) since the line was added to this sale."""
    if not record.return_refs:
        return
    here: dict[tuple[str, int], Decimal] = {}
    for entry in sale.entries:
        if entry.kind is LineKind.RETURN and entry.line_no in record.return_refs:
            key = (record.return_refs[entry.line_no], entry.returns_line or 0)
            here[key] = here.get(key, Decimal(0)) - sale.quantity_of(entry.line_no)
    for (trans_id, line_no), quantity in here.items():
        original = uow.transactions.by_trans_id(trans_id)
        if original is None:
            raise NotFound(code="return.original_missing", trans_id=trans_id)
        _, basis = refund_basis(original, line_no)
        before = uow.transactions.returned(trans_id).get(line_no, Decimal(0))
        if before + quantity > basis.quantity:
            raise RuleViolation(
                code="return.too_many",
                left=basis.quantity - before,
                original_line=line_no,
                receipt_id=original.receipt_id,
            )


def void_sale(
    deps: SaleDeps, sale_id: str, *, employee: str, approved_by: str | None = None
) -> CompletedSale:
    """Cancel a whole sale: it is registered as a voided receipt (13028), numbered,
    signed and counted on X/Z as a void, never as a sale. A manager approves.

    Raises:
        ApprovalRequired: Nobody approved and the employee is not a manager.
        PermissionDenied: The approver is not a manager.
        NotFound: No such sale.
        RuleViolation: Nothing rung, payments taken (refund them first), parked, or a
            card payment in progress.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        manager = approver(uow, employee, approved_by, Message("action.void_sale", sale=sale_id))
        state, tx = _book(deps, uow, record, sale, employee=employee, voided=True)
        now = tx.completed_at
        key = receipt_key(tx)
        journal(
            uow,
            state,
            EventCode.VOID_RECEIPT,
            now,
            employee=employee,
            text=f"Annullert {key} (godkjent av {manager.number})",
            trans_id=tx.trans_id,
            payload={"receipt": key, "amount": tx.total.ore, "approved_by": manager.number},
        )
        uow.open_sales.remove(sale_id)
        uow.register_states.save(state)
        uow.record(SaleVoided(tx, tx.register_id, manager.number))
        ctx = deps.headers.context(uow, tx.register_id, tx.employee, tx.customer)
        uow.commit()
    return _result(deps, tx, ctx)
