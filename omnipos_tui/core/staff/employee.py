"""Employees and their roles."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What an employee may do. Each role includes the rights of the ones before it."""

    CASHIER = "cashier"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Cashier 0, manager 1, admin 2."""
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role has at least the rights of ``needed``."""
        return self.rank >= needed.rank


@dataclass(frozen=True, slots=True)
class Employee:
    """A person who logs in to the till.

    Attributes:
        number: The employee number typed at log-in (``empID`` in SAF-T).
        name: Full name; the first word is shown on the till.
        role: Cashier, manager or admin.
        active: Disabled employees cannot log in but stay for history.
    """

    number: str
    name: str
    role: Role
    active: bool = True

    @property
    def first_name(self) -> str:
        """The first word of the name."""
        return self.name.split()[0] if self.name.strip() else self.number
