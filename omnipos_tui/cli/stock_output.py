"""``omnipos stock show SKU`` for people: the tables, and the table cells of stock figures.

Imports no Typer (nor the services): the fast path of ``omnipos stock show``
(``cli/stock_fast.py``) prints with it too, as the Typer app does.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from omnipos_tui.cli.output import console, table
from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.money import Money
from omnipos_tui.core.stock.figures import ProductStock
from omnipos_tui.core.stock.moves import StockMove
from omnipos_tui.core.stock.quantity import format_quantity


def unit_of(text: str | Unit) -> Unit:
    """A unit from its stored name."""
    return Unit(str(text))


def qty(scaled: int, unit: Unit | str | None = None) -> str:
    """A quantity for a table cell."""
    return format_quantity(scaled, None if unit is None else unit_of(unit))


def money(ore: int) -> str:
    """An amount for a table cell."""
    return Money(ore).format(thousands=True)


def print_product_stock(stock: ProductStock) -> None:
    """``stock show SKU`` for people: per location, on order, sold, cost, last moves."""
    product, unit = stock.product, stock.product.unit
    out = console()
    flag = "  [red]NEGATIVE STOCK[/red]" if stock.negative else ""
    out.print(f"[bold]{product.sku} {product.name}[/bold] ({unit.value}){flag}")
    places = Table(title="On hand per location", title_justify="left")
    for column in ("Location", "On hand", "Reserved", "Available", "Min", "Max"):
        places.add_column(column, justify="left" if column == "Location" else "right")
    for loc in stock.locations:
        places.add_row(
            loc.location,
            qty(loc.on_hand, unit),
            qty(loc.reserved, unit),
            qty(loc.available, unit),
            "-" if loc.min_qty is None else qty(loc.min_qty, unit),
            "-" if loc.max_qty is None else qty(loc.max_qty, unit),
        )
    places.add_row(
        "[bold]total[/bold]",
        qty(stock.on_hand, unit),
        qty(stock.reserved, unit),
        qty(stock.available, unit),
        "",
        "",
    )
    out.print(places)
    next_one = stock.next_delivery
    when = ""
    if next_one is not None:
        when = f" (next: order {next_one.order_no}, " + (
            f"expected {next_one.expected})" if next_one.expected else "no date given)"
        )
    out.print(
        f"On order {qty(stock.on_order_total, unit)}{when}; projected "
        f"{qty(stock.projected, unit)}"
        + (f"; in transit {qty(stock.in_transit, unit)}" if stock.in_transit else "")
    )
    sold = ", ".join(f"{key} {qty(value, unit)}" for key, value in stock.sold.items())
    out.print(f"Sold: {sold}")
    out.print(
        f"Average cost {money(stock.average_cost)} per {unit.value}; stock value "
        f"{money(stock.value)}"
    )
    if stock.last_receipt is not None:
        last = stock.last_receipt
        supplier = f" from {last.supplier}" if last.supplier else ""
        out.print(
            f"Last goods receipt: {last.receipt_no}{supplier} on "
            f"{last.at.date().isoformat()}, {qty(last.quantity, unit)} at {money(last.unit_cost)}"
        )
    if stock.on_order:
        table(
            "Open purchase orders",
            ("Order", "Supplier", "Location", "Outstanding", "Expected", "Status"),
            (
                [
                    str(o.order_no),
                    o.supplier,
                    o.location,
                    qty(o.outstanding, unit),
                    o.expected.isoformat() if o.expected else "-",
                    o.status.replace("_", " "),
                ]
                for o in stock.on_order
            ),
        )
    if stock.last_moves:
        moves_table("Last moves", stock.last_moves, unit)


def moves_table(title: str, moves: Sequence[StockMove], unit: Unit) -> None:
    """Stock moves as a table (``stock show``, ``stock history``)."""
    rows = []
    for move in moves:
        rows.append(
            [
                str(move.move_id),
                move.at.isoformat(timespec="seconds"),
                f"{move.source} -> {move.target}",
                qty(move.quantity, unit) + (" (neg.)" if move.negative else ""),
                money(move.unit_cost),
                f"{move.doc_type.value} {move.doc_id}/{move.doc_line}",
                move.employee or "-",
                move.reason,
            ]
        )
    table(title, ("Move", "At (UTC)", "From -> to", "Qty", "Cost", "Document", "By", "Why"), rows)
