"""The unit of work: one database transaction and the repositories that work inside it.

SQLite takes the write lock when the unit begins (``BEGIN IMMEDIATE``), so two tills or a
till and the CLI never deadlock half-way through a use case; a read-only unit uses a plain
deferred ``BEGIN``. PostgreSQL runs a normal transaction (use cases that need to serialise
lock a row, for example the register's, themselves).

At commit the events the use case recorded are published to the store's event bus
(``core.events``: their handlers run inside this transaction), then the ``before_commit``
actions run, then the transaction commits. The outbox messages written in it are handed to
the store's ``outbox_committed`` hook after the commit (for in-process delivery).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self

import peewee

from omnipos_tui.core.errors import DatabaseRefused, DatabaseUnavailable
from omnipos_tui.core.events import DomainEvent, RecordsChanged
from omnipos_tui.core.ledger.ports import (
    JournalRepository,
    OpenSaleRepository,
    PendingPaymentRepository,
    RegisterStateRepository,
    TransactionRepository,
)
from omnipos_tui.core.outbox import OutboxMessage, OutboxRepository
from omnipos_tui.core.repositories import (
    CatalogueRepository,
    ChangeLog,
    CustomerRepository,
    ShopRepository,
    SigningKeyRepository,
    StaffRepository,
)
from omnipos_tui.storage.catalogue import PeeweeCatalogueRepository
from omnipos_tui.storage.chain_rows import ChainHeads
from omnipos_tui.storage.customers import PeeweeCustomerRepository
from omnipos_tui.storage.database import engine_of, is_library_error, translate, translate_errors
from omnipos_tui.storage.journal import PeeweeJournalRepository
from omnipos_tui.storage.open_sales import (
    PeeweeOpenSaleRepository,
    PeeweePendingPaymentRepository,
)
from omnipos_tui.storage.outbox import PeeweeOutboxRepository
from omnipos_tui.storage.register_state import PeeweeRegisterStateRepository
from omnipos_tui.storage.shop import PeeweeChangeLog, PeeweeShopRepository
from omnipos_tui.storage.signing_key_rows import PeeweeSigningKeyRepository
from omnipos_tui.storage.staff import PeeweeStaffRepository
from omnipos_tui.storage.transactions import PeeweeTransactionRepository

if TYPE_CHECKING:
    from omnipos_tui.core.orders.ports import OrderRepository
    from omnipos_tui.core.stock.ports import (
        PurchaseRepository,
        StockDocuments,
        StockLedger,
        SupplierRepository,
    )
    from omnipos_tui.core.webshop.ports import WebshopRepository
    from omnipos_tui.storage.orders import PeeweeOrderRepository
    from omnipos_tui.storage.stock import PeeweeStockLedger
    from omnipos_tui.storage.store import Store

log = logging.getLogger(__name__)


class PeeweeUnitOfWork:
    """:class:`~omnipos_tui.core.repositories.UnitOfWork` on a peewee database.

    ``commit()`` ends the transaction; leaving the ``with`` block without it rolls back.
    Database library errors raised inside the block leave it as ``PosError``.
    """

    def __init__(self, store: Store, *, read_only: bool = False) -> None:
        self._store = store
        self._db: peewee.Database = store.db
        self._read_only = read_only
        self._txn: peewee._transaction | None = None
        self._committed = False
        self.register_id = store.register_id
        self._before_commit: list[Callable[[], None]] = []
        self.catalogue: CatalogueRepository = PeeweeCatalogueRepository(self._db)
        self.staff: StaffRepository = PeeweeStaffRepository(self._db)
        self._customers = PeeweeCustomerRepository(self._db)
        self.customers: CustomerRepository = self._customers
        self.shop: ShopRepository = PeeweeShopRepository(self._db)
        self._changes = PeeweeChangeLog(self._db)
        self.changes: ChangeLog = self._changes
        self._chains = ChainHeads(self._db)
        self.register_states: RegisterStateRepository = PeeweeRegisterStateRepository(
            self._db, self._chains
        )
        self.open_sales: OpenSaleRepository = PeeweeOpenSaleRepository(self._db)
        self.pending_payments: PendingPaymentRepository = PeeweePendingPaymentRepository(self._db)
        self._transactions = PeeweeTransactionRepository(
            self._db, store.transaction_cache, self._chains
        )
        self.transactions: TransactionRepository = self._transactions
        self.journal: JournalRepository = PeeweeJournalRepository(self._db, self._chains)
        self.signing_keys: SigningKeyRepository = PeeweeSigningKeyRepository(self._db)
        self._events: list[DomainEvent] = []
        self._added: list[OutboxMessage] = []
        self.outbox: OutboxRepository = PeeweeOutboxRepository(self._db, store.clock, self._added)
        # The stock, purchasing, order and web shop repositories (and their modules) are
        # made on first use: most units of work, and a till's start, never touch them.
        self._stock: PeeweeStockLedger | None = None
        self._suppliers: SupplierRepository | None = None
        self._purchases: PurchaseRepository | None = None
        self._stock_documents: StockDocuments | None = None
        self._orders: PeeweeOrderRepository | None = None
        self._webshop: WebshopRepository | None = None

    @property
    def stock(self) -> StockLedger:
        """The stock ledger (made on first use)."""
        if self._stock is None:
            from omnipos_tui.storage.stock import PeeweeStockLedger

            self._stock = PeeweeStockLedger(self._db, self._store.stock_cache)
        return self._stock

    @property
    def suppliers(self) -> SupplierRepository:
        """The suppliers (made on first use)."""
        if self._suppliers is None:
            from omnipos_tui.storage.purchasing import PeeweeSupplierRepository

            self._suppliers = PeeweeSupplierRepository(self._db, self._store.stock_cache)
        return self._suppliers

    @property
    def purchases(self) -> PurchaseRepository:
        """The purchase orders (made on first use)."""
        if self._purchases is None:
            from omnipos_tui.storage.purchasing import PeeweePurchaseRepository

            self._purchases = PeeweePurchaseRepository(self._db, self._store.stock_cache)
        return self._purchases

    @property
    def stock_documents(self) -> StockDocuments:
        """The stock documents: counts, transfers, write-offs (made on first use)."""
        if self._stock_documents is None:
            from omnipos_tui.storage.stock_documents import PeeweeStockDocuments

            self._stock_documents = PeeweeStockDocuments(self._db, self._store.stock_cache)
        return self._stock_documents

    @property
    def orders(self) -> OrderRepository:
        """The customer orders (made on first use)."""
        if self._orders is None:
            from omnipos_tui.storage.orders import PeeweeOrderRepository

            self._orders = PeeweeOrderRepository(self._db, self._store.stock_cache)
        return self._orders

    @property
    def webshop(self) -> WebshopRepository:
        """The web shop's links and sync state (made on first use)."""
        if self._webshop is None:
            from omnipos_tui.storage.webshop import PeeweeWebshopRepository

            self._webshop = PeeweeWebshopRepository(self._db)
        return self._webshop

    def __enter__(self) -> Self:
        """Begin the transaction.

        Raises:
            DatabaseUnavailable: The database cannot be reached.
            MigrationRequired: The schema is older than this code.
            StorageError: The transaction cannot begin (the database is busy too long).
        """
        was_open = not self._db.is_closed()
        self._store.ensure_ready()
        if self._db.in_transaction():
            raise RuntimeError("a unit of work is already open in this thread (one per use case)")
        try:
            self._txn = self._begin()
        except DatabaseUnavailable as error:
            # The server dropped this thread's connection since its last use (a restart,
            # a cut, another thread noticed first): forget it. Nothing has happened in
            # this unit yet, so one fresh connection may try again at once.
            self._store.drop_connection()
            if not was_open or isinstance(error, DatabaseRefused):
                raise
            log.info("connection lost since its last use, connecting again: %s", error)
            self._store.ensure_ready()
            try:
                self._txn = self._begin()
            except DatabaseUnavailable:
                self._store.drop_connection()
                raise
        return self

    def _begin(self) -> peewee._transaction:
        """BEGIN (SQLite: IMMEDIATE for a write, DEFERRED for a read)."""
        if engine_of(self._db) == "sqlite":
            txn = self._db.transaction("DEFERRED" if self._read_only else "IMMEDIATE")
        else:
            txn = self._db.transaction()
        with translate_errors(self._store.location):
            txn.__enter__()
        return txn

    def before_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` inside this unit of work just before it commits (actions added
        by an action run too); nothing runs when the unit rolls back."""
        self._before_commit.append(action)

    def record(self, event: DomainEvent) -> None:
        """Publish ``event`` to the store's event bus at commit, inside this unit."""
        self._events.append(event)

    def commit(self) -> None:
        """Publish the recorded events (their handlers run inside this unit), run the
        ``before_commit`` actions, then make every change durable; the unit is finished
        afterwards.

        Raises:
            StorageError: The commit failed (nothing was written).
            PosError: An event handler refused (nothing is written).
        """
        if self._txn is None or self._committed:
            raise RuntimeError("commit() outside an open unit of work")
        bus = self._store.events
        while self._events:
            bus.publish(self._events.pop(0), self)
        while self._before_commit:
            self._before_commit.pop(0)()
        if bus.wants(RecordsChanged):
            changed = self._records_changed()
            if changed is not None:
                bus.publish(changed, self)
                while self._events:
                    bus.publish(self._events.pop(0), self)
        with translate_errors(self._store.location):
            self._chains.flush()
            self._txn.commit(begin=False)
        self._committed = True
        self._transactions.committed()
        if self._added:
            hook = self._store.outbox_committed
            if hook is not None:
                hook(tuple(self._added))

    def _records_changed(self) -> RecordsChanged | None:
        """What this unit changed of stock, orders, customers and the catalogue (None:
        nothing)."""
        stock, orders, customers, changes = (
            self._stock,
            self._orders,
            self._customers,
            self._changes,
        )
        # A repository not made in this unit changed nothing.
        stock_touched = stock.touched if stock is not None else set()
        orders_touched = orders.touched if orders is not None else set()
        people = customers.touched | changes.touched_customers
        if not (stock_touched or orders_touched or people or changes.touched_products):
            return None
        with translate_errors(self._store.location):
            skus = stock.skus_of(stock_touched) if stock is not None and stock_touched else []
        return RecordsChanged(
            frozenset(skus),
            frozenset(orders_touched),
            frozenset(people),
            frozenset(changes.touched_products),
        )

    def _still_in_transaction(self) -> bool:
        """Whether there is a transaction left to roll back: SQLite rolls a transaction
        back by itself when a write fails for a full disk or an I/O error, and a ROLLBACK
        then would only add "no transaction is active" before the real error."""
        if engine_of(self._db) != "sqlite":
            return True
        try:
            connection: sqlite3.Connection = self._db.connection()  # type: ignore[no-untyped-call]
        except Exception:  # noqa: BLE001  # no connection: nothing to roll back
            return False
        return connection.in_transaction

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed; translate library errors."""
        if self._txn is None:
            return
        self._txn = None
        self._db.pop_transaction()  # type: ignore[no-untyped-call]  # untyped in the stubs
        if not self._committed and self._still_in_transaction():
            try:
                self._db.rollback()
            except Exception as rollback_error:
                if not is_library_error(rollback_error):
                    raise
                if exc is None:
                    raise translate(rollback_error, self._store.location) from rollback_error
                # The error that ended the block matters more; keep a trace of this one.
                log.warning("rollback after an error failed: %s", rollback_error)
        if exc is not None and is_library_error(exc):
            error = translate(exc, self._store.location)
            if isinstance(error, DatabaseUnavailable):
                self._store.drop_connection()  # the next unit of work connects afresh
            raise error from exc
