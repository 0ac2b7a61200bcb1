"""The composition root: settings -> storage -> (drivers) -> services.

The one module that picks concrete implementations. The CLI and the till call
:func:`build` and use the :class:`Services` it returns; they never import storage, peewee or
drivers themselves. Devices are wired here too, from ``settings.devices``:
:func:`build_devices` picks the drivers (``services.devices()`` builds them on first use).

Events and the outbox are composed here as well: :func:`build` makes the
:class:`~omnipos_tui.core.events.EventBus` every unit of work publishes to (subscribe
in-transaction handlers such as stock moves in :func:`subscribe_handlers`) and the outbox
dispatcher that ``omnipos worker`` and the in-process relay use (register handlers for
outbox kinds in :func:`outbox_handlers`). A till takes its register's devices with
:meth:`Services.own_devices`, which subscribes the paper of its sales and registers the
device handlers (``services.sales.paper``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypeVar, cast

from omnipos_tui import __version__
from omnipos_tui.core.clock import Clock, SystemClock
from omnipos_tui.core.errors import ConfigError, InvalidInput
from omnipos_tui.core.events import EventBus, SaleCompleted
from omnipos_tui.core.money import Money
from omnipos_tui.core.outbox import OutboxHandler
from omnipos_tui.core.ports import (
    BarcodeScanner,
    CardCancelled,
    CardResult,
    CardTerminal,
    CashDrawer,
    CustomerDisplay,
    ReceiptPrinter,
)
from omnipos_tui.core.printing import PrintSpool
from omnipos_tui.core.repositories import DatabaseAdmin, UnitOfWorkFactory
from omnipos_tui.device_settings import PRINTER_NAMES, DeviceSettings, missing_required
from omnipos_tui.services.catalogue.service import CatalogueService
from omnipos_tui.services.ledger.export import ExportService, SaftSource, WrittenCounts
from omnipos_tui.services.ledger.journal import JournalService
from omnipos_tui.services.ledger.keys import KeyService
from omnipos_tui.services.outbox.dispatcher import InProcessRelay, OutboxDispatcher
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.register import RegisterService
from omnipos_tui.services.shop.setup import SetupService
from omnipos_tui.services.staff.service import StaffService
from omnipos_tui.settings import Settings
from omnipos_tui.storage.export_reader import ExportRowReader
from omnipos_tui.storage.outbox import worker_id
from omnipos_tui.storage.signing_keys import KeyAlgorithm, KeyStore, RsaVerifier
from omnipos_tui.storage.store import Store

if TYPE_CHECKING:
    from drivers.printer import PrinterTransport
    from omnipos_tui.exports.saft import ExportSummary
    from omnipos_tui.services.customers.service import CustomerService
    from omnipos_tui.services.outbox.worker import OutboxService
    from omnipos_tui.services.reports.service import ReportService
    from omnipos_tui.services.sales.paper import TillPaper
    from omnipos_tui.services.shop.doctor import DoctorService
    from omnipos_tui.services.shop.hardware import DeviceInfo, HardwareService

# The drivers (python-escpos, Pillow, qrcode, pyserial, evdev, the terminal library) and
# the SAF-T writer (lxml) are imported where they are first needed, not here: the till
# shows its log-in screen without them and builds its devices in a worker afterwards. So
# are the services the till does not use before its log-in screen is up (customers,
# reports, hardware, doctor): each is built, and its module imported, on first use.

_ALGORITHMS = {"rsa-sha1": KeyAlgorithm.RSA, "hmac-sha1": KeyAlgorithm.HMAC}

T = TypeVar("T")


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
        outbox: Status, retries and the worker loop of the outbox.
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
    export: ExportService
    devices: Lazy[Devices]
    events: EventBus
    _outbox: Lazy[OutboxService]
    _store: Store
    _customers: Lazy[CustomerService]
    _reports: Lazy[ReportService]
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
    def outbox(self) -> OutboxService:
        """Status, retries and the worker loop of the outbox (built on first use)."""
        return self._outbox()

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
        from omnipos_tui.services.shop.doctor import DoctorService

        return DoctorService(
            database=self.database,
            journal=self.journal,
            keys=self.keys,
            hardware=self.hardware,
            clock=self.clock,
            data_dir=self.settings.data_dir,
            register_id=self.settings.shop.register_id,
            outbox=self.outbox.status,
        )

    def own_devices(self, register_id: str) -> TillPaper:
        """This process is the till of ``register_id`` and owns its devices: from now on
        a sale completed there queues its receipt, drawer kick and customer display in
        its own commit, and the returned :class:`~omnipos_tui.services.sales.paper.TillPaper`
        delivers them; worker rows committed here are delivered in-process at once.
        Asking again for the same register returns the same object.
        """
        with self._paper_lock:
            paper = self._paper.get(register_id)
            if paper is None:
                paper = _own_devices(self, register_id)
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
    store = Store(
        settings.database_url, clock, register_id=settings.shop.register_id, events=events
    )
    units: UnitOfWorkFactory = store.unit_of_work
    dispatcher = OutboxDispatcher(units, clock, by=worker_id(), handlers=outbox_handlers(settings))
    relay = InProcessRelay(dispatcher)
    store.outbox_committed = relay.committed
    subscribe_handlers(events, settings)
    keys = KeyService(
        key_files(settings),
        units,
        clock,
        register_id=settings.shop.register_id,
        rsa_verifier=RsaVerifier.from_pem,
    )
    staff = StaffService(units, clock)
    till = settings.till
    journal = JournalService(units, clock, keys.verifiers)
    return Services(
        settings=settings,
        clock=clock,
        database=store,
        units=units,
        catalogue=CatalogueService(units, clock),
        staff=staff,
        setup=SetupService(units, store, clock, create_signing_key=keys.initial_key),
        sales=SaleDeps(
            units,
            clock,
            keys.signer,
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
        export=ExportService(
            units,
            clock,
            journal,
            write_saft_file,
            # The helper describes 2 of every 3 transaction pages (saft_described.SHARE)
            # and every event; this process describes the other pages and writes them all.
            ExportRowReader(store, settings.database_url, describe=SAFT_DESCRIBER),
        ),
        devices=Lazy(lambda: build_devices(settings, clock=clock, confirm_card=confirm_card)),
        events=events,
        _outbox=Lazy(partial(_outbox_service, units, clock, dispatcher, store)),
        _store=store,
        _customers=Lazy(partial(_customer_service, units, clock)),
        _reports=Lazy(partial(_report_service, units, clock)),
        _dispatcher=dispatcher,
        _relay=relay,
        _paper={},
        _paper_lock=threading.Lock(),
    )


def subscribe_handlers(events: EventBus, settings: Settings) -> None:
    """Subscribe the in-transaction event handlers of every process (stock moves, ...):
    ``events.subscribe(SaleCompleted, handler)``; each runs inside the unit of work that
    recorded the event (``core.events``). The till's paper is subscribed by
    :meth:`Services.own_devices`, not here."""


def outbox_handlers(settings: Settings) -> list[OutboxHandler]:
    """The handlers of the worker's outbox kinds (accounting, web shop, ...), built from
    ``settings``; ``omnipos worker`` and the in-process relay deliver with them. The device
    kinds are registered by :meth:`Services.own_devices` in the till only."""
    return []


def _own_devices(services: Services, register_id: str) -> TillPaper:
    """Subscribe the register's paper and register its device handlers."""
    from omnipos_tui.services.sales.paper import (
        DisplayHandler,
        DrawerHandler,
        PaperPlan,
        ReceiptHandler,
        TillPaper,
        paper_subscriber,
    )
    from omnipos_tui.services.sales.receipts import reprint_original

    settings, devices, clock = services.settings, services.devices, services.clock
    config = settings.devices
    plan = PaperPlan(
        register_id,
        receipt=config.printer.kind != "none",
        drawer=config.drawer.kind != "none",
        display=config.display.kind != "none",
    )
    dispatcher = services._dispatcher
    receipts = ReceiptHandler(
        lambda: devices().print_queue, partial(reprint_original, services.sales)
    )
    dispatcher.register(receipts)
    shut_later = _shut_later if config.drawer.kind == "simulated" else None
    dispatcher.register(DrawerHandler(lambda: devices().drawer, clock, opened=shut_later))
    dispatcher.register(
        DisplayHandler(lambda: devices().display, clock, language=settings.shop.language)
    )
    services.events.subscribe(SaleCompleted, paper_subscriber(plan))
    return TillPaper(register_id, dispatcher, receipts)


#: The demo's simulated cashier shuts a simulated drawer this long after it opened.
SIMULATED_DRAWER_SHUT_S = 3.0


def _shut_later(drawer: CashDrawer) -> None:
    """The simulated drawer has no cashier to push it shut: shut it after a moment."""
    shut = getattr(drawer, "close", None)
    if callable(shut):
        timer = threading.Timer(SIMULATED_DRAWER_SHUT_S, shut)
        timer.daemon = True
        timer.start()


def _outbox_service(
    units: UnitOfWorkFactory, clock: Clock, dispatcher: OutboxDispatcher, store: Store
) -> OutboxService:
    from omnipos_tui.services.outbox.worker import OutboxService

    return OutboxService(units, clock, dispatcher, store)


def _customer_service(units: UnitOfWorkFactory, clock: Clock) -> CustomerService:
    from omnipos_tui.services.customers.service import CustomerService

    return CustomerService(units, clock)


def _report_service(units: UnitOfWorkFactory, clock: Clock) -> ReportService:
    from omnipos_tui.services.reports.service import ReportService

    return ReportService(units, clock)


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


SAFT_DESCRIBER = "omnipos_tui.exports.saft_described:describe"
"""What storage's export helper hands a big export's rows to: the SAF-T records are
described there, beside the process that writes the file."""


def write_saft_file(target: Path, source: SaftSource) -> WrittenCounts:
    """The export service's file writer: ``omnipos_tui.exports.saft`` into a temporary file
    beside ``target``, renamed into place only when complete."""
    from omnipos_tui.exports.saft import ArticleEntry, EmployeeEntry, export_saft_file, write_saft

    def write(out: BinaryIO) -> ExportSummary:
        return write_saft(
            out,
            company=source.company,
            registers=source.registers,
            period_start=source.first_day,
            period_end=source.last_day,
            created_at=source.created_at,
            software_version=__version__,
            vat_rates=source.vat_rates,
            groups=source.groups,
            employees=(EmployeeEntry(e, at) for e, at in source.employees),
            articles=(ArticleEntry(p, on) for p, on in source.articles),
            customers=source.customers,
            events_by_register=source.events,
            transactions_by_register=source.transactions,
            exported_by=source.exported_by,
            transaction_rows_by_register=source.transaction_rows,
            event_rows_by_register=source.event_rows,
            described=source.described,
        )

    summary = export_saft_file(target, write)
    return WrittenCounts(
        summary.registers,
        summary.events,
        summary.transactions,
        summary.transactions_by_register,
    )


# --- devices ----------------------------------------------------------------------------

#: What the till supplies for a stand-alone terminal: (kind "purchase"/"refund", amount,
#: payment reference) -> the outcome the cashier confirms.
CardConfirm = Callable[[str, Money, str], CardResult]


@dataclass(frozen=True, slots=True)
class Devices:
    """The till's devices, built from ``settings.devices``. Nothing is opened here: each
    driver opens its port on first use (and after a fault, again).

    A device whose settings cannot be used is a
    :class:`~omnipos_tui.services.shop.hardware.MisconfiguredDevice` that raises the
    ``ConfigError`` wherever it is used.

    Attributes:
        printers: The printers by name: "receipt", and "reports" when configured.
        drawer: The cash drawer, or None.
        terminal: The card terminal, or None.
        scanner: The scanner, or None (kind "none", or "wedge": the till reads the keys).
        display: The customer display, or None.
        listing: Every role with its kind and port, for ``omnipos hw list``.
    """

    printers: Mapping[str, ReceiptPrinter]
    drawer: CashDrawer | None
    terminal: CardTerminal | None
    scanner: BarcodeScanner | None
    display: CustomerDisplay | None
    listing: tuple[DeviceInfo, ...]
    _queue: Lazy[PrintSpool]
    _closers: tuple[Callable[[], None], ...] = ()

    @property
    def print_queue(self) -> PrintSpool:
        """The persistent print queue over ``<data_dir>/spool`` feeding :attr:`printers`
        (the folder is created on first use).

        Raises:
            InvalidInput: The spool folder cannot be created.
        """
        return self._queue()

    def device(self, role: str) -> object | None:
        """The driver of a role ("printer", "report_printer", "drawer", ...), or None."""
        if role in PRINTER_NAMES:
            return self.printers.get(PRINTER_NAMES[role])
        if role in {"drawer", "terminal", "scanner", "display"}:
            device: object | None = getattr(self, role)
            return device
        return None

    def close(self) -> None:
        """Stop the print queue's retry thread and release the scanner and display."""
        if self._queue.built:
            self._queue().stop()
        for close in self._closers:
            close()


class Lazy(Generic[T]):
    """A value made on first call, once, even when several threads ask at the same time.

    Args:
        make: Builds the value.
    """

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        """Whether the value was made already."""
        return self._value is not None

    def __call__(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._make()
            return self._value


def build_devices(
    settings: Settings, *, clock: Clock | None = None, confirm_card: CardConfirm | None = None
) -> Devices:
    """The drivers for ``settings.devices`` (none of them opened yet).

    Args:
        settings: The effective configuration.
        clock: For the print queue's job times.
        confirm_card: The till's dialog for a stand-alone (``manual``) terminal; without it
            a manual payment comes back cancelled.

    A device whose own settings cannot be used does not stop the others: it becomes a
    ``MisconfiguredDevice`` (see :class:`Devices`).
    """
    from drivers.display import SerialPoleDisplay
    from drivers.printer import PrintQueue
    from omnipos_tui.services.shop.hardware import ROLES, DeviceInfo

    config = settings.devices
    listing = tuple(
        DeviceInfo(role, PRINTER_NAMES.get(role, role), d.kind, _where(role, d))
        for role in ROLES
        for d in (getattr(config, role),)
    )
    printers: dict[str, ReceiptPrinter] = {}
    for role, name in PRINTER_NAMES.items():
        made = _make(settings, role, partial(_printer, name, getattr(config, role), config.drawer))
        if made is not None:
            printers[name] = made
    receipt = printers.get("receipt")
    drawer = _make(settings, "drawer", lambda: _drawer(settings, receipt))
    terminal = _make(settings, "terminal", lambda: _terminal(settings, confirm_card))
    scanner = _make(settings, "scanner", lambda: _scanner(config.scanner))
    display = _make(settings, "display", lambda: _display(config.display))
    closers: list[Callable[[], None]] = []
    if scanner is not None:
        closers.append(scanner.close)
    if isinstance(display, SerialPoleDisplay):
        closers.append(display.close)
    spool = settings.data_dir / "spool"
    return Devices(
        printers=printers,
        drawer=drawer,
        terminal=terminal,
        scanner=scanner,
        display=display,
        listing=listing,
        _queue=Lazy(lambda: PrintQueue(spool, printers, clock=clock)),
        _closers=tuple(closers),
    )


def _make(settings: Settings, role: str, build_one: Callable[[], T | None]) -> T | None:
    """``build_one()``, or a stand-in that reports why it could not be built (naming the
    configuration file and the device's table)."""
    from omnipos_tui.services.shop.hardware import MisconfiguredDevice

    device = getattr(settings.devices, role)
    if device.kind == "none":
        return None
    place = settings.config_file or "the built-in defaults (no configuration file)"
    missing = missing_required(role, device)
    try:
        if missing:
            raise ConfigError(_missing_message(missing[0]))
        return build_one()
    except ConfigError as exc:
        problem = ConfigError(f"{place}: [devices.{role}] kind {device.kind!r}: {exc}")
        stand_in: Any = MisconfiguredDevice(role, problem, name=PRINTER_NAMES.get(role, ""))
        return cast("T", stand_in)


def _missing_message(key: str) -> str:
    hint = {
        "by_id": ' = "/dev/input/by-id/usb-...-event-kbd" (see ls /dev/input/by-id/), or '
        'device_name = "the name evtest shows"',
        "port": ' = "/dev/ttyUSB0" (see ls /dev/serial/by-id/)',
        "host": ' = "192.168.1.50" (the printer\'s address)',
        "path": ' = "/path/to/receipts.bin"',
    }.get(key, "")
    return f"{key} is needed; set {key}{hint}"


def _where(role: str, device: DeviceSettings) -> str:
    """Where a device is reached, for listings."""
    kind = device.kind
    if kind == "escpos-network":
        return f"{device.host}:{device.tcp_port}"
    if kind == "escpos-file":
        return device.path
    if kind == "printer-kick":
        return f"printer 'receipt' pin {device.drawer_pin}"
    if kind == "evdev":
        return device.by_id or (f"name {device.device_name!r}" if device.device_name else "")
    if kind == "simulated":
        return device.output if role in PRINTER_NAMES and device.output else "simulated"
    fixed = {"manual": "stand-alone", "wedge": "keyboard", "none": ""}
    return fixed.get(kind, device.port)


def _printer(name: str, device: DeviceSettings, drawer: DeviceSettings) -> ReceiptPrinter:
    from drivers.printer import (
        EscposReceiptPrinter,
        FileTransport,
        NetworkTransport,
        SerialTransport,
        SimulatedReceiptPrinter,
    )

    pin = drawer.drawer_pin if drawer.kind == "printer-kick" and name == "receipt" else 2
    if device.kind == "simulated":
        output = Path(device.output).expanduser() if device.output else None
        return SimulatedReceiptPrinter(
            name, columns=device.columns, code_page=device.code_page, drawer_pin=pin, output=output
        )
    transport: PrinterTransport
    if device.kind == "escpos-serial":
        transport = SerialTransport(
            device.port,
            baudrate=device.baudrate,
            rtscts=device.rtscts,
            timeout=device.timeout_s,
            status_timeout=device.status_timeout_s,
        )
    elif device.kind == "escpos-network":
        transport = NetworkTransport(
            device.host,
            device.tcp_port,
            timeout=device.timeout_s,
            status_timeout=device.status_timeout_s,
        )
    elif device.kind == "escpos-usb":
        transport = FileTransport(
            Path(device.port), timeout=device.timeout_s, status_timeout=device.status_timeout_s
        )
    else:
        transport = FileTransport(Path(device.path).expanduser(), timeout=device.timeout_s)
    return EscposReceiptPrinter(
        name,
        transport,
        columns=device.columns,
        code_page=device.code_page,
        profile=device.profile,
        drawer_pin=pin,
        logo=Path(device.logo).expanduser() if device.logo else None,
        check_status=device.check_status,
        drawer_open_when_high=drawer.open_when_high,
    )


def _drawer(settings: Settings, printer: ReceiptPrinter | None) -> CashDrawer:
    from drivers.drawer import (
        PrinterKickedDrawer,
        SerialCashDrawer,
        SimulatedCashDrawer,
        parse_hex,
    )
    from drivers.printer import EscposReceiptPrinter, SimulatedReceiptPrinter
    from omnipos_tui.services.shop.hardware import MisconfiguredDevice

    device = settings.devices.drawer
    if device.kind == "simulated":
        return SimulatedCashDrawer(has_sensor=device.has_sensor)
    if device.kind == "serial":
        status = parse_hex(device.status_command, "devices.drawer.status_command")
        return SerialCashDrawer(
            device.port,
            baudrate=device.baudrate,
            open_command=parse_hex(device.open_command, "devices.drawer.open_command"),
            status_command=status or None,
            open_reply=parse_hex(device.open_reply, "devices.drawer.open_reply"),
            closed_reply=parse_hex(device.closed_reply, "devices.drawer.closed_reply"),
            timeout=device.timeout_s,
        )
    if isinstance(printer, MisconfiguredDevice):
        raise ConfigError(
            "the receipt printer it is kicked through cannot be used; fix [devices.printer] first"
        )
    if not isinstance(printer, EscposReceiptPrinter | SimulatedReceiptPrinter):
        raise ConfigError(
            "the drawer is kicked through the receipt printer, but [devices.printer] kind is 'none'"
        )
    return PrinterKickedDrawer(printer, pin=device.drawer_pin, has_sensor=device.has_sensor)


def _terminal(settings: Settings, confirm: CardConfirm | None) -> CardTerminal:
    from drivers.terminal import (
        ConcertCardTerminal,
        ManualCardTerminal,
        SimulatedCardTerminal,
        parse_script,
    )

    device = settings.devices.terminal
    if device.kind == "concert":
        return ConcertCardTerminal(
            device.port,
            baudrate=device.baudrate,
            bytesize=device.bytesize,
            parity=device.parity,
            pos_number=device.pos_number,
            currency=device.currency,
            ack_timeout=device.ack_timeout_s,
            answer_timeout=device.answer_timeout_s,
            frame_timeout=device.frame_timeout_s,
            max_resends=device.max_resends,
        )
    if device.kind == "manual":
        ask = confirm or _nobody_confirms
        return ManualCardTerminal(lambda r: ask(r.kind.value, r.amount, r.reference))
    try:
        script = parse_script(device.script)
    except InvalidInput as exc:
        raise ConfigError(f"script: {exc}") from exc
    return SimulatedCardTerminal(
        script, silence_seconds=device.silence_s, integrated=device.integrated
    )


def _nobody_confirms(kind: str, amount: Money, reference: str) -> CardResult:
    """A stand-alone terminal with no till dialog to ask: nothing was confirmed."""
    return CardCancelled("Ingen bekreftelse fra kassen")


def _scanner(device: DeviceSettings) -> BarcodeScanner | None:
    from drivers.scanner import EvdevScanner, SimulatedScanner

    if device.kind == "wedge":
        return None
    if device.kind == "simulated":
        return SimulatedScanner(prefix=device.prefix, suffix=device.suffix)
    return EvdevScanner(
        device.by_id or device.device_name,
        layout=device.layout,
        terminators=tuple(device.terminators.split()),
        prefix=device.prefix,
        suffix=device.suffix,
        partial_timeout=device.partial_timeout_s,
        grab=device.grab,
        reopen_interval=device.reopen_interval_s,
    )


def _display(device: DeviceSettings) -> CustomerDisplay:
    from drivers.display import SerialPoleDisplay, SimulatedCustomerDisplay

    if device.kind == "simulated":
        return SimulatedCustomerDisplay(columns=device.columns, code_page=device.code_page)
    return SerialPoleDisplay(
        device.port,
        baudrate=device.baudrate,
        columns=device.columns,
        code_page=device.code_page,
        timeout=device.timeout_s,
    )
