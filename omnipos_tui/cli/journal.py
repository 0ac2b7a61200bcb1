"""``omnipos journal``: read the electronic journal and check its signature and hash chains.

``journal show`` lists events (log-ins, drawer openings, receipts, reports, exports...);
``journal verify`` re-checks every transaction's signature, number and chain link, and our
hash chain over every stored field of every event and transaction, and exits with code 1
naming what was changed, added or deleted, and where.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from omnipos_tui.cli.dates import parse_day
from omnipos_tui.cli.output import JsonValue, console, print_json
from omnipos_tui.cli.state import services
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.chain import ChainCheck
from omnipos_tui.core.ledger.journal import EVENT_CODES, EventCode, JournalEvent
from omnipos_tui.core.ledger.signature import ChainResult
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


MOST_EVENTS = 2**62
"""``--limit`` and ``--last`` above this mean "all" (the database counts in 64 bits)."""


def _bound(day: date, days_after: int) -> datetime | None:
    """The start of ``day`` plus ``days_after`` days in Oslo, as UTC; None (no bound) for a
    day at the ends of the calendar (0001-01-01, 9999-12-31), where that time does not exist."""
    try:
        return day_start(day + timedelta(days=days_after))
    except OverflowError:
        return None


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
    first_day = None if first is None else parse_day(first, "--from")
    last_day = None if last is None else parse_day(last, "--to")
    if first_day is not None and last_day is not None and last_day < first_day:
        raise InvalidInput(f"--to {last} is before --from {first}: no events in between")
    since = None if first_day is None else _bound(first_day, 0)
    until = None if last_day is None else _bound(last_day, 1)
    codes = event_codes(code or [])
    journal = services(ctx).journal
    registers = [register] if register else [r.register_id for r in journal.registers()]
    found: list[JournalEvent] = []
    limit = min(limit, MOST_EVENTS)
    newest = None if newest is None else min(newest, MOST_EVENTS)
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
    """Re-check every signature, number and chain link, and our hash chain over every
    stored field of every journal event and transaction; exit 1 when anything is wrong.

    The signature (Skatteetaten's) covers each transaction's date, time, number and
    totals. Our hash chain covers everything else too: lines, payments, employee, flags,
    every journal event, and the end of the journal (the register's state and each Z
    report record where it stood), so an edit, insertion or deletion anywhere is named
    with what and where. RSA registers' signatures are checked from the public keys in the
    database, on any machine; an HMAC register's only where its secret is (its till): a
    chain that cannot be checked here is reported as NOT CHECKED, and the exit status is 1
    too. The hash chain needs no key and is checked everywhere.
    """
    journal = services(ctx).journal
    results = journal.verify(register)
    chains = {c.register_id: c for c in journal.check_chains(register)}
    signed = {r.register_id: r for r in results}
    registers = sorted(set(signed) | set(chains))
    if as_json:
        print_json([_verify_json(signed.get(rid), chains.get(rid), rid) for rid in registers])
    else:
        out = console()
        if not registers:
            out.print("No registers to verify.")
        for rid in registers:
            for line in _verify_lines(signed.get(rid), chains.get(rid)):
                out.print(line, markup=False)
    first = next((r.broken for r in results if r.broken is not None and not r.unchecked), None)
    unchecked = [r.register_id for r in results if r.unchecked]
    problem = next((c for c in chains.values() if not c.ok), None)
    if first is not None:
        typer.echo(
            f"error: the journal does not verify: first broken transaction {first.trans_id} "
            f"({first.reason.value})",
            err=True,
        )
        raise typer.Exit(1)
    if problem is not None:
        found = problem.problems[0]
        typer.echo(
            f"error: the journal does not verify: register {problem.register_id}: "
            f"{found.where} ({found.kind.value})",
            err=True,
        )
        raise typer.Exit(1)
    if unchecked:
        typer.echo(
            f"error: the journal could not be checked completely: register(s) "
            f"{', '.join(unchecked)} not checked (their keys are not available here)",
            err=True,
        )
        raise typer.Exit(1)


def _verify_lines(r: ChainResult | None, chain: ChainCheck | None) -> list[str]:
    """What ``journal verify`` says about one register."""
    lines = []
    if r is not None:
        if r.broken is None:
            lines.append(f"Register {r.register_id}: ok, {r.checked} transaction(s) verified")
        elif r.unchecked:
            lines.append(
                f"Register {r.register_id}: NOT CHECKED from transaction "
                f"{r.broken.trans_id} (nr {r.broken.nr}) on, after {r.checked} verified: "
                f"{r.broken.detail}"
            )
        else:
            lines.append(
                f"Register {r.register_id}: BROKEN at transaction {r.broken.trans_id} "
                f"(nr {r.broken.nr}) after {r.checked} verified: {r.broken.detail}"
            )
    if chain is not None:
        counted = f"{chain.events} event(s), {chain.transactions} transaction(s)"
        if chain.ok:
            lines.append(f"Register {chain.register_id}: hash chain ok, {counted}")
        else:
            found = len(chain.problems) + chain.more
            lines.append(
                f"Register {chain.register_id}: hash chain BROKEN, {found} problem(s) in {counted}:"
            )
            lines += [f"  {p.where}: {p.detail}" for p in chain.problems]
            if chain.more:
                lines.append(f"  ... and {chain.more} more")
    return lines


def _verify_json(
    r: ChainResult | None, chain: ChainCheck | None, register_id: str
) -> dict[str, JsonValue]:
    """One register's ``journal verify --json`` object."""
    hash_chain: dict[str, JsonValue] | None = None
    if chain is not None:
        hash_chain = {
            "ok": chain.ok,
            "events": chain.events,
            "transactions": chain.transactions,
            "problems": [
                {"kind": p.kind.value, "where": p.where, "detail": p.detail} for p in chain.problems
            ],
            "more": chain.more,
        }
    broken = None if r is None else r.broken
    return {
        "register": register_id,
        "ok": (r is None or r.ok) and (chain is None or chain.ok),
        "unchecked": r is not None and r.unchecked,
        "checked": 0 if r is None else r.checked,
        "last_nr": 0 if r is None else r.last_nr,
        "broken_nr": broken.nr if broken else None,
        "broken_transaction": broken.trans_id if broken else None,
        "reason": broken.reason.value if broken else None,
        "detail": broken.detail if broken else None,
        "hash_chain": hash_chain,
    }
