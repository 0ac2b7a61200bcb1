"""The purchase service's writer: a purchase order as PDF and CSV for the supplier
(``omnipos_tui.exports.purchase_order``, imported on first use: fpdf2 is not needed before
an order is sent)."""

from __future__ import annotations

from pathlib import Path

from omnipos_tui.core.stock.order_document import OrderDocument


def write_order_files(document: OrderDocument, folder: Path) -> list[Path]:
    """Write ``innkjop-<number>.pdf`` and ``.csv`` into ``folder``; returns both files.

    Raises:
        InvalidInput: The folder or a file cannot be written.
    """
    from omnipos_tui.exports.purchase_order import write_order_files as write

    return write(document, folder)
