"""``omnipos employees``: add, list, set-pin, edit (name, role), disable, enable.

Changes need an admin at the keyboard (``--employee N`` and their PIN, :mod:`.auth`); the
admin's number is journaled with the change. New PINs are asked for with hidden input
(twice); ``--new-pin`` exists for scripts but leaves the PIN in the shell history, so
prefer the prompt.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, who
from omnipos_tui.cli.output import console, employee_json, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.staff.employee import Role

app = typer.Typer(no_args_is_help=True)

NewPinOption = Annotated[
    str | None,
    typer.Option(
        "--new-pin",
        help="The employee's new PIN, 4-8 digits (asked for, hidden, when left out).",
        show_default=False,
    ),
]


def _pin(pin: str | None, number: str) -> str:
    return pin or typer.prompt(
        f"New PIN for employee {number}", hide_input=True, confirmation_prompt=True
    )


@app.command("add")
def add_employee(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Employee number typed at log-in (1-8 digits).")],
    name: Annotated[str, typer.Argument(help="Full name.")],
    *,
    role: Annotated[Role, typer.Option(help="What the employee may do.")] = Role.CASHIER,
    new_pin: NewPinOption = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Add an employee (admin only)."""
    admin = who(ctx, employee, pin, role=Role.ADMIN)
    added = services(ctx).staff.add_employee(
        number, name, role, _pin(new_pin, number), actor=admin.number
    )
    console().print(f"Added employee {added.number} {added.name} ({added.role.value})")


@app.command("list")
def list_employees(
    ctx: typer.Context,
    include_disabled: Annotated[
        bool, typer.Option("--all", help="Include disabled employees.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """List employees by number."""
    found = services(ctx).staff.list_employees(include_inactive=include_disabled)
    if as_json:
        print_json([employee_json(e) for e in found])
        return
    table(
        "Employees",
        ("Number", "Name", "Role", "Active"),
        ([e.number, e.name, e.role.value, "yes" if e.active else "no"] for e in found),
    )


@app.command("set-pin")
def set_pin(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Employee number.")],
    new_pin: NewPinOption = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Give an employee a new PIN (admin only; this also lifts a lock after wrong PINs)."""
    admin = who(ctx, employee, pin, role=Role.ADMIN)
    staff = services(ctx).staff
    staff.get(number)  # an unknown number fails before the new PIN is asked for
    staff.set_pin(number, _pin(new_pin, number), actor=admin.number)
    console().print(f"New PIN set for employee {number}")


@app.command("disable")
def disable_employee(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Employee number.")],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Stop an employee from logging in (admin only; kept for history and reports)."""
    admin = who(ctx, employee, pin, role=Role.ADMIN)
    disabled = services(ctx).staff.disable(number, actor=admin.number)
    console().print(f"Disabled employee {disabled.number} {disabled.name}")


@app.command("enable")
def enable_employee(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Employee number.")],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Let a disabled employee log in again (admin only; journaled)."""
    admin = who(ctx, employee, pin, role=Role.ADMIN)
    enabled = services(ctx).staff.change(number, active=True, actor=admin.number)
    console().print(f"Enabled employee {enabled.number} {enabled.name}")


@app.command("edit")
def edit_employee(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Employee number.")],
    *,
    name: Annotated[str | None, typer.Option(help="New full name.")] = None,
    role: Annotated[Role | None, typer.Option(help="New role.", show_default=False)] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Rename an employee or give them another role (admin only; each change journaled
    as a master-data change, 13021). The last active admin keeps the admin role."""
    if name is None and role is None:
        raise InvalidInput("employees edit: give --name and/or --role")
    admin = who(ctx, employee, pin, role=Role.ADMIN)
    changed = services(ctx).staff.change(number, name=name, role=role, actor=admin.number)
    console().print(f"Employee {changed.number} is {changed.name} ({changed.role.value})")
