"""``omnipos customers``: add, edit, deactivate, activate, list, search, show."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.order_json import history_json
from omnipos_tui.cli.order_output import print_customer
from omnipos_tui.cli.output import (
    CUSTOMER_COLUMNS,
    console,
    customer_json,
    customer_row,
    print_json,
    table,
)
from omnipos_tui.cli.state import services
from omnipos_tui.core.clock import business_day
from omnipos_tui.core.customers.customer import Customer

app = typer.Typer(no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


@app.command("add")
def add_customer(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Person or business name.")],
    *,
    number: Annotated[str, typer.Option(help="Customer number (default: the next free).")] = "",
    phone: Annotated[str, typer.Option(help="Phone number.")] = "",
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    org_number: Annotated[str, typer.Option(help="Organisation number (businesses).")] = "",
    street: Annotated[str, typer.Option(help="Street address.")] = "",
    postal_code: Annotated[str, typer.Option(help="Postal code.")] = "",
    city: Annotated[str, typer.Option(help="Postal place.")] = "",
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Register a customer (any employee)."""
    me = who(ctx, employee, pin)
    customer = services(ctx).customers.add(
        Customer(number, name, phone, email, org_number, street, postal_code, city),
        actor=me.number,
    )
    if as_json:
        print_json(customer_json(customer))
        return
    console().print(f"Added customer {customer.number} {customer.name}")


@app.command("edit")
def edit_customer(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Customer number.")],
    *,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    phone: Annotated[str | None, typer.Option(help="New phone number ('' clears it).")] = None,
    email: Annotated[str | None, typer.Option(help="New e-mail address ('' clears it).")] = None,
    org_number: Annotated[str | None, typer.Option(help="New organisation number.")] = None,
    street: Annotated[str | None, typer.Option(help="New street address.")] = None,
    postal_code: Annotated[str | None, typer.Option(help="New postal code.")] = None,
    city: Annotated[str | None, typer.Option(help="New postal place.")] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a customer's name, contact details or address (any employee); with a web
    shop the change goes to the shop too."""
    me = who(ctx, employee, pin)
    register = services(ctx).customers
    old = register.get(number)
    wanted: dict[str, Any] = {  # text fields only (replace() also sees ``active``)
        "name": name,
        "phone": phone,
        "email": email,
        "org_number": org_number,
        "street": street,
        "postal_code": postal_code,
        "city": city,
    }
    customer = register.update(
        dataclasses.replace(old, **{k: v for k, v in wanted.items() if v is not None}),
        actor=me.number,
    )
    if as_json:
        print_json(customer_json(customer))
        return
    console().print(f"Changed customer {customer.number} {customer.name}")


@app.command("deactivate")
def deactivate_customer(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Customer number.")],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Deactivate a customer (manager): kept for history, the books and SAF-T, but no
    longer found by a search nor put on a new sale or order; journaled (13021)."""
    me = who(ctx, employee, pin, role=Role.MANAGER)
    customer = services(ctx).customers.set_active(number, False, actor=me.number)
    console().print(f"Deactivated customer {customer.number} {customer.name}")


@app.command("activate")
def activate_customer(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Customer number.")],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Activate a deactivated customer again (manager; journaled, 13021)."""
    me = who(ctx, employee, pin, role=Role.MANAGER)
    customer = services(ctx).customers.set_active(number, True, actor=me.number)
    console().print(f"Activated customer {customer.number} {customer.name}")


@app.command("list")
def list_customers(
    ctx: typer.Context,
    include_inactive: Annotated[
        bool, typer.Option("--all", help="Include deactivated customers.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List the customers by number (--all: the deactivated ones too)."""
    found = services(ctx).customers.list_customers(include_inactive=include_inactive)
    if as_json:
        print_json([customer_json(c) for c in found])
        return
    table("Customers", CUSTOMER_COLUMNS, (customer_row(c) for c in found))


@app.command("search")
def search_customers(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words in the number, name, phone or e-mail.")],
    limit: Annotated[int, typer.Option(min=1, help="Most customers to show.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Find customers by number, name, phone or e-mail."""
    found = services(ctx).customers.search(text, limit=limit)
    if as_json:
        print_json([customer_json(c) for c in found])
        return
    table(f"Customers matching {text!r}", CUSTOMER_COLUMNS, (customer_row(c) for c in found))


@app.command("show")
def show_customer(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Customer number.")],
    as_json: JsonFlag = False,
) -> None:
    """Show one customer with their orders and purchases."""
    history = services(ctx).orders.customer_history(number)
    today = business_day(services(ctx).clock.now())
    if as_json:
        print_json({**customer_json(history.customer), **history_json(history, today)})
        return
    customer = history.customer
    table(
        customer.name,
        ("Field", "Value"),
        zip(CUSTOMER_COLUMNS, customer_row(customer), strict=True),
    )
    print_customer(history, today)
