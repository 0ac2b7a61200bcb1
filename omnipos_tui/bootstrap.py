"""The composition root: settings -> storage -> (drivers) -> services.

The one module that picks concrete implementations. The CLI and the till call
:func:`build` and use the :class:`Services` it returns; they never import storage, peewee or
drivers themselves. Devices are wired here too (by the drivers' issue), from
``settings.devices``.
"""

from __future__ import annotations

from dataclasses import dataclass

from omnipos_tui.core.clock import Clock, SystemClock
from omnipos_tui.core.repositories import DatabaseAdmin, UnitOfWorkFactory
from omnipos_tui.services.catalogue import CatalogueService
from omnipos_tui.services.customers import CustomerService
from omnipos_tui.services.setup import SetupService, SigningKeyHook
from omnipos_tui.services.staff import StaffService
from omnipos_tui.settings import Settings
from omnipos_tui.storage.store import Store


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
    """

    settings: Settings
    clock: Clock
    database: DatabaseAdmin
    units: UnitOfWorkFactory
    catalogue: CatalogueService
    staff: StaffService
    customers: CustomerService
    setup: SetupService
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
    store = Store(settings.database_url, clock)
    units: UnitOfWorkFactory = store.unit_of_work
    return Services(
        settings=settings,
        clock=clock,
        database=store,
        units=units,
        catalogue=CatalogueService(units, clock),
        staff=StaffService(units, clock),
        customers=CustomerService(units, clock),
        setup=SetupService(units, store, clock, create_signing_key=signing_key_hook(settings)),
        _store=store,
    )


def signing_key_hook(settings: Settings) -> SigningKeyHook | None:
    """What creates the signing key during ``omnipos init``.

    None until the sales issue wires the key store (``storage/signing_keys.py``) here:
    create key version 1 for ``settings.signing.algorithm`` in ``settings.data_dir`` and
    return a one-line description of it.
    """
    return None
