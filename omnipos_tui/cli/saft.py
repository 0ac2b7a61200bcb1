"""``omnipos saft export``: the electronic journal as a SAF-T Cash Register file (R-26).

The file is written beside its target under a temporary name and renamed when complete,
so a failed export never leaves a half-written file; the export is then journaled (13020)
in each exported register.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.auth import PinOption, who
from omnipos_tui.cli.dates import period
from omnipos_tui.cli.output import console, print_json, sweep_stale_files
from omnipos_tui.cli.state import services

app = typer.Typer(no_args_is_help=True)


@app.command("export")
def export(
    ctx: typer.Context,
    *,
    first: Annotated[
        str, typer.Option("--from", help="First business day, YYYY-MM-DD.", metavar="DATE")
    ],
    last: Annotated[
        str | None,
        typer.Option(
            "--to", help="Last business day (inclusive; default: --from).", metavar="DATE"
        ),
    ] = None,
    register: Annotated[
        str | None,
        typer.Option(
            "--register", help="Only this register (default: every register).", metavar="ID"
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="File to write, or a directory to write "
            '"SAF-T Cash Register_<orgnr>_<yyyymmddhhmmss>.xml" into.',
        ),
    ] = Path(),
    employee: Annotated[
        str,
        typer.Option(
            "--employee",
            help="Number of the employee exporting (journaled; their PIN is asked for, "
            "OMNIPOS_PIN for scripts).",
            metavar="N",
        ),
    ] = "",
    pin: PinOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable summary.")] = False,
) -> None:
    """Export the journal of a period as SAF-T Cash Register XML (XSD v1.00).

    The file is made for you only (mode 0600), or for your group too (0640) when
    security.file_group names one: it holds every sale."""
    first_day, last_day = period(first, last, first_option="--from", last_option="--to")
    exporter = who(ctx, employee, pin).number if employee.strip() else ""
    if output.is_dir():
        sweep_stale_files(output, prefix=".SAF-T Cash Register_")
    else:
        sweep_stale_files(output)
    result = services(ctx).export.export_saft(
        output,
        first_day=first_day,
        last_day=last_day,
        register_id=register,
        employee=exporter,
    )
    if as_json:
        print_json(
            {
                "file": str(result.path),
                "from": result.first_day.isoformat(),
                "to": result.last_day.isoformat(),
                "registers": list(result.registers),
                "events": result.events,
                "transactions": result.transactions,
                "journaled": result.journaled,
            }
        )
        return
    console().print(
        f"Exported {result.transactions} transaction(s) and {result.events} event(s) of "
        f"register(s) {', '.join(result.registers) or '(none)'}, {result.first_day} to "
        f"{result.last_day}, to {result.path}"
    )
    if not result.journaled:
        console().print(
            "The database is read-only here (a copy?): the export is not in its journal."
        )
