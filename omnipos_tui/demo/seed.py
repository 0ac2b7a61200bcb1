"""Realistic days of trading for the demo shop, run through the REAL services.

:func:`seed_demo` drives the sale, register and report services with a clock it moves
through each trading day (a :class:`~omnipos_tui.core.clock.FixedClock`) and a
``random.Random(seed)``: opening float, log-ins and a shift change, ``M`` customers a day
paying cash, card (simulated approved terminal results), Vipps or split, some declined
cards, line and sale discounts (a manager approves the large ones), price overrides, line
voids and reductions, returns with and without receipt, sales with returns, park and
resume, pro forma receipts and copies, credit sales with delivery receipts, voided sales,
drawer openings without sale, price look-ups, a little training, a cash withdrawal -- and
an X and a Z report (with counted cash) closing each day.

Everything is numbered, signed and journaled exactly as at a real till. The same seed on
the same catalogue, staff, key and days gives the same transactions and signatures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from omnipos_tui.core.clock import OSLO, FixedClock
from omnipos_tui.core.errors import AuthenticationError, InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.shop.company import checked_register_id
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.demo.data import demo_staff
from omnipos_tui.demo.stock import morning_deliveries
from omnipos_tui.demo.till import DemoShop, SeedServices
from omnipos_tui.demo.trading import TradingDay

__all__ = ["SeedPlan", "SeedResult", "SeedServices", "seed_demo"]

MAX_DAYS = 366
MAX_SALES_PER_DAY = 20_000


@dataclass(frozen=True, slots=True)
class SeedPlan:
    """What to seed.

    Attributes:
        days: Trading days, one after the other.
        sales_per_day: Customers served a day (each a sale, return, void...).
        seed: The random seed: the same seed gives the same history.
        last_day: The last trading day (the first is ``days - 1`` days before it).
        register_id: The register to trade at.
    """

    days: int
    sales_per_day: int
    seed: int
    last_day: date
    register_id: str = "1"

    @property
    def first_day(self) -> date:
        """The first trading day."""
        return self.last_day - timedelta(days=self.days - 1)


@dataclass(frozen=True, slots=True)
class SeedResult:
    """What the seeder did.

    Attributes:
        first_day: First trading day.
        last_day: Last trading day.
        transactions: Signed transactions made (all kinds, training included).
        counts: How often each kind of thing happened ("card", "return", "void_sale"...).
    """

    first_day: date
    last_day: date
    transactions: int
    counts: dict[str, int] = field(default_factory=dict)


def seed_demo(services: SeedServices, clock: FixedClock, plan: SeedPlan) -> SeedResult:
    """Trade ``plan.days`` days at ``plan.register_id``, each closed by a Z report.

    ``clock`` must be the clock the services were built with; it is moved through the
    days (Oslo opening hours 08-21) and left after the last Z report.

    Raises:
        InvalidInput: Days or sales per day out of range.
        RuleViolation: The register has transactions already, or the demo staff (see
            ``demo_data.demo_staff``) is missing or has other PINs.
        NotFound: The catalogue has no products.
    """
    if not 1 <= plan.days <= MAX_DAYS:
        raise InvalidInput(f"--days must be 1-{MAX_DAYS}, got {plan.days}")
    if not 1 <= plan.sales_per_day <= MAX_SALES_PER_DAY:
        raise InvalidInput(
            f"--sales-per-day must be 1-{MAX_SALES_PER_DAY}, got {plan.sales_per_day}"
        )
    register_id = checked_register_id(plan.register_id)
    known = register_id in {r.register_id for r in services.setup.registers()}
    if known and next(iter(services.journal.transactions(register_id)), None) is not None:
        raise RuleViolation(
            f"register {plan.register_id} has transactions already: demo seed writes the "
            "history of a new demo shop (start again with a new data directory)"
        )
    people = demo_staff()
    manager = next((e.number, pin) for e, pin in people if e.role is Role.MANAGER)
    try:
        services.staff.approve(*manager)
    except (AuthenticationError, NotFound):
        raise RuleViolation(
            "demo seed needs the demo shop's staff and PINs: run 'omnipos init --demo'"
        ) from None
    products = [p for p in services.catalogue.list_products(limit=1000) if p.active]
    if not products:
        raise NotFound("the catalogue has no products: run 'omnipos init --demo' first")
    if not known:
        services.setup.add_register(register_id, f"Kasse {register_id}", actor="demo")
    shop = DemoShop(
        services=services,
        clock=clock,
        rng=random.Random(plan.seed),
        register_id=plan.register_id,
        products=products,
        customers=[c.number for c in services.customers.list_customers() if c.org_number],
        cashiers=[(e.number, pin) for e, pin in people if e.role is Role.CASHIER],
        manager=manager,
    )
    for offset in range(plan.days):
        day = plan.first_day + timedelta(days=offset)
        clock.current = datetime.combine(day, time(7, 0), OSLO).astimezone(UTC)
        morning_deliveries(services, clock)  # stock keeps moving with the sales
        TradingDay(shop, day).trade(plan.sales_per_day)
    return SeedResult(
        first_day=plan.first_day,
        last_day=plan.last_day,
        transactions=sum(1 for _ in services.journal.transactions(plan.register_id)),
        counts=dict(sorted(shop.counts.items())),
    )
