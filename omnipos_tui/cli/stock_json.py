"""Stock figures as JSON for ``--json``: quantities as numbers (pieces as integers,
kilograms with three decimals), money in øre. Imports no Typer: the fast path of
``omnipos stock show --json`` (``cli/stock_fast.py``) uses it too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.stock.figures import ProductStock
from omnipos_tui.core.stock.moves import StockMove
from omnipos_tui.core.stock.quantity import quantity_number

JsonValue = str | int | float | bool | None | Sequence["JsonValue"] | Mapping[str, "JsonValue"]


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
