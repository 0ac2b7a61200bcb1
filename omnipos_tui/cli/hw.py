"""``omnipos hw``: the technician's device commands.

``list`` probes every configured device (no paper, no pulse, no payment); the others each
exercise one device: a test page, a drawer opening (journaled as an opening without a
sale), a real test payment, the scanner's codes, and a simulated Concert V2 terminal for
testing other programs against.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.output import JsonValue, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardDeclined, CardResult
from omnipos_tui.messages import render

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_devices(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """List the configured devices with their kind, port and live status."""
    checks = services(ctx).hardware.check()
    if as_json:
        rows: list[JsonValue] = [
            {
                "role": c.device.role,
                "name": c.device.name,
                "kind": c.device.kind,
                "where": c.device.where,
                "ok": c.ok,
                "status": render(c.state),
            }
            for c in checks
        ]
        print_json(rows)
        return
    table(
        "Devices",
        ("Role", "Name", "Kind", "Port", "Status"),
        (
            (
                c.device.role,
                c.device.name,
                c.device.kind,
                c.device.where or "-",
                ("OK  " if c.ok else "FAIL  ") + render(c.state),
            )
            for c in checks
        ),
    )


@app.command("printer-test")
def printer_test(
    ctx: typer.Context,
    printer: Annotated[
        str | None,
        typer.Option(help='Printer name: "receipt" (default) or "reports".', metavar="NAME"),
    ] = None,
) -> None:
    """Print a test page: ÆØÅ æøå, the pinned code page's table and a QR code."""
    name = services(ctx).hardware.print_test_page(printer)
    typer.echo(f"Test page printed on printer {name!r}.")


@app.command("drawer-open")
def drawer_open(
    ctx: typer.Context,
    reason: Annotated[
        str, typer.Option(help="Why the drawer is opened (printed on the X and Z reports).")
    ],
    employee: Annotated[str, typer.Option(help="Your employee number.", metavar="NUMBER")],
    pin: Annotated[
        str | None, typer.Option(help="Your PIN (asked for, hidden, when left out).")
    ] = None,
) -> None:
    """Open the cash drawer without a sale. It is journaled first (with the reason and the
    employee), as the till does; a manager is needed unless [till]
    no_sale_requires_manager is false."""
    code = pin if pin is not None else typer.prompt(f"PIN for {employee}", hide_input=True)
    state = services(ctx).hardware.open_drawer(reason, employee=employee, pin=code)
    shown = {True: "reports open", False: "reports closed", None: "cannot tell open/closed"}
    typer.echo(f"Drawer opened (journaled as opening without sale); the drawer {shown[state]}.")


@app.command("terminal-test")
def terminal_test(
    ctx: typer.Context,
    *,
    amount: Annotated[str, typer.Option(help="Amount to charge, for example 1.00 or 1,00.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Yes, take a real card payment of this amount.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Take a real test payment on the card terminal and print its result.

    Refuses without --yes: the card is really charged (refund it on the terminal). A
    manager's PIN is asked for before the terminal is touched.
    """
    money = Money.parse(amount)
    if not yes:
        raise InvalidInput(
            f"this takes a real card payment of kr {money.format(thousands=True)}; "
            "add --yes to go ahead"
        )
    who(ctx, employee, pin, role=Role.MANAGER)
    result = services(ctx).hardware.test_terminal(money)
    if as_json:
        print_json(_result_json(result))
    else:
        typer.echo(_result_text(result))


def _result_text(result: CardResult) -> str:
    if isinstance(result, CardApproved):
        parts = [f"APPROVED kr {result.amount.format(thousands=True)}"]
        parts.append(f"transaction {result.transaction_id or '-'}")
        if result.masked_card:
            parts.append(f"card {result.masked_card}")
        if result.tip.ore:
            parts.append(f"tip kr {result.tip.format(thousands=True)}")
        return ", ".join(parts)
    if isinstance(result, CardDeclined):
        return f"DECLINED: {result.reason}"
    return f"CANCELLED: {result.reason}"


def _result_json(result: CardResult) -> dict[str, JsonValue]:
    if isinstance(result, CardApproved):
        return {
            "result": "approved",
            "amount": result.amount.saft(),
            "transaction_id": result.transaction_id,
            "masked_card": result.masked_card,
            "tip": result.tip.saft(),
        }
    kind = "declined" if isinstance(result, CardDeclined) else "cancelled"
    return {"result": kind, "reason": result.reason}


@app.command("scanner-listen")
def scanner_listen(
    ctx: typer.Context,
    count: Annotated[
        int | None,
        typer.Option(help="Stop after this many scans (default: until Ctrl-C).", min=1),
    ] = None,
) -> None:
    """Print each decoded scan on its own line until Ctrl-C."""
    hardware = services(ctx).hardware
    stream = hardware.scans()

    async def listen() -> None:
        seen = 0
        async for scan in stream:
            typer.echo(scan.code)
            seen += 1
            if count is not None and seen >= count:
                break

    typer.echo("Listening to the scanner; Ctrl-C stops.", err=True)
    try:
        asyncio.run(listen())
    except KeyboardInterrupt:
        typer.echo("Stopped.", err=True)
    finally:
        hardware.stop_scanner()


@app.command("terminal-simulator")
def terminal_simulator(
    ctx: typer.Context,
    port: Annotated[
        str,
        typer.Option(
            help='A serial port to answer on, or "pty" for a new pseudo-terminal (its '
            "/dev/pts/N path is printed).",
            metavar="PATH|pty",
        ),
    ] = "pty",
    script: Annotated[
        str,
        typer.Option(
            help='Outcomes of the next payments, e.g. "approve decline tip:20,00 silence off"; '
            "approve after."
        ),
    ] = "",
) -> None:
    """Serve a simulated card terminal speaking Concert V2 until Ctrl-C (or SIGTERM), so
    other programs (or another till) can be tested against it."""
    hardware = services(ctx).hardware
    stop = threading.Event()

    def ready(path: str) -> None:
        typer.echo(path)
        typer.echo(f"Simulated Concert V2 terminal on {path}; Ctrl-C stops.", err=True)

    # A service manager stops with SIGTERM: end as cleanly as after Ctrl-C.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        with contextlib.suppress(KeyboardInterrupt):
            hardware.serve_terminal_simulator(
                None if port == "pty" else port, script=script, on_ready=ready, stop=stop
            )
    finally:
        signal.signal(signal.SIGTERM, previous)
    typer.echo("Stopped.", err=True)
