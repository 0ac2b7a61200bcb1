"""Taking payments: the rules for cash (change, rounding to whole kroner) and exact tenders.

Pure functions over the amount still to pay (``remaining``): positive when the customer
owes the shop, negative when the shop owes the customer (a return larger than purchases).
Cash is rounded to whole kroner only where cash settles the remaining amount; card, Vipps,
vouchers and account sales are exact. The rounding is returned as its own amount, never
hidden in a price.
"""

from __future__ import annotations

from dataclasses import dataclass

from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.ledger.transaction import Payment, TenderKind
from omnipos_tui.core.money import Money, cash_rounding


@dataclass(frozen=True, slots=True)
class CashTaken:
    """The result of a cash tender.

    Attributes:
        payment: The payment to record (amount after change).
        rounding: The cash rounding this payment settled with (zero unless it settled the
            remaining amount).
    """

    payment: Payment
    rounding: Money


def cash_due(remaining: Money) -> Money:
    """What cash must pay to settle ``remaining``: rounded to whole kroner."""
    return remaining + cash_rounding(remaining)


def take_cash(
    remaining: Money,
    cash: Money | None = None,
    *,
    employee: str,
    reference: str = "",
) -> CashTaken:
    """A cash payment towards ``remaining``.

    When the customer pays (``remaining`` > 0), ``cash`` is what was handed over; if it
    covers the rounded amount due, the payment settles the sale with rounding and the rest
    is change. Less than that is a part payment without rounding. When the shop pays out
    (``remaining`` < 0), ``cash`` is how much is paid out; paying out all that is owed
    rounds the same way.

    Args:
        remaining: The amount still to settle.
        cash: Notes and coins handed over or paid out (positive, whole kroner); None means
            exactly the rounded amount due.
        employee: Number of the employee taking the payment.
        reference: Our payment reference.

    Raises:
        RuleViolation: Nothing is left to pay.
        InvalidInput: ``cash`` is not a positive amount of whole kroner, or pays out more
            than is owed.
    """
    if remaining.ore == 0:
        raise RuleViolation(code="tender.nothing_left")
    due = cash_due(remaining)
    if cash is None:
        payment = Payment(
            tender=TenderKind.CASH, amount=due, reference=reference, employee=employee
        )
        return CashTaken(payment, due - remaining)
    if cash.ore <= 0:
        raise InvalidInput(code="tender.cash_not_positive", cash=cash)
    if cash.ore % 100:
        raise InvalidInput(code="tender.cash_whole_kroner", cash=cash)
    if remaining.ore > 0:
        if cash >= due:
            tendered = cash if cash != due else None
            payment = Payment(
                tender=TenderKind.CASH,
                amount=due,
                reference=reference,
                employee=employee,
                tendered=tendered,
            )
            return CashTaken(payment, due - remaining)
        part = Payment(tender=TenderKind.CASH, amount=cash, reference=reference, employee=employee)
        return CashTaken(part, Money.zero())
    if cash > abs(due):
        raise InvalidInput(code="tender.pay_out_too_much", cash=cash, owed=abs(due))
    if cash == abs(due):
        payment = Payment(
            tender=TenderKind.CASH, amount=due, reference=reference, employee=employee
        )
        return CashTaken(payment, due - remaining)
    part = Payment(tender=TenderKind.CASH, amount=-cash, reference=reference, employee=employee)
    return CashTaken(part, Money.zero())


def take_exact(
    remaining: Money,
    tender: TenderKind,
    amount: Money,
    *,
    employee: str,
    reference: str = "",
    terminal_transaction_id: str = "",
    masked_card: str = "",
    tip: Money | None = None,
) -> Payment:
    """A payment (or refund) that settles exactly ``amount``: card, Vipps, voucher, account.

    Args:
        remaining: The amount still to settle.
        tender: Any tender except cash.
        amount: The approved amount, with the sign of ``remaining`` (negative refunds).
        employee: Number of the employee taking the payment.
        reference: Our payment reference (voucher number for vouchers).
        terminal_transaction_id: The terminal's or Vipps' transaction id.
        masked_card: Masked card number reported by the terminal.
        tip: A tip the customer added on the card terminal on top of ``amount`` (card
            payments only, never a refund): not part of what settles the sale.

    Raises:
        RuleViolation: Nothing is left to pay, or the amount is more than remains.
        InvalidInput: Cash (use :func:`take_cash`), a zero amount, the wrong sign, or a
            tip that is negative or on anything but a card payment.
    """
    if tender is TenderKind.CASH:
        raise InvalidInput(code="tender.cash_not_here")
    if remaining.ore == 0:
        raise RuleViolation(code="tender.nothing_left")
    if amount.ore == 0:
        raise InvalidInput(code="tender.needs_amount", tender=tender)
    if (amount.ore > 0) != (remaining.ore > 0):
        if remaining.ore > 0:
            raise InvalidInput(code="tender.sign_payment", amount=amount, remaining=remaining)
        raise InvalidInput(code="tender.sign_refund", amount=amount, remaining=remaining)
    if abs(amount) > abs(remaining):
        raise RuleViolation(
            code="tender.more_than_remaining", tender=tender, amount=amount, remaining=remaining
        )
    tip = tip if tip is not None else Money.zero()
    if tip.ore < 0:
        raise InvalidInput(code="tender.tip_negative", tip=tip)
    if tip.ore and (tender is not TenderKind.CARD or amount.ore < 0):
        raise InvalidInput(code="tender.tip_card_only", tender=tender)
    return Payment(
        tender=tender,
        amount=amount,
        reference=reference,
        terminal_transaction_id=terminal_transaction_id,
        masked_card=masked_card,
        employee=employee,
        tip=tip,
    )
