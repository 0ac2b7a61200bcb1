"""The receipts around a sale besides its original: pro forma (13015), the one copy
(13014), reprints of unprinted originals, "sale without printed receipt" (13030), and
reading back a receipt's transaction."""

from __future__ import annotations

from dataclasses import replace

from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import Conflict, RuleViolation
from omnipos_tui.core.ledger.journal import EventCode, copy_receipt_payload, proforma_payload
from omnipos_tui.core.ledger.transaction import ReceiptSeries, Transaction, TransactionKind
from omnipos_tui.core.sales.receipt_layout import copy_receipt as copy_receipt_layout
from omnipos_tui.core.sales.receipt_layout import delivery_receipt, proforma_receipt, sale_receipt
from omnipos_tui.services.ledger.steps import find_receipt, journal, lock_register, receipt_key
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.print_headers import PrintContext


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


def pro_forma(deps: SaleDeps, sale_id: str, *, employee: str) -> Document:
    """A pro forma receipt of an open sale, numbered in its own series (13015).

    Raises:
        NotFound: No such sale.
        RuleViolation: Nothing rung.
    """
    with deps.units() as uow:
        record, sale = steps.load(uow, sale_id)
        if not sale.entries:
            raise RuleViolation(code="sale.nothing_rung_up")
        register_id = record.held_by or record.register_id
        state = lock_register(uow, register_id)
        number = state.next_receipt(ReceiptSeries.PROFORMA)
        now = deps.clock.now()
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
        ctx = deps.headers.context(uow, register_id, employee, None)
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
    deps: SaleDeps, receipt_id: str, *, employee: str, register_id: str | None = None
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
    with deps.units() as uow:
        tx = find_receipt(uow, receipt_id)
        key = receipt_key(tx)
        if uow.journal.copy_made(tx.trans_id):
            raise RuleViolation(code="receipt.copy_taken", receipt=key)
        state = lock_register(uow, register_id or tx.register_id)
        now = deps.clock.now()
        try:
            uow.journal.add_copy(tx.trans_id, state.register_id, now, employee)
        except Conflict as exc:
            raise RuleViolation(code="receipt.copy_taken_already", receipt=key) from exc
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
        ctx = deps.headers.context(uow, tx.register_id, tx.employee, tx.customer)
        uow.commit()
    return copy_receipt_layout(
        tx,
        company=ctx.company,
        register=ctx.register,
        employee_name=ctx.employee_name,
        columns=ctx.columns,
        customer=ctx.customer,
    )


def reprint_original(deps: SaleDeps, receipt_id: str) -> Document:
    """The original receipt again, NOT marked «KOPI» and without a drawer kick: for
    the till's queue of receipts whose printing failed.

    Raises:
        InvalidInput: Not a receipt id.
        NotFound: No such receipt.
    """
    with deps.units(read_only=True) as uow:
        tx = find_receipt(uow, receipt_id)
        ctx = deps.headers.context(uow, tx.register_id, tx.employee, tx.customer)
    return receipt_document(tx, ctx)


def receipt_not_printed(deps: SaleDeps, receipt_id: str, *, employee: str) -> None:
    """Journal that a completed sale's receipt was never printed (13030).

    Raises:
        InvalidInput: Not a receipt id.
        NotFound: No such receipt.
    """
    with deps.units() as uow:
        tx = find_receipt(uow, receipt_id)
        state = lock_register(uow, tx.register_id)
        journal(
            uow,
            state,
            EventCode.NO_PRINT,
            deps.clock.now(),
            employee=employee,
            text=f"Kvittering {receipt_key(tx)} ble ikke skrevet ut",
            trans_id=tx.trans_id,
            payload={"receipt": receipt_key(tx), "amount": tx.total.ore},
            training=tx.training,
        )
        uow.register_states.save(state)
        uow.commit()


def last_receipt_id(deps: SaleDeps, register_id: str) -> str | None:
    """The receipt id of the register's last transaction, or None."""
    with deps.units(read_only=True) as uow:
        tx = uow.transactions.last(register_id)
    return None if tx is None else receipt_key(tx)


def transaction(deps: SaleDeps, receipt_id: str) -> Transaction:
    """The stored transaction of a receipt id.

    Raises:
        InvalidInput: Not a receipt id.
        NotFound: No such receipt.
    """
    with deps.units(read_only=True) as uow:
        return find_receipt(uow, receipt_id)
