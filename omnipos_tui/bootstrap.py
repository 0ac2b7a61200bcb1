"""The composition root: settings -> storage -> (drivers) -> services.

The one module that picks concrete implementations (with its parts in
:mod:`omnipos_tui.wiring`). The CLI and the till call :func:`build` and use the
:class:`Services` it returns; they never import storage, peewee or drivers themselves.
Devices are wired from ``settings.devices`` by :func:`~omnipos_tui.wiring.devices.build_devices`
(``services.devices()`` builds them on first use).

Events and the outbox are composed here as well: :func:`build` makes the
:class:`~omnipos_tui.core.events.EventBus` every unit of work publishes to (subscribe
in-transaction handlers such as stock moves in :func:`subscribe_handlers`) and the outbox
dispatcher that ``omnipos worker`` and the in-process relay use (register handlers for
outbox kinds in :func:`outbox_handlers`). A till takes its register's devices with
:meth:`Services.own_devices`, which subscribes the paper of its sales and registers the
device handlers (:mod:`omnipos_tui.wiring.paper`).

Why this module is over 400 lines: it is the composition root, the one module that picks
concrete implementations, and it grows by a few lines of wiring with each area; each area's
own wiring (accounting, web shop, carriers, devices, paper, the SAF-T helper) is in
``omnipos_tui.wiring`` already, and what remains here is :class:`Services` with its lazily
built services and :func:`build`, which belong together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from omnipos_tui.core.clock import Clock, SystemClock
from omnipos_tui.core.events import EventBus, SaleCompleted, ZReportClosed
from omnipos_tui.core.outbox import OutboxHandler
from omnipos_tui.core.repositories import DatabaseAdmin, UnitOfWork, UnitOfWorkFactory
from omnipos_tui.file_modes import FileAccess
from omnipos_tui.services.catalogue.service import CatalogueService
from omnipos_tui.services.ledger.journal import JournalService
from omnipos_tui.services.ledger.keys import KeyService
from omnipos_tui.services.outbox.dispatcher import InProcessRelay, OutboxDispatcher
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.register import RegisterService
from omnipos_tui.services.shop.setup import SetupService
from omnipos_tui.services.staff.service import StaffService
from omnipos_tui.settings import Settings
from omnipos_tui.storage.outbox import worker_id
from omnipos_tui.storage.signing_keys import KeyAlgorithm, KeyStore, RsaVerifier
from omnipos_tui.storage.store import Store
from omnipos_tui.wiring import webshop as webshop_wiring
from omnipos_tui.wiring.devices import CardConfirm, Devices, build_devices
from omnipos_tui.wiring.lazy import Lazy

if TYPE_CHECKING:
    from omnipos_tui.services.accounting.service import AccountingService
    from omnipos_tui.services.customers.service import CustomerService
    from omnipos_tui.services.ledger.export import ExportService
    from omnipos_tui.services.orders.service import OrderService
    from omnipos_tui.services.orders.shipping import Carriers, ShippingService
    from omnipos_tui.services.outbox.worker import OutboxService
    from omnipos_tui.services.reports.service import ReportService
    from omnipos_tui.services.sales.paper import TillPaper
    from omnipos_tui.services.shop.doctor import DoctorService
    from omnipos_tui.services.shop.hardware import HardwareService
    from omnipos_tui.services.stock.documents import StockDocumentService
    from omnipos_tui.services.stock.purchasing import PurchaseService
    from omnipos_tui.services.stock.service import StockService
    from omnipos_tui.services.stock.suppliers import SupplierService
    from omnipos_tui.services.webshop.sync import WebshopSync

# The drivers (python-escpos, Pillow, qrcode, pyserial, evdev, the terminal library) and
# the SAF-T writer (lxml) are imported where they are first needed, not here: the till
# shows its log-in screen without them and builds its devices in a worker afterwards. So
# are the services the till does not use before its log-in screen is up (customers,
# reports, hardware, doctor): each is built, and its module imported, on first use.

#: Services and build are defined here; the rest are re-exported from omnipos_tui.wiring
#: for the callers that import them from bootstrap.
__all__ = [
    "CardConfirm",
    "Devices",
    "Lazy",
    "Services",
    "build",
    "build_devices",
    "key_files",
    "outbox_handlers",
    "subscribe_handlers",
]

_ALGORITHMS = {"rsa-sha1": KeyAlgorithm.RSA, "hmac-sha1": KeyAlgorithm.HMAC}


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a front end uses, built from one ``Settings``.

    Attributes:
        settings: The effective configuration.
        clock: Where the time comes from.
        database: Migrations, checks and backups.
        units: Opens units of work (for services written later).
        catalogue: Products and article groups.
        staff: Employees, PINs, log-in.
        customers: The customer register.
        setup: ``omnipos init``.
        sales: What the sale use cases depend on (``services.sales.deps``): pass it to
            ``services.sales.ringing.add_item`` and the other sale use cases.
        register: Start/stop, log-in, drawer, cash in/out, float, training, status.
        reports: X and Z reports.
        journal: The journal and transactions read back; chain verification; exports.
        keys: Signing keys (public key, rotation).
        export: The SAF-T Cash Register export.
        devices: The devices, built on first call (``services.devices()``).
        events: The event bus every unit of work publishes its recorded events to.
    """

    settings: Settings
    clock: Clock
    database: DatabaseAdmin
    units: UnitOfWorkFactory
    catalogue: CatalogueService
    staff: StaffService
    setup: SetupService
    sales: SaleDeps
    register: RegisterService
    journal: JournalService
    keys: KeyService
    devices: Lazy[Devices]
    events: EventBus
    _outbox: Lazy[OutboxService]
    _export: Lazy[ExportService]
    _store: Store
    _customers: Lazy[CustomerService]
    _reports: Lazy[ReportService]
    _stock: Lazy[StockService]
    _carriers: Lazy[Carriers]
    _webshop: Lazy[WebshopSync]
    _dispatcher: OutboxDispatcher
    _relay: InProcessRelay
    _paper: dict[str, TillPaper]
    _paper_lock: threading.Lock

    @property
    def customers(self) -> CustomerService:
        """The customer register (built on first use)."""
        return self._customers()

    @property
    def reports(self) -> ReportService:
        """X and Z reports (built on first use)."""
        return self._reports()

    @property
    def export(self) -> ExportService:
        """SAF-T Cash Register exports (built, with the SAF-T writer's wiring, on first use)."""
        return self._export()

    @property
    def outbox(self) -> OutboxService:
        """Status, retries and the worker loop of the outbox (built on first use)."""
        return self._outbox()

    @property
    def webshop(self) -> WebshopSync:
        """The web shop sync: link, sync, reconcile, status (built on first use)."""
        return self._webshop()

    @property
    def accounting(self) -> AccountingService:
        """Settlement vouchers: status, retry, preview, the set-up check, the vouchers of
        a period."""
        from omnipos_tui.services.accounting.service import AccountingService
        from omnipos_tui.wiring.accounting import account_map, accounting_system

        return AccountingService(
            self.units,
            self.clock,
            account_map(self.settings),
            accounting_system(self.settings),
            self.settings.accounting.kind,
        )

    def export_vouchers(self, first: date, last: date, output: Path, form: str) -> int:
        """Write the settlement vouchers of every Z report in ``first``..``last`` to
        ``output`` as ``form`` ("csv" or "saft-financial"); how many."""
        from omnipos_tui.core.clock import local
        from omnipos_tui.wiring.accounting import export_vouchers

        today = local(self.clock.now()).date()
        files = FileAccess(self.settings.security.file_group)
        return export_vouchers(
            self.accounting, first, last, output, form=form, today=today, files=files
        )

    @property
    def stock(self) -> StockService:
        """Stock answers, verify and rebuild, locations and reorder rules (built on first
        use)."""
        return self._stock()

    @property
    def suppliers(self) -> SupplierService:
        """Suppliers and supplier items."""
        from omnipos_tui.services.stock.suppliers import SupplierService

        return SupplierService(self.units, self.clock)

    @property
    def purchasing(self) -> PurchaseService:
        """Purchase orders and reorder suggestions (writes the supplier's PDF and CSV)."""
        from omnipos_tui.services.stock.purchasing import PurchaseService
        from omnipos_tui.wiring.purchase_files import write_order_files

        return PurchaseService(self.units, self.clock, write_order_files)

    @property
    def stock_documents(self) -> StockDocumentService:
        """Goods receipts, transfers and counts."""
        from omnipos_tui.services.stock.documents import StockDocumentService

        return StockDocumentService(self.units, self.clock)

    @property
    def orders(self) -> OrderService:
        """Customer orders: take, show, list, pick, pack, cancel, the order's paper."""
        from omnipos_tui.messages.order_paper import order_paper_words
        from omnipos_tui.services.orders.service import OrderService

        return OrderService(
            self.units,
            self.clock,
            paper_words=order_paper_words(self.settings.shop.language),
            columns=self.settings.devices.printer.columns,
        )

    @property
    def shipping(self) -> ShippingService:
        """Parcels of customer orders and their tracking (the carriers built on first use)."""
        from omnipos_tui.services.orders.shipping import ShippingService

        return ShippingService(
            self.units,
            self.clock,
            self._carriers(),
            refresh=timedelta(minutes=self.settings.carriers.refresh_minutes),
        )

    @property
    def hardware(self) -> HardwareService:
        """Technician commands on the devices (``omnipos hw``); builds nothing until used."""
        from drivers.terminal import run_terminal_simulator
        from omnipos_tui.services.shop.hardware import HardwareService

        return HardwareService(
            self.devices,
            register=self.register,
            staff=self.staff,
            clock=self.clock,
            register_id=self.settings.shop.register_id,
            simulator=run_terminal_simulator,
        )

    @property
    def doctor(self) -> DoctorService:
        """The checks of ``omnipos doctor``."""
        from omnipos_tui.file_modes import loose_files
        from omnipos_tui.services.shop.doctor import DoctorService
        from omnipos_tui.services.shop.doctor_files import AtRest
        from omnipos_tui.services.webshop.health import webshop_findings

        security = self.settings.security
        files = FileAccess(security.file_group)
        return DoctorService(
            database=self.database,
            journal=self.journal,
            keys=self.keys,
            hardware=self.hardware,
            clock=self.clock,
            data_dir=self.settings.data_dir,
            register_id=self.settings.shop.register_id,
            outbox=self.outbox.status,
            at_rest=AtRest(
                lambda: loose_files(self.settings.data_dir, files),
                files.mode,
                security.file_group,
                security.pin_min_digits,
            ),
            accounting=None if self.settings.accounting.kind == "none" else self.accounting.backlog,
            webshop=None
            if self.settings.webshop.kind == "none"
            else lambda: webshop_findings(self.webshop.status),
        )

    def prepare_for_sales(self) -> None:
        """Import what a till's first sale needs and its log-in screen does not (the order
        pick-up the stock posting of every sale asks about), so the first sale does not
        wait for it. The till calls this once its log-in screen is drawn."""
        import omnipos_tui.services.orders.pickup  # noqa: F401

    def own_devices(self, register_id: str) -> TillPaper:
        """This process is the till of ``register_id`` and owns its devices: from now on
        a sale completed there queues its receipt, drawer kick and customer display in
        its own commit, and the returned :class:`~omnipos_tui.services.sales.paper.TillPaper`
        delivers them; worker rows committed here are delivered in-process at once.
        Asking again for the same register returns the same object.
        """
        from omnipos_tui.wiring.paper import own_devices

        with self._paper_lock:
            paper = self._paper.get(register_id)
            if paper is None:
                paper = own_devices(
                    register_id,
                    settings=self.settings,
                    devices=self.devices,
                    sales=self.sales,
                    events=self.events,
                    dispatcher=self._dispatcher,
                )
                self._paper[register_id] = paper
                self._relay.start()
            return paper

    def close(self) -> None:
        """Close the database connection of this thread (and the devices, if built)."""
        self._relay.stop()
        if self.devices.built:
            self.devices().close()
        self._store.close()


def build(
    settings: Settings, *, clock: Clock | None = None, confirm_card: CardConfirm | None = None
) -> Services:
    """Build the services for a configuration.

    Nothing is opened yet: the database connects on first use, so ``omnipos config show``
    works even when the database is unreachable.

    Args:
        settings: The effective configuration.
        clock: The clock (the system clock unless a test or the demo seeder fixes one).
        confirm_card: The till's dialog for a stand-alone card terminal (see
            :func:`build_devices`).

    Raises:
        StorageError: The database URL cannot be used.
    """
    clock = clock or SystemClock()
    events = EventBus()
    files = FileAccess(settings.security.file_group)
    store = Store(
        settings.database_url,
        clock,
        register_id=settings.shop.register_id,
        events=events,
        files=files,
    )
    from omnipos_tui.messages.order_paper import order_paper_words  # the words, not a layout

    units: UnitOfWorkFactory = store.unit_of_work
    dispatcher = OutboxDispatcher(units, clock, by=worker_id(), handlers=outbox_handlers(settings))
    relay = InProcessRelay(dispatcher)
    store.outbox_committed = relay.committed
    subscribe_handlers(events, settings)
    shop = webshop_wiring.shop_of(settings)
    for handler in webshop_wiring.handlers(settings, units, clock, shop):
        dispatcher.register(handler)
    outbox_of: Lazy[OutboxService] = Lazy(
        lambda: _outbox_service(
            units,
            clock,
            dispatcher,
            store,
            shipping_of,
            webshop=web if webshop_wiring.enabled(settings) else None,
        )
    )
    web: Lazy[WebshopSync] = Lazy(
        lambda: webshop_wiring.sync_service(
            settings, units, clock, shop, lambda: outbox_of().status().kinds
        )
    )
    keys = KeyService(
        key_files(settings),
        units,
        clock,
        register_id=settings.shop.register_id,
        rsa_verifier=RsaVerifier.from_pem,
    )
    staff = StaffService(units, clock, pin_min_digits=settings.security.pin_min_digits)
    till = settings.till
    journal = JournalService(units, clock, keys.verifiers)
    carrier_book: Lazy[Carriers] = Lazy(partial(_carriers, settings, clock))

    def shipping_of() -> ShippingService:
        from omnipos_tui.services.orders.shipping import ShippingService

        refresh = timedelta(minutes=settings.carriers.refresh_minutes)
        return ShippingService(units, clock, carrier_book(), refresh=refresh)

    return Services(
        settings=settings,
        clock=clock,
        database=store,
        units=units,
        catalogue=CatalogueService(units, clock),
        staff=staff,
        setup=SetupService(
            units,
            store,
            clock,
            create_signing_key=keys.initial_key,
            pin_min_digits=settings.security.pin_min_digits,
        ),
        sales=SaleDeps(
            units,
            clock,
            keys.signer,
            order_paper_words(settings.shop.language),
            merge_identical_scans=till.merge_identical_scans,
            discount_limit_percent=Decimal(till.discount_limit_percent),
            receipt_columns=settings.devices.printer.columns,
            drawer_in_training=till.drawer_in_training,
        ),
        register=RegisterService(
            units,
            clock,
            keys.signer,
            staff,
            no_sale_requires_manager=till.no_sale_requires_manager,
        ),
        journal=journal,
        keys=keys,
        _export=Lazy(partial(_export_service, settings, units, clock, journal, store, files=files)),
        devices=Lazy(lambda: build_devices(settings, clock=clock, confirm_card=confirm_card)),
        events=events,
        _outbox=outbox_of,
        _store=store,
        _customers=Lazy(partial(_customer_service, units, clock)),
        _reports=Lazy(partial(_report_service, units, clock, till.closes_at)),
        _stock=Lazy(partial(_stock_service, units, clock)),
        _carriers=carrier_book,
        _webshop=web,
        _dispatcher=dispatcher,
        _relay=relay,
        _paper={},
        _paper_lock=threading.Lock(),
    )


def subscribe_handlers(events: EventBus, settings: Settings) -> None:
    """Subscribe the in-transaction event handlers of every process (stock moves, ...):
    ``events.subscribe(SaleCompleted, handler)``; each runs inside the unit of work that
    recorded the event (``core.events``). The till's paper is subscribed by
    :meth:`Services.own_devices`, not here. With an accounting system configured, a Z
    report queues its settlement voucher in its own commit.

    Raises:
        ConfigError: The account map leaves a VAT rate or a means of payment unmapped
            (naming the keys to set), or an account is not a number.
    """
    events.subscribe(SaleCompleted, _post_completed_sale)
    webshop_wiring.subscribe(events, settings)
    if settings.accounting.kind != "none":
        from omnipos_tui.services.accounting.settlement import z_settlement_queuer
        from omnipos_tui.wiring.accounting import account_map

        accounts = account_map(settings)
        accounts.check()
        events.subscribe(ZReportClosed, z_settlement_queuer(accounts))


def _post_completed_sale(event: SaleCompleted, uow: UnitOfWork) -> None:
    """:func:`~omnipos_tui.services.stock.posting.post_completed_sale`, its module (and the
    stock code) imported at the first sale, not at start."""
    from omnipos_tui.services.stock.posting import post_completed_sale

    post_completed_sale(event, uow)


def outbox_handlers(settings: Settings) -> list[OutboxHandler]:
    """The handlers of the worker's outbox kinds (accounting, web shop, ...), built from
    ``settings``; ``omnipos worker`` and the in-process relay deliver with them. The device
    kinds are registered by :meth:`Services.own_devices` in the till only."""
    if settings.accounting.kind == "none":
        return []  # as accounting_system(settings) says, without loading the accounting wiring
    from omnipos_tui.wiring.accounting import accounting_system

    system = accounting_system(settings)
    if system is None:
        return []
    from omnipos_tui.services.accounting.settlement import SettlementHandler

    return [SettlementHandler(system)]


def _outbox_service(
    units: UnitOfWorkFactory,
    clock: Clock,
    dispatcher: OutboxDispatcher,
    store: Store,
    shipping: Callable[[], ShippingService],
    *,
    webshop: Callable[[], WebshopSync] | None = None,
) -> OutboxService:
    from omnipos_tui.services.outbox.worker import OutboxService

    # The worker asks the carriers about open parcels on each pass: only those that are
    # due ([carriers] refresh_minutes), a few at a time (services/orders/shipping.py); and
    # pulls web orders and customers every [webshop] poll_seconds (services/webshop/sync.py).
    jobs: list[Callable[[], object]] = [lambda: shipping().refresh_due()]
    if webshop is not None:
        jobs.append(lambda: webshop().due())
    return OutboxService(units, clock, dispatcher, store, jobs=jobs)


def _export_service(
    settings: Settings,
    units: UnitOfWorkFactory,
    clock: Clock,
    journal: JournalService,
    store: Store,
    *,
    files: FileAccess,
) -> ExportService:
    from omnipos_tui.services.ledger.export import ExportService
    from omnipos_tui.storage.export_reader import ExportRowReader
    from omnipos_tui.wiring import saft_helper
    from omnipos_tui.wiring.saft_file import write_saft_file

    return ExportService(
        units,
        clock,
        journal,
        lambda target, source: write_saft_file(target, source, files=files),
        # The helper describes 2 of every 3 transaction pages (saft_described.SHARE)
        # and every event; this process describes the other pages and writes them all.
        ExportRowReader(store, settings.database_url, describer=saft_helper),
    )


def _carriers(settings: Settings, clock: Clock) -> Carriers:
    from omnipos_tui.wiring.carriers import carriers

    return carriers(settings, clock)


def _customer_service(units: UnitOfWorkFactory, clock: Clock) -> CustomerService:
    from omnipos_tui.services.customers.service import CustomerService

    return CustomerService(units, clock)


def _report_service(units: UnitOfWorkFactory, clock: Clock, closes_at: str) -> ReportService:
    from omnipos_tui.services.reports.service import ReportService

    closing = time.fromisoformat(closes_at) if closes_at else None
    return ReportService(units, clock, closes_at=closing)


def _stock_service(units: UnitOfWorkFactory, clock: Clock) -> StockService:
    from omnipos_tui.services.stock.service import StockService

    return StockService(units, clock)


def key_files(settings: Settings) -> Callable[[str], KeyStore]:
    """The key files of a register in ``settings.data_dir`` (one ``KeyStore`` per register,
    kept, so a key is read from its file once); a register's first key is made for
    ``settings.signing.algorithm``."""
    algorithm = _ALGORITHMS[settings.signing.algorithm]
    stores: dict[str, KeyStore] = {}
    lock = threading.Lock()

    def files(register_id: str) -> KeyStore:
        with lock:
            if register_id not in stores:
                stores[register_id] = KeyStore(settings.data_dir, register_id, algorithm)
            return stores[register_id]

    return files
