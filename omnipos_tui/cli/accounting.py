"""``omnipos accounting``: the settlement vouchers on their way to the books.

``status [--json]`` lists every queued voucher (key ``Z-<register>-<z number>``, state,
tries, last error, the far end's id); ``retry [KEY]`` puts failed ones back in line after
the cause is fixed; ``preview --z Z-1-42 [--json]`` shows a voucher as a table of postings,
before or after sending; ``test`` checks the credentials and the account map against the
live system; ``export --from --to [--format csv|saft-financial] -o FILE`` writes the
vouchers of a period.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.dates import period
from omnipos_tui.cli.output import JsonValue, print_json, sweep_stale_files, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.accounting.voucher import Voucher

app = typer.Typer(no_args_is_help=True)

EXPORT_FORMATS = ("csv", "saft-financial")
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def kroner(ore: int) -> str:
    """Øre as "1 234,50" ("" for 0), as on the reports."""
    if not ore:
        return ""
    whole, part = divmod(abs(ore), 100)
    return ("-" if ore < 0 else "") + f"{whole:,}".replace(",", " ") + f",{part:02d}"


@app.command("status")
def status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every settlement voucher queued: state, tries, last error, the far end's id."""
    found = services(ctx).accounting.status()
    if as_json:
        listed: list[JsonValue] = [v.to_dict() for v in found]  # type: ignore[misc]
        print_json(listed)
        return
    if not found:
        typer.echo("No settlement vouchers are queued yet (one is queued per Z report).")
        return
    rows = [[v.key, v.day, v.state, str(v.tries), v.remote_id or "", v.last_error] for v in found]
    table("Settlement vouchers", ("Key", "Date", "State", "Tries", "Far id", "Last error"), rows)


@app.command("retry")
def retry(
    ctx: typer.Context,
    key: Annotated[
        str | None, typer.Argument(help="The voucher's key (Z-1-42); every failed one if left out.")
    ] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Put failed vouchers back in line (after the cause was fixed; manager or admin)."""
    me = who(ctx, employee, pin, role=Role.MANAGER)
    count = services(ctx).accounting.retry(key, by=f"cli accounting retry, employee {me.number}")
    what = f" {key}" if key else ""
    typer.echo(f"{count} failed voucher(s){what} put back in line")


@app.command("preview")
def preview(
    ctx: typer.Context,
    z: Annotated[str, typer.Option("--z", help="The Z report's key: Z-<register>-<number>.")],
    as_json: JsonFlag = False,
) -> None:
    """A Z report's settlement voucher as postings (as queued, or as it would be built)."""
    voucher, state = services(ctx).accounting.preview(z)
    if as_json:
        data = voucher.to_dict()
        data["state"] = None if state is None else state.state
        data["remote_id"] = None if state is None else state.remote_id
        print_json(data)  # type: ignore[arg-type]
        return
    show_voucher(voucher)
    typer.echo(
        "not queued (built now from the Z report)"
        if state is None
        else f"{state.state}, {state.tries} tries"
        + (f", booked as {state.remote_id}" if state.remote_id else "")
        + (f", last error: {state.last_error}" if state.last_error else "")
    )


def show_voucher(voucher: Voucher) -> None:
    """The voucher as a table with its totals."""
    rows = [
        [p.account, kroner(p.debit), kroner(p.credit), p.vat_code or "", p.description]
        for p in voucher.lines
    ]
    rows.append(["Sum", kroner(voucher.debit_total), kroner(voucher.credit_total), "", ""])
    title = f"{voucher.key} {voucher.day.isoformat()} {voucher.description}"
    table(title, ("Account", "Debit", "Credit", "Tax code", "Text"), rows)
    if not voucher.balanced:
        typer.echo(f"NOT BALANCED: difference {kroner(voucher.difference)}")


@app.command("test")
def test(ctx: typer.Context) -> None:
    """Check the credentials and the account and VAT mapping against the live system."""
    problems = services(ctx).accounting.test()
    if not problems:
        typer.echo("accounting: credentials, accounts and VAT codes OK")
        return
    for problem in problems:
        where = f" {problem.key}" if problem.key else ""
        typer.echo(f"{problem.what}{where}: {problem.detail}", err=True)
    raise typer.Exit(1)


@app.command("export")
def export(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    end: Annotated[str | None, typer.Option("--to", help="Last day (default: --from).")] = None,
    form: Annotated[
        str, typer.Option("--format", help="csv (voucher lines) or saft-financial.")
    ] = "csv",
) -> None:
    """The settlement vouchers of a period (every register's Z reports) as a file (mode
    0600, or 0640 for security.file_group)."""
    first, last = period(start, end, first_option="--from", last_option="--to")
    if form not in EXPORT_FORMATS:
        formats = " or ".join(EXPORT_FORMATS)
        raise typer.BadParameter(f"{form!r}: use {formats}", param_hint="--format")
    sweep_stale_files(output)
    count = services(ctx).export_vouchers(first, last, output, form)
    typer.echo(f"{count} voucher(s) {first}..{last} written to {output}")
