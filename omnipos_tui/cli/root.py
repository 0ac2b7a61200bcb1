"""``omnipos``: the admin command line, the Typer app (the console script,
:func:`omnipos_tui.cli.main.main`, runs it for every command line but a plain ``till``).

Every ``PosError`` is handled here, in one place: the message goes to standard error and
the exit code is 1 (2 for usage errors, as Click does). User errors never show a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from omnipos_tui.cli import (
    accounting,
    config,
    customers,
    db,
    demo,
    doctor,
    employees,
    hw,
    init,
    journal,
    keys,
    locations,
    orders,
    products,
    purchase,
    receive,
    registers,
    reports,
    saft,
    stock,
    stock_documents,
    stock_value,
    suppliers,
    till,
    webshop,
    worker,
)
from omnipos_tui.cli.errors import error_lines
from omnipos_tui.cli.state import CliState, global_overrides, state
from omnipos_tui.core.errors import PosError

if TYPE_CHECKING:
    # Typer 0.2x ships its own copy of Click; its Context is the base of typer.Context.
    from typer._click.core import Context as ClickContext


class _OmniposGroup(TyperGroup):
    """The root command: turns every ``PosError`` into a message and exit code 1."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except PosError as exc:
            for line in error_lines(exc):
                typer.echo(line, err=True)
            raise typer.Exit(1) from None
        finally:
            if isinstance(ctx.obj, CliState):
                ctx.obj.close()


app = typer.Typer(
    cls=_OmniposGroup,
    name="omnipos",
    help="OmniPOS admin: set up the shop, manage catalogue, staff and customers, "
    "look after the database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # never print PINs that sit in local variables
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Configuration file (TOML); default: $OMNIPOS_CONFIG, else "
            "~/.config/omnipos/config.toml if it exists.",
            dir_okay=False,
        ),
    ] = None,
    db_url: Annotated[
        str | None,
        typer.Option(
            "--db-url",
            help="Database: postgresql://user@host/name (default: $OMNIPOS_DB_URL, else the "
            "SQLite file in the data directory).",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Data directory (default: $OMNIPOS_DATA_DIR, else the platform's).",
            file_okay=False,
        ),
    ] = None,
) -> None:
    current = state(ctx)
    current.config_file = config_file
    current.overrides = global_overrides(db_url, data_dir)


app.command("init")(init.init)
app.add_typer(products.app, name="products", help="The product catalogue.")
app.add_typer(employees.app, name="employees", help="Employees and their PINs.")
app.add_typer(customers.app, name="customers", help="The customer register.")
app.add_typer(
    registers.app, name="registers", help="The shop's registers (tills): list, add a new one."
)
app.add_typer(db.app, name="db", help="Database migrations, backups and checks.")
app.add_typer(config.app, name="config", help="The effective configuration.")
app.add_typer(
    reports.app, name="reports", help="X and Z reports; sales by product, hour, employee."
)
reports.app.command("stock-value")(stock_value.stock_value)
app.add_typer(journal.app, name="journal", help="The electronic journal: show, verify the chain.")
app.add_typer(saft.app, name="saft", help="SAF-T Cash Register export of the journal.")
app.add_typer(keys.app, name="keys", help="Signing keys: public key, rotation.")
app.add_typer(demo.app, name="demo", help="Demo data: realistic days of trading.")
app.add_typer(
    hw.app, name="hw", help="Devices: list and probe, test page, drawer, terminal, scanner."
)
app.add_typer(
    worker.app,
    name="worker",
    help="The background worker: deliver the outbox; status, retry of failed messages.",
)
app.command("doctor")(doctor.doctor)
app.add_typer(
    stock.app, name="stock", help="Stock: how much is where, history, transfers, counts, verify."
)
app.add_typer(locations.app, name="locations", help="Stock locations and registers' locations.")
stock.app.command("transfer")(stock_documents.transfer)
stock.app.add_typer(stock_documents.count_app, name="count", help="Stock counts (varetelling).")
app.add_typer(suppliers.app, name="suppliers", help="Suppliers and what they sell us.")
app.add_typer(purchase.app, name="purchase", help="Purchase orders and reorder suggestions.")
app.command("receive")(receive.receive)
app.add_typer(orders.app, name="orders", help="Customer orders: take, pick, ship, track, cancel.")
app.add_typer(
    webshop.app, name="webshop", help="The web shop: link, sync, reconcile, status (one stock)."
)
app.add_typer(
    accounting.app, name="accounting", help="Settlement vouchers to the books: status, preview."
)


@app.command("till")
def _till(
    ctx: typer.Context,
    register: Annotated[
        str | None,
        typer.Option("--register", help="The register this till is (default: shop.register_id)."),
    ] = None,
) -> None:
    """Open the full-screen till (log in with employee number and PIN).

    Leave it from the lock screen: F12 there, then 1.
    """
    till.run_till(state(ctx), register)
