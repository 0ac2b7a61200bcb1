"""What the stock and purchasing commands share: who is at the keyboard, ``--line``
options, and stock figures as JSON and table cells.

A command that changes stock takes ``--employee N`` (or ``OMNIPOS_EMPLOYEE``); the PIN is
asked for without echo (``OMNIPOS_PIN`` for scripts) and checked with the same lock-out as
the till; the employee's number goes on the documents and moves. Without an employee the
change is made as the command line ("cli"), as the other admin commands do today.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.output import JsonValue
from omnipos_tui.cli.state import services
from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.money import Money
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.figures import ProductStock, StockRow
from omnipos_tui.core.stock.moves import StockMove
from omnipos_tui.core.stock.quantity import format_quantity, quantity_number

EmployeeOption = Annotated[
    str | None,
    typer.Option(
        "--employee",
        envvar="OMNIPOS_EMPLOYEE",
        help="Your employee number (the PIN is asked for; OMNIPOS_PIN for scripts).",
        metavar="NUMBER",
    ),
]
PinOption = Annotated[
    str | None,
    typer.Option("--pin", envvar="OMNIPOS_PIN", help="Your PIN (prefer the prompt).", hidden=True),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
LineOption = Annotated[
    list[str] | None,
    typer.Option(
        "--line",
        help="SKU=QUANTITY (repeat the option), e.g. --line 1001=12 --line 4011=2,5.",
        metavar="SKU=QTY",
    ),
]


def actor(
    ctx: typer.Context, employee: str | None, pin: str | None, *, role: Role = Role.CASHIER
) -> str:
    """The employee making a change, their PIN checked ("" when none was given).

    Raises:
        AuthenticationError: Wrong number or PIN (counted toward the lock-out).
        PermissionDenied: The employee's role is below ``role``.
    """
    if not employee:
        return ""
    code = pin if pin is not None else typer.prompt(f"PIN for {employee}", hide_input=True)
    services(ctx).staff.approve(employee.strip(), code, needed=role)
    return employee.strip()


def unit_of(text: str | Unit) -> Unit:
    """A unit from its stored name."""
    return Unit(str(text))


def qty(scaled: int, unit: Unit | str | None = None) -> str:
    """A quantity for a table cell."""
    return format_quantity(scaled, None if unit is None else unit_of(unit))


def money(ore: int) -> str:
    """An amount for a table cell."""
    return Money(ore).format(thousands=True)


def product_stock_json(stock: ProductStock) -> dict[str, JsonValue]:
    """``stock show --json``: quantities as numbers (kg with three decimals), money in øre."""
    unit = stock.product.unit

    def number(scaled: int) -> int | float:
        return quantity_number(scaled, unit)

    return {
        "sku": stock.product.sku,
        "name": stock.product.name,
        "unit": unit.value,
        "on_hand": number(stock.on_hand),
        "reserved": number(stock.reserved),
        "available": number(stock.available),
        "in_transit": number(stock.in_transit),
        "on_order": number(stock.on_order_total),
        "projected": number(stock.projected),
        "average_cost": stock.average_cost,
        "stock_value": stock.value,
        "negative": stock.negative,
        "sold": {key: number(value) for key, value in stock.sold.items()},
        "locations": [
            {
                "location": loc.location,
                "on_hand": number(loc.on_hand),
                "reserved": number(loc.reserved),
                "available": number(loc.available),
                "min": None if loc.min_qty is None else number(loc.min_qty),
                "max": None if loc.max_qty is None else number(loc.max_qty),
            }
            for loc in stock.locations
        ],
        "orders": [
            {
                "order": line.order_no,
                "supplier": line.supplier,
                "location": line.location,
                "outstanding": number(line.outstanding),
                "expected": None if line.expected is None else line.expected.isoformat(),
                "status": line.status,
            }
            for line in stock.on_order
        ],
        "last_receipt": None
        if stock.last_receipt is None
        else {
            "receipt": stock.last_receipt.receipt_no,
            "at": stock.last_receipt.at.isoformat(),
            "quantity": number(stock.last_receipt.quantity),
            "unit_cost": stock.last_receipt.unit_cost,
            "supplier": stock.last_receipt.supplier,
        },
        "last_moves": [move_json(m, unit) for m in stock.last_moves],
    }


def move_json(move: StockMove, unit: Unit | None = None) -> dict[str, JsonValue]:
    """A move for ``--json``."""
    return {
        "id": move.move_id,
        "at": move.at.isoformat(),
        "from": move.source,
        "to": move.target,
        "quantity": quantity_number(move.quantity, unit),
        "unit_cost": move.unit_cost,
        "document": move.doc_type.value,
        "document_id": move.doc_id,
        "line": move.doc_line,
        "employee": move.employee,
        "register": move.register_id,
        "negative": move.negative,
        "reason": move.reason,
    }


def stock_row_json(row: StockRow) -> dict[str, JsonValue]:
    """A ``stock list --json`` entry."""
    unit = unit_of(row.unit)
    return {
        "sku": row.sku,
        "name": row.name,
        "group": row.group,
        "unit": row.unit,
        "on_hand": quantity_number(row.on_hand, unit),
        "reserved": quantity_number(row.reserved, unit),
        "available": quantity_number(row.available, unit),
        "min": None if row.min_qty is None else quantity_number(row.min_qty, unit),
        "average_cost": row.average_cost,
    }
