"""``omnipos journal``: read the electronic journal and check its signature chain.

``journal show`` lists events (log-ins, drawer openings, receipts, reports, exports...);
``journal verify`` re-checks every transaction's signature, number and chain link and exits
with code 1 naming the first broken transaction of each register.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from omnipos_tui.cli.dates import parse_day
from omnipos_tui.cli.output import JsonValue, console, print_json
from omnipos_tui.cli.state import services
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EVENT_CODES, EventCode, JournalEvent
from omnipos_tui.services.ledger.export import day_start

app = typer.Typer(no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
RegisterOption = Annotated[
    str | None,
    typer.Option("--register", help="Register ID (default: every register).", metavar="ID"),
]


def event_codes(wanted: list[str]) -> set[EventCode]:
    """Our event codes for what was typed: our own codes ("ZREPORT") or predefined
    PredefinedBasicID-13 codes ("13009", meaning every code of ours that maps to it).

    Raises:
        InvalidInput: A code is neither.
    """
    codes: set[EventCode] = set()
    for text in wanted:
        for part in text.split(","):
            item = part.strip().upper()
            if not item:
                continue
            matched = {code for code, (predefined, _) in EVENT_CODES.items() if predefined == item}
            if not matched:
                try:
                    matched = {EventCode(item)}
                except ValueError:
                    known = ", ".join(code.value for code in EventCode)
                    raise InvalidInput(
                        f"--code: unknown event code {part.strip()!r} (ours: {known}; "
                        "or a SAF-T code such as 13009)"
                    ) from None
            codes |= matched
    return codes


@app.command("show")
def show(
    ctx: typer.Context,
    *,
    register: RegisterOption = None,
    first: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD.", metavar="DATE")
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last day (inclusive), YYYY-MM-DD.", metavar="DATE")
    ] = None,
    code: Annotated[
        list[str] | None,
        typer.Option(
            "--code",
            help="Only these events: our code (ZREPORT) or the SAF-T code (13009); repeat or "
            "separate with commas.",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, help="At most this many events, from the first.")
    ] = 100,
    newest: Annotated[
        int | None,
        typer.Option(
            "--last", min=1, help="Only the newest N events (instead of --limit).", metavar="N"
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List journal events in order, oldest first (--last N: the newest N)."""
    since = day_start(parse_day(first, "--from")) if first else None
    until = day_start(parse_day(last, "--to") + timedelta(days=1)) if last else None
    if since is not None and until is not None and until <= since:
        raise InvalidInput(f"--to {last} is before --from {first}: no events in between")
    codes = event_codes(code or [])
    journal = services(ctx).journal
    registers = [register] if register else [r.register_id for r in journal.registers()]
    found: list[JournalEvent] = []
    if newest is not None:
        found = journal.newest_events(
            newest, register, since=since, until=until, codes=codes or None
        )
    for register_id in registers if newest is None else ():
        left = limit - len(found)
        if left <= 0:
            break
        found.extend(
            journal.events(register_id, since=since, until=until, codes=codes or None, limit=left)
        )
    if as_json:
        listed: list[JsonValue] = [event.to_dict() for event in found]
        print_json(listed)
        return
    title = f"Journal: {len(found)} event(s)"
    if newest is not None:
        title += f" (newest {newest})" if len(found) == newest else ""
    elif len(found) == limit:
        title += f" (first {limit})"
    screen = console()
    # Under 100 columns the SAF-T code and the date give way to the text (the time stays).
    wide = screen.width >= 100
    out = Table(title=title, title_justify="left")
    for column in ("Event", *(("Date",) if wide else ()), "Time", "Code"):
        out.add_column(column, no_wrap=True)
    for column in (*(("SAF-T",) if wide else ()), "Emp.", "Transaction"):
        out.add_column(column, no_wrap=True)
    out.add_column("Text", overflow="fold", ratio=1, min_width=16)
    for event in found:
        out.add_row(
            event.event_id,
            *((event.event_date,) if wide else ()),
            event.event_time,
            event.code.value + (" (training)" if event.training else ""),
            *((event.code.predefined,) if wide else ()),
            event.employee,
            event.trans_id or "",
            event.text,
        )
    screen.print(out)


@app.command("verify")
def verify(
    ctx: typer.Context, *, register: RegisterOption = None, as_json: JsonFlag = False
) -> None:
    """Re-check every signature, number and chain link; exit 1 at the first break.

    RSA registers are checked from the public keys in the database, on any machine; an
    HMAC register only where its secret is (its till). A chain that cannot be checked here
    is reported as NOT CHECKED, and the exit status is 1 too: it did not pass.
    """
    results = services(ctx).journal.verify(register)
    if as_json:
        print_json(
            [
                {
                    "register": r.register_id,
                    "ok": r.ok,
                    "unchecked": r.unchecked,
                    "checked": r.checked,
                    "last_nr": r.last_nr,
                    "broken_nr": r.broken.nr if r.broken else None,
                    "broken_transaction": r.broken.trans_id if r.broken else None,
                    "reason": r.broken.reason.value if r.broken else None,
                    "detail": r.broken.detail if r.broken else None,
                }
                for r in results
            ]
        )
    else:
        out = console()
        if not results:
            out.print("No registers to verify.")
        for r in results:
            if r.broken is None:
                out.print(f"Register {r.register_id}: ok, {r.checked} transaction(s) verified")
            elif r.unchecked:
                out.print(
                    f"Register {r.register_id}: NOT CHECKED from transaction "
                    f"{r.broken.trans_id} (nr {r.broken.nr}) on, after {r.checked} verified: "
                    f"{r.broken.detail}"
                )
            else:
                out.print(
                    f"Register {r.register_id}: BROKEN at transaction {r.broken.trans_id} "
                    f"(nr {r.broken.nr}) after {r.checked} verified: {r.broken.detail}"
                )
    first = next((r.broken for r in results if r.broken is not None and not r.unchecked), None)
    unchecked = [r.register_id for r in results if r.unchecked]
    if first is None and unchecked:
        typer.echo(
            f"error: the journal could not be checked completely: register(s) "
            f"{', '.join(unchecked)} not checked (their keys are not available here)",
            err=True,
        )
        raise typer.Exit(1)
    if first is not None:
        typer.echo(
            f"error: the journal does not verify: first broken transaction {first.trans_id} "
            f"({first.reason.value})",
            err=True,
        )
        raise typer.Exit(1)
