"""Completing and voiding sales, and the receipts around them: pro forma, the one copy,
reprints of unprinted originals, "sale without printed receipt".

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

from dataclasses import replace
from decimal import Decimal

from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import Conflict, NotFound, RuleViolation
from omnipos_tui.core.events import SaleCompleted, SaleVoided
from omnipos_tui.core.ledger.journal import (
    EventCode,
    copy_receipt_payload,
    proforma_payload,
)
from omnipos_tui.core.ledger.ports import OpenSaleRecord, RegisterState
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
)
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.receipt_layout import (
    copy_receipt,
    delivery_receipt,
    proforma_receipt,
    sale_receipt,
)
from omnipos_tui.core.sales.returns import refund_basis
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.ledger.steps import (
    append_signed,
    approver,
    find_receipt,
    journal,
    lock_register,
    next_event,
    next_position,
    receipt_key,
)
from omnipos_tui.services.sales.base import CompletedSale, SaleBase
from omnipos_tui.services.sales.print_headers import PrintContext

_RECEIPT_EVENTS = {
    TransactionKind.CREDIT_SALE: EventCode.DELIVERY_RECEIPT,
    TransactionKind.RETURN: EventCode.RETURN_RECEIPT,
}


def receipt_document(tx: Transaction, ctx: PrintContext, *, kick: bool = False) -> Document:
    """The original receipt of a transaction (a delivery receipt for a credit sale)."""
    if tx.kind is TransactionKind.CREDIT_SALE and ctx.customer is not None:
        document = delivery_receipt(
            tx,
            company=ctx.company,
            register=ctx.register,
            employee_name=ctx.employee_name,
            customer=ctx.customer,
            columns=ctx.columns,
        )
    else:
        document = sale_receipt(
            tx,
            company=ctx.company,
            register=ctx.register,
            employee_name=ctx.employee_name,
            columns=ctx.columns,
            customer=ctx.customer,
        )
    return replace(document, kick_drawer=kick)


class SaleReceipts(SaleBase):
    """Completion, voiding and receipts: the part of the sale service that numbers and
    signs."""

    def complete(self, sale_id: str, *, employee: str) -> CompletedSale:
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
        with self._units() as uow:
            # The open sale is removed in the unit of work that completes it: when it is
            # gone, the stored transaction is the answer.
            record = uow.open_sales.get(sale_id)
            if record is None:
                done = uow.transactions.by_sale_id(sale_id)
                if done is None:
                    raise NotFound(f"no open sale {sale_id}", nb=f"Fant ikke åpent salg {sale_id}.")
                ctx = self._headers.context(uow, done.register_id, done.employee, done.customer)
                return self._result(done, ctx)
            sale = self._unparked(record)
            self._no_card_in_flight(uow, sale_id)
            self._check_returns(uow, record, sale)
            state, tx = self._book(uow, record, sale, employee=employee)
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
            if self._kicks(tx):
                events.append(
                    next_event(
                        state, EventCode.DRAWER_OPEN, now, employee=employee, trans_id=tx.trans_id
                    )
                )
            uow.journal.append_all(events)  # one statement for the receipt and the drawer
            uow.open_sales.remove(sale_id)
            uow.register_states.save(state)
            uow.record(SaleCompleted(tx, tx.register_id, kick_drawer=self._kicks(tx)))
            ctx = self._headers.context(uow, tx.register_id, tx.employee, tx.customer)
            uow.commit()
        return self._result(tx, ctx)

    def _book(
        self,
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
            completed_at=self._clock.now(),
            previous_signature=position.previous_signature,
            employee=employee,
            voided=voided,
        )
        stored = append_signed(
            uow, state, tx, self._signer, sale_id=record.sale_id, return_refs=record.return_refs
        )
        return state, stored

    def _kicks(self, tx: Transaction) -> bool:
        cash = any(p.tender is TenderKind.CASH and p.given.ore for p in tx.payments)
        return cash and not tx.voided and (not tx.training or self._drawer_in_training)

    def _result(self, tx: Transaction, ctx: PrintContext) -> CompletedSale:
        kick = self._kicks(tx)
        return CompletedSale(tx, lambda: (receipt_document(tx, ctx, kick=kick),), kick_drawer=kick)

    @staticmethod
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
                raise NotFound(
                    f"the original transaction {trans_id} of a return is missing",
                    nb=f"Originalsalget {trans_id} for returen mangler.",
                )
            _, basis = refund_basis(original, line_no)
            before = uow.transactions.returned(trans_id).get(line_no, Decimal(0))
            if before + quantity > basis.quantity:
                raise RuleViolation(
                    f"only {basis.quantity - before} of line {line_no} on receipt "
                    f"{original.receipt_id} can still be returned",
                    nb=f"Bare {basis.quantity - before} av linje {line_no} på kvittering "
                    f"{original.receipt_id} kan returneres.",
                )

    def void_sale(
        self, sale_id: str, *, employee: str, approved_by: str | None = None
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
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            self._no_card_in_flight(uow, sale_id)
            manager = approver(uow, employee, approved_by, f"Annullere salg {sale_id}")
            state, tx = self._book(uow, record, sale, employee=employee, voided=True)
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
            ctx = self._headers.context(uow, tx.register_id, tx.employee, tx.customer)
            uow.commit()
        return self._result(tx, ctx)

    def pro_forma(self, sale_id: str, *, employee: str) -> Document:
        """A pro forma receipt of an open sale, numbered in its own series (13015).

        Raises:
            NotFound: No such sale.
            RuleViolation: Nothing rung.
        """
        with self._units() as uow:
            record, sale = self._load(uow, sale_id)
            if not sale.entries:
                raise RuleViolation("nothing was rung up", nb="Ingenting er slått inn.")
            register_id = record.held_by or record.register_id
            state = lock_register(uow, register_id)
            number = state.next_receipt(ReceiptSeries.PROFORMA)
            now = self._clock.now()
            journal(
                uow,
                state,
                EventCode.PROFORMA_RECEIPT,
                now,
                employee=employee,
                text=f"Foreløpig kvittering {number} for {sale_id}",
                payload={**proforma_payload(number, sale.total()), "sale_id": sale_id},
            )
            uow.register_states.save(state)
            ctx = self._headers.context(uow, register_id, employee, None)
            uow.commit()
        return proforma_receipt(
            sale,
            company=ctx.company,
            register=ctx.register,
            employee_name=ctx.employee_name,
            number=number,
            at=now,
            columns=ctx.columns,
        )

    def copy_receipt(
        self, receipt_id: str, *, employee: str, register_id: str | None = None
    ) -> Document:
        """The one copy of a receipt, marked «KOPI» (R-10, 13014); a second is refused.

        Args:
            register_id: Where the copy is printed (journaled there); by default the
                receipt's own register.

        Raises:
            InvalidInput: Not a receipt id.
            NotFound: No such receipt.
            RuleViolation: A copy was printed already.
        """
        with self._units() as uow:
            tx = find_receipt(uow, receipt_id)
            key = receipt_key(tx)
            if uow.journal.copy_made(tx.trans_id):
                raise RuleViolation(
                    f"a copy of receipt {key} was printed already (only one)",
                    nb=f"Kopi av kvittering {key} er allerede skrevet ut (bare én er tillatt).",
                )
            state = lock_register(uow, register_id or tx.register_id)
            now = self._clock.now()
            try:
                uow.journal.add_copy(tx.trans_id, state.register_id, now, employee)
            except Conflict as exc:
                raise RuleViolation(
                    f"a copy of receipt {key} was printed already",
                    nb=f"Kopi av kvittering {key} er allerede skrevet ut (bare én er tillatt).",
                ) from exc
            journal(
                uow,
                state,
                EventCode.COPY_RECEIPT,
                now,
                employee=employee,
                text=f"Kopi av kvittering {key}",
                trans_id=tx.trans_id,
                payload=copy_receipt_payload(tx.receipt_id, tx.total),
                # A copy of a real receipt is a real copy, whatever mode the till is in.
                training=tx.training,
            )
            uow.register_states.save(state)
            ctx = self._headers.context(uow, tx.register_id, tx.employee, tx.customer)
            uow.commit()
        return copy_receipt(
            tx,
            company=ctx.company,
            register=ctx.register,
            employee_name=ctx.employee_name,
            columns=ctx.columns,
            customer=ctx.customer,
        )

    def reprint_original(self, receipt_id: str) -> Document:
        """The original receipt again, NOT marked «KOPI» and without a drawer kick: for
        the till's queue of receipts whose printing failed.

        Raises:
            InvalidInput: Not a receipt id.
            NotFound: No such receipt.
        """
        with self._units(read_only=True) as uow:
            tx = find_receipt(uow, receipt_id)
            ctx = self._headers.context(uow, tx.register_id, tx.employee, tx.customer)
        return receipt_document(tx, ctx)

    def receipt_not_printed(self, receipt_id: str, *, employee: str) -> None:
        """Journal that a completed sale's receipt was never printed (13030).

        Raises:
            InvalidInput: Not a receipt id.
            NotFound: No such receipt.
        """
        with self._units() as uow:
            tx = find_receipt(uow, receipt_id)
            state = lock_register(uow, tx.register_id)
            journal(
                uow,
                state,
                EventCode.NO_PRINT,
                self._clock.now(),
                employee=employee,
                text=f"Kvittering {receipt_key(tx)} ble ikke skrevet ut",
                trans_id=tx.trans_id,
                payload={"receipt": receipt_key(tx), "amount": tx.total.ore},
                training=tx.training,
            )
            uow.register_states.save(state)
            uow.commit()

    def last_receipt_id(self, register_id: str) -> str | None:
        """The receipt id of the register's last transaction, or None."""
        with self._units(read_only=True) as uow:
            tx = uow.transactions.last(register_id)
        return None if tx is None else receipt_key(tx)

    def transaction(self, receipt_id: str) -> Transaction:
        """The stored transaction of a receipt id.

        Raises:
            InvalidInput: Not a receipt id.
            NotFound: No such receipt.
        """
        with self._units(read_only=True) as uow:
            return find_receipt(uow, receipt_id)
