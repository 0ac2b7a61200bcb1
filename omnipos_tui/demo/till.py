"""The demo seeder's till: the clock it moves, and ringing up, paying and completing
through the real sale service (see ``services/demo_seed.py``)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.clock import OSLO, Clock, FixedClock
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind, TransactionKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardDeclined
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.tender import cash_due
from omnipos_tui.services.catalogue.service import CatalogueService
from omnipos_tui.services.customers.service import CustomerService
from omnipos_tui.services.ledger.journal import JournalService
from omnipos_tui.services.reports.service import ReportService
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.register import RegisterService
from omnipos_tui.services.shop.setup import SetupService
from omnipos_tui.services.staff.service import StaffService
from omnipos_tui.services.stock.documents import StockDocumentService
from omnipos_tui.services.stock.purchasing import PurchaseService
from omnipos_tui.services.stock.service import StockService
from omnipos_tui.services.stock.suppliers import SupplierService

OPENS = time(8, 0)
CLOSES = time(21, 0)
_NOTES = (50, 100, 200, 500, 1000)


class SeedServices(Protocol):
    """The services the seeder drives (``bootstrap.Services`` has them all)."""

    @property
    def sales(self) -> SaleDeps: ...
    @property
    def register(self) -> RegisterService: ...
    @property
    def reports(self) -> ReportService: ...
    @property
    def staff(self) -> StaffService: ...
    @property
    def catalogue(self) -> CatalogueService: ...
    @property
    def customers(self) -> CustomerService: ...
    @property
    def journal(self) -> JournalService: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def stock(self) -> StockService: ...
    @property
    def suppliers(self) -> SupplierService: ...
    @property
    def purchasing(self) -> PurchaseService: ...
    @property
    def stock_documents(self) -> StockDocumentService: ...
    @property
    def setup(self) -> SetupService: ...


@dataclass
class DemoShop:
    """What stays the same over the seeded days.

    Attributes:
        services: The real services, built with ``clock``.
        clock: The clock the seeder moves.
        rng: The one source of chance (seeded).
        register_id: The register traded at.
        products: Active products to sell.
        customers: Customer numbers for credit sales.
        cashiers: (number, PIN) of the cashiers, first on duty first.
        manager: (number, PIN) of the manager who approves and closes the day.
        counts: How often each kind of thing happened.
        receipts: Real completed sales receipts that can be returned.
    """

    services: SeedServices
    clock: FixedClock
    rng: random.Random
    register_id: str
    products: list[Product]
    customers: list[str]
    cashiers: list[tuple[str, str]]
    manager: tuple[str, str]
    counts: Counter[str] = field(default_factory=Counter)
    receipts: list[str] = field(default_factory=list)

    def bump(self, what: str) -> None:
        """Count one more ``what``."""
        self.counts[what] += 1


def at(day: date, moment: time) -> datetime:
    """An Oslo wall-clock time on a day (aware)."""
    return datetime.combine(day, moment, tzinfo=OSLO)


class DemoTill:
    """One day at the till: the clock and the steps every customer goes through."""

    def __init__(self, shop: DemoShop, day: date) -> None:
        self.shop = shop
        self.s = shop.services
        self.clock = shop.clock
        self.rng = shop.rng
        self.day = day
        self.products = shop.products
        self.pieces = [p for p in shop.products if p.unit is Unit.PIECE]
        self.customers = shop.customers
        self.receipts = shop.receipts
        self.register = shop.register_id
        self.employee = shop.cashiers[0][0]
        self.manager = shop.manager[0]
        self.slot_end = at(day, OPENS)
        self.serial = 0

    def _set(self, moment: datetime) -> None:
        self.clock.current = max(self.clock.current, moment.astimezone(self.clock.current.tzinfo))

    def _tick(self, low: int = 2, high: int = 9) -> None:
        """A few seconds pass, never beyond the current customer's time slot."""
        step = timedelta(seconds=self.rng.randint(low, high))
        limit = self.slot_end - timedelta(seconds=1)
        self._set(min(self.clock.current + step, max(limit, self.clock.current)))

    def _ring(self, sale: Sale, count: int) -> None:
        for _ in range(count):
            product = self.rng.choice(self.products)
            quantity: Decimal | None = None
            if product.unit is Unit.KG:
                quantity = Decimal(self.rng.randint(150, 1500)) / 1000
            elif self.rng.random() < 0.15:
                quantity = Decimal(self.rng.randint(2, 4))
            ringing.add_item(
                self.s.sales,
                sale.sale_id,
                self._code(product),
                quantity=quantity,
                employee=self.employee,
            )
            self._tick()

    def _pay(self, sale_id: str, tender: str | None = None) -> None:
        """Settle what remains: refunds go back the way asked (card or cash)."""
        s, rng, employee = self.s, self.rng, self.employee
        remaining = opening.current(s.sales, sale_id).remaining()
        if remaining.ore == 0:
            return
        if tender is None:
            roll = rng.random()
            tender = (
                "cash" if roll < 0.40
                else "card" if roll < 0.75
                else "vipps" if roll < 0.87
                else "split" if roll < 0.95
                else "declined"
            )  # fmt: skip
        if remaining.ore < 0 and tender not in ("card", "cash"):
            tender = "cash"
        if tender == "card":
            self._card(sale_id, remaining)
        elif tender == "vipps":
            payments.pay(
                s.sales,
                sale_id,
                TenderKind.MOBILE,
                None,
                employee=employee,
                reference=self._id("V"),
            )
            self.shop.bump("vipps")
        elif tender == "split" and remaining.ore >= 10_000:
            part = Money(remaining.ore // 2 // 100 * 100)
            self._card(sale_id, part)
            self._cash(sale_id)
            self.shop.bump("split")
        elif tender == "declined":
            pending = payments.begin_card_payment(s.sales, sale_id, remaining, employee=employee)
            self._tick(5, 15)
            payments.finish_card_payment(
                s.sales, pending.reference, CardDeclined("Avvist av kortutsteder")
            )
            self._cash(sale_id)
            self.shop.bump("declined")
        else:
            self._cash(sale_id)
        self._tick()

    def _card(self, sale_id: str, amount: Money) -> None:
        refund = amount.ore < 0
        pending = payments.begin_card_payment(
            self.s.sales, sale_id, abs(amount), employee=self.employee, refund=refund
        )
        self._tick(5, 15)
        # Now and then the customer adds a tip on the terminal: it approves more than it
        # was sent, and the difference is recorded as the cashier's tip.
        tip = Money.zero()
        if not refund and self.rng.random() < 0.2:
            tip = Money(self.rng.choice((500, 1000, 2000, 3000)))
        approved = CardApproved(
            amount=abs(amount) + tip,
            transaction_id=self._id("T"),
            masked_card=f"************{self.rng.randint(0, 9999):04d}",
            tip=tip,
        )
        payments.finish_card_payment(self.s.sales, pending.reference, approved)
        self.shop.bump("card_refund" if refund else "card")
        if tip.ore:
            self.shop.bump("tip")

    def _cash(self, sale_id: str) -> None:
        remaining = opening.current(self.s.sales, sale_id).remaining()
        due = cash_due(remaining)
        handed: Money | None = None
        if due.ore > 0 and self.rng.random() < 0.6:
            note = next((Money.kroner(n) for n in _NOTES if Money.kroner(n) >= due), None)
            handed = note
        payments.pay(self.s.sales, sale_id, TenderKind.CASH, handed, employee=self.employee)
        self.shop.bump("cash")

    def _complete(self, sale_id: str, *, training: bool = False) -> str:
        done = completion.complete(self.s.sales, sale_id, employee=self.employee)
        tx = done.transaction
        if tx.kind is TransactionKind.SALE and not training and not tx.voided:
            self.receipts.append(done.receipt_id)
        self._tick()
        return done.receipt_id

    @staticmethod
    def _items(sale: Sale) -> list[tuple[int, Decimal]]:
        """Item lines still there, with their quantities."""
        return [
            (line.line_no, sale.quantity_of(line.line_no))
            for line in sale.entries
            if line.kind is LineKind.ITEM and sale.quantity_of(line.line_no) > 0
        ]

    def _code(self, product: Product) -> str:
        if product.barcodes and self.rng.random() < 0.9:
            return product.barcodes[0]
        return product.sku

    def _id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.day:%y%m%d}{self.serial:05d}"
