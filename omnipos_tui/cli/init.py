"""``omnipos init``: create the database, company, register and admin (or the demo shop)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from typing import Annotated

import typer

from omnipos_tui.bootstrap import build
from omnipos_tui.cli import demo as demo_seed
from omnipos_tui.cli.output import console, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.clock import OSLO, FixedClock, business_day
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.demo.seed import SeedPlan, seed_demo
from omnipos_tui.demo.shop import initialise_demo
from omnipos_tui.services.shop.setup import InitResult
from omnipos_tui.settings import Settings


def init(
    ctx: typer.Context,
    *,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Create the demo shop: 200+ products, demo staff (PINs shown), customers, "
            "and a few days of trading history.",
        ),
    ] = False,
    demo_days: Annotated[
        int,
        typer.Option(
            min=0,
            help="With --demo: days of trading history ending yesterday (0 = none; "
            "add some later with 'omnipos demo seed').",
        ),
    ] = demo_seed.INIT_DAYS,
    company_name: Annotated[str | None, typer.Option(help="Registered company name.")] = None,
    org_number: Annotated[str | None, typer.Option(help="Organisation number (9 digits).")] = None,
    street: Annotated[str | None, typer.Option(help="Street address.")] = None,
    postal_code: Annotated[str | None, typer.Option(help="Postal code (4 digits).")] = None,
    city: Annotated[str | None, typer.Option(help="Postal place.")] = None,
    vat_registered: Annotated[
        bool, typer.Option(help="Registered for VAT (prints MVA after the org.nr.).")
    ] = True,
    register_name: Annotated[
        str | None, typer.Option(help='Name of this till (default "Kasse <register id>").')
    ] = None,
    admin_number: Annotated[str, typer.Option(help="The admin's employee number.")] = "99",
    admin_name: Annotated[str, typer.Option(help="The admin's name.")] = "Administrator",
    admin_pin: Annotated[
        str | None,
        typer.Option(help="The admin's PIN, 4-8 digits (asked for, hidden, when left out)."),
    ] = None,
) -> None:
    """Create the database (migrated), the company, register and an admin employee.

    Refuses to touch a database that is already initialised.
    """
    app = services(ctx)
    register_id = app.settings.shop.register_id
    register = Register(register_id, register_name or f"Kasse {register_id}")
    if demo and demo_days:
        _demo_with_history(app.settings, register, demo_days, app.clock.now())
        return
    if demo:
        result = initialise_demo(app.setup, app.clock, register=register)
        from omnipos_tui.demo.orders import first_orders, recent_orders  # the demo shop only
        from omnipos_tui.demo.stock import set_up_stock

        set_up_stock(app)
        ordering = build(_simulated_carrier(app.settings), clock=app.clock)
        try:
            first_orders(ordering)
            recent_orders(ordering)
        finally:
            ordering.close()
    else:
        company = Company(
            name=company_name or typer.prompt("Company name"),
            org_number=org_number or typer.prompt("Organisation number"),
            street=street or typer.prompt("Street address"),
            postal_code=postal_code or typer.prompt("Postal code"),
            city=city or typer.prompt("City"),
            vat_registered=vat_registered,
        )
        pin = admin_pin or typer.prompt(
            f"PIN for admin {admin_number}", hide_input=True, confirmation_prompt=True
        )
        result = app.setup.initialise(
            company=company,
            register=register,
            admin=Employee(admin_number, admin_name, Role.ADMIN),
            admin_pin=pin,
        )
    _report(result)


def _demo_with_history(settings: Settings, register: Register, days: int, now: datetime) -> None:
    """The demo shop as it was set up ``days`` days ago, traded in since, closed by a Z
    report every evening; today is left open for selling. The services run on a clock
    the seeder moves, so the journal reads in time order."""
    last_day = business_day(now) - timedelta(days=1)
    plan = SeedPlan(
        days=days,
        sales_per_day=demo_seed.INIT_SALES_PER_DAY,
        seed=demo_seed.INIT_SEED,
        last_day=last_day,
        register_id=register.register_id,
    )
    clock = FixedClock(datetime.combine(plan.first_day, time(7, 0), tzinfo=OSLO).astimezone(UTC))
    seeding = build(_simulated_carrier(settings), clock=clock)
    try:
        result = initialise_demo(seeding.setup, clock, register=register)
        from omnipos_tui.demo.orders import first_orders, recent_orders  # the demo shop only
        from omnipos_tui.demo.stock import set_up_stock

        set_up_stock(seeding, clock)
        first_orders(seeding)
        _report(result)
        seeded = seed_demo(seeding, clock, plan)
        recent_orders(seeding)
        # The Z reports' settlement vouchers are booked now, as a till's in-process relay
        # would ([accounting] kind = "file" in the demo): no worker needs to run.
        seeding.outbox.dispatcher.drain()
    finally:
        seeding.close()
    demo_seed.report(seeded)


def _simulated_carrier(settings: Settings) -> Settings:
    """The settings with Bring served by the simulated carrier: the demo's parcels get
    realistic events from their booking time on, without the network."""
    return replace(settings, carriers=replace(settings.carriers, bring="simulated"))


def _report(result: InitResult) -> None:
    out = console()
    company = result.company
    out.print(f"Created {company.name} ({company.org_line}) in {result.location}")
    out.print(f"  register {result.register.register_id} ({result.register.name})")
    out.print(
        f"  {result.groups} article groups, {result.products} products, "
        f"{result.customers} customers"
    )
    out.print(f"  admin: employee {result.admin.number} ({result.admin.name})")
    if result.signing_key:
        out.print(f"  signing key: {result.signing_key}")
    if result.staff:
        table(
            "Demo staff (log in at the till with number and PIN)",
            ("Number", "Name", "Role", "PIN"),
            ([e.number, e.name, e.role.value, pin] for e, pin in result.staff),
        )
