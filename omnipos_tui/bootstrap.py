"""The composition root: settings -> storage -> (drivers) -> services.

The one module that picks concrete implementations. The CLI and the till call
:func:`build` and use the :class:`Services` it returns; they never import storage, peewee or
drivers themselves. Devices are wired here too (by the drivers' issue), from
``settings.devices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from omnipos_tui import __version__
from omnipos_tui.core.clock import Clock, SystemClock
from omnipos_tui.core.repositories import DatabaseAdmin, UnitOfWorkFactory
from omnipos_tui.exports.saft import (
    ArticleEntry,
    EmployeeEntry,
    ExportSummary,
    export_saft_file,
    write_saft,
)
from omnipos_tui.services.catalogue import CatalogueService
from omnipos_tui.services.customers import CustomerService
from omnipos_tui.services.export import ExportService, SaftSource, WrittenCounts
from omnipos_tui.services.journal import JournalService
from omnipos_tui.services.keys import KeyService
from omnipos_tui.services.register import RegisterService
from omnipos_tui.services.reports import ReportService
from omnipos_tui.services.sales import SaleService
from omnipos_tui.services.setup import SetupService, SigningKeyHook
from omnipos_tui.services.staff import StaffService
from omnipos_tui.settings import Settings
from omnipos_tui.storage.signing_keys import KeyAlgorithm, KeyStore
from omnipos_tui.storage.store import Store

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
        sales: Ringing up, paying, parking, completing sales; receipts.
        register: Start/stop, log-in, drawer, cash in/out, float, training, status.
        reports: X and Z reports.
        journal: The journal and transactions read back; chain verification; exports.
        keys: Signing keys (public key, rotation).
        export: The SAF-T Cash Register export.
    """

    settings: Settings
    clock: Clock
    database: DatabaseAdmin
    units: UnitOfWorkFactory
    catalogue: CatalogueService
    staff: StaffService
    customers: CustomerService
    setup: SetupService
    sales: SaleService
    register: RegisterService
    reports: ReportService
    journal: JournalService
    keys: KeyService
    export: ExportService
    _store: Store

    def close(self) -> None:
        """Close the database connection of this thread."""
        self._store.close()


def build(settings: Settings, *, clock: Clock | None = None) -> Services:
    """Build the services for a configuration.

    Nothing is opened yet: the database connects on first use, so ``omnipos config show``
    works even when the database is unreachable.

    Args:
        settings: The effective configuration.
        clock: The clock (the system clock unless a test or the demo seeder fixes one).

    Raises:
        StorageError: The database URL cannot be used.
    """
    clock = clock or SystemClock()
    store = Store(settings.database_url, clock, register_id=settings.shop.register_id)
    units: UnitOfWorkFactory = store.unit_of_work
    keys = KeyStore(settings.data_dir)
    staff = StaffService(units, clock)
    till = settings.till
    journal = JournalService(units, clock, keys.verifier)
    return Services(
        settings=settings,
        clock=clock,
        database=store,
        units=units,
        catalogue=CatalogueService(units, clock),
        staff=staff,
        customers=CustomerService(units, clock),
        setup=SetupService(units, store, clock, create_signing_key=signing_key_hook(settings)),
        sales=SaleService(
            units,
            clock,
            keys.current,
            merge_identical_scans=till.merge_identical_scans,
            discount_limit_percent=Decimal(till.discount_limit_percent),
            receipt_columns=settings.devices.printer.columns,
            drawer_in_training=till.drawer_in_training,
        ),
        register=RegisterService(
            units,
            clock,
            keys.current,
            staff,
            no_sale_requires_manager=till.no_sale_requires_manager,
        ),
        reports=ReportService(units, clock),
        journal=journal,
        keys=KeyService(keys, units, clock),
        export=ExportService(units, clock, journal, write_saft_file),
        _store=store,
    )


def signing_key_hook(settings: Settings) -> SigningKeyHook | None:
    """What creates the signing key during ``omnipos init``: key version 1 for
    ``settings.signing.algorithm`` in ``settings.data_dir``, described in one line.

    An installation that has keys already (a database initialised again in the same data
    directory) keeps them: the chain goes on with the current key.
    """
    algorithm = _ALGORITHMS[settings.signing.algorithm]

    def create() -> str:
        keys = KeyStore(settings.data_dir)
        signer = keys.current() if keys.versions() else keys.create(algorithm)
        return f"{signer.algorithm} key version {signer.key_version} in {keys.keys_dir}"

    return create


def write_saft_file(target: Path, source: SaftSource) -> WrittenCounts:
    """The export service's file writer: ``omnipos_tui.exports.saft`` into a temporary file
    beside ``target``, renamed into place only when complete."""

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
        )

    summary = export_saft_file(target, write)
    return WrittenCounts(summary.registers, summary.events, summary.transactions)
