"""Paying and completing the sale on screen: the steps the payment panel and the card modal
take, in the order the rules demand (no business rules of its own; the services decide).

A card payment is written as pending BEFORE the terminal is asked; the terminal's answer is
recorded afterwards; a terminal that goes silent after it had the amount leaves the payment
*unknown* until the cashier resolves it. Completion commits the sale first and only then
hands the documents to ``after_complete`` (print, drawer, display): paper after money.
Completion is idempotent on the sale id, and for a short while after a sale completes,
tender keys are ignored (double Enter / double F9 protection).

When the database stops answering between the terminal's answer and its record (a
PostgreSQL server restarting, a cut cable), the answer is *held* in memory
(:attr:`Checkout.held`) and recorded as soon as the database answers again
(:meth:`Checkout.record_held`): an approved payment is never asked for twice and never lost
while the till runs. Should the till stop meanwhile, the payment is still pending in the
database and comes back as unknown at the next log-in, as after a crash.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

from omnipos_tui.core.errors import (
    DeviceError,
    RuleViolation,
    StorageError,
    TerminalOutcomeUnknown,
)
from omnipos_tui.core.ledger.ports import PaymentStatus, PendingPayment
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined, CardResult
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.sales import completion, payments
from omnipos_tui.services.sales.results import CompletedSale
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.session import TillSession


class CardStage(enum.StrEnum):
    """Where a card payment is, as the card modal shows it."""

    WAITING = "waiting"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    FAILED = "failed"
    HELD = "held"
    """The terminal answered but the database did not take the answer yet."""


@dataclass(frozen=True, slots=True)
class CardOutcome:
    """What became of a card payment.

    Attributes:
        stage: Approved, declined, cancelled, unknown, or failed before the terminal had
            the amount.
        reference: Our payment reference.
        text: The terminal's or the error's text ("Avvist av kortutsteder"), or "".
    """

    stage: CardStage
    reference: str
    text: str = ""


class Checkout:
    """Tenders and completion for the session's open sale.

    Args:
        session: The till session.
        after_complete: Gets each completed sale after the commit (prints, kicks the
            drawer, updates the customer display); must not block.
        debounce_s: Tender keys are ignored this long after a sale completes.
        monotonic: The clock for the debounce.
    """

    def __init__(
        self,
        session: TillSession,
        *,
        after_complete: Callable[[CompletedSale], None] | None = None,
        debounce_s: float = 0.5,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.after_complete = after_complete
        self._debounce_s = debounce_s
        self._monotonic = monotonic
        self._completed_at: float | None = None
        self.last_completed: CompletedSale | None = None
        self.held: dict[str, CardResult] = {}
        """Terminal answers the database could not record yet, by payment reference."""

    @property
    def debouncing(self) -> bool:
        """Whether a sale completed so recently that tender keys are ignored."""
        if self._completed_at is None:
            return False
        return self._monotonic() - self._completed_at < self._debounce_s

    # --- tenders ------------------------------------------------------------------------

    def pay(self, tender: TenderKind, amount: Money | None, reference: str = "") -> Sale:
        """Take cash, Vipps, a voucher or the customer account (``services.sales.payments.pay``).

        Raises:
            PosError: The service refused the payment.
        """
        session = self.session
        self._check_drawer()
        return payments.pay(
            session.services.sales,
            session.current_sale_id,
            tender,
            amount,
            employee=session.employee_number,
            reference=reference,
        )

    def begin_card(self, amount: Money | None) -> PendingPayment:
        """Write the pending card payment (committed) before the terminal is asked.

        Args:
            amount: The amount typed, or None for all that remains (a refund when the
                shop owes the customer).

        Raises:
            PosError: The service refused (nothing left to pay, another payment pending).
            DeviceError: No card terminal is configured.
        """
        session = self.session
        if session.devices.terminal is None:
            raise DeviceError(session.translator.text("card.no_terminal"))
        remaining = session.sale().remaining()
        refund = remaining.ore < 0 if amount is None else False
        wanted = amount if amount is not None else abs(remaining)
        return payments.begin_card_payment(
            session.services.sales,
            session.current_sale_id,
            wanted,
            employee=session.employee_number,
            refund=refund,
        )

    def authorize(self, pending: PendingPayment) -> CardOutcome:
        """Ask the terminal (blocking: run it in a worker) and record its answer.

        A training sale never reaches the terminal: it is approved as a training payment.
        """
        session = self.session
        sales = session.services.sales
        amount = abs(pending.amount)
        result: CardResult
        if session.sale().training:
            result = CardApproved(amount, transaction_id="TRENING")
        else:
            terminal = session.devices.terminal
            if terminal is None:
                result = CardCancelled(session.translator.text("card.no_terminal"))
            else:
                try:
                    if pending.amount.ore < 0:
                        result = terminal.refund(amount, pending.reference)
                    else:
                        result = terminal.authorize(amount, pending.reference)
                except TerminalOutcomeUnknown as error:
                    payments.mark_card_unknown(sales, pending.reference)
                    return CardOutcome(
                        CardStage.UNKNOWN, pending.reference, error_text(error, session.translator)
                    )
                except DeviceError as error:
                    # The terminal never had the amount: nothing was paid.
                    payments.finish_card_payment(
                        sales, pending.reference, CardCancelled(str(error))
                    )
                    return CardOutcome(
                        CardStage.FAILED, pending.reference, error_text(error, session.translator)
                    )
        return self._record(pending.reference, result)

    def _record(self, reference: str, result: CardResult) -> CardOutcome:
        """Record the terminal's answer; hold it when the database does not answer."""
        try:
            payments.finish_card_payment(self.session.services.sales, reference, result)
        except StorageError as error:
            self.held[reference] = result
            return CardOutcome(
                CardStage.HELD, reference, error_text(error, self.session.translator)
            )
        self.held.pop(reference, None)
        return _outcome(reference, result)

    def record_held(self, reference: str) -> CardOutcome:
        """Try again to record a held terminal answer (blocking: run it in a worker).

        Returns:
            The recorded outcome, or HELD again while the database does not answer.
        """
        result = self.held.get(reference)
        if result is None:
            return self.status_of(reference)
        return self._record(reference, result)

    def status_of(self, reference: str) -> CardOutcome:
        """Read a card payment's state again ("Sjekk status igjen"): what is stored now,
        which changes when the payment was settled elsewhere (another till, after a
        restart). Neither Concert V2 nor a stand-alone terminal can be asked afterwards, so
        an unknown payment stays unknown until the cashier says what the terminal shows.

        Raises:
            NotFound: No such payment.
        """
        payment = payments.card_payment(self.session.services.sales, reference)
        stage = _STAGES.get(payment.status, CardStage.UNKNOWN)
        reason = str(payment.result.get("reason", "")) if stage is not CardStage.APPROVED else ""
        return CardOutcome(stage, reference, reason)

    def resolve(self, reference: str, *, paid: bool, approved_by: str | None = None) -> CardOutcome:
        """Settle an unknown card payment after the cashier checked the terminal's journal.

        Raises:
            ApprovalRequired: "Not paid" without a manager.
            PermissionDenied: The approver is not a manager.
        """
        session = self.session
        payments.resolve_unknown(
            session.services.sales,
            reference,
            paid=paid,
            employee=session.employee_number,
            approved_by=approved_by,
        )
        return CardOutcome(CardStage.APPROVED if paid else CardStage.CANCELLED, reference)

    def unsettled(self) -> list[PendingPayment]:
        """The open sale's card payments still pending or unknown (after a crash too)."""
        session = self.session
        return [
            p
            for p in payments.pending_payments(session.services.sales, session.register_id)
            if p.sale_id == session.sale_id
        ]

    # --- completion ---------------------------------------------------------------------

    def finish(self) -> CompletedSale | None:
        """Complete the sale if it is fully paid, then start a new one.

        Returns:
            The completed sale, or None when something remains to pay.

        Raises:
            PosError: The service refused to complete (a card payment pending).
        """
        session = self.session
        sale = session.sale()
        if not sale.is_paid():
            return None
        self._check_drawer()
        completed = completion.complete(
            session.services.sales, session.current_sale_id, employee=session.employee_number
        )
        self._completed_at = self._monotonic()
        self.last_completed = completed
        session.paying = False
        session.change = completed.change if completed.change.ore else None
        session.open_sale()
        if self.after_complete is not None:
            self.after_complete(completed)
        return completed

    def _check_drawer(self) -> None:
        """R-3: nothing is registered or completed while the drawer is open."""
        if self.session.drawer_open:
            raise RuleViolation(self.session.translator.text("drawer.close_first"))


#: A stored card payment's state as the card modal shows it.
_STAGES = {
    PaymentStatus.PENDING: CardStage.UNKNOWN,
    PaymentStatus.UNKNOWN: CardStage.UNKNOWN,
    PaymentStatus.APPROVED: CardStage.APPROVED,
    PaymentStatus.RESOLVED_PAID: CardStage.APPROVED,
    PaymentStatus.DECLINED: CardStage.DECLINED,
    PaymentStatus.CANCELLED: CardStage.CANCELLED,
    PaymentStatus.RESOLVED_UNPAID: CardStage.CANCELLED,
}


def _outcome(reference: str, result: CardResult) -> CardOutcome:
    if isinstance(result, CardApproved):
        return CardOutcome(CardStage.APPROVED, reference)
    if isinstance(result, CardDeclined):
        return CardOutcome(CardStage.DECLINED, reference, result.reason)
    return CardOutcome(CardStage.CANCELLED, reference, result.reason)


def is_settled(payment: PendingPayment) -> bool:
    """Whether a payment needs nothing more from the cashier."""
    return payment.status not in (PaymentStatus.PENDING, PaymentStatus.UNKNOWN)
