"""``omnipos reports stock-value [--at DATE]``: what the stock was worth at the end of a
day, from the ledger (goods that came in at their cost, less what left at the average cost
of its moment), by article group, with every product in ``--json``."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated

import typer

from omnipos_tui.cli.dates import parse_day
from omnipos_tui.cli.output import print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.cli.stock_options import money
from omnipos_tui.core.clock import OSLO, business_day
from omnipos_tui.core.stock.quantity import quantity_number


def stock_value(
    ctx: typer.Context,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="At the end of this day, YYYY-MM-DD (default: now).", metavar="DATE"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """The stock value at the end of a day, from the stock ledger, by article group."""
    app_services = services(ctx)
    if at is None:
        moment = app_services.clock.now()
        label = f"now ({business_day(moment).isoformat()})"
    else:
        day = parse_day(at, "--at")
        moment = datetime.combine(day + timedelta(days=1), time(0), OSLO) - timedelta(
            microseconds=1
        )
        label = f"end of {day.isoformat()}"
    lines = app_services.stock.value_at(moment)
    groups: dict[str, list[int]] = {}
    for line in lines:
        figures = groups.setdefault(line.group, [0, 0])
        figures[0] += 1
        figures[1] += line.value
    total = sum(line.value for line in lines)
    if as_json:
        print_json(
            {
                "at": moment.isoformat(),
                "value": total,
                "groups": [
                    {"group": g, "products": n, "value": v} for g, (n, v) in sorted(groups.items())
                ],
                "products": [
                    {
                        "sku": line.sku,
                        "name": line.name,
                        "group": line.group,
                        "quantity": quantity_number(line.quantity),
                        "value": line.value,
                    }
                    for line in lines
                ],
            }
        )
        return
    names = {g.code: g.name for g in app_services.catalogue.groups()}
    rows = [[g, names.get(g, ""), str(n), money(v)] for g, (n, v) in sorted(groups.items())]
    rows.append(["", "[bold]total[/bold]", str(len(lines)), f"[bold]{money(total)}[/bold]"])
    table(f"Stock value {label}", ("Group", "Name", "Products", "Value"), rows)
