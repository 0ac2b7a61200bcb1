"""``omnipos stock transfer [--receive N]`` and ``omnipos stock count
start|add|show|finish|list``: added to the ``stock`` command group by ``cli.root``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.output import JsonValue, console, print_json, table
from omnipos_tui.cli.receive import read_lines
from omnipos_tui.cli.state import services
from omnipos_tui.cli.stock_options import (
    EmployeeOption,
    JsonFlag,
    LineOption,
    PinOption,
    actor,
    money,
    qty,
)
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.costing import stock_value
from omnipos_tui.core.stock.documents import StockCount
from omnipos_tui.core.stock.quantity import quantity_number
from omnipos_tui.services.stock.common import parse_line

count_app = typer.Typer(no_args_is_help=True)


def transfer(
    ctx: typer.Context,
    *,
    source: Annotated[str | None, typer.Option("--from", help="The location goods leave.")] = None,
    target: Annotated[str | None, typer.Option("--to", help="The location goods go to.")] = None,
    line: LineOption = None,
    two_step: Annotated[
        bool,
        typer.Option("--two-step", help="Send into transit now; receive later with --receive N."),
    ] = False,
    receive: Annotated[
        int | None, typer.Option("--receive", help="Receive two-step transfer N at its target.")
    ] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Move goods between two locations, at once or in two steps (sent, in transit,
    received)."""
    documents = services(ctx).stock_documents
    if receive is not None:
        if source or target or line:
            raise typer.BadParameter("--receive N takes no --from, --to or --line")
        who = actor(ctx, employee, pin)
        done = documents.receive_transfer(receive, employee=who)
        console().print(f"Transfer {done.number} received at {done.target}")
        return
    if not source or not target:
        raise typer.BadParameter("give --from and --to (or --receive N)")
    who = actor(ctx, employee, pin)
    made = documents.transfer(
        source, target, [parse_line(t) for t in line or []], two_step=two_step, employee=who
    )
    state = "sent (in transit)" if two_step else "done"
    console().print(
        f"Transfer {made.number}: {len(made.lines)} product(s) {made.source} -> {made.target}, "
        f"{state}"
    )


@count_app.command("start")
def start(
    ctx: typer.Context,
    location: Annotated[str, typer.Option(help="The location to count.")],
    group: Annotated[str | None, typer.Option(help="Only this article group.")] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Start a count: the location's stock is snapshotted now; prints the count's number."""
    who = actor(ctx, employee, pin)
    count, size = services(ctx).stock_documents.start_count(location, group=group, employee=who)
    console().print(
        f"Stock count {count.number} of {count.location}"
        + (f" (group {count.group})" if count.group else "")
        + f" started: {size} product(s) in the snapshot"
    )


@count_app.command("add")
def add(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The count.", min=1)],
    *,
    line: LineOption = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="Counts from a file: SKU=QTY or SKU;QTY per line.", dir_okay=False
        ),
    ] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Add counted quantities (a product counted twice is the sum of both)."""
    lines = [parse_line(t) for t in line or []]
    if file is not None:
        lines += read_lines(ctx, file, zero=True, costs=False)
    who = actor(ctx, employee, pin)
    totals = services(ctx).stock_documents.add_counts(number, lines, employee=who)
    console().print(f"Count {number}: " + ", ".join(f"{s} {qty(q)}" for s, q in totals.items()))


def count_json(count: StockCount) -> dict[str, JsonValue]:
    """A count for ``--json``."""
    return {
        "number": count.number,
        "location": count.location,
        "group": count.group,
        "status": count.status.value,
        "started_at": count.started_at.isoformat(),
        "lines": [
            {
                "sku": ln.sku,
                "name": ln.name,
                "snapshot": None if ln.snapshot is None else quantity_number(ln.snapshot),
                "expected": quantity_number(ln.expected),
                "counted": None if ln.counted is None else quantity_number(ln.counted),
                "variance": quantity_number(ln.variance),
                "variance_value": stock_value(ln.variance, ln.average_cost),
            }
            for ln in count.lines
        ],
    }


@count_app.command("show")
def show(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The count.", min=1)],
    all_lines: Annotated[
        bool, typer.Option("--all", help="Also products without a variance.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """The variances: counted against the snapshot plus the moves made since, valued at
    average cost."""
    count = services(ctx).stock_documents.count(number)
    if as_json:
        print_json(count_json(count))
        return
    lines = [ln for ln in count.lines if all_lines or ln.variance]
    uncounted = sum(1 for ln in count.lines if ln.counted is None)
    total = sum(stock_value(ln.variance, ln.average_cost) for ln in count.lines)
    table(
        f"Stock count {count.number} of {count.location}: {count.status.value}; "
        f"{uncounted} product(s) not counted; variance {money(total)}",
        ("SKU", "Name", "Snapshot", "Expected", "Counted", "Variance", "Value"),
        (
            [
                ln.sku,
                ln.name,
                "-" if ln.snapshot is None else qty(ln.snapshot, ln.unit),
                qty(ln.expected, ln.unit),
                "-" if ln.counted is None else qty(ln.counted, ln.unit),
                qty(ln.variance, ln.unit),
                money(stock_value(ln.variance, ln.average_cost)),
            ]
            for ln in lines
        ),
    )


@count_app.command("finish")
def finish(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The count.", min=1)],
    *,
    zero_uncounted: Annotated[
        bool, typer.Option("--zero-uncounted", help="Products not counted count as 0.")
    ] = False,
    reason: Annotated[str, typer.Option(help="Why (on every count-difference move).")] = "",
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Post the variances as count-difference moves and close the count."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    result = services(ctx).stock_documents.finish_count(
        number, zero_uncounted=zero_uncounted, reason=reason, employee=who
    )
    console().print(
        f"Stock count {number} finished: {result.moves} count-difference move(s), variance "
        f"{money(result.variance_value)}"
    )


@count_app.command("list")
def list_counts(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Counts, newest first."""
    counts = services(ctx).stock_documents.counts()
    if as_json:
        print_json(
            [
                {
                    "number": c.number,
                    "location": c.location,
                    "group": c.group,
                    "status": c.status.value,
                    "started_at": c.started_at.isoformat(),
                }
                for c in counts
            ]
        )
        return
    table(
        "Stock counts",
        ("Number", "Location", "Group", "Status", "Started (UTC)"),
        (
            [
                str(c.number),
                c.location,
                c.group or "all",
                c.status.value,
                c.started_at.isoformat(timespec="seconds"),
            ]
            for c in counts
        ),
    )
