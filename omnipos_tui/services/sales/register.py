"""The register service: starting and stopping the till, log-in and log-out, the cash
drawer, cash in and out, the opening float, training mode, and the register's status.

Each call is one unit of work under the register's lock and journals what the regulation
names (13001-13005, 13019, 13023/13024). Cash in, cash out and the opening float are
signed transactions in the register's chain (they move money), numbered in the "other"
receipt series.
"""

from __future__ import annotations

from datetime import datetime

from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.errors import InvalidInput, Message, RuleViolation
from omnipos_tui.core.ledger.journal import EventCode, JsonValue, drawer_open_payload
from omnipos_tui.core.ledger.ports import RegisterState, SaleStatus
from omnipos_tui.core.ledger.transaction import (
    ReceiptSeries,
    Transaction,
    TransactionKind,
    cash_movement,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.services.ledger.steps import (
    SignerFor,
    append_signed,
    approver,
    journal,
    lock_register,
    next_position,
)
from omnipos_tui.services.sales.register_status import RegisterStatus, register_status
from omnipos_tui.services.staff.service import StaffService

_MOVEMENT_EVENTS = {
    TransactionKind.CASH_IN: EventCode.CASH_IN,
    TransactionKind.CASH_OUT: EventCode.CASH_OUT,
    TransactionKind.OPENING_FLOAT: EventCode.OPENING_FLOAT,
}


class RegisterService:
    """The register's session, drawer, cash movements and training mode."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        signer: SignerFor,
        staff: StaffService,
        *,
        no_sale_requires_manager: bool = True,
    ) -> None:
        """Build the service.

        Args:
            units: Opens units of work.
            clock: Where the time comes from.
            signer: Gives a register's current signing key, recorded in the unit of work
                that signs.
            staff: Checks PINs at log-in.
            no_sale_requires_manager: A drawer opening without a sale needs a manager.
        """
        self._units = units
        self._clock = clock
        self._signer = signer
        self._staff = staff
        self._no_sale_manager = no_sale_requires_manager

    # --- the program and the people -----------------------------------------------------

    def start(self, register_id: str) -> None:
        """Journal that the till program started (13001)."""
        self._event(register_id, EventCode.POS_START, "")

    def stop(self, register_id: str) -> None:
        """Journal that the till program stopped (13002)."""
        self._event(register_id, EventCode.POS_STOP, "")

    def log_in(self, register_id: str, number: str, pin: str) -> Employee:
        """Log an employee in at a register (13003). One login per employee: a login
        elsewhere is ended (that till locks; its sale is kept), and whoever was logged in
        here is logged out.

        Raises:
            AuthenticationError: Wrong number or PIN.
            EmployeeLocked: Too many wrong PINs.
        """
        employee = self._staff.authenticate(number, pin)
        now = self._clock.now()
        with self._units() as uow:
            for other in uow.register_states.logged_in(employee.number):
                if other != register_id:
                    there = lock_register(uow, other)
                    self._log_out(uow, there, now, f"logget inn på kasse {register_id}")
            state = lock_register(uow, register_id)
            if state.employee is not None and state.employee != employee.number:
                self._log_out(uow, state, now, "ny pålogging")
            state.employee, state.logged_in_at = employee.number, now
            journal(
                uow,
                state,
                EventCode.LOGIN,
                now,
                employee=employee.number,
                text=f"Pålogging {employee.number} {employee.name}",
            )
            uow.register_states.save(state)
            uow.commit()
        return employee

    def approve(
        self,
        register_id: str,
        number: str,
        pin: str,
        *,
        employee: str,
        action: str,
        needed: Role = Role.MANAGER,
    ) -> Employee:
        """A manager's approval of one action at a register (the override modal). Each
        failure is journaled (OVERRIDE_FAILED, 13999) in the unit of work that counts the
        wrong PIN; the staff service's five-attempt lock is the rate limit.

        Args:
            register_id: The till asking.
            number: The approver's number.
            pin: Their PIN.
            employee: The cashier who asked for the approval.
            action: What was to be approved, in words ("Rabatt 30 % på linje 5").
            needed: The least role that may approve.

        Raises:
            AuthenticationError: Wrong number or PIN.
            EmployeeLocked: Locked after too many wrong PINs.
            PermissionDenied: The approver's role is below ``needed``.
        """
        now = self._clock.now()

        def failed(uow: UnitOfWork, reason: str) -> None:
            state = lock_register(uow, register_id)
            text = f"Godkjenning avvist ({reason}): {action}, leder {number}"
            payload: dict[str, JsonValue] = {"action": action, "approver": number, "reason": reason}
            journal(
                uow,
                state,
                EventCode.OVERRIDE_FAILED,
                now,
                employee=employee,
                text=text,
                payload=payload,
            )
            uow.register_states.save(state)

        return self._staff.approve(number, pin, needed=needed, on_failure=failed)

    def log_out(self, register_id: str, employee: str) -> None:
        """Log the employee out of a register (13004); nothing when not logged in there."""
        with self._units() as uow:
            state = lock_register(uow, register_id)
            if state.employee != employee:
                return
            self._log_out(uow, state, self._clock.now(), "")
            uow.commit()

    @staticmethod
    def _log_out(uow: UnitOfWork, state: RegisterState, at: datetime, why: str) -> None:
        employee = state.employee or ""
        text = f"Avlogging {employee}" + (f" ({why})" if why else "")
        journal(uow, state, EventCode.LOGOUT, at, employee=employee, text=text)
        state.employee, state.logged_in_at = None, None
        uow.register_states.save(state)

    def status(self, register_id: str) -> RegisterStatus:
        """The register's status for the header and the lock screen."""
        return register_status(self._units, register_id, business_day(self._clock.now()))

    # --- the drawer ---------------------------------------------------------------------

    def no_sale(
        self, register_id: str, reason: str, *, employee: str, approved_by: str | None = None
    ) -> None:
        """Journal a drawer opening without a sale, with its reason (13005, counted on
        X/Z); the till opens the drawer after this returns.

        Raises:
            InvalidInput: No reason.
            ApprovalRequired: A manager is required and nobody approved.
            PermissionDenied: The approver is not a manager.
        """
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput(code="drawer.no_reason")
        with self._units() as uow:
            by = ""
            if self._no_sale_manager:
                action = Message("action.no_sale", reason=reason)
                by = approver(uow, employee, approved_by, action).number
            state = lock_register(uow, register_id)
            journal(
                uow,
                state,
                EventCode.DRAWER_OPEN_NO_SALE,
                self._clock.now(),
                employee=employee,
                text=f"Skuff åpnet uten salg: {reason}",
                payload={**drawer_open_payload(reason), "approved_by": by},
                training=False,  # the drawer really opens, training or not: it counts
            )
            uow.register_states.save(state)
            uow.commit()

    def drawer_opened(self, register_id: str, *, employee: str, trans_id: str | None) -> None:
        """Journal another opening of the drawer with a transaction (a kick retried after
        a failure, 13005)."""
        self._event(register_id, EventCode.DRAWER_OPEN, employee, trans_id=trans_id)

    # --- cash movements -----------------------------------------------------------------

    def cash_in(
        self, register_id: str, amount: Money, reason: str, *, employee: str
    ) -> Transaction:
        """Put cash into the drawer (a signed pay-in transaction).

        Raises:
            InvalidInput: Amount not above 0.
        """
        return self._movement(TransactionKind.CASH_IN, register_id, amount, reason, employee)

    def cash_out(
        self, register_id: str, amount: Money, reason: str, *, employee: str
    ) -> Transaction:
        """Take cash out of the drawer (a signed pay-out transaction, 13019).

        Raises:
            InvalidInput: Amount not above 0.
        """
        return self._movement(TransactionKind.CASH_OUT, register_id, amount, reason, employee)

    def opening_float(self, register_id: str, amount: Money, *, employee: str) -> Transaction:
        """Register the opening change float (vekselkasse) put into the drawer.

        Raises:
            InvalidInput: Amount not above 0.
        """
        return self._movement(
            TransactionKind.OPENING_FLOAT, register_id, amount, "Vekselkasse", employee
        )

    def _movement(
        self, kind: TransactionKind, register_id: str, amount: Money, note: str, employee: str
    ) -> Transaction:
        with self._units() as uow:
            state = lock_register(uow, register_id)
            now = self._clock.now()
            series = ReceiptSeries.TRAINING if state.training else ReceiptSeries.OTHER
            position = next_position(state, series)
            tx = cash_movement(
                kind=kind,
                register_id=register_id,
                nr=position.nr,
                amount=amount,
                employee=employee,
                at=now,
                receipt_number=position.receipt_number,
                previous_signature=position.previous_signature,
                note=" ".join(note.split()),
                training=state.training,
                receipt_series=series,
            )
            tx = append_signed(uow, state, tx, self._signer)
            code = _MOVEMENT_EVENTS[kind]
            journal(
                uow,
                state,
                code,
                now,
                employee=employee,
                trans_id=tx.trans_id,
                text=f"{code.description} {amount}" + (f": {tx.note}" if tx.note else ""),
                payload={"amount": tx.total.ore, "note": tx.note},
            )
            if not state.training:
                journal(
                    uow, state, EventCode.DRAWER_OPEN, now, employee=employee, trans_id=tx.trans_id
                )
            uow.register_states.save(state)
            uow.commit()
        return tx

    # --- training -----------------------------------------------------------------------

    def set_training(
        self, register_id: str, on: bool, *, employee: str, approved_by: str | None
    ) -> None:
        """Switch training mode on or off (13023/13024); a manager approves. Refused while
        a sale with lines is open at the register (empty open sales are dropped so the
        next one opens in the new mode).

        Raises:
            ApprovalRequired: Nobody approved and the employee is not a manager.
            PermissionDenied: The approver is not a manager.
            RuleViolation: A sale with lines is open at the register.
        """
        with self._units() as uow:
            action = Message("action.training_on") if on else Message("action.training_off")
            manager = approver(uow, employee, approved_by, action)
            state = lock_register(uow, register_id)
            if state.training == on:
                return
            for record in uow.open_sales.on_register(register_id):
                if record.status is SaleStatus.OPEN and not record.empty:
                    raise RuleViolation(code="sale.finish_or_park", sale_id=record.sale_id)
                if record.empty:
                    uow.open_sales.remove(record.sale_id)
            code = EventCode.TRAINING_ON if on else EventCode.TRAINING_OFF
            # The switch itself is real (not training) both ways, so X/Z and SAF-T see it.
            journal(
                uow,
                state,
                code,
                self._clock.now(),
                employee=employee,
                training=False,
                text=f"{code.description} (godkjent av {manager.number})",
            )
            state.training = on
            uow.register_states.save(state)
            uow.commit()

    # --- helpers ------------------------------------------------------------------------

    def _event(
        self, register_id: str, code: EventCode, employee: str, *, trans_id: str | None = None
    ) -> None:
        with self._units() as uow:
            state = lock_register(uow, register_id)
            journal(uow, state, code, self._clock.now(), employee=employee, trans_id=trans_id)
            uow.register_states.save(state)
            uow.commit()
