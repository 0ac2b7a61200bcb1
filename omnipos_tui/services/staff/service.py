"""Staff use cases: employees, PINs, log-in and manager approval.

PINs are 4-8 digits, stored only as ``hashlib.scrypt`` hashes with a per-employee random salt,
and never logged. Five wrong PINs in a row lock the employee for five minutes (time from the
``Clock``); the count and the lock are stored, so restarting the till does not reset them.
A right PIN resets the count.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import (
    AuthenticationError,
    Conflict,
    EmployeeLocked,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from omnipos_tui.core.repositories import (
    MasterDataChange,
    PinRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.services.catalogue.service import record_master_data_changes

MAX_FAILED_PINS = 5
LOCK_TIME = timedelta(minutes=5)
_PIN = re.compile(r"^\d{4,8}$")
_NUMBER = re.compile(r"^\d{1,8}$")
# scrypt cost: about 16 MB and tens of milliseconds per check, cheap for a log-in and costly
# for anyone guessing all 10^4..10^8 PINs from a stolen database.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

FailureHook = Callable[[UnitOfWork, str], None]
"""Called with the unit of work and a short reason ("wrong PIN") when a check fails, before
that unit of work commits (so a journal entry and the failed-PIN count commit together)."""


def check_pin_format(pin: str) -> None:
    """Refuse a PIN that is not 4 to 8 digits.

    Raises:
        InvalidInput: It is not (the message never repeats the PIN).
    """
    if not _PIN.match(pin):
        raise InvalidInput(code="staff.bad_pin")


def hash_pin(pin: str, salt: bytes) -> bytes:
    """The scrypt digest of a PIN with a salt."""
    return hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT)


def new_pin_record(pin: str) -> PinRecord:
    """A fresh PIN record (new random salt, no failed attempts, no lock).

    Raises:
        InvalidInput: The PIN is not 4 to 8 digits.
    """
    check_pin_format(pin)
    salt = secrets.token_bytes(16)
    return PinRecord(salt=salt, digest=hash_pin(pin, salt))


class StaffService:
    """Employees and their PINs."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def add_employee(
        self, number: str, name: str, role: Role, pin: str, *, actor: str = "cli"
    ) -> Employee:
        """Create an employee.

        Raises:
            InvalidInput: Number not 1-8 digits, empty name, or a PIN that is not 4-8 digits.
            Conflict: The number is taken.
        """
        number, name = number.strip(), " ".join(name.split())
        if not _NUMBER.match(number):
            raise InvalidInput(code="staff.bad_number", number=number)
        if not name:
            raise InvalidInput(code="staff.no_name")
        employee = Employee(number=number, name=name, role=role)
        record = new_pin_record(pin)
        with self._units() as uow:
            uow.staff.add(employee, record)
            self._record(uow, actor, number, ("created", "", f"{name} ({role.value})"))
            uow.commit()
        return employee

    def list_employees(self, *, include_inactive: bool = False) -> list[Employee]:
        """Employees ordered by number."""
        with self._units(read_only=True) as uow:
            return uow.staff.list(include_inactive=include_inactive)

    def get(self, number: str) -> Employee:
        """The employee with this number.

        Raises:
            NotFound: No such employee.
        """
        with self._units(read_only=True) as uow:
            employee = uow.staff.get(number.strip())
        if employee is None:
            raise NotFound(code="staff.unknown_employee", number=number)
        return employee

    def set_pin(self, number: str, pin: str, *, actor: str = "cli") -> None:
        """Give an employee a new PIN (also lifts a lock).

        Raises:
            InvalidInput: The PIN is not 4 to 8 digits.
            NotFound: No such employee.
        """
        record = new_pin_record(pin)
        with self._units() as uow:
            if uow.staff.get(number) is None:
                raise NotFound(code="staff.unknown_employee", number=number)
            uow.staff.set_pin(number, record)
            self._record(uow, actor, number, ("pin", "", "changed"))
            uow.commit()

    def disable(self, number: str, *, actor: str = "cli") -> Employee:
        """Stop an employee from logging in (kept for history).

        Raises:
            NotFound: No such employee.
            Conflict: It is the last active admin.
        """
        with self._units() as uow:
            employee = uow.staff.get(number)
            if employee is None:
                raise NotFound(code="staff.unknown_employee", number=number)
            if employee.role is Role.ADMIN and employee.active:
                admins = [e for e in uow.staff.list() if e.role is Role.ADMIN]
                if len(admins) == 1:
                    raise Conflict(code="staff.last_admin", number=number)
            disabled = replace(employee, active=False)
            if employee.active:
                uow.staff.update(disabled)
                self._record(uow, actor, number, ("active", "yes", "no"))
            uow.commit()
        return disabled

    def authenticate(
        self, number: str, pin: str, *, on_failure: FailureHook | None = None
    ) -> Employee:
        """Log in: the active employee with this number and PIN.

        A wrong PIN is counted (and the count stored) before the error is raised; the fifth
        in a row locks the employee for five minutes. A right PIN resets the count.

        Args:
            number: The employee number.
            pin: The PIN.
            on_failure: Gets each failure in the unit of work that stores the count.

        Raises:
            AuthenticationError: Unknown number, disabled employee or wrong PIN.
            EmployeeLocked: Locked after too many wrong PINs (also on the fifth wrong one).
        """
        number = number.strip()
        now = self._clock.now()
        with self._units() as uow:
            employee = uow.staff.get(number)
            record = uow.staff.pin(number)
            if employee is None or record is None:
                _failed(uow, on_failure, "unknown number")
                raise AuthenticationError(code="staff.wrong_pin")
            if not employee.active:
                _failed(uow, on_failure, "disabled")
                raise AuthenticationError(code="staff.disabled", number=number)
            if record.locked_until is not None and record.locked_until > now:
                left = math.ceil((record.locked_until - now).total_seconds())
                _failed(uow, on_failure, "locked")
                raise EmployeeLocked(left)
            right = _PIN.match(pin) is not None and hmac.compare_digest(
                hash_pin(pin, record.salt), record.digest
            )
            if right:
                if record.failed_attempts or record.locked_until is not None:
                    uow.staff.set_pin(number, replace(record, failed_attempts=0, locked_until=None))
                    uow.commit()
                return employee
            failed = record.failed_attempts + 1
            if failed >= MAX_FAILED_PINS:
                uow.staff.set_pin(
                    number, replace(record, failed_attempts=0, locked_until=now + LOCK_TIME)
                )
                if on_failure is not None:
                    on_failure(uow, "wrong PIN, locked")
                uow.commit()
                raise EmployeeLocked(int(LOCK_TIME.total_seconds()))
            uow.staff.set_pin(number, replace(record, failed_attempts=failed, locked_until=None))
            if on_failure is not None:
                on_failure(uow, "wrong PIN")
            uow.commit()
        raise AuthenticationError(code="staff.wrong_pin")

    def approve(
        self,
        number: str,
        pin: str,
        *,
        needed: Role = Role.MANAGER,
        on_failure: FailureHook | None = None,
    ) -> Employee:
        """A manager's (or admin's) approval of one action: their number and PIN.

        Args:
            number: The approver's number.
            pin: Their PIN.
            needed: The least role that may approve.
            on_failure: Gets each failed check in the unit of work that stores it (a role
                too low is reported in a unit of its own).

        Raises:
            AuthenticationError: Wrong number or PIN (counted like a log-in).
            EmployeeLocked: Locked after too many wrong PINs.
            PermissionDenied: The employee's role is below ``needed``.
        """
        employee = self.authenticate(number, pin, on_failure=on_failure)
        if not employee.role.allows(needed):
            if on_failure is not None:
                with self._units() as uow:
                    on_failure(uow, "not a manager")
                    uow.commit()
            raise PermissionDenied(
                code="staff.role_too_low",
                name=employee.first_name,
                role=employee.role,
                needed=needed,
            )
        return employee

    def _record(
        self, uow: UnitOfWork, actor: str, number: str, change: tuple[str, str, str]
    ) -> None:
        field, old, new = change
        record = MasterDataChange(
            at=self._clock.now(),
            actor=actor,
            entity="employee",
            key=number,
            field=field,
            old=old,
            new=new,
        )
        record_master_data_changes(uow, [record])


def _failed(uow: UnitOfWork, on_failure: FailureHook | None, reason: str) -> None:
    """Report a failure that stores nothing itself (its unit of work commits only then)."""
    if on_failure is not None:
        on_failure(uow, reason)
        uow.commit()
