"""The staff repository: employees and their PIN records (hashes only, never PINs)."""

from __future__ import annotations

import peewee

from omnipos_tui.core.errors import Conflict, NotFound
from omnipos_tui.core.repositories import PinRecord
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.storage.database import translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.models import EmployeeRow


class PeeweeStaffRepository:
    """:class:`~omnipos_tui.core.repositories.StaffRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    @translated
    def get(self, number: str) -> Employee | None:
        """The employee with this number."""
        row = self._row(number)
        return _employee(row) if row else None

    @translated
    def list(self, *, include_inactive: bool = False) -> list[Employee]:
        """Employees ordered by number (numerically where the numbers are digits)."""
        query = EmployeeRow.select().bind(self._db)
        if not include_inactive:
            query = query.where(EmployeeRow.active == True)  # noqa: E712 (peewee expression)
        employees = [_employee(row) for row in query]
        return sorted(employees, key=lambda e: (len(e.number), e.number))

    @translated
    def add(self, employee: Employee, pin: PinRecord) -> None:
        """Store a new employee.

        Raises:
            Conflict: The number is taken.
        """
        if self._row(employee.number) is not None:
            raise Conflict(f"employee number {employee.number} is already taken")
        EmployeeRow.insert(
            number=employee.number,
            name=employee.name,
            role=employee.role.value,
            active=employee.active,
            **_pin_columns(pin),
        ).bind(self._db).execute()

    @translated
    def update(self, employee: Employee) -> None:
        """Store changed name, role or active flag.

        Raises:
            NotFound: No such employee.
        """
        count = (
            EmployeeRow.update(name=employee.name, role=employee.role.value, active=employee.active)
            .where(EmployeeRow.number == employee.number)
            .bind(self._db)
            .execute()
        )
        if not count:
            raise NotFound(f"no employee with number {employee.number}")

    @translated
    def pin(self, number: str) -> PinRecord | None:
        """The PIN record of an employee."""
        row = self._row(number)
        if row is None:
            return None
        return PinRecord(
            salt=bytes(row.pin_salt),
            digest=bytes(row.pin_digest),
            failed_attempts=int(row.failed_attempts),
            locked_until=time_from_db(row.locked_until) if row.locked_until else None,
        )

    @translated
    def set_pin(self, number: str, pin: PinRecord) -> None:
        """Replace the PIN record (new PIN, failed count, lock).

        Raises:
            NotFound: No such employee.
        """
        count = (
            EmployeeRow.update(**_pin_columns(pin))
            .where(EmployeeRow.number == number)
            .bind(self._db)
            .execute()
        )
        if not count:
            raise NotFound(f"no employee with number {number}")

    def _row(self, number: str) -> EmployeeRow | None:
        query = EmployeeRow.select().where(EmployeeRow.number == number).bind(self._db)
        row: EmployeeRow | None = query.first()
        return row


def _employee(row: EmployeeRow) -> Employee:
    return Employee(str(row.number), str(row.name), Role(str(row.role)), bool(row.active))


def _pin_columns(pin: PinRecord) -> dict[str, object]:
    return {
        "pin_salt": pin.salt,
        "pin_digest": pin.digest,
        "failed_attempts": pin.failed_attempts,
        "locked_until": time_to_db(pin.locked_until) if pin.locked_until else None,
    }
