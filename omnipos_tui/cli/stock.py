"""``omnipos stock``: show, list, history, verify, rebuild, rule; transfers and counts are
added from ``cli/stock_documents.py``."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Annotated

import typer
from rich.bar import Bar
from rich.table import Table

from omnipos_tui.cli.output import console, err_console, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.cli.stock_options import (
    EmployeeOption,
    JsonFlag,
    PinOption,
    actor,
    money,
    move_json,
    product_stock_json,
    qty,
    stock_row_json,
)
from omnipos_tui.cli.stock_output import moves_table, print_product_stock
from omnipos_tui.core.clock import business_day
from omnipos_tui.core.errors import IntegrityFailure
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.figures import VerifyReport

app = typer.Typer(no_args_is_help=True)

CodeArgument = Annotated[str, typer.Argument(help="SKU or barcode.", metavar="SKU-OR-BARCODE")]


@app.command("show")
def show(
    ctx: typer.Context,
    code: CodeArgument,
    plot: Annotated[
        bool, typer.Option("--plot", help="Draw stock and sales per day (last --days).")
    ] = False,
    days: Annotated[int, typer.Option(min=2, max=366, help="Days the plot covers.")] = 30,
    as_json: JsonFlag = False,
) -> None:
    """How much is left and where, what is on order and when it comes, what was sold."""
    stock = services(ctx).stock.show(code)
    if as_json:
        print_json(product_stock_json(stock))
        return
    if plot:
        _plot(ctx, code, days)
        return
    print_product_stock(stock)


def _plot(ctx: typer.Context, code: str, days: int) -> None:
    app_services = services(ctx)
    product, owned, figures = app_services.stock.days(code, days=days)
    today = business_day(app_services.clock.now())
    by_day = {f.day: f for f in figures}
    # Stock at the end of each day: today's owned stock less the net changes after it.
    levels: list[tuple[str, int, int]] = []
    level = owned
    for back in range(days):
        day = today - timedelta(days=back)
        found = by_day.get(day)
        levels.append((day.isoformat(), level, found.sold if found else 0))
        level -= found.net if found else 0
    levels.reverse()
    top = max((max(abs(s), abs(q)) for _, s, q in levels), default=1) or 1
    out = Table(
        title=f"{product.sku} {product.name}: stock and sales per day ({product.unit.value})",
        title_justify="left",
        box=None,
    )
    for column in ("Day", "Stock", "", "Sold", ""):
        out.add_column(column, justify="right" if column in {"Stock", "Sold"} else "left")
    for label, stock_level, sold in levels:
        out.add_row(
            label,
            qty(stock_level, product.unit),
            Bar(top, 0, max(stock_level, 0), color="red" if stock_level < 0 else "blue", width=30),
            qty(sold, product.unit),
            Bar(top, 0, max(sold, 0), color="green", width=20),
        )
    console().print(out)


@app.command("list")
def list_stock(
    ctx: typer.Context,
    *,
    location: Annotated[
        str | None, typer.Option(help="Only this location (default: totals over all real ones).")
    ] = None,
    negative: Annotated[
        bool, typer.Option("--negative", help="Only products below zero somewhere.")
    ] = False,
    below_min: Annotated[
        bool, typer.Option("--below-min", help="Only products available below their minimum.")
    ] = False,
    group: Annotated[str | None, typer.Option(help="Only this article group.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Every product with stock (or a reorder rule), by SKU; --json lists them all."""
    rows = services(ctx).stock.rows(
        location=location, negative=negative, below_min=below_min, group=group
    )
    if as_json:
        print_json([stock_row_json(row) for row in rows])
        return
    where = f" at {location}" if location else ""
    table(
        f"Stock{where}: {len(rows)} product(s)",
        ("SKU", "Name", "Group", "On hand", "Reserved", "Available", "Min", "Avg. cost"),
        (
            [
                row.sku,
                row.name,
                row.group,
                qty(row.on_hand, row.unit),
                qty(row.reserved, row.unit),
                qty(row.available, row.unit),
                "-" if row.min_qty is None else qty(row.min_qty, row.unit),
                money(row.average_cost),
            ]
            for row in rows
        ),
    )


@app.command("history")
def history(
    ctx: typer.Context,
    code: CodeArgument,
    limit: Annotated[int, typer.Option(min=1, help="Moves to show.")] = 50,
    before: Annotated[
        int | None, typer.Option(help="Only moves before this move number (paging).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """A product's moves, newest first."""
    product, moves = services(ctx).stock.history(code, limit=limit, before=before)
    if as_json:
        print_json([move_json(m, product.unit) for m in moves])
        return
    moves_table(f"{product.sku} {product.name}: moves, newest first", moves, product.unit)


def _report_lines(report: VerifyReport) -> list[str]:
    return [f"drift: {drift}" for drift in report.drifts]


@app.command("verify")
def verify(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Check every balance against the ledger; exit 1 with each drift named."""
    show_progress = not as_json and sys.stderr.isatty()

    def progress(moves: int) -> None:
        if show_progress:
            err_console().print(f"\r{moves:,} moves read", end="")

    report = services(ctx).stock.verify(progress)
    if show_progress:
        err_console().print()
    if as_json:
        print_json(
            {
                "clean": report.clean,
                "moves": report.moves,
                "balances": report.balances,
                "drifts": [
                    {
                        "sku": d.sku,
                        "location": d.location,
                        "stored": d.stored,
                        "ledger": d.ledger,
                        "field": d.field,
                    }
                    for d in report.drifts
                ],
            }
        )
    else:
        for line in _report_lines(report):
            typer.echo(line, err=True)
        state = "clean" if report.clean else f"{len(report.drifts)} drift(s)"
        typer.echo(f"Stock: {report.moves:,} moves, {report.balances:,} balances checked: {state}")
    if not report.clean:
        raise typer.Exit(1)


@app.command("rebuild")
def rebuild(ctx: typer.Context, employee: EmployeeOption = None, pin: PinOption = None) -> None:
    """Repair every balance that drifts from the ledger (journaled); the ledger itself is
    never changed."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    result = services(ctx).stock.rebuild(employee=who)
    for line in _report_lines(result.report):
        typer.echo(line, err=True)
    if not result.report.drifts:
        typer.echo("Nothing to repair: every balance equals the ledger.")
        return
    typer.echo(f"Repaired {result.repaired} balance(s) from the ledger (journaled).")
    if not result.after.clean:
        raise IntegrityFailure(
            f"{len(result.after.drifts)} balance(s) still drift after the repair; "
            "run omnipos stock verify"
        )


@app.command("rule")
def rule(
    ctx: typer.Context,
    code: CodeArgument,
    *,
    location: Annotated[str, typer.Option(help="The location the rule is for.")] = "butikk",
    minimum: Annotated[
        str | None, typer.Option("--min", help="Reorder point: suggest an order at or below.")
    ] = None,
    maximum: Annotated[
        str | None, typer.Option("--max", help="Order-up-to level for suggestions.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the rule.")] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Set a product's reorder point and order-up-to level at a location."""
    if not clear and minimum is None and maximum is None:
        raise typer.BadParameter("give --min and/or --max, or --clear")
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    product, low, high = services(ctx).stock.set_rule(
        code, location, None if clear else minimum, None if clear else maximum, employee=who
    )
    if low is None and high is None:
        typer.echo(f"No reorder rule for {product.sku} at {location} any more.")
        return
    typer.echo(
        f"{product.sku} at {location}: min {'-' if low is None else qty(low, product.unit)}, "
        f"max {'-' if high is None else qty(high, product.unit)}"
    )
