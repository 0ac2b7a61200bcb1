"""A small shop on a real SQLite file and the real till built by ``ui.wiring.build_till``,
for the dialog tests: every device simulated, HMAC signing (fast), a fixed clock.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.device_settings import DevicesSettings, device
from omnipos_tui.settings import (
    DatabaseSettings,
    PathSettings,
    Settings,
    SigningSettings,
    TillSettings,
)
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.wiring import Till, build_till

START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # 13:00 in Oslo
CASHIER, CASHIER_PIN = "1", "1234"
MANAGER, MANAGER_PIN = "2", "9999"
MILK = "7038010009457"  # 21,90
COLA = "5449000000996"  # 29,90
COFFEE = "7041011050148"  # 59,90
GROUPS = (
    ArticleGroup("10", "Mat", "04006"),
    ArticleGroup("20", "Drikke", "04011"),
    ArticleGroup("30", "Diverse", "04003"),
)


def _products() -> list[Product]:
    food, general = rate_by_code("31"), rate_by_code("3")
    return [
        Product("10001", "Tine Lettmelk 1 l", Money(2190), food, "10", barcodes=(MILK,)),
        Product("20001", "Coca-Cola 0,5 l", Money(2990), general, "20", barcodes=(COLA,)),
        Product("10002", "Kaffe Evergood 250 g", Money(5990), food, "10", barcodes=(COFFEE,)),
        Product("10003", "Kakao Regia 500 g", Money(4490), food, "10"),
    ]


def open_shop(data_dir: Path, *, till: TillSettings | None = None) -> Services:
    """The services of an initialised shop with simulated devices (``till``: other
    ``[till]`` settings than the defaults)."""
    settings = Settings(
        till=till if till is not None else TillSettings(),
        database=DatabaseSettings(url=""),
        paths=PathSettings(data_dir=str(data_dir)),
        signing=SigningSettings(algorithm="hmac-sha1"),
        devices=DevicesSettings(
            printer=device("printer", "simulated"),
            drawer=device("drawer", "simulated"),
            terminal=device("terminal", "simulated"),
            scanner=device("scanner", "none"),
            display=device("display", "none"),
        ),
    )
    services = build(settings, clock=FixedClock(START))
    services.setup.initialise(
        company=Company("Testbutikken AS", "923609016", "Storgata 1", "0155", "Oslo"),
        register=Register("1", "Kasse 1"),
        admin=Employee("9", "Admin Adminsen", Role.ADMIN),
        admin_pin="0000",
        groups=GROUPS,
        products=_products(),
        staff=[
            (Employee(CASHIER, "Kari Nordmann", Role.CASHIER), CASHIER_PIN),
            (Employee(MANAGER, "Ola Hansen", Role.MANAGER), MANAGER_PIN),
        ],
        customers=[Customer("20001", "Solsiden Frisør AS", phone="22334455")],
    )
    return services


def till_for(services: Services) -> Till:
    """The real till on ``services`` (no device polling, no debounce)."""
    return build_till(services, poll_interval=0, debounce_s=0)


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def log_in(pilot: Pilot[None], number: str = CASHIER, pin: str = CASHIER_PIN) -> None:
    """Log in at the lock screen and wait for the sale screen."""
    await pilot.press(*number, "enter", *pin, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SaleScreen), type(pilot.app.screen).__name__


async def type_keys(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` one key at a time (digits, letters, spaces)."""
    keys = ["space" if c == " " else c for c in text]
    await pilot.press(*keys)
    await settle(pilot)


def events(services: Services, code: EventCode) -> list[JournalEvent]:
    """The register's journal events of one kind, oldest first."""
    return list(services.journal.events("1", codes=[code]))


def scan(code: str) -> Scan:
    """A scan from the scanner port, now."""
    return Scan(code, time.monotonic())
