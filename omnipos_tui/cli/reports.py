"""``omnipos reports``: X and Z reports of a register, and sales over a period.

``reports x`` and ``reports z`` print the report as it comes out on paper (every R-30
field) and write it in full into the journal; ``--json`` gives the same report as JSON.
A Z report closes the business day: one per register per day, taken by an employee at the
keyboard (``--employee`` and PIN, :mod:`.auth`) who is journaled with it. ``--count-cash`` or
``--counted`` adds the counted cash, shown against what the drawer should hold.

``reports sales`` sums sales by product, hour or employee over a period (a plain view,
not a legal report); ``--plot`` draws it as bars.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer
from rich.bar import Bar
from rich.table import Table

from omnipos_tui.cli.auth import EmployeeOption, PinOption, who
from omnipos_tui.cli.dates import period
from omnipos_tui.cli.output import JsonValue, console, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.clock import business_day
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import NOK_DENOMINATIONS, Money
from omnipos_tui.core.reports.report import Report
from omnipos_tui.services.reports.sales_summary import SalesBy, SalesSummary, period_sales

app = typer.Typer(no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
RegisterOption = Annotated[
    str | None,
    typer.Option("--register", help="Register ID (default: this till's).", metavar="ID"),
]
COLUMNS = 48  # the widest receipt layout; a terminal has room for it
MAX_DENOMINATION_COUNT = 1_000_000


def parse_cash_count(text: str) -> Money:
    """The total of a count by denomination, "500=3,200=1,20=7,1=4" (kroner=count): the
    notes and coins in use in Norway only (``NOK_DENOMINATIONS``).

    Raises:
        InvalidInput: Naming the part that cannot be read, or a denomination not in use.
    """
    total = 0
    seen: set[int] = set()
    for raw in text.split(","):
        part = raw.strip()
        if not part:
            continue
        value, sep, count_text = part.partition("=")
        if not sep:
            raise InvalidInput(
                f"--count-cash: {part!r} is not DENOMINATION=COUNT "
                "(e.g. 500=3 for three 500-kroner notes)"
            )
        denomination = Money.parse(value)
        if denomination.ore <= 0:
            raise InvalidInput(f"--count-cash: {part!r}: the denomination must be above 0")
        if denomination.ore % 100 or denomination.ore // 100 not in NOK_DENOMINATIONS:
            raise InvalidInput(
                f"--count-cash: {value.strip()} is not a Norwegian note or coin "
                f"({', '.join(str(d) for d in NOK_DENOMINATIONS)} kroner)"
            )
        if denomination.ore in seen:
            raise InvalidInput(f"--count-cash: denomination {value.strip()} is listed twice")
        seen.add(denomination.ore)
        try:
            count = int(Decimal(count_text.strip()))
        except (InvalidOperation, ValueError):
            raise InvalidInput(
                f"--count-cash: {part!r}: the count must be a whole number"
            ) from None
        if Decimal(count_text.strip()) != count or not 0 <= count <= MAX_DENOMINATION_COUNT:
            raise InvalidInput(
                f"--count-cash: {part!r}: the count must be a whole number from 0 to "
                f"{MAX_DENOMINATION_COUNT}"
            )
        total += denomination.ore * count
    if not seen:
        raise InvalidInput("--count-cash: no denominations given (e.g. 500=3,200=1)")
    return Money(total)


def counted_cash(count_cash: str | None, counted: str | None) -> dict[TenderKind, Money] | None:
    """The counted cash from ``--count-cash`` or ``--counted`` (not both), or None.

    Raises:
        InvalidInput: Both given, or a value cannot be read.
    """
    if count_cash is not None and counted is not None:
        raise InvalidInput("give either --count-cash or --counted, not both")
    if count_cash is not None:
        return {TenderKind.CASH: parse_cash_count(count_cash)}
    if counted is not None:
        amount = Money.parse(counted)
        if amount.ore < 0:
            raise InvalidInput(f"--counted: {counted!r} is negative")
        return {TenderKind.CASH: amount}
    return None


def _show(report: Report, as_json: bool) -> None:
    if as_json:
        print_json(report.to_dict())
        return
    typer.echo(report.to_document(COLUMNS).text())


@app.command("x")
def x_report(
    ctx: typer.Context,
    *,
    register: RegisterOption = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Print an X report (the day so far; changes nothing, but is journaled in full, with
    the employee when --employee is given: then their PIN is checked)."""
    app_services = services(ctx)
    number = who(ctx, employee, pin).number if employee else ""
    register_id = register or app_services.settings.shop.register_id
    report = app_services.reports.x_report(register_id, employee=number)
    _show(report, as_json)


@app.command("z")
def z_report(
    ctx: typer.Context,
    *,
    register: RegisterOption = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    count_cash: Annotated[
        str | None,
        typer.Option(
            "--count-cash",
            help='Counted cash by denomination in kroner: "500=3,200=1,20=7,1=4" '
            "(notes 1000, 500, 200, 100, 50; coins 20, 10, 5, 1).",
            metavar="COUNTS",
        ),
    ] = None,
    counted: Annotated[
        str | None,
        typer.Option(
            "--counted", help="Counted cash as one amount, e.g. 2450,00.", metavar="AMOUNT"
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Close the business day with a Z report (one per register per day; any employee, as
    at the till, journaled with the report)."""
    cash = counted_cash(count_cash, counted)
    app_services = services(ctx)
    me = who(ctx, employee, pin)
    register_id = register or app_services.settings.shop.register_id
    report = app_services.reports.z_report(register_id, employee=me.number, counted_cash=cash)
    _show(report, as_json)


@app.command("sales")
def sales(
    ctx: typer.Context,
    *,
    first: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.", metavar="DATE")],
    last: Annotated[
        str | None,
        typer.Option("--to", help="Last day (inclusive; default: today).", metavar="DATE"),
    ] = None,
    by: Annotated[SalesBy, typer.Option("--by", help="How to group.")] = SalesBy.PRODUCT,
    register: Annotated[
        str | None,
        typer.Option("--register", help="Register ID (default: every register).", metavar="ID"),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many rows.")] = 30,
    plot: Annotated[bool, typer.Option("--plot", help="Draw the amounts as bars.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Sales over a period by product, hour or employee (training and voids left out)."""
    app_services = services(ctx)
    today = business_day(app_services.clock.now()).isoformat()
    first_day, last_day = period(first, last or today, first_option="--from", last_option="--to")
    journal = app_services.journal
    registers = [register] if register else [r.register_id for r in journal.registers()]
    summary = period_sales(journal, registers, by, first_day=first_day, last_day=last_day)
    if as_json:
        print_json(summary_json(summary))
        return
    if plot:
        _plot(summary, limit)
        return
    title = (
        f"Sales {first_day} to {last_day} by {by.value}: {summary.receipts} receipt(s), "
        f"{summary.amount.format(thousands=True)} incl. VAT"
    )
    names = _employee_names(ctx) if by is SalesBy.EMPLOYEE else {}
    columns = [by.value.capitalize(), "Name", "Receipts", "Amount", "Excl. VAT"]
    if by is SalesBy.PRODUCT:
        columns.insert(3, "Quantity")
    rows = []
    for row in summary.rows[:limit]:
        cells = [
            row.key,
            names.get(row.key, row.label),
            str(row.receipts),
            row.amount.format(thousands=True),
            row.net.format(thousands=True),
        ]
        if by is SalesBy.PRODUCT:
            cells.insert(3, str(row.quantity))
        rows.append(cells)
    table(title, columns, rows)


def _employee_names(ctx: typer.Context) -> dict[str, str]:
    staff = services(ctx).staff.list_employees(include_inactive=True)
    return {employee.number: employee.name for employee in staff}


def summary_json(summary: SalesSummary) -> dict[str, JsonValue]:
    """A sales summary for ``--json`` (amounts as "12.50" and in øre)."""
    return {
        "from": summary.first_day.isoformat(),
        "to": summary.last_day.isoformat(),
        "by": summary.by.value,
        "receipts": summary.receipts,
        "amount": summary.amount.saft(),
        "amount_ore": summary.amount.ore,
        "net_ore": summary.net.ore,
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "receipts": row.receipts,
                "quantity": str(row.quantity),
                "amount": row.amount.saft(),
                "amount_ore": row.amount.ore,
                "net_ore": row.net.ore,
            }
            for row in summary.rows
        ],
    }


def _plot(summary: SalesSummary, limit: int) -> None:
    """The rows as horizontal bars scaled to the largest amount (returns draw as empty)."""
    rows = summary.rows[:limit]
    out = Table(
        title=f"Sales {summary.first_day} to {summary.last_day} by {summary.by.value}",
        title_justify="left",
        show_edge=False,
        box=None,
    )
    out.add_column("", overflow="ellipsis", max_width=28, no_wrap=True)
    out.add_column("", ratio=1)
    out.add_column("", justify="right", no_wrap=True)
    top = max((row.amount.ore for row in rows), default=0)
    for row in rows:
        size = max(top, 1)
        out.add_row(
            row.label or row.key,
            Bar(size, 0, max(row.amount.ore, 0), color="green"),
            row.amount.format(thousands=True),
        )
    if not rows:
        out.add_row("(no sales)", "", "")
    console().print(out)
