"""What services need from storage: repositories and the unit of work, as protocols.

``omnipos_tui/storage`` implements them with peewee; tests of services may use in-memory
fakes that implement the same protocols. A unit of work is one database transaction: every
change made through its repositories commits together on :meth:`UnitOfWork.commit` or not at
all (leaving the ``with`` block without commit rolls back).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from omnipos_tui.core.catalogue import ArticleGroup, Product
from omnipos_tui.core.company import Company, Register
from omnipos_tui.core.customer import Customer
from omnipos_tui.core.staff import Employee


@dataclass(frozen=True, slots=True)
class PinRecord:
    """What is stored about an employee's PIN (never the PIN itself).

    Attributes:
        salt: Per-employee random salt.
        digest: ``hashlib.scrypt`` of the PIN with the salt.
        failed_attempts: Wrong PINs in a row.
        locked_until: Aware UTC time the lock ends, or None.
    """

    salt: bytes
    digest: bytes
    failed_attempts: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class UpsertSummary:
    """What an upsert did.

    Attributes:
        created: Rows that did not exist.
        updated: Rows that existed and changed.
        unchanged: Rows that existed and were equal.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0


class CatalogueRepository(Protocol):
    """Products, their barcodes and article groups."""

    def product_by_barcode(self, code: str) -> Product | None:
        """The active or inactive product with this barcode, by index."""
        ...

    def product_by_sku(self, sku: str) -> Product | None:
        """The product with this SKU/PLU, by index."""
        ...

    def search_products(self, text: str, *, limit: int = 20, offset: int = 0) -> list[Product]:
        """Products whose name words start with every word of ``text``, case- and
        accent-insensitive ("brod" finds "Brød"), ordered by name, one page."""
        ...

    def count_products(self) -> int:
        """How many products exist."""
        ...

    def iter_products(self) -> Iterator[Product]:
        """Every product ordered by SKU, streamed."""
        ...

    def barcode_owners(self, codes: Iterable[str]) -> dict[str, str]:
        """For each of ``codes`` already stored, the SKU of the product that has it."""
        ...

    def upsert_products(self, products: Iterable[Product]) -> UpsertSummary:
        """Create or replace products by SKU, including their barcode sets."""
        ...

    def groups(self) -> list[ArticleGroup]:
        """Every article group ordered by code."""
        ...

    def upsert_group(self, group: ArticleGroup) -> None:
        """Create or replace an article group by code."""
        ...


class StaffRepository(Protocol):
    """Employees and their PIN records."""

    def get(self, number: str) -> Employee | None:
        """The employee with this number."""
        ...

    def list(self, *, include_inactive: bool = False) -> list[Employee]:
        """Employees ordered by number."""
        ...

    def add(self, employee: Employee, pin: PinRecord) -> None:
        """Store a new employee.

        Raises:
            Conflict: The number is taken.
        """
        ...

    def update(self, employee: Employee) -> None:
        """Store changed name, role or active flag."""
        ...

    def pin(self, number: str) -> PinRecord | None:
        """The PIN record of an employee."""
        ...

    def set_pin(self, number: str, pin: PinRecord) -> None:
        """Replace the PIN record (new PIN, failed count, lock)."""
        ...


class CustomerRepository(Protocol):
    """The customer register."""

    def get(self, number: str) -> Customer | None:
        """The customer with this number."""
        ...

    def add(self, customer: Customer) -> None:
        """Store a new customer.

        Raises:
            Conflict: The number is taken.
        """
        ...

    def search(self, text: str, *, limit: int = 20) -> list[Customer]:
        """Customers whose number, name, phone or e-mail matches ``text``."""
        ...

    def list(self) -> list[Customer]:
        """Every customer ordered by number."""
        ...

    def next_number(self) -> str:
        """The next free customer number."""
        ...


class ShopRepository(Protocol):
    """The company and its registers."""

    def company(self) -> Company | None:
        """The company, once initialised."""
        ...

    def save_company(self, company: Company) -> None:
        """Create or replace the company."""
        ...

    def registers(self) -> list[Register]:
        """Every register ordered by id."""
        ...

    def add_register(self, register: Register) -> None:
        """Store a new register."""
        ...


class UnitOfWork(Protocol):
    """One database transaction with the repositories that work inside it."""

    catalogue: CatalogueRepository
    staff: StaffRepository
    customers: CustomerRepository
    shop: ShopRepository

    def __enter__(self) -> Self:
        """Begin the transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None:
        """Make every change in this unit durable."""
        ...
