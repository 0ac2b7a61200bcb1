"""``omnipos receive``: take in a delivery (varemottak) against a purchase order or
without one, lines as arguments or from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.output import console, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.cli.stock_options import (
    EmployeeOption,
    JsonFlag,
    LineOption,
    PinOption,
    actor,
    qty,
)
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.quantity import quantity_number
from omnipos_tui.core.text_encoding import wide_encoding
from omnipos_tui.services.stock.common import LineInput, parse_line
from omnipos_tui.services.stock.line_file import in_file_order, read_line_file


def read_lines(
    ctx: typer.Context, file: Path, *, zero: bool = False, costs: bool = True
) -> list[LineInput]:
    """The lines of a file (see :mod:`omnipos_tui.services.stock.line_file`: ``SKU=QTY``,
    ``SKU;QTY`` with a decimal comma, tab- or comma-separated, optionally a cost); a file
    with bad lines is refused with every problem at its file:line:column.

    Args:
        ctx: The command's context (the catalogue checks the lines of a bad file).
        file: The file.
        zero: Whether a quantity may be 0 (a count).
        costs: Whether a line may give a cost (a goods receipt).

    Raises:
        InvalidInput: The file cannot be read, or lines are bad.
    """
    try:
        data = file.read_bytes()
        wide = wide_encoding(data)
        if wide is not None:
            raise InvalidInput(f"cannot read {file}: the file is {wide}; save it as UTF-8")
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {file}: {exc}") from None
    read = read_line_file(text, str(file), costs=costs)
    if read.problems:
        more = services(ctx).stock_documents.line_problems(read.lines, zero=zero)
        raise InvalidInput(
            code="stock.bad_file_lines", problems=in_file_order([*read.problems, *more])
        )
    return read.lines


def receive(
    ctx: typer.Context,
    *,
    po: Annotated[int | None, typer.Option("--po", help="The purchase order it delivers.")] = None,
    line: LineOption = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Lines from a file: SKU=QTY, or SKU;QTY[;COST] with a decimal comma, per line.",
            dir_okay=False,
        ),
    ] = None,
    location: Annotated[
        str | None, typer.Option(help="Where the goods go (default: the order's, else butikk).")
    ] = None,
    delivery_note: Annotated[
        str, typer.Option("--delivery-note", help="The supplier's delivery note number.")
    ] = "",
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Take in a delivery: the goods go on stock at cost (the average cost follows), the
    order's received quantities and status move on; over- and under-deliveries are shown."""
    lines = [parse_line(text) for text in line or []]
    if file is not None:
        lines += read_lines(ctx, file)
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    result = services(ctx).stock_documents.receive(
        lines, order_no=po, location=location, delivery_note=delivery_note, employee=who
    )
    receipt = result.receipt
    if as_json:
        print_json(
            {
                "receipt": receipt.number,
                "order": receipt.order_no,
                "order_status": None if result.order is None else result.order.status.value,
                "location": receipt.location,
                "delivery_note": receipt.delivery_note,
                "lines": [
                    {
                        "line": ln.line_no,
                        "sku": ln.sku,
                        "quantity": quantity_number(ln.quantity),
                        "unit_cost": ln.unit_cost,
                        "order_line": ln.order_line,
                    }
                    for ln in receipt.lines
                ],
                "differences": [
                    {
                        "sku": d.sku,
                        "ordered": quantity_number(d.ordered),
                        "delivered": quantity_number(d.delivered),
                        "over": quantity_number(d.over),
                        "under": quantity_number(d.under),
                    }
                    for d in result.differences
                ],
            }
        )
        return
    against = f" against purchase order {receipt.order_no}" if receipt.order_no else ""
    console().print(
        f"Goods receipt {receipt.number}{against}: {len(receipt.lines)} line(s) to "
        f"{receipt.location}"
        + (f"; order now {result.order.status.value.replace('_', ' ')}" if result.order else "")
    )
    off = [d for d in result.differences if d.over or d.under]
    if off:
        table(
            "Differences from the order",
            ("SKU", "Outstanding", "Delivered", "Over", "Under"),
            ([d.sku, qty(d.ordered), qty(d.delivered), qty(d.over), qty(d.under)] for d in off),
        )
