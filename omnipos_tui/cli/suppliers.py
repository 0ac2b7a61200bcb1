"""``omnipos suppliers``: add, list, show, import FILE.csv, item."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.output import JsonValue, console, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.cli.stock_options import EmployeeOption, JsonFlag, PinOption, actor, money, qty
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.documents import Supplier, SupplierItem

app = typer.Typer(no_args_is_help=True)


def supplier_json(supplier: Supplier) -> dict[str, JsonValue]:
    """A supplier for ``--json``."""
    return {
        "code": supplier.code,
        "name": supplier.name,
        "org_number": supplier.org_number,
        "contact": supplier.contact,
        "email": supplier.email,
        "phone": supplier.phone,
        "delivery_days": supplier.delivery_days,
        "lead_days": supplier.lead_days,
        "active": supplier.active,
    }


def item_json(item: SupplierItem) -> dict[str, JsonValue]:
    """A supplier item for ``--json``."""
    return {
        "supplier": item.supplier,
        "sku": item.sku,
        "supplier_sku": item.supplier_sku,
        "pack_size": item.pack_size / 1000,
        "cost_price": item.cost_price,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. tine (1-20 letters, digits).")],
    name: Annotated[str, typer.Argument(help="Name.")],
    *,
    org_number: Annotated[
        str, typer.Option("--org-number", help="Organisation number (checked).")
    ] = "",
    contact: Annotated[str, typer.Option(help="Contact person.")] = "",
    email: Annotated[str, typer.Option(help="Where orders go.")] = "",
    phone: Annotated[str, typer.Option(help="Telephone.")] = "",
    delivery_days: Annotated[
        str, typer.Option("--delivery-days", help='Weekdays it delivers, e.g. "mon,thu".')
    ] = "",
    lead_days: Annotated[
        int, typer.Option("--lead-days", min=0, max=365, help="Days from order to delivery.")
    ] = 7,
    inactive: Annotated[bool, typer.Option("--inactive", help="No new orders.")] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Add a supplier, or change one (the same code again)."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    saved = services(ctx).suppliers.save(
        Supplier(
            code=code,
            name=name,
            org_number=org_number,
            contact=contact,
            email=email,
            phone=phone,
            delivery_days=delivery_days,
            lead_days=lead_days,
            active=not inactive,
        ),
        employee=who,
    )
    console().print(f"Supplier {saved.code}: {saved.name}")


@app.command("list")
def list_suppliers(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Every supplier by code."""
    found = services(ctx).suppliers.all()
    if as_json:
        print_json([supplier_json(s) for s in found])
        return
    table(
        "Suppliers",
        ("Code", "Name", "Org.nr.", "Contact", "E-mail", "Delivers", "Lead days", "Active"),
        (
            [
                s.code,
                s.name,
                s.org_number,
                s.contact,
                s.email,
                s.delivery_days,
                str(s.lead_days),
                "yes" if s.active else "no",
            ]
            for s in found
        ),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Supplier code.")],
    as_json: JsonFlag = False,
) -> None:
    """A supplier and the products it sells us."""
    supplier, items = services(ctx).suppliers.get(code)
    if as_json:
        print_json({**supplier_json(supplier), "items": [item_json(i) for i in items]})
        return
    fields = supplier_json(supplier)
    table(supplier.name, ("Field", "Value"), ([k, str(v)] for k, v in fields.items()))
    table(
        f"Items from {supplier.code}",
        ("SKU", "Supplier's no.", "Pack", "Cost"),
        ([i.sku, i.supplier_sku, qty(i.pack_size), money(i.cost_price)] for i in items),
    )


@app.command("item")
def item(
    ctx: typer.Context,
    supplier: Annotated[str, typer.Argument(help="Supplier code.")],
    sku: Annotated[str, typer.Argument(help="Our SKU or barcode.")],
    *,
    cost: Annotated[str, typer.Option(help="Cost price per unit excl. VAT, e.g. 12,50.")],
    supplier_sku: Annotated[
        str, typer.Option("--supplier-sku", help="The supplier's article number.")
    ] = "",
    pack_size: Annotated[str, typer.Option("--pack-size", help="Units per pack.")] = "1",
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Add or change what a supplier sells us of one product."""
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    saved = services(ctx).suppliers.save_item(
        supplier, sku, cost=cost, supplier_sku=supplier_sku, pack_size=pack_size, employee=who
    )
    console().print(
        f"{saved.supplier} sells {saved.sku} as {saved.supplier_sku or '-'}: pack "
        f"{qty(saved.pack_size)}, cost {money(saved.cost_price)}"
    )


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8 or Windows-1252, ; or ,).")],
    supplier: Annotated[
        str | None,
        typer.Option(help="Whose items, for an items file without a supplier column."),
    ] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Import suppliers (columns code;name;org_number;contact;email;phone;delivery_days;
    lead_days;active) or supplier items (columns supplier;sku;supplier_sku;pack_size;cost):
    all rows or none, every problem named with its line and column."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {file}: {exc.strerror or exc}") from None
    who = actor(ctx, employee, pin, role=Role.MANAGER)
    result = services(ctx).suppliers.import_csv(
        data, source=str(file), supplier=supplier, employee=who
    )
    console().print(
        f"Imported {file}: {result.rows} {result.kind} rows; {result.created} created, "
        f"{result.updated} updated"
    )
