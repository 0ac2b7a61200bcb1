"""Return lines: goods taken back with a reference to the original receipt, or without one
when a manager approves.

A return with a receipt refunds its share of what the original line finally cost (after
its corrections and all discounts), with the VAT rate it was sold with, so a whole return
mirrors the sale to the øre. A return without a receipt refunds the unit price.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.errors import (
    ApprovalRequired,
    InvalidInput,
    Message,
    NotFound,
    RuleViolation,
)
from omnipos_tui.core.ledger.transaction import LineKind, Transaction, TransactionLine
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import RefundBasis, SaleLine, check_quantity
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import VatRate, rate_by_code


def refund_basis(original: Transaction, line_no: int) -> tuple[TransactionLine, RefundBasis]:
    """The item line ``line_no`` of a receipt and what it finally cost.

    Raises:
        NotFound: The receipt has no item line with that number.
        RuleViolation: The receipt was voided.
    """
    if original.voided:
        raise RuleViolation(code="return.original_voided", receipt_id=original.receipt_id)
    source = next(
        (ln for ln in original.lines if ln.line_no == line_no and ln.kind is LineKind.ITEM),
        None,
    )
    if source is None:
        raise NotFound(code="return.no_such_line", receipt_id=original.receipt_id, line_no=line_no)
    corrections = [ln for ln in original.lines if ln.corrects_line == line_no]
    basis = RefundBasis(
        amount=source.amount + Money.sum([c.amount for c in corrections]),
        quantity=source.quantity + sum((c.quantity for c in corrections), Decimal(0)),
        discount=source.discount_total + Money.sum([c.discount_total for c in corrections]),
    )
    return source, basis


def return_line(
    *,
    line_no: int,
    original: Transaction,
    original_line: int,
    quantity: Decimal,
    returned_before: Decimal,
    at: datetime,
    employee: str,
) -> SaleLine:
    """A return line for ``quantity`` of a line of an earlier receipt.

    Args:
        line_no: The new line's number in the sale.
        original: The original transaction.
        original_line: The item line on it.
        quantity: How much comes back (positive).
        returned_before: What earlier returns (and this sale) already took back of it.
        at: When (aware UTC).
        employee: Who registers the return.

    Raises:
        NotFound: No such item line.
        RuleViolation: A voided receipt, or more than is left to return.
        InvalidInput: The quantity does not fit the unit, or the VAT code is unknown.
    """
    source, basis = refund_basis(original, original_line)
    check_quantity(quantity, source.unit)
    left = basis.quantity - returned_before
    if quantity > left:
        raise RuleViolation(
            code="return.too_many",
            left=left,
            original_line=original_line,
            receipt_id=original.receipt_id,
        )
    return SaleLine(
        line_no=line_no,
        kind=LineKind.RETURN,
        sku=source.sku,
        name=source.name,
        group_code=source.group_code,
        unit=source.unit,
        vat=sold_rate(source.vat_code, source.vat_percent),
        quantity=-quantity,
        unit_price=source.unit_price,
        shelf_price=source.unit_price,
        at=at,
        employee=employee,
        returns_receipt=original.receipt_id,
        returns_line=original_line,
        refund=replace(basis, returned_before=returned_before),
    )


def unreferenced_return_line(
    *,
    line_no: int,
    product: Product,
    quantity: Decimal,
    approver: Employee | None,
    reason: str,
    price: Money | None,
    at: datetime,
    employee: str,
) -> SaleLine:
    """A return line without the original receipt, approved by a manager.

    Raises:
        ApprovalRequired: No approver, or the approver is not an active manager.
        InvalidInput: No reason, a bad quantity or a negative price.
    """
    if approver is None or not approver.active or not approver.role.allows(Role.MANAGER):
        raise ApprovalRequired(Message("action.return_without_receipt", product=product.name))
    if not reason.strip():
        raise InvalidInput(code="return.no_reason")
    unit_price = product.price if price is None else price
    if unit_price.ore < 0:
        raise InvalidInput(code="sale.negative_price", price=unit_price)
    return SaleLine(
        line_no=line_no,
        kind=LineKind.RETURN,
        sku=product.sku,
        name=product.name,
        group_code=product.group,
        unit=product.unit,
        vat=product.vat,
        quantity=-check_quantity(quantity, product.unit),
        unit_price=unit_price,
        shelf_price=product.price,
        at=at,
        employee=employee,
        approved_by=approver.number,
        note=reason.strip(),
    )


def sold_rate(code: str, percent: Decimal) -> VatRate:
    """The VAT rate an original line was sold with.

    Raises:
        InvalidInput: The code is unknown or its percentage differs from the line's.
    """
    rate = rate_by_code(code)
    if rate.percent != percent:
        raise InvalidInput(
            code="return.vat_changed", vat_code=code, rate_percent=rate.percent, percent=percent
        )
    return rate
