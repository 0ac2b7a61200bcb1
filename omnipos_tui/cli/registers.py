"""``omnipos registers``: the shop's registers (tills): list, add.

Only the setup makes a register (``omnipos init`` its first one, ``registers add`` the
others): every command that reads or reports refuses a register the shop does not have,
naming the known ones, so a typo in ``--register`` never becomes a register in the journal.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.output import console, print_json, table
from omnipos_tui.cli.state import services

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_registers(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """The shop's registers by id."""
    found = services(ctx).setup.registers()
    if as_json:
        print_json([{"register_id": r.register_id, "name": r.name} for r in found])
        return
    table("Registers", ("ID", "Name"), ([r.register_id, r.name] for r in found))


@app.command("add")
def add_register(
    ctx: typer.Context,
    register_id: Annotated[
        str, typer.Argument(metavar="ID", help="Register id: 1-35 letters and digits, e.g. 2.")
    ],
    name: Annotated[str, typer.Argument(help='Name on receipts and reports, e.g. "Kasse 2".')],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Set up a new register (a second till, an office PC that takes reports).

    Start its till with `omnipos till --register ID` (or shop.register_id = "ID" in its
    configuration); it makes its own signing key at the first start. Journaled as a
    master-data change naming the admin who added it.
    """
    me = who(ctx, employee, pin, role=Role.ADMIN)
    register = services(ctx).setup.add_register(register_id, name, actor=me.number)
    console().print(f"Added register {register.register_id} ({register.name})")
