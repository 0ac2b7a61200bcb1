"""``omnipos products``: import, export, list, search, show; article groups."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.output import (
    PRODUCT_COLUMNS,
    console,
    err_console,
    print_json,
    product_json,
    product_row,
    sweep_stale_files,
    table,
)
from omnipos_tui.cli.state import services
from omnipos_tui.core.catalogue.products import SAFT_ARTICLE_GROUPS, ArticleGroup
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.file_modes import FileAccess
from omnipos_tui.temp_files import hold

app = typer.Typer(no_args_is_help=True)

PROGRESS_FROM = 2000  # rows; smaller files finish before a bar would be worth drawing

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


@app.command("import")
def import_products(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8 or Windows-1252, ; or ,).")],
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Create or update products from a CSV file: all rows or none (manager or admin).

    Any bad row aborts the import with every problem listed as
    "FILE: line N, column X: what is wrong"; the database is then unchanged.
    """
    me = who(ctx, employee, pin, role=Role.MANAGER)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror or exc}") from None
    bar: Progress | None = None
    task = None

    def progress(done: int, total: int) -> None:
        nonlocal bar, task
        if total < PROGRESS_FROM:
            return
        if bar is None:
            bar = Progress(
                TextColumn("Writing products"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console(),
                transient=True,
            )
            bar.start()
            task = bar.add_task("write", total=total)
        if task is not None:
            bar.update(task, completed=done)

    try:
        result = services(ctx).catalogue.import_csv(
            data, source=str(file), actor=me.number, progress=progress
        )
    finally:
        if bar is not None:
            bar.stop()
    console().print(
        f"Imported {file}: {result.rows} rows; {result.created} created, "
        f"{result.updated} updated, {result.unchanged} unchanged"
    )


@app.command("export")
def export_products(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="File to write (default: standard output).", dir_okay=False
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="For Excel: UTF-8 with a byte order mark, so Excel reads ÆØÅ right."
        ),
    ] = False,
) -> None:
    """Write every product as CSV in the import format (export -> import round-trips).

    Separated by ";" (what Excel expects in Norway). A cell a spreadsheet would run as a
    formula (starting with =, +, -, @) gets a ' in front, taken off again on import. The
    file is made for you only (mode 0600), or for your group too (0640) when
    security.file_group names one."""
    app = services(ctx)
    catalogue = app.catalogue
    if output is None:
        if excel:
            sys.stdout.write("\ufeff")
        catalogue.export_csv(sys.stdout)
        return
    # Written next to the target and renamed when complete: never a half-written file.
    sweep_stale_files(output)
    folder = output.resolve().parent
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{output.name}.", dir=folder)
    except OSError as exc:
        raise InvalidInput(f"cannot write in {folder}: {exc.strerror or exc}") from None
    try:
        hold(handle)  # ours while we write: the next run sweeps it only if we die
        with os.fdopen(handle, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as out:
            count = catalogue.export_csv(out)
        FileAccess(app.settings.security.file_group).apply(Path(partial))
        os.replace(partial, output)
    except OSError as exc:
        raise InvalidInput(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        Path(partial).unlink(missing_ok=True)
    err_console().print(f"Exported {count} products to {output}")


@app.command("list")
def list_products(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, help="Products per page.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Products to skip.")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """List products ordered by SKU, one page at a time."""
    catalogue = services(ctx).catalogue
    found = catalogue.list_products(limit=limit, offset=offset)
    if as_json:
        print_json([product_json(p) for p in found])
        return
    total = catalogue.count()
    end = offset + len(found)
    title = f"Products {offset + 1}-{end} of {total}" if found else f"No products ({total} in all)"
    table(title, PRODUCT_COLUMNS, (product_row(p) for p in found))


@app.command("search")
def search_products(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help='Name word prefixes, e.g. "gran orig" or "brod".')],
    limit: Annotated[int, typer.Option(min=1, help="Products per page.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Products to skip.")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Find products by the starts of the words in their name (case and accents ignored)."""
    found = services(ctx).catalogue.search(text, limit=limit, offset=offset)
    if as_json:
        print_json([product_json(p) for p in found])
        return
    table(f"Products matching {text!r}", PRODUCT_COLUMNS, (product_row(p) for p in found))


@app.command("show")
def show_product(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Barcode or SKU/PLU.")],
    as_json: JsonFlag = False,
) -> None:
    """Show one product, found by barcode or SKU."""
    product = services(ctx).catalogue.get(code)
    if as_json:
        print_json(product_json(product))
        return
    fields = dict(zip(PRODUCT_COLUMNS, product_row(product), strict=True))
    fields["VAT"] = f"{product.vat.percent} % (code {product.vat.code})"
    table(product.name, ("Field", "Value"), fields.items())


@app.command("groups")
def list_groups(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the article groups."""
    groups = services(ctx).catalogue.groups()
    if as_json:
        print_json([{"code": g.code, "name": g.name, "saft_code": g.saft_code} for g in groups])
        return
    table(
        "Article groups",
        ("Code", "Name", "SAF-T group"),
        (
            [g.code, g.name, f"{g.saft_code} {SAFT_ARTICLE_GROUPS.get(g.saft_code, '')}"]
            for g in groups
        ),
    )


@app.command("group-set")
def set_group(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help='Group code, e.g. "10".')],
    name: Annotated[str, typer.Argument(help='Name, e.g. "Meieri".')],
    *,
    saft: Annotated[
        str, typer.Option(help="SAF-T article group (PredefinedBasicID-04).")
    ] = "04003",
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Create or rename an article group (manager or admin)."""
    me = who(ctx, employee, pin, role=Role.MANAGER)
    services(ctx).catalogue.save_group(
        ArticleGroup(code.strip(), name.strip(), saft.strip()), actor=me.number
    )
    console().print(f"Article group {code}: {name} ({saft})")
