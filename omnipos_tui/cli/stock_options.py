"""What the stock and purchasing commands share: who is at the keyboard, ``--line``
options, and stock figures as JSON and table cells.

A command that changes stock takes ``--employee N`` (or ``OMNIPOS_EMPLOYEE``) and the PIN,
checked by :func:`omnipos_tui.cli.auth.who` with the same lock-out as the till; the
employee's number goes on the documents and moves.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, who
from omnipos_tui.cli.output import JsonValue
from omnipos_tui.cli.stock_json import move_json, product_stock_json
from omnipos_tui.cli.stock_output import money, qty, unit_of
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.figures import StockRow
from omnipos_tui.core.stock.quantity import quantity_number

__all__ = [
    "EmployeeOption",
    "JsonFlag",
    "LineOption",
    "PinOption",
    "actor",
    "money",
    "move_json",
    "product_stock_json",
    "qty",
    "stock_row_json",
    "unit_of",
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
    """The number of the employee making a change, their PIN and role checked
    (:func:`omnipos_tui.cli.auth.who`).

    Raises:
        InvalidInput: No employee was given.
        AuthenticationError: Wrong number or PIN (counted toward the lock-out).
        PermissionDenied: The employee's role is below ``role``.
    """
    return who(ctx, employee, pin, role=role).number


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
