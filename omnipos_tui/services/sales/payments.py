"""Taking payments for a sale: cash, Vipps, vouchers, customer account, and card payments
through a terminal.

A card payment is written and COMMITTED as pending, with our unique reference, before the
terminal is asked (``begin_card_payment``); the terminal's answer is recorded by
``finish_card_payment`` (idempotent per reference). When the terminal stops answering the
outcome is unknown (``mark_card_unknown``): the sale can then not be completed, parked or
voided until someone checks the terminal and resolves it (``resolve_unknown``; "not paid"
needs a manager). Pending payments survive a restart (``pending_payments``).
"""

from __future__ import annotations

from dataclasses import replace

from omnipos_tui.core.errors import InvalidInput, Message, NotFound, RuleViolation
from omnipos_tui.core.ledger.journal import JsonObject
from omnipos_tui.core.ledger.ports import PaymentStatus, PendingPayment
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined, CardResult
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.tender import take_exact
from omnipos_tui.services.ledger.steps import approver
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps


def pay(
    deps: SaleDeps,
    sale_id: str,
    tender: TenderKind,
    amount: Money | None,
    *,
    employee: str,
    reference: str = "",
) -> Sale:
    """Take a payment that needs no terminal.

    Args:
        tender: Cash, mobile (Vipps), voucher or account (card: see
            :meth:`begin_card_payment`).
        amount: Cash handed over (whole kroner; None = exactly the rounded amount due);
            for the others the amount (None = all that remains).
        reference: Vipps' transaction id, the voucher's number, or a note.

    Raises:
        InvalidInput: A card tender, a bad amount, or a voucher without number.
        RuleViolation: Nothing left to pay, more than remains, a credit sale without
            customer, or a card payment in progress.
        NotFound: No such sale.
    """
    steps.check_tender(tender)
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        remaining = sale.remaining()
        if tender is TenderKind.CASH:
            sale.pay_cash(amount, employee=employee, reference=reference)
        elif tender is TenderKind.MOBILE:
            sale.pay_mobile(amount or remaining, transaction_id=reference, employee=employee)
        elif tender is TenderKind.VOUCHER:
            sale.pay_voucher(amount or remaining, voucher=reference, employee=employee)
        else:
            if amount is not None and amount != remaining:
                raise InvalidInput(code="sale.credit_takes_all", remaining=remaining)
            sale.pay_account(employee=employee, reference=reference)
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale


def begin_card_payment(
    deps: SaleDeps, sale_id: str, amount: Money, *, employee: str, refund: bool = False
) -> PendingPayment:
    """Write (and commit) a pending card payment before the terminal is asked.

    Args:
        amount: The amount to charge or refund (positive).
        refund: Pay ``amount`` back to the card.

    Returns:
        The pending payment; give its ``reference`` to the terminal.

    Raises:
        InvalidInput: Amount not above 0, or the sale owes the other way.
        RuleViolation: Nothing left to pay, more than remains, or another card
            payment of the sale is in progress.
        NotFound: No such sale.
    """
    if amount.ore <= 0:
        raise InvalidInput(code="card.not_positive", amount=amount)
    signed = -amount if refund else amount
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        # Checked now, so the terminal is never asked for an amount that cannot be taken.
        take_exact(sale.remaining(), TenderKind.CARD, signed, employee=employee)
        count = len(uow.pending_payments.for_sale(sale_id))
        now = deps.clock.now()
        payment = PendingPayment(
            reference=f"{sale_id}-p{count + 1}",
            sale_id=sale_id,
            register_id=record.held_by or record.register_id,
            tender=TenderKind.CARD,
            amount=signed,
            status=PaymentStatus.PENDING,
            result={},
            created_at=now,
            updated_at=now,
            employee=employee,
        )
        uow.pending_payments.add(payment)
        uow.commit()
    return payment


def finish_card_payment(deps: SaleDeps, reference: str, result: CardResult) -> Sale:
    """Record the terminal's answer: approved -> a card payment line (with the
    terminal's transaction id and masked card); declined or cancelled -> nothing paid.
    Calling it again for the same reference changes nothing.

    When the terminal approves more than it was sent for a payment, the difference is a
    tip the customer added on the terminal: it is recorded on the card payment
    (``Payment.tip``, owed to the employee who took the payment), never as part of the
    sale (no revenue, no VAT). A refund carries no tip.

    Raises:
        NotFound: No such payment reference.
        RuleViolation: The approved amount does not fit the sale.
    """
    with deps.units() as uow:
        payment = _payment(uow, reference)
        record, sale = steps.load(uow, payment.sale_id)
        if not payment.status.unsettled:
            return sale
        now = deps.clock.now()
        if isinstance(result, CardApproved):
            refund = payment.amount.ore < 0
            asked = abs(payment.amount)
            # What the terminal approved beyond what it was sent is the customer's tip.
            tip = result.amount - asked if not refund and result.amount > asked else Money(0)
            taken = abs(result.amount - tip)
            sale.pay_card(
                -taken if refund else taken,
                terminal_transaction_id=result.transaction_id,
                masked_card=result.masked_card,
                employee=payment.employee,
                reference=reference,
                tip=tip,
            )
            status = PaymentStatus.APPROVED
            answer: JsonObject = {
                "outcome": "approved",
                "amount": result.amount.ore,
                "tip": tip.ore,
                "transaction_id": result.transaction_id,
                "masked_card": result.masked_card,
            }
            steps.save(uow, record, sale, deps.clock.now())
        elif isinstance(result, CardDeclined):
            status, answer = (
                PaymentStatus.DECLINED,
                {"outcome": "declined", "reason": result.reason},
            )
        elif isinstance(result, CardCancelled):
            status, answer = (
                PaymentStatus.CANCELLED,
                {"outcome": "cancelled", "reason": result.reason},
            )
        else:  # pragma: no cover - CardResult is a closed union
            raise InvalidInput(code="card.bad_result", result=result)
        uow.pending_payments.save(replace(payment, status=status, result=answer, updated_at=now))
        uow.commit()
    return sale


def mark_card_unknown(deps: SaleDeps, reference: str) -> None:
    """The terminal stopped answering after it had the amount: the outcome is unknown
    until someone checks the terminal (see :meth:`resolve_unknown`).

    Raises:
        NotFound: No such payment reference.
    """
    with deps.units() as uow:
        payment = _payment(uow, reference)
        if payment.status is not PaymentStatus.PENDING:
            return
        uow.pending_payments.save(
            replace(payment, status=PaymentStatus.UNKNOWN, updated_at=deps.clock.now())
        )
        uow.commit()


def card_payment(deps: SaleDeps, reference: str) -> PendingPayment:
    """One card payment as stored now, whatever its state ("check status again").

    Raises:
        NotFound: No such payment reference.
    """
    with deps.units(read_only=True) as uow:
        return _payment(uow, reference)


def pending_payments(deps: SaleDeps, register_id: str) -> list[PendingPayment]:
    """Card payments of a register that are pending or unknown, oldest first (resolve
    them first after a restart)."""
    with deps.units(read_only=True) as uow:
        return uow.pending_payments.unsettled(register_id)


def resolve_unknown(
    deps: SaleDeps,
    reference: str,
    *,
    paid: bool,
    transaction_id: str = "",
    employee: str,
    approved_by: str | None,
) -> Sale:
    """Settle a card payment whose outcome was unknown, after checking the terminal's
    own journal: paid -> a card payment line with the terminal's transaction id; not
    paid -> nothing paid (a manager must approve that).

    Raises:
        NotFound: No such payment reference.
        RuleViolation: The payment is not pending or unknown.
        ApprovalRequired: "Not paid" without a manager.
        PermissionDenied: The approver is not a manager.
    """
    with deps.units() as uow:
        payment = _payment(uow, reference)
        if not payment.status.unsettled:
            raise RuleViolation(
                code="card.settled_already", reference=reference, status=payment.status
            )
        record, sale = steps.load(uow, payment.sale_id)
        if paid:
            sale.pay_card(
                payment.amount,
                terminal_transaction_id=transaction_id,
                masked_card="",
                employee=employee,
                reference=reference,
            )
            status, by = PaymentStatus.RESOLVED_PAID, employee
            steps.save(uow, record, sale, deps.clock.now())
        else:
            what = Message("action.card_unpaid", amount=payment.amount)
            status, by = (
                PaymentStatus.RESOLVED_UNPAID,
                approver(uow, employee, approved_by, what).number,
            )
        uow.pending_payments.save(
            replace(
                payment,
                status=status,
                result={"outcome": status.value, "transaction_id": transaction_id},
                resolved_by=by,
                updated_at=deps.clock.now(),
            )
        )
        uow.commit()
    return sale


def _payment(uow: UnitOfWork, reference: str) -> PendingPayment:
    payment = uow.pending_payments.get(reference)
    if payment is None:
        raise NotFound(code="card.unknown", reference=reference)
    return payment
