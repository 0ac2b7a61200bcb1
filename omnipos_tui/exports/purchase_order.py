"""A purchase order for the supplier: a one-page-or-more PDF (fpdf2) and a CSV with the
same lines, written into a folder as ``innkjop-<number>.pdf`` and ``.csv``.

Both are written beside their final names and renamed into place when complete, so a
failed write never leaves half a file. The PDF uses the built-in Helvetica font
(Latin-1: æ, ø, å and the other Norwegian letters print; anything beyond prints as "?").
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from fpdf import FPDF

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.core.spreadsheet import safe_cell
from omnipos_tui.core.stock.costing import stock_value
from omnipos_tui.core.stock.order_document import OrderDocument
from omnipos_tui.core.stock.quantity import format_quantity
from omnipos_tui.temp_files import hold, sweep_stale

CSV_COLUMNS = (
    "order",
    "line",
    "supplier_sku",
    "sku",
    "name",
    "quantity",
    "unit",
    "packs",
    "unit_cost",
    "amount",
)


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def write_order_files(document: OrderDocument, folder: Path) -> list[Path]:
    """Write the order's PDF and CSV into ``folder`` (created if missing).

    Raises:
        InvalidInput: The folder or a file cannot be written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create {folder}: {exc.strerror or exc}") from None
    base = f"innkjop-{document.order.number}"
    pdf_path, csv_path = folder / f"{base}.pdf", folder / f"{base}.csv"
    _atomic(pdf_path, lambda target: _pdf(document).output(str(target)))
    _atomic(csv_path, lambda target: _csv(document, target))
    return [pdf_path, csv_path]


def _atomic(path: Path, write: object) -> None:
    sweep_stale(path)  # what a killed run left (the CLI's exports say so; this is a by-product)
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        hold(handle)  # ours while we write: the next run sweeps it only if we die
        write(Path(partial))  # type: ignore[operator]
        os.replace(partial, path)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        os.close(handle)
        Path(partial).unlink(missing_ok=True)


def _rows(document: OrderDocument) -> list[list[str]]:
    rows = []
    for line in document.order.lines:
        product = document.products.get(line.sku)
        item = document.items.get(line.sku)
        unit = product.unit if product else None
        packs = ""
        if item is not None and item.pack_size:
            packs = format_quantity(line.quantity * 1000 // item.pack_size)
        rows.append(
            [
                str(document.order.number),
                str(line.line_no),
                line.supplier_sku,
                line.sku,
                product.name if product else "",
                format_quantity(line.quantity, unit),
                "kg" if unit is not None and unit.value == "kg" else "stk",
                packs,
                Money(line.unit_cost).format(),
                Money(stock_value(line.quantity, line.unit_cost)).format(),
            ]
        )
    return rows


def _csv(document: OrderDocument, target: Path) -> None:
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows([safe_cell(cell) for cell in row] for row in _rows(document))


def _pdf(document: OrderDocument) -> FPDF:
    order, supplier, company = document.order, document.supplier, document.company
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(f"Innkjøpsordre {order.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    if company is not None:
        pdf.multi_cell(
            0,
            5,
            _latin1(
                f"Fra: {company.name}, {company.org_line}\n{company.street}, "
                f"{company.postal_code} {company.city}"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    contact = ", ".join(x for x in (supplier.contact, supplier.email, supplier.phone) if x)
    org = f" (org.nr. {supplier.org_number})" if supplier.org_number else ""
    pdf.multi_cell(
        0,
        5,
        _latin1(f"Til: {supplier.name}{org}" + (f"\n{contact}" if contact else "")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    expected = order.expected.isoformat() if order.expected else "snarest"
    pdf.multi_cell(
        0,
        5,
        _latin1(
            f"Dato: {order.created_at.date().isoformat()}   Ønsket levert: {expected}   "
            f"Leveres til: {order.location}"
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if order.note:
        pdf.multi_cell(0, 5, _latin1(f"Merknad: {order.note}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (10, 28, 62, 22, 18, 25, 25)
    heads = ("Nr", "Lev. varenr", "Vare", "Antall", "Pakker", "Pris", "Beløp")
    pdf.set_font("Helvetica", "B", 9)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 6, _latin1(head), border="B", align="L" if width > 22 else "R")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    total = 0
    for row, line in zip(_rows(document), order.lines, strict=True):
        total += stock_value(line.quantity, line.unit_cost)
        name = f"{row[3]} {row[4]}"[:40]
        cells = (row[1], row[2] or row[3], name, row[5], row[7], row[8], row[9])
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 6, _latin1(text), align="L" if width > 22 else "R")
        pdf.ln()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(sum(widths[:-1]), 8, _latin1("Sum eks. mva"), align="R")
    pdf.cell(widths[-1], 8, _latin1(Money(total).format(thousands=True)), align="R")
    return pdf
