"""What services need from storage: repositories and the unit of work, as protocols.

``omnipos_tui/storage`` implements them with peewee; tests of services may use in-memory
fakes that implement the same protocols. A unit of work is one database transaction: every
change made through its repositories commits together on :meth:`UnitOfWork.commit` or not at
all (leaving the ``with`` block without commit rolls back). Administration of the database
itself (:class:`DatabaseAdmin`, :class:`DatabaseReport`) is in ``core/database_admin.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.database_admin import DatabaseAdmin, DatabaseReport
from omnipos_tui.core.events import DomainEvent
from omnipos_tui.core.ledger.ports import (
    JournalRepository,
    OpenSaleRepository,
    PendingPaymentRepository,
    RegisterStateRepository,
    TransactionRepository,
)
from omnipos_tui.core.ledger.signature import PublishedKey
from omnipos_tui.core.outbox import OutboxRepository
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee

if TYPE_CHECKING:
    # Only for the unit of work's types: the order, stock and web shop code is loaded by
    # the storage that implements them, on first use (a till starts without it).
    from omnipos_tui.core.orders.ports import OrderRepository
    from omnipos_tui.core.stock.ports import (
        PurchaseRepository,
        StockDocuments,
        StockLedger,
        SupplierRepository,
    )
    from omnipos_tui.core.webshop.ports import WebshopRepository

__all__ = [
    "CatalogueRepository",
    "ChangeLog",
    "CustomerRepository",
    "DatabaseAdmin",
    "DatabaseReport",
    "MasterDataChange",
    "PinRecord",
    "ShopRepository",
    "SigningKeyRepository",
    "StaffRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UpsertSummary",
]


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


@dataclass(frozen=True, slots=True)
class MasterDataChange:
    """One change to master data (a product's price or name, an employee, a customer).

    Kept in an append-only table; the journal issue turns these into event 13021.

    Attributes:
        at: When the change was made (aware UTC).
        actor: Who made it: an employee number, or "cli" for the admin command line.
        entity: "product", "employee", "customer", "company" or "register".
        key: The entity's key (SKU, employee number, customer number).
        field: What changed ("price", "name", ...) or "created".
        old: The old value as text ("" when created).
        new: The new value as text (never a PIN).
    """

    at: datetime
    actor: str
    entity: str
    key: str
    field: str
    old: str
    new: str


class CatalogueRepository(Protocol):
    """Products, their barcodes and article groups."""

    def product_by_barcode(self, code: str) -> Product | None:
        """The active or inactive product with this barcode, by index."""
        ...

    def product_by_sku(self, sku: str) -> Product | None:
        """The product with this SKU/PLU, by index."""
        ...

    def search_products(
        self, text: str, *, limit: int = 20, offset: int = 0, active_only: bool = False
    ) -> list[Product]:
        """Products whose name words start with every word of ``text``, case- and
        accent-insensitive ("brod" finds "Brød"), ordered by name, one page (inactive
        products left out when ``active_only``)."""
        ...

    def count_products(self) -> int:
        """How many products exist."""
        ...

    def iter_products(self) -> Iterator[Product]:
        """Every product ordered by SKU, streamed."""
        ...

    def list_products(self, *, limit: int = 50, offset: int = 0) -> list[Product]:
        """One page of products ordered by SKU."""
        ...

    def products_by_skus(self, skus: Iterable[str]) -> dict[str, Product]:
        """The stored products among ``skus``, by SKU."""
        ...

    def remove_barcodes(self, codes: Iterable[str]) -> None:
        """Take barcodes off whatever product has them (before they move to another)."""
        ...

    def barcode_owners(self, codes: Iterable[str]) -> dict[str, str]:
        """For each of ``codes`` already stored, the SKU of the product that has it."""
        ...

    def upsert_products(self, products: Iterable[Product]) -> UpsertSummary:
        """Create or replace products by SKU, including their barcode sets.

        Raises:
            Conflict: A barcode is on another product, or a group does not exist.
        """
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

    def update(self, customer: Customer) -> None:
        """Replace a customer's fields (the number names it).

        Raises:
            NotFound: No such customer.
        """
        ...

    def search(self, text: str, *, limit: int = 20) -> list[Customer]:
        """Active customers whose number, name, phone or e-mail matches ``text``."""
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


class ChangeLog(Protocol):
    """The append-only record of master-data changes."""

    def record(self, changes: Iterable[MasterDataChange]) -> int:
        """Append changes; returns how many."""
        ...

    def recent(self, *, limit: int = 50) -> list[MasterDataChange]:
        """The latest changes, newest first."""
        ...


class SigningKeyRepository(Protocol):
    """The append-only record of every register's key versions (public parts only)."""

    def get(self, register_id: str, key_version: str) -> PublishedKey | None:
        """One key version of a register."""
        ...

    def of_register(self, register_id: str) -> list[PublishedKey]:
        """A register's key versions in the order they were recorded."""
        ...

    def all(self) -> list[PublishedKey]:
        """Every register's key versions, by register, in the order they were recorded."""
        ...

    def add(self, key: PublishedKey) -> None:
        """Record a key version.

        Raises:
            Conflict: The register has this version already.
        """
        ...


class UnitOfWork(Protocol):
    """One database transaction with the repositories that work inside it.

    Attributes:
        register_id: The register this process is (``shop.register_id``): journal events
            that belong to no till action, such as master-data changes from the command
            line, go into its journal.
    """

    register_id: str
    catalogue: CatalogueRepository
    staff: StaffRepository
    customers: CustomerRepository
    shop: ShopRepository
    changes: ChangeLog
    register_states: RegisterStateRepository
    open_sales: OpenSaleRepository
    pending_payments: PendingPaymentRepository
    transactions: TransactionRepository
    journal: JournalRepository
    signing_keys: SigningKeyRepository
    outbox: OutboxRepository

    # Read-only: an implementation may make these on first use.
    @property
    def stock(self) -> StockLedger: ...
    @property
    def suppliers(self) -> SupplierRepository: ...
    @property
    def purchases(self) -> PurchaseRepository: ...
    @property
    def stock_documents(self) -> StockDocuments: ...
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def webshop(self) -> WebshopRepository: ...

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

    def before_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` inside this unit of work just before it commits (nothing runs
        when it rolls back). Lets work that must lock shared rows do so as late as
        possible, holding the lock for a moment instead of the whole unit of work."""
        ...

    def record(self, event: DomainEvent) -> None:
        """Record what happened: at commit, before the transaction commits, the event's
        handlers (``core.events``) run inside this unit of work, in the order recorded.
        Nothing is published when the unit rolls back."""
        ...

    def commit(self) -> None:
        """Publish the recorded events, run the ``before_commit`` actions, then make every
        change in this unit durable."""
        ...


class UnitOfWorkFactory(Protocol):
    """Opens a unit of work (what services are given instead of a database)."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A new, not yet entered, unit of work.

        Args:
            read_only: Nothing will be written: SQLite need not take the write lock.
        """
        ...
