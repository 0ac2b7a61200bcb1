"""``omnipos init``: create the database, company, register and admin (or the demo shop)."""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.output import console, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.company import Company, Register
from omnipos_tui.core.staff import Employee, Role
from omnipos_tui.services.setup import InitResult


def init(
    ctx: typer.Context,
    *,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Create the demo shop: 200+ products, demo staff (PINs shown), customers.",
        ),
    ] = False,
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
    if demo:
        result = app.setup.initialise_demo(register=register)
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
