"""The transaction a finished sale becomes: the unsigned :class:`Transaction` built from a
paid (or voided) sale and the numbers the service allocated in the same unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from omnipos_tui.core.clock import business_day, local_date_text, local_time_text
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.ledger.transaction import Transaction, trans_id
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.registrations import aware

if TYPE_CHECKING:
    from omnipos_tui.core.sales.sale import Sale


def sale_transaction(
    sale: Sale,
    *,
    nr: int,
    receipt_number: int,
    completed_at: datetime,
    previous_signature: str,
    receipt_series: str | None = None,
    employee: str | None = None,
    voided: bool = False,
) -> Transaction:
    """The unsigned transaction for ``sale`` (see :meth:`Sale.to_transaction`).

    Raises:
        RuleViolation: Nothing was rung; not fully paid; or voided with payments taken
            (refund them first).
    """
    if not sale.entries:
        raise RuleViolation(code="sale.nothing_rung_up")
    if voided and sale.payments:
        raise RuleViolation(code="sale.void_has_payments")
    if not voided and not sale.is_paid():
        raise RuleViolation(code="sale.not_paid", remaining=sale.remaining())
    aware(completed_at)
    lines = sale.lines()
    return Transaction(
        register_id=sale.register_id,
        nr=nr,
        trans_id=trans_id(sale.register_id, nr),
        kind=sale.kind(),
        employee=employee or sale.employee,
        customer=sale.customer,
        started_at=sale.started_at,
        completed_at=completed_at,
        trans_date=local_date_text(completed_at),
        trans_time=local_time_text(completed_at),
        business_day=business_day(completed_at),
        lines=lines,
        payments=sale.payments,
        rounding=sale.rounding(),
        total=Money.sum([ln.amount for ln in lines]),
        total_ex_vat=Money.sum([ln.net for ln in lines]),
        receipt_series=receipt_series or sale.receipt_series(),
        receipt_number=receipt_number,
        training=sale.training,
        voided=voided,
        # The park note is the cashier's, not the customer's: not on the receipt, not in
        # the SAF-T export (Transaction.note is for cash movements' reasons).
        note="",
        signature="",
        key_version="",
        previous_signature=previous_signature,
    )
