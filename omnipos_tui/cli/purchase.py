"""``omnipos purchase``: new, add, send, show, list, cancel, suggest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.dates import parse_day
from omnipos_tui.cli.output import JsonValue, console, print_json, table
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
from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.documents import OrderStatus, PurchaseOrder
from omnipos_tui.core.stock.quantity import quantity_number
from omnipos_tui.services.stock.common import parse_line

app = typer.Typer(no_args_is_help=True)

SUGGESTION_COLUMNS = (
    "SKU",
    "Name",
    "Location",
    "On hand",
    "Incoming",
    "Min",
    "Max",
    "Sold 4 wk",
    "Order",
    "Supplier",
)
NumberArgument = Annotated[int, typer.Argument(help="Purchase order number.", min=1)]


def order_json(
    order: PurchaseOrder, products: dict[str, Product] | None = None
) -> dict[str, JsonValue]:
    """A purchase order for ``--json``."""
    units = {sku: p.unit for sku, p in (products or {}).items()}
    return {
        "number": order.number,
        "supplier": order.supplier,
        "location": order.location,
        "status": order.status.value,
        "expected": None if order.expected is None else order.expected.isoformat(),
        "created_at": order.created_at.isoformat(),
        "employee": order.employee,
        "note": order.note,
        "total_cost": order.total_cost,
        "lines": [
            {
                "line": line.line_no,
                "sku": line.sku,
                "supplier_sku": line.supplier_sku,
                "quantity": quantity_number(line.quantity, units.get(line.sku)),
                "received": quantity_number(line.received, units.get(line.sku)),
                "outstanding": quantity_number(line.outstanding, units.get(line.sku)),
                "unit_cost": line.unit_cost,
            }
            for line in order.lines
        ],
        "history": [
            {"status": h.status, "at": h.at.isoformat(), "employee": h.employee, "note": h.note}
            for h in order.history
        ],
    }


@app.command("new")
def new(
    ctx: typer.Context,
    *,
    supplier: Annotated[str, typer.Option(help="Supplier code.")],
    line: LineOption = None,
    expected: Annotated[
        str | None, typer.Option(help="Expected delivery date, YYYY-MM-DD.", metavar="DATE")
    ] = None,
    location: Annotated[str, typer.Option(help="Where the goods are to go.")] = "butikk",
    note: Annotated[str, typer.Option(help="A note for the supplier.")] = "",
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Make a draft purchase order; prints its number (--json: the order)."""
    lines = [parse_line(text) for text in line or []]
    when = None if expected is None else parse_day(expected, "--expected")
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    order = services(ctx).purchasing.new(
        supplier, lines, expected=when, location=location, note=note, employee=who
    )
    if as_json:
        print_json(order_json(order))
        return
    typer.echo(order.number)


@app.command("add")
def add(
    ctx: typer.Context,
    number: NumberArgument,
    line: LineOption = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Add lines to a draft order."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    order = services(ctx).purchasing.add(
        number, [parse_line(text) for text in line or []], employee=who
    )
    console().print(f"Purchase order {order.number}: {len(order.lines)} line(s)")


@app.command("send")
def send(
    ctx: typer.Context,
    number: NumberArgument,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the PDF and CSV.", file_okay=False)
    ] = Path(),
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Mark a draft as sent, writing innkjop-N.pdf and innkjop-N.csv for the supplier."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    order, files = services(ctx).purchasing.send(number, folder=output, employee=who)
    console().print(f"Purchase order {order.number} is sent; wrote " + ", ".join(map(str, files)))


@app.command("write")
def write(
    ctx: typer.Context,
    number: NumberArgument,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the PDF and CSV.", file_okay=False)
    ] = Path(),
) -> None:
    """Write an order's PDF and CSV again (any status)."""
    files = services(ctx).purchasing.write(number, output)
    console().print("Wrote " + ", ".join(map(str, files)))


@app.command("show")
def show(ctx: typer.Context, number: NumberArgument, as_json: JsonFlag = False) -> None:
    """An order: lines with ordered, received and outstanding quantities, and its history."""
    order, supplier, products = services(ctx).purchasing.get(number)
    if as_json:
        print_json(order_json(order, products))
        return
    expected = order.expected.isoformat() if order.expected else "not agreed"
    console().print(
        f"[bold]Purchase order {order.number}[/bold] to {supplier.name} ({supplier.code}): "
        f"{order.status.value.replace('_', ' ')}; deliver to {order.location}; expected "
        f"{expected}; {money(order.total_cost)} excl. VAT"
    )
    table(
        "Lines",
        ("Line", "SKU", "Name", "Supplier's no.", "Ordered", "Received", "Outstanding", "Cost"),
        (
            [
                str(ln.line_no),
                ln.sku,
                products[ln.sku].name if ln.sku in products else "",
                ln.supplier_sku,
                qty(ln.quantity, products[ln.sku].unit if ln.sku in products else None),
                qty(ln.received, products[ln.sku].unit if ln.sku in products else None),
                qty(ln.outstanding, products[ln.sku].unit if ln.sku in products else None),
                money(ln.unit_cost),
            ]
            for ln in order.lines
        ),
    )
    table(
        "History",
        ("Status", "At (UTC)", "By", "Note"),
        (
            [h.status.replace("_", " "), h.at.isoformat(timespec="seconds"), h.employee, h.note]
            for h in order.history
        ),
    )


@app.command("list")
def list_orders(
    ctx: typer.Context,
    status: Annotated[OrderStatus | None, typer.Option(help="Only orders in this status.")] = None,
    supplier: Annotated[str | None, typer.Option(help="Only this supplier's orders.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Purchase orders, newest first."""
    orders = services(ctx).purchasing.orders(status=status, supplier=supplier)
    if as_json:
        print_json([order_json(o) for o in orders])
        return
    table(
        "Purchase orders",
        ("Number", "Supplier", "Status", "Location", "Expected", "Lines", "Value"),
        (
            [
                str(o.number),
                o.supplier,
                o.status.value.replace("_", " "),
                o.location,
                o.expected.isoformat() if o.expected else "-",
                str(len(o.lines)),
                money(o.total_cost),
            ]
            for o in orders
        ),
    )


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    number: NumberArgument,
    reason: Annotated[str, typer.Option(help="Why (kept in the order's history).")] = "",
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Cancel an order that is not fully received."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    order = services(ctx).purchasing.cancel(number, reason=reason, employee=who)
    console().print(f"Purchase order {order.number} is cancelled")


@app.command("suggest")
def suggest(
    ctx: typer.Context,
    create: Annotated[
        bool, typer.Option("--create", help="Make a draft order per supplier and location.")
    ] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """What to order: products at or below their reorder point (min/max per product and
    location, else the sales rate of the last 4 weeks), in whole packs."""
    who = actor(ctx, employee, pin, role=Role.MANAGER) if create else ""
    suggestions, created = services(ctx).purchasing.suggest(create=create, employee=who)
    if as_json:
        print_json(
            {
                "suggestions": [
                    {
                        "sku": s.sku,
                        "name": s.name,
                        "location": s.location,
                        "on_hand": quantity_number(s.on_hand, s.unit),
                        "incoming": quantity_number(s.incoming, s.unit),
                        "point": quantity_number(s.point, s.unit),
                        "level": quantity_number(s.level, s.unit),
                        "sold_28d": quantity_number(s.sold_28d, s.unit),
                        "quantity": quantity_number(s.quantity, s.unit),
                        "supplier": s.supplier or None,
                        "unit_cost": s.unit_cost,
                    }
                    for s in suggestions
                ],
                "created": [o.number for o in created],
            }
        )
        return
    table(
        f"Reorder suggestions: {len(suggestions)}",
        SUGGESTION_COLUMNS,
        (
            [
                s.sku,
                s.name,
                s.location,
                qty(s.on_hand, s.unit),
                qty(s.incoming, s.unit),
                qty(s.point, s.unit),
                qty(s.level, s.unit),
                qty(s.sold_28d, s.unit),
                qty(s.quantity, s.unit),
                s.supplier or "(no supplier)",
            ]
            for s in suggestions
        ),
    )
    for order in created:
        console().print(
            f"Draft purchase order {order.number} to {order.supplier} ({order.location}): "
            f"{len(order.lines)} line(s)"
        )
