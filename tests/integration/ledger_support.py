"""A small shop on a real database for the ledger tests: settings, services, products.

Everything goes through the real services built by ``bootstrap.build`` on a real SQLite
file in ``tmp_path`` (or a real PostgreSQL database), with a fixed clock the tests move.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.shop.company import Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.demo import data as demo_data
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.services.sales.results import CompletedSale
from omnipos_tui.settings import (
    AccountingSettings,
    DatabaseSettings,
    PathSettings,
    Settings,
    ShopSettings,
    SigningSettings,
    TillSettings,
)

START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # 09:00 in Oslo

CASHIER, MANAGER, ADMIN = "1", "2", "9"
PINS = {CASHIER: "1234", MANAGER: "9999", ADMIN: "0000"}
CUSTOMER = "20001"

MILK = "7038010009457"  # 21,90, 15 %
BREAD = "7038010001000"  # 39,90, 15 %
COLA = "5449000000996"  # 29,90, 25 %
APPLES = "4011"  # 29,90 per kg, 15 %, PLU
CHARGER = "30001"  # 199,00, 25 %, SKU

GROUPS = [
    ArticleGroup("10", "Mat", "04006"),
    ArticleGroup("20", "Drikke", "04011"),
    ArticleGroup("30", "Elektronikk", "04003"),
]


def products() -> list[Product]:
    """The test shop's products."""
    food, general = rate_by_code("31"), rate_by_code("3")
    return [
        Product("10001", "Tine Lettmelk 1 l", Money(2190), food, "10", barcodes=(MILK,)),
        Product("10002", "Grovbrød", Money(3990), food, "10", barcodes=(BREAD,)),
        Product("20001", "Coca-Cola 0,5 l", Money(2990), general, "20", barcodes=(COLA,)),
        Product(APPLES, "Epler", Money(2990), food, "10", unit=Unit.KG),
        Product(CHARGER, "USB-lader", Money(19900), general, "30"),
    ]


def settings_for(
    data_dir: Path,
    *,
    url: str = "",
    register_id: str = "1",
    algorithm: str = "rsa-sha1",
    till: TillSettings | None = None,
    accounting: AccountingSettings | None = None,
) -> Settings:
    """Settings for a shop in ``data_dir`` (SQLite there unless ``url`` is given)."""
    return Settings(
        shop=ShopSettings(register_id=register_id),
        database=DatabaseSettings(url=url),
        paths=PathSettings(data_dir=str(data_dir)),
        signing=SigningSettings(algorithm=algorithm),
        till=till or TillSettings(),
        accounting=accounting or AccountingSettings(),
    )


def open_shop(
    data_dir: Path,
    *,
    url: str = "",
    register_id: str = "1",
    algorithm: str = "rsa-sha1",
    clock: FixedClock | None = None,
    initialise: bool = True,
    till: TillSettings | None = None,
    new_till: bool = False,
    accounting: AccountingSettings | None = None,
) -> tuple[Services, FixedClock]:
    """Build the services and (by default) initialise the test shop; ``new_till`` (with
    ``initialise=False``) sets up ``register_id`` as another till of the shop first."""
    clock = clock or FixedClock(START)
    settings = settings_for(
        data_dir,
        url=url,
        register_id=register_id,
        algorithm=algorithm,
        till=till,
        accounting=accounting,
    )
    services = build(settings, clock=clock)
    if initialise:
        services.setup.initialise(
            company=demo_data.demo_company(),
            register=Register(register_id, f"Kasse {register_id}"),
            admin=Employee(ADMIN, "Admin Adminsen", Role.ADMIN),
            admin_pin=PINS[ADMIN],
            groups=GROUPS,
            products=products(),
            staff=[
                (Employee(CASHIER, "Kari Nordmann", Role.CASHIER), PINS[CASHIER]),
                (Employee(MANAGER, "Ola Hansen", Role.MANAGER), PINS[MANAGER]),
            ],
            customers=[Customer(CUSTOMER, "Solsiden Frisør AS")],
        )
    elif new_till:
        # Another till on a shared database: set up first (omnipos registers add).
        services.setup.add_register(register_id, f"Kasse {register_id}", actor="setup")
    return services, clock


def tick(clock: FixedClock, seconds: int = 7) -> None:
    """Move the clock on a little, as between two key presses."""
    clock.advance(timedelta(seconds=seconds))


def cash_sale(
    services: Services,
    clock: FixedClock,
    *codes: str,
    register_id: str = "1",
    employee: str = CASHIER,
) -> CompletedSale:
    """Ring up ``codes`` and complete the sale paid with exact cash."""
    sale = opening.resume_or_open(services.sales, register_id, employee)
    for code in codes:
        tick(clock)
        ringing.add_item(services.sales, sale.sale_id, code, employee=employee)
    tick(clock)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=employee)
    return completion.complete(services.sales, sale.sale_id, employee=employee)


def weigh(kg: str) -> Decimal:
    """A weight in kg."""
    return Decimal(kg)


# --- PostgreSQL -----------------------------------------------------------------------


def pg_connect(url: str) -> Any:
    """A raw psycopg2 connection (autocommit) to a test database URL (``pg_url`` from the
    shared conftest: its schema is the connection's search path)."""
    import psycopg2  # type: ignore[import-untyped]  # no stubs installed

    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


# --- older schemas ----------------------------------------------------------------------

UNDO_SCHEMA_6 = (
    "ALTER TABLE journal_event DROP COLUMN chain",
    "ALTER TABLE cash_transaction DROP COLUMN chain",
    "ALTER TABLE transaction_line DROP COLUMN row_hash",
    "ALTER TABLE transaction_payment DROP COLUMN row_hash",
    "ALTER TABLE z_report DROP COLUMN event_chain",
    "ALTER TABLE z_report DROP COLUMN transaction_chain",
    "ALTER TABLE register_state DROP COLUMN event_chain",
    "ALTER TABLE register_state DROP COLUMN transaction_chain",
    "DROP TABLE database_role",
    "DELETE FROM schema_version WHERE version = 6",
)
"""SQL (both engines) that takes a database back to what an OmniPOS before schema 6 left:
no hash chain columns, no role record."""
