"""``omnipos webshop``: the web shop that shares the stock, customers and orders.

``setup`` prepares the shop (Oscar: product class and partner) and checks the
credentials; ``test`` only checks them; ``link [SKU...] [--all]`` links products by SKU,
then barcode (products only the shop has are listed, never invented); ``sync --once``
pulls orders and customers and pushes the catalogue and every linked stock level (without
``--once`` it runs the pull loop in the foreground; normally ``omnipos worker`` does it);
``reconcile [--repair]`` compares the shop's stock with ours; ``status`` shows each
direction's last success, backlog, drift and last error. Every command takes ``--json``.
``setup``, ``link``, ``sync`` and ``reconcile --repair`` change data here or in the shop:
they need a manager at the keyboard (``--employee``, :mod:`.auth`).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.output import JsonValue, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.clock import business_day, local
from omnipos_tui.core.webshop.model import WebshopStatus

app = typer.Typer(no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


@app.command("status")
def status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Each direction's last success, backlog, drift and last error; open problems."""
    current = services(ctx).webshop.status()
    if as_json:
        print_json(status_json(current))
        return
    typer.echo(
        f"web shop: {current.kind} {current.url}  linked products {current.linked_products}, "
        f"linked customers {current.linked_customers}, web orders {current.web_orders}"
    )
    rows = [
        [
            d.direction,
            _when(d.last_ok),
            str(d.backlog),
            d.detail,
            _when(d.last_error_at),
            d.last_error,
        ]
        for d in current.directions
    ]
    table(
        "Web shop sync",
        ("Direction", "Last success", "Backlog", "", "Error at", "Last error"),
        rows,
    )
    for problem in current.problems:
        typer.echo(f"problem: {problem}")


@app.command("test")
def test(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Check that the shop answers and takes the credentials."""
    answer = services(ctx).webshop.check()
    if as_json:
        print_json({"ok": True, "shop": answer})
    else:
        typer.echo(answer)


@app.command("setup")
def setup(
    ctx: typer.Context,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Prepare what the adapter needs in the shop and check the credentials (manager)."""
    who(ctx, employee, pin, role=Role.MANAGER)
    done = services(ctx).webshop.setup()
    if as_json:
        print_json({"ok": True, "done": list(done)})
    else:
        for line in done:
            typer.echo(line)


@app.command("link")
def link(
    ctx: typer.Context,
    skus: Annotated[list[str] | None, typer.Argument(help="Our SKUs to link.")] = None,
    *,
    every: Annotated[bool, typer.Option("--all", help="Every product the shop has too.")] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Link our products to the shop's by SKU, then barcode; push their catalogue and stock
    (manager)."""
    if not skus and not every:
        raise typer.BadParameter("name SKUs to link, or --all")
    who(ctx, employee, pin, role=Role.MANAGER)
    result = services(ctx).webshop.link(skus or [], every=every)
    if as_json:
        print_json(
            {
                k: [list(v) if isinstance(v, tuple) else v for v in vs]
                for k, vs in asdict(result).items()
            }
        )
        return
    typer.echo(f"linked {len(result.linked)}, already linked {len(result.already)}")
    for sku in result.not_in_shop:
        typer.echo(f"not in the shop: {sku}")
    for sku in result.only_in_shop:
        typer.echo(f"only in the shop (not invented here): {sku}")


@app.command("sync")
def sync(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One full sync, then exit.")] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Pull orders and customers, push catalogue and stock (``--once``); without it, pull
    orders every poll interval until Ctrl-C (the worker does this normally; manager)."""
    who(ctx, employee, pin, role=Role.MANAGER)
    web = services(ctx).webshop
    if not once:
        poll = services(ctx).settings.webshop.poll_seconds
        typer.echo(f"pulling orders every {poll} s; stop with Ctrl-C", err=True)
        try:
            while True:
                result = web.pull_orders()
                for external, number in result.imported:
                    typer.echo(f"web order {external} -> order {number}")
                time.sleep(poll)
        except KeyboardInterrupt:
            return
    report = web.sync_once()
    if as_json:
        print_json(
            {
                "orders_imported": [
                    {"external_id": e, "order": n} for e, n in report.orders.imported
                ],
                "orders_known": list(report.orders.known),
                "orders_cancelled": list(report.orders.cancelled),
                "problems": list(report.orders.problems),
                "cursor": report.orders.cursor,
                "customers_added": list(report.customers),
                "catalogue_pushed": report.catalogue,
                "stock_pushed": report.stock,
            }
        )
        return
    typer.echo(
        f"orders imported {len(report.orders.imported)}, known {len(report.orders.known)}, "
        f"cancelled {len(report.orders.cancelled)}; customers added {len(report.customers)}; "
        f"catalogue pushed {report.catalogue}; stock pushed {report.stock}"
    )
    for problem in report.orders.problems:
        typer.echo(f"problem: {problem}")


@app.command("reconcile")
def reconcile(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option("--repair", help="Push ours where they differ.")] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Compare every linked product's stock in the shop with what we offer (--repair: a
    manager's)."""
    if repair:
        who(ctx, employee, pin, role=Role.MANAGER)
    drift = services(ctx).webshop.reconcile(repair=repair)
    if as_json:
        print_json({"repaired": repair, "drift": [asdict(d) for d in drift]})
        return
    if not drift:
        typer.echo("no drift: the shop offers what we offer")
        return
    rows = [
        [d.sku, d.external_id, "-" if d.shop is None else str(d.shop), str(d.ours)] for d in drift
    ]
    table("Drift" + (" (repaired)" if repair else ""), ("SKU", "Shop id", "Shop", "Ours"), rows)


@app.command("settle")
def settle(
    ctx: typer.Context,
    *,
    day: Annotated[
        str | None, typer.Option("--day", help="The business day (YYYY-MM-DD); default yesterday.")
    ] = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Show the voucher; queue nothing.")
    ] = False,
    as_json: JsonFlag = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Queue the web channel's settlement voucher of a day for the books (the worker does
    this for every finished day; a manager's PIN here); ``--preview`` shows it (no PIN)."""
    web = services(ctx).webshop
    if web.settlement is None:
        raise typer.BadParameter('no accounting is configured ([accounting] kind = "none")')
    if not preview:
        who(ctx, employee, pin, role=Role.MANAGER)
    when = parse_day(day) if day else business_day(services(ctx).clock.now()) - timedelta(days=1)
    if preview:
        voucher = web.settlement.preview(when)
        if as_json:
            print_json(None if voucher is None else voucher.to_dict())  # type: ignore[arg-type]
            return
        if voucher is None:
            typer.echo(f"no prepaid web order on {when.isoformat()}")
            return
        rows = [[p.account, p.description, str(p.debit), str(p.credit)] for p in voucher.lines]
        table(f"{voucher.key}: {voucher.description}", ("Account", "Text", "Debit", "Credit"), rows)
        return
    key = web.settlement.settle(when)
    if as_json:
        print_json({"day": when.isoformat(), "queued": key})
    elif key is None:
        typer.echo(
            f"nothing queued for {when.isoformat()} (no prepaid web order, or queued already)"
        )
    else:
        typer.echo(f"queued {key}: the worker books it")


def parse_day(text: str) -> date:
    """A day typed as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a day (YYYY-MM-DD)") from None


def status_json(current: WebshopStatus) -> dict[str, JsonValue]:
    """``webshop status --json``."""
    return {
        "kind": current.kind,
        "url": current.url,
        "linked_products": current.linked_products,
        "linked_customers": current.linked_customers,
        "web_orders": current.web_orders,
        "directions": [
            {
                "direction": d.direction,
                "last_ok": _iso(d.last_ok),
                "backlog": d.backlog,
                "detail": d.detail,
                "last_error": d.last_error,
                "last_error_at": _iso(d.last_error_at),
            }
            for d in current.directions
        ],
        "problems": list(current.problems),
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _when(moment: datetime | None) -> str:
    return "" if moment is None else local(moment).strftime("%d.%m.%Y %H:%M:%S")
