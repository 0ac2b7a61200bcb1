"""Output helpers shared by the command groups: rich tables for people, JSON for scripts.

Consoles are created per call, so tests that swap ``sys.stdout`` (Typer's ``CliRunner``)
see the output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.temp_files import sweep_stale

# Sequence and Mapping (not list and dict) so that list[str] and dict[str, str] fit.
JsonValue = str | int | float | bool | None | Sequence["JsonValue"] | Mapping[str, "JsonValue"]


def console() -> Console:
    """A console on standard output."""
    return Console(highlight=False)


def err_console() -> Console:
    """A console on standard error (progress bars, notes next to machine output)."""
    return Console(stderr=True, highlight=False)


def sweep_stale_files(target: Path, *, prefix: str | None = None) -> None:
    """Remove what an interrupted run writing ``target`` left (:func:`sweep_stale`), and say
    so on standard error."""
    removed = sweep_stale(target.expanduser(), prefix=prefix)
    if removed:
        err_console().print(
            f"Removed {len(removed)} temporary file(s) an interrupted run left in "
            f"{removed[0].parent}: {', '.join(p.name for p in removed)}",
            markup=False,
        )


def print_json(value: JsonValue) -> None:
    """Pretty JSON (UTF-8, not ASCII-escaped) on standard output."""
    import typer  # here: the Typer-less fast paths print tables with this module

    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A rich table on standard output."""
    out = Table(title=title, title_justify="left")
    for column in columns:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*row)
    console().print(out)


def product_json(product: Product) -> dict[str, JsonValue]:
    """A product for ``--json``: price both as "12.50" and in øre."""
    return {
        "sku": product.sku,
        "name": product.name,
        "price": product.price.saft(),
        "price_ore": product.price.ore,
        "vat_percent": str(product.vat.percent),
        "vat_code": product.vat.code,
        "group": product.group,
        "unit": product.unit.value,
        "barcodes": list(product.barcodes),
        "active": product.active,
    }


def product_row(product: Product) -> list[str]:
    """A product as a table row."""
    return [
        product.sku,
        product.name,
        product.price.format(),
        f"{product.vat.percent} %",
        product.group,
        product.unit.value,
        " ".join(product.barcodes),
        "yes" if product.active else "no",
    ]


PRODUCT_COLUMNS = ("SKU", "Name", "Price", "VAT", "Group", "Unit", "Barcodes", "Active")


def employee_json(employee: Employee) -> dict[str, JsonValue]:
    """An employee for ``--json`` (never a PIN)."""
    return {
        "number": employee.number,
        "name": employee.name,
        "role": employee.role.value,
        "active": employee.active,
    }


def customer_json(customer: Customer) -> dict[str, JsonValue]:
    """A customer for ``--json``."""
    return {
        "number": customer.number,
        "name": customer.name,
        "phone": customer.phone,
        "email": customer.email,
        "org_number": customer.org_number,
        "street": customer.street,
        "postal_code": customer.postal_code,
        "city": customer.city,
        "active": customer.active,
    }


CUSTOMER_COLUMNS = ("Number", "Name", "Phone", "E-mail", "Org.nr.", "Address")


def customer_row(customer: Customer) -> list[str]:
    """A customer as a table row."""
    address = ", ".join(
        part
        for part in (customer.street, f"{customer.postal_code} {customer.city}".strip())
        if part
    )
    return [
        customer.number,
        customer.name if customer.active else f"{customer.name} (deactivated)",
        customer.phone,
        customer.email,
        customer.org_number,
        address,
    ]
