"""What every receipt prints besides its transaction: the seller, the register's name, the
employee's and the customer's names.

They are on every receipt and change rarely, so the company, the registers and employee
names are kept for a minute (``time.monotonic``) instead of being read at every sale: a
changed company address shows on receipts within a minute. Customers are read each time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.shop.company import Company, Register

HEADER_TTL = 60.0  # seconds


@dataclass(frozen=True, slots=True)
class PrintContext:
    """What a receipt needs besides the transaction.

    Attributes:
        company: The seller.
        register: The register.
        employee_name: The name of the employee.
        customer: The customer, when one is attached.
        columns: Paper width.
    """

    company: Company
    register: Register
    employee_name: str
    customer: Customer | None
    columns: int


class PrintHeaders:
    """Reads (and keeps for a while) what receipts print about the shop and its people."""

    def __init__(self, columns: int, ttl: float = HEADER_TTL) -> None:
        self._columns = columns
        self._ttl = ttl
        self._read_at = -ttl
        self._company: Company | None = None
        self._registers: dict[str, Register] = {}
        self._names: dict[str, str] = {}

    def context(
        self, uow: UnitOfWork, register_id: str, employee: str, customer: str | None
    ) -> PrintContext:
        """The print context for a receipt of ``register_id`` made by ``employee``.

        Raises:
            RuleViolation: The shop is not set up (no company).
        """
        now = time.monotonic()
        if self._company is None or now - self._read_at > self._ttl:
            self._company = uow.shop.company()
            self._registers = {r.register_id: r for r in uow.shop.registers()}
            self._names = {}
            self._read_at = now
        if self._company is None:
            raise RuleViolation(code="shop.not_set_up")
        register = self._registers.get(register_id)
        if register is None:
            register = Register(register_id, f"Kasse {register_id}")
            self._read_at = -self._ttl  # a new register: read the list again next time
        name = self._names.get(employee)
        if name is None:
            person = uow.staff.get(employee)
            name = self._names[employee] = person.name if person else ""
        found = uow.customers.get(customer) if customer else None
        return PrintContext(self._company, register, name, found, self._columns)
