"""Discounts and prices: line and whole-sale discounts (above the cashier's limit a
manager approves) and price overrides with a reason (a manager approves; journaled)."""

from __future__ import annotations

from decimal import Decimal

from omnipos_tui.core.errors import Message
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.lines import DiscountMode, DiscountSpec
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.ledger.steps import approver, journal, lock_register
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps


def discount_line(
    deps: SaleDeps,
    sale_id: str,
    line_no: int,
    spec: DiscountSpec,
    *,
    employee: str,
    approved_by: str | None = None,
) -> Sale:
    """Give (or replace) an item's discount; above the limit a manager approves.

    Raises:
        ApprovalRequired: Above the limit and nobody approved.
        PermissionDenied: The approver is not a manager.
        NotFound: No such sale or line.
        RuleViolation: See ``Sale.discount_line``.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        sale.discount_line(line_no, spec)
        line = sale.lines()[line_no - 1]
        gross = line.unit_price.times(sale.quantity_of(line_no))
        given = line.discount.amount if line.discount is not None else Money.zero()
        approved = _approve_discount(
            deps,
            uow,
            spec,
            given=given,
            gross=gross,
            employee=employee,
            approved_by=approved_by,
            line_no=line_no,
        )
        if approved is not spec:
            sale.discount_line(line_no, approved)
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale


def discount_sale(
    deps: SaleDeps,
    sale_id: str,
    spec: DiscountSpec,
    *,
    employee: str,
    approved_by: str | None = None,
) -> Sale:
    """Give (or replace) a whole-sale discount; above the limit a manager approves.

    Raises:
        ApprovalRequired: Above the limit and nobody approved.
        PermissionDenied: The approver is not a manager.
        RuleViolation: See ``Sale.discount_sale``.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        given = sale.discount_sale(spec)
        gross = Money.sum(
            [ln.amount + ln.sale_discount.amount for ln in sale.lines() if ln.sale_discount]
        )
        approved = _approve_discount(
            deps,
            uow,
            spec,
            given=given,
            gross=gross,
            employee=employee,
            approved_by=approved_by,
            line_no=None,
        )
        if approved is not spec:
            sale.discount_sale(approved)
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale


def _approve_discount(
    deps: SaleDeps,
    uow: UnitOfWork,
    spec: DiscountSpec,
    *,
    given: Money,
    gross: Money,
    employee: str,
    approved_by: str | None,
    line_no: int | None,
) -> DiscountSpec:
    """The discount to store: as given when within the limit; above it a manager must
    approve, and the approver is written into the reason when it is someone else.

    ``line_no`` is the discounted line, or None for a discount on the whole sale."""
    if spec.mode is DiscountMode.PERCENT and spec.percent is not None:
        percent = spec.percent
    else:
        percent = Decimal(given.ore) * 100 / Decimal(gross.ore) if gross.ore else Decimal(0)
    if percent <= deps.discount_limit_percent:
        return spec
    shown = percent.quantize(Decimal("0.1"))
    if shown == shown.to_integral_value():
        shown = shown.quantize(Decimal(1))  # "Rabatt 50 %", not "50.0 %"
    action = (
        Message("action.discount_sale", percent=shown)
        if line_no is None
        else Message("action.discount_line", percent=shown, line_no=line_no)
    )
    manager = approver(uow, employee, approved_by, action)
    if manager.number == spec.employee:
        return spec
    return DiscountSpec(
        mode=spec.mode,
        percent=spec.percent,
        amount=spec.amount,
        employee=spec.employee,
        reason=f"{spec.reason} (godkjent av {manager.number})".strip(),
    )


def override_price(
    deps: SaleDeps,
    sale_id: str,
    line_no: int,
    price: Money,
    reason: str,
    *,
    employee: str,
    approved_by: str | None,
) -> Sale:
    """Give an item another unit price with a reason; a manager approves (a manager
    ringing the sale approves their own). Journaled as a price override.

    Raises:
        ApprovalRequired: Nobody approved and the employee is not a manager.
        PermissionDenied: The approver is not a manager.
        NotFound: No such sale or line.
        InvalidInput: No reason or a negative price.
        RuleViolation: See ``Sale.override_price``.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        old = sale.line(line_no).unit_price
        action = Message("action.price_override", price=price, line_no=line_no)
        manager = approver(uow, employee, approved_by, action)
        line = sale.override_price(
            line_no, price, reason=reason, employee=employee, approved_by=manager.number
        )
        state = lock_register(uow, sale.register_id)
        journal(
            uow,
            state,
            EventCode.PRICE_OVERRIDE,
            deps.clock.now(),
            employee=employee,
            text=f"Overstyrt pris linje {line_no} {line.name}: {old} -> {price} ({reason})",
            payload={
                "sale_id": sale_id,
                "line": line_no,
                "sku": line.sku,
                "old_price": old.ore,
                "new_price": price.ore,
                "reason": reason,
                "approved_by": manager.number,
            },
        )
        uow.register_states.save(state)
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale
