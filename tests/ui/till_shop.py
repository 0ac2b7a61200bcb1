"""A shop on a real SQLite file with simulated devices, and the real till built by
``ui.wiring.build_till``, for the till flow tests (selling, paying, devices, recovery).

The card terminal can be the scripted simulator (``script="decline"``, ``"silence"``) or a
stand-alone terminal whose answer the test gives through a :class:`HeldTerminal`, so the
card modal stays in "waiting" until the test lets go.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from drivers.drawer import SimulatedCashDrawer
from drivers.printer import SimulatedReceiptPrinter
from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardResult, Scan
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.device_settings import DevicesSettings, device
from omnipos_tui.settings import DatabaseSettings, PathSettings, Settings, SigningSettings
from omnipos_tui.ui.app import OmniposTill
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.wiring import Till, build_till

START = datetime(2026, 11, 27, 13, 32, tzinfo=UTC)  # 14:32 in Oslo
CASHIER, CASHIER_PIN = "1", "1234"
MANAGER, MANAGER_PIN = "2", "9999"
MILK = "7038010009457"  # 21,90 (15 %)
COLA = "5449000000996"  # 29,90 (25 %)
COFFEE = "7041011050148"  # 59,90 (15 %)
KAKAO_PLU = "10003"  # 44,90, no barcode
APPLES_PER_KG = Money(3990)
APPLES_456_G = "2300123004564"  # in-store weight code: article 00123, 456 g


class HeldTerminal:
    """A stand-alone terminal's confirmation that waits until the test answers."""

    def __init__(self, *, patience: float = 30.0) -> None:
        self._patience = patience
        self._answer: CardResult | None = None
        self._given = threading.Event()
        self.asked = threading.Event()
        self.calls: list[tuple[str, Money, str]] = []

    def confirm(self, kind: str, amount: Money, reference: str) -> CardResult:
        """Called by the terminal driver in the till's worker thread."""
        self.calls.append((kind, amount, reference))
        self.asked.set()
        if not self._given.wait(timeout=self._patience):
            return CardCancelled("the test gave no answer")
        self._given.clear()
        assert self._answer is not None
        return self._answer

    def answer(self, result: CardResult) -> None:
        """Let the waiting payment go with ``result``."""
        self._answer = result
        self._given.set()

    def approve(self, amount: Money) -> None:
        """Approve the waiting payment."""
        self.answer(CardApproved(amount, transaction_id="T-1", masked_card="************1234"))


def shop_settings(
    data_dir: Path,
    *,
    terminal: str = "simulated",
    script: str = "",
    drawer_close_s: float = 3.0,
    url: str = "",
) -> Settings:
    """Every device simulated (or a stand-alone terminal, or a Concert V2 terminal on the
    port ``terminal`` names as ``"concert:/dev/pts/N"``), HMAC signing, SQLite; the
    simulated drawer shuts itself ``drawer_close_s`` after each opening."""
    if terminal == "manual":
        term = device("terminal", "manual")
    elif terminal.startswith("concert:"):
        term = device(
            "terminal",
            "concert",
            port=terminal.removeprefix("concert:"),
            ack_timeout_s=1.0,
            answer_timeout_s=5.0,
            frame_timeout_s=1.0,
        )
    else:
        term = device("terminal", "simulated", script=script)
    return Settings(
        database=DatabaseSettings(url=url),
        paths=PathSettings(data_dir=str(data_dir)),
        signing=SigningSettings(algorithm="hmac-sha1"),
        devices=DevicesSettings(
            printer=device("printer", "simulated"),
            drawer=device("drawer", "simulated", auto_close_s=drawer_close_s),
            terminal=term,
            scanner=device("scanner", "simulated"),
            display=device("display", "simulated"),
        ),
    )


def open_shop(
    data_dir: Path,
    *,
    terminal: str = "simulated",
    script: str = "",
    held: HeldTerminal | None = None,
    initialise: bool = True,
    drawer_close_s: float = 3.0,
    url: str = "",
) -> Services:
    """The services of a small shop in ``data_dir`` (created unless ``initialise`` is False;
    on the PostgreSQL database at ``url`` when given)."""
    settings = shop_settings(
        data_dir, terminal=terminal, script=script, drawer_close_s=drawer_close_s, url=url
    )
    services = build(
        settings,
        clock=FixedClock(START),
        confirm_card=held.confirm if held is not None else None,
    )
    if not initialise:
        return services
    food, general = rate_by_code("31"), rate_by_code("3")
    services.setup.initialise(
        company=Company("Testbutikken AS", "923609016", "Storgata 1", "0155", "Oslo"),
        register=Register("1", "Kasse 1"),
        admin=Employee("9", "Admin Adminsen", Role.ADMIN),
        admin_pin="0000",
        groups=(ArticleGroup("10", "Mat", "04006"), ArticleGroup("20", "Drikke", "04011")),
        products=[
            Product("10001", "Tine Lettmelk 1 l", Money(2190), food, "10", barcodes=(MILK,)),
            Product("20001", "Coca-Cola 0,5 l", Money(2990), general, "20", barcodes=(COLA,)),
            Product("10002", "Kaffe Evergood 250 g", Money(5990), food, "10", barcodes=(COFFEE,)),
            Product(KAKAO_PLU, "Kakao Regia 500 g", Money(4490), food, "10"),
            Product("123", "Epler røde", APPLES_PER_KG, food, "10", unit=Unit.KG),
        ],
        staff=[
            (Employee(CASHIER, "Kari Nordmann", Role.CASHIER), CASHIER_PIN),
            (Employee(MANAGER, "Ola Hansen", Role.MANAGER), MANAGER_PIN),
        ],
        customers=[],
    )
    return services


def make_till(services: Services, *, debounce_s: float | None = None) -> Till:
    """The real till; device readings once at start and then only when a test asks."""
    return build_till(services, poll_interval=0, debounce_s=debounce_s)


async def log_in(pilot: Pilot[None], number: str = CASHIER, pin: str = CASHIER_PIN) -> SaleScreen:
    """Type the number and PIN; wait for the sale screen."""
    await pilot.press(*number, "enter", *pin, "enter")
    for _ in range(200):
        await settle(pilot)
        assert isinstance(pilot.app, OmniposTill)
        sale = pilot.app.sale_screen
        if sale is not None:
            return sale
        await pilot.pause(0.01)
    raise AssertionError(f"no sale screen after log-in; on screen: {pilot.app.screen!r}")


async def scan(pilot: Pilot[None], code: str) -> None:
    """A scan through the scanner channel (as the scanner worker delivers it)."""
    till = pilot.app
    assert isinstance(till, OmniposTill)
    till.deliver_scan(Scan(code, time.monotonic()))
    await pilot.pause()


async def type_code(pilot: Pilot[None], text: str) -> None:
    """Type digits on the keyboard (no Enter)."""
    await pilot.press(*text)


async def settle(pilot: Pilot[None]) -> None:
    """Let workers (log-in, card payments, paper, device readings) finish and the screen
    catch up; the scanner channel runs for as long as the till, so it is not waited for."""
    for _ in range(3):
        for worker in list(pilot.app.workers):
            if worker.group != "scanner" and not worker.is_finished:
                await worker.wait()
        await pilot.pause()


def top(pilot: Pilot[None]) -> object:
    """The screen on top (typed loosely, so a test can compare it after an isinstance)."""
    screen: object = pilot.app.screen
    return screen


def receipt_printer(services: Services) -> SimulatedReceiptPrinter:
    """The simulated receipt printer of the shop."""
    printer = services.devices().printers["receipt"]
    assert isinstance(printer, SimulatedReceiptPrinter)
    return printer


def drawer(services: Services) -> SimulatedCashDrawer:
    """The simulated cash drawer of the shop."""
    found = services.devices().drawer
    assert isinstance(found, SimulatedCashDrawer)
    return found


def open_sale(till: Till) -> Sale:
    """The sale on screen as stored."""
    return till.session.sale()
