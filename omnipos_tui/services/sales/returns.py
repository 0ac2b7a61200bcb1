"""Returns: what an earlier receipt still allows to take back, returns with the original
receipt (refunding what the line cost), and returns without it (a manager approves).

Quantities already returned are counted from the stored transactions by the original's
``trans_id`` (receipt numbers repeat across series), so no line is refunded twice; the
completion checks it again in case another till returned the same line meanwhile.
"""

from __future__ import annotations

from decimal import Decimal

from omnipos_tui.core.errors import Message
from omnipos_tui.core.ledger.transaction import LineKind
from omnipos_tui.core.sales.returns import refund_basis
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.ledger.steps import approver, find_receipt
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.results import ReturnableLine


def returnable_lines(deps: SaleDeps, receipt_id: str) -> list[ReturnableLine]:
    """The item lines of an earlier receipt with what can still be returned, and the
    receipt's payments.

    Raises:
        InvalidInput: Not a receipt id.
        NotFound: No such receipt.
        RuleViolation: The receipt was voided.
    """
    with deps.units(read_only=True) as uow:
        original = find_receipt(uow, receipt_id)
        returned = uow.transactions.returned(original.trans_id)
    out = []
    for line in original.lines:
        if line.kind is not LineKind.ITEM:
            continue
        _, basis = refund_basis(original, line.line_no)
        back = returned.get(line.line_no, Decimal(0))
        out.append(
            ReturnableLine(
                receipt_id=receipt_id.strip(),
                line_no=line.line_no,
                sku=line.sku,
                name=line.name,
                unit=line.unit,
                unit_price=line.unit_price,
                sold=basis.quantity,
                returned=back,
                left=max(Decimal(0), basis.quantity - back),
                paid=basis.amount,
                tenders=original.payments,
            )
        )
    return out


def add_return(
    deps: SaleDeps, sale_id: str, receipt_id: str, line_no: int, quantity: Decimal, *, employee: str
) -> Sale:
    """Take back (part of) a line of an earlier receipt, refunding what it cost.

    Raises:
        NotFound: No such sale, receipt or item line.
        InvalidInput: Not a receipt id, or a quantity that does not fit.
        RuleViolation: A voided receipt, training mixed with real, more than is left,
            a card payment in progress, or the sale is paid.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        original = find_receipt(uow, receipt_id)
        before = uow.transactions.returned(original.trans_id).get(line_no, Decimal(0))
        line = sale.add_return(
            original,
            line_no,
            quantity,
            at=deps.clock.now(),
            employee=employee,
            already_returned=before,
        )
        refs = {**record.return_refs, line.line_no: original.trans_id}
        steps.save(uow, record, sale, deps.clock.now(), return_refs=refs)
        uow.commit()
    return sale


def add_unreferenced_return(
    deps: SaleDeps,
    sale_id: str,
    code: str,
    quantity: Decimal,
    reason: str,
    *,
    employee: str,
    approved_by: str | None,
) -> Sale:
    """Take back goods without the original receipt; a manager approves.

    Raises:
        ApprovalRequired: Nobody approved and the employee is not a manager.
        PermissionDenied: The approver is not a manager.
        NotFound: Unknown code or sale.
        InvalidInput: No reason or a bad quantity.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        product, weight = steps.find_product(uow, code)
        action = Message("action.return_without_receipt", product=product.name)
        manager = approver(uow, employee, approved_by, action)
        sale.add_unreferenced_return(
            product,
            weight if weight is not None else quantity,
            approver=manager,
            reason=reason,
            at=deps.clock.now(),
            employee=employee,
        )
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale
