"""Staff use cases: employees, PINs, log-in and manager approval.

PINs are 4-8 digits (the shop may require more for new PINs: ``[security]
pin_min_digits``), stored only as ``hashlib.scrypt`` hashes with a per-employee random salt,
and never logged. A hash names its cost (``scrypt$17$8$1$`` + 32 bytes: N = 2^17, 128 MiB,
about half a second per guess on a till's CPU); a hash made at a lower cost (or before costs
were named: N = 2^14, 25 ms) still verifies and is rehashed at the current cost on the next
right PIN.

Five wrong PINs in a row lock the employee for five minutes (time from the ``Clock``); the
count keeps running through the lock, and each further five wrong PINs lock twice as long
as the last lock, up to an hour, so guessing every 4-digit PIN at a till or on the command
line takes months. The count and the lock are stored, so restarting the till does not
reset them. A right PIN resets the count; so does a new PIN.
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
MAX_LOCK_TIME = timedelta(hours=1)
_PIN = re.compile(r"^\d{4,8}$")
_NUMBER = re.compile(r"^\d{1,8}$")
PIN_HASH_COST = 17
"""log2 of scrypt's N for new PIN hashes: 2^17 takes 128 MiB and about 0.4 s per check (a
log-in), so an offline guess of every 6-digit PIN from a stolen database takes days on one
core (every 4-digit PIN: about an hour, which is why a shop can require 6 digits)."""
_LEGACY_COST = 14  # hashes made before the cost was written into them
_R, _P, _DKLEN = 8, 1, 32
_TAG = b"scrypt$"

FailureHook = Callable[[UnitOfWork, str], None]
"""Called with the unit of work and a short reason ("wrong PIN") when a check fails, before
that unit of work commits (so a journal entry and the failed-PIN count commit together)."""


def check_pin_format(pin: str, min_digits: int = 4) -> None:
    """Refuse a PIN that is not ``min_digits`` to 8 digits.

    Raises:
        InvalidInput: It is not (the message never repeats the PIN).
    """
    if not _PIN.match(pin):
        raise InvalidInput(code="staff.bad_pin")
    if len(pin) < min_digits:
        raise InvalidInput(code="staff.short_pin", digits=min_digits)


def hash_pin(pin: str, salt: bytes, cost: int | None = None) -> bytes:
    """The stored hash of a PIN with a salt: ``scrypt$COST$R$P$`` and scrypt's digest, at
    ``cost`` (log2 of N; default :data:`PIN_HASH_COST`)."""
    cost = PIN_HASH_COST if cost is None else cost
    return b"%s%d$%d$%d$" % (_TAG, cost, _R, _P) + _scrypt(pin, salt, cost, _R, _P)


def _scrypt(pin: str, salt: bytes, cost: int, r: int, p: int) -> bytes:
    n = 2**cost
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=256 * n * r * p + 2**20
    )


def hash_cost(digest: bytes) -> int:
    """The cost (log2 of scrypt's N) a stored hash was made at."""
    if digest.startswith(_TAG):
        return int(digest.split(b"$", 4)[1])
    return _LEGACY_COST


def pin_matches(pin: str, record: PinRecord) -> bool:
    """Whether ``pin`` is the PIN of ``record``, at whatever cost its hash was made."""
    if not _PIN.match(pin):
        return False
    if record.digest.startswith(_TAG):
        try:
            _, cost, r, p, digest = record.digest.split(b"$", 4)
            computed = _scrypt(pin, record.salt, int(cost), int(r), int(p))
        except ValueError:  # a damaged hash matches nothing
            return False
    else:
        digest = record.digest
        computed = _scrypt(pin, record.salt, _LEGACY_COST, _R, _P)
    return hmac.compare_digest(computed, digest)


def new_pin_record(pin: str, *, min_digits: int = 4) -> PinRecord:
    """A fresh PIN record (new random salt, no failed attempts, no lock).

    Raises:
        InvalidInput: The PIN is not ``min_digits`` to 8 digits.
    """
    check_pin_format(pin, min_digits)
    salt = secrets.token_bytes(16)
    return PinRecord(salt=salt, digest=hash_pin(pin, salt))


def lock_time(failed: int) -> timedelta:
    """How long the ``failed``-th wrong PIN in a row locks (nothing between multiples of
    five): five minutes, then twice the last lock each time, at most an hour."""
    if failed < MAX_FAILED_PINS or failed % MAX_FAILED_PINS:
        return timedelta(0)
    doublings = failed // MAX_FAILED_PINS - 1
    return min(LOCK_TIME * (1 << min(doublings, 16)), MAX_LOCK_TIME)


class StaffService:
    """Employees and their PINs."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock, *, pin_min_digits: int = 4) -> None:
        self._units = units
        self._clock = clock
        self._min_digits = pin_min_digits

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
        record = new_pin_record(pin, min_digits=self._min_digits)
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
            InvalidInput: The PIN is not 4 (or ``pin_min_digits``) to 8 digits.
            NotFound: No such employee.
        """
        record = new_pin_record(pin, min_digits=self._min_digits)
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
        return self.change(number, active=False, actor=actor)

    def change(
        self,
        number: str,
        *,
        name: str | None = None,
        role: Role | None = None,
        active: bool | None = None,
        actor: str = "cli",
    ) -> Employee:
        """Rename an employee, give them another role, or enable or disable them (None:
        unchanged); each changed field is a master-data change, journaled (13021).

        Raises:
            InvalidInput: The new name is empty.
            NotFound: No such employee.
            Conflict: It would leave the shop without an active admin.
        """
        if name is not None:
            name = " ".join(name.split())
            if not name:
                raise InvalidInput(code="staff.no_name")
        with self._units() as uow:
            employee = uow.staff.get(number.strip())
            if employee is None:
                raise NotFound(code="staff.unknown_employee", number=number)
            changed = replace(
                employee,
                name=employee.name if name is None else name,
                role=employee.role if role is None else role,
                active=employee.active if active is None else active,
            )
            was_admin = employee.role is Role.ADMIN and employee.active
            if was_admin and not (changed.role is Role.ADMIN and changed.active):
                admins = [e for e in uow.staff.list() if e.role is Role.ADMIN]
                if len(admins) == 1:
                    raise Conflict(code="staff.last_admin", number=employee.number)
            pairs = (
                ("name", employee.name, changed.name),
                ("role", employee.role.value, changed.role.value),
                ("active", _yes_no(employee.active), _yes_no(changed.active)),
            )
            if changed != employee:
                uow.staff.update(changed)
                self._record(uow, actor, employee.number, *(p for p in pairs if p[1] != p[2]))
            uow.commit()
        return changed

    def authenticate(
        self, number: str, pin: str, *, on_failure: FailureHook | None = None
    ) -> Employee:
        """Log in: the active employee with this number and PIN.

        A wrong PIN is counted (and the count stored) before the error is raised; the fifth
        in a row locks the employee for five minutes, each further fifth twice as long as
        the last, up to an hour (:func:`lock_time`). A right PIN resets the count, and
        rehashes a PIN whose hash was made at a lower cost than today's.

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
            if pin_matches(pin, record):
                rehash = hash_cost(record.digest) < PIN_HASH_COST
                if record.failed_attempts or record.locked_until is not None or rehash:
                    digest = hash_pin(pin, record.salt) if rehash else record.digest
                    reset = replace(record, digest=digest, failed_attempts=0, locked_until=None)
                    uow.staff.set_pin(number, reset)
                    uow.commit()
                return employee
            failed = record.failed_attempts + 1
            lock = lock_time(failed)
            if lock:
                uow.staff.set_pin(
                    number, replace(record, failed_attempts=failed, locked_until=now + lock)
                )
                if on_failure is not None:
                    on_failure(uow, "wrong PIN, locked")
                uow.commit()
                raise EmployeeLocked(int(lock.total_seconds()))
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
        self, uow: UnitOfWork, actor: str, number: str, *changes: tuple[str, str, str]
    ) -> None:
        """Journal ``(field, old, new)`` changes of one employee as one master-data change."""
        now = self._clock.now()
        records = [
            MasterDataChange(
                at=now, actor=actor, entity="employee", key=number, field=field, old=old, new=new
            )
            for field, old, new in changes
        ]
        record_master_data_changes(uow, records)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _failed(uow: UnitOfWork, on_failure: FailureHook | None, reason: str) -> None:
    """Report a failure that stores nothing itself (its unit of work commits only then)."""
    if on_failure is not None:
        on_failure(uow, reason)
        uow.commit()
