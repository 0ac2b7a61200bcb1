"""``omnipos locations``: the places stock is kept (add, list) and which one each register
sells from (assign)."""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.output import console, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.cli.stock_options import EmployeeOption, JsonFlag, PinOption, actor
from omnipos_tui.core.staff.employee import Role

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_locations(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every location: the real ones goods stand in, then the virtual ones moves come from
    and go to; and which location each register sells from."""
    stock = services(ctx).stock
    locations = stock.locations()
    registers = stock.register_locations()
    if as_json:
        print_json(
            {
                "locations": [
                    {"code": loc.code, "name": loc.name, "kind": loc.kind.value}
                    for loc in locations
                ],
                "registers": registers,
            }
        )
        return
    sells: dict[str, list[str]] = {}
    for register, code in registers.items():
        sells.setdefault(code, []).append(register)
    table(
        "Locations",
        ("Code", "Name", "Kind", "Registers selling from it"),
        (
            [loc.code, loc.name, loc.kind.value, ", ".join(sells.get(loc.code, [])) or "-"]
            for loc in locations
        ),
    )


@app.command("add")
def add_location(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code: lower-case letters, digits, '-'.")],
    name: Annotated[str, typer.Argument(help='Name, e.g. "Kjeller".')],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Add a real location (a back room, a second store room, a web warehouse)."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    location = services(ctx).stock.add_location(code, name, employee=who)
    console().print(f"Added location {location.code} ({location.name})")


@app.command("assign")
def assign(
    ctx: typer.Context,
    register: Annotated[str, typer.Argument(help="Register ID.")],
    location: Annotated[str, typer.Argument(help="The real location it sells from.")],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Make a register sell from another location (the till picks it up at its next start)."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    services(ctx).stock.assign_register(register, location, employee=who)
    console().print(f"Register {register} sells from {location} (from the till's next start)")
