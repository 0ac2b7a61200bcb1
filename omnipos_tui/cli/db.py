"""``omnipos db``: migrate, backup, check, roles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.output import JsonValue, console, print_json, sweep_stale_files, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.database_admin import DatabaseReport
from omnipos_tui.core.errors import MigrationRequired

app = typer.Typer(no_args_is_help=True)


@app.command("migrate")
def migrate(ctx: typer.Context, employee: EmployeeOption = None, pin: PinOption = None) -> None:
    """Apply the missing schema migrations (each in its own transaction; admin only once
    the shop is initialised)."""
    app = services(ctx)
    database = app.database
    try:
        if app.setup.is_initialised():
            who(ctx, employee, pin, role=Role.ADMIN)
    except MigrationRequired:
        # A shop made by an older OmniPOS: its employees are read as they are (that table
        # is the same in every version); a refusal is not journaled on the old schema.
        with database.older_schema():
            if app.setup.is_initialised():
                who(ctx, employee, pin, role=Role.ADMIN, journaled=False)
    applied = database.migrate()
    version = database.schema_version()
    if applied:
        listed = ", ".join(str(v) for v in applied)
        console().print(
            f"Applied migration(s) {listed}; {database.location} is at version {version}"
        )
    else:
        console().print(f"{database.location} is up to date (schema version {version})")


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="The backup file to create (must not exist; its folder must).", dir_okay=False
        ),
    ],
) -> None:
    """Copy the SQLite database while it is in use (SQLite's online backup API).

    The copy is made for you only (mode 0600), or for your group too (0640) when
    security.file_group names one: it holds PIN hashes, sales and customers.

    The folder must exist: a mistyped or unmounted USB path is refused, not created on
    the local disk. On PostgreSQL this refuses: use pg_dump.
    """
    database = services(ctx).database
    sweep_stale_files(file)
    database.backup(file)
    console().print(f"Backed up {database.location} to {file}")


@app.command("check")
def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """Report the schema version, integrity, the append-only triggers, every register's
    hash chain and what the connected role may do.

    The hash chain covers every stored field of every journal event and transaction and
    the end of each register's journal: an edit, insertion or deletion is named with what
    and where (no key needed). Exits with code 1 when anything is wrong.
    """
    report = services(ctx).database.check()
    if as_json:
        print_json(
            {
                "engine": report.engine,
                "location": report.location,
                "schema_version": report.schema_version,
                "latest_version": report.latest_version,
                "integrity": report.integrity,
                "append_only": {t: sorted(k) for t, k in sorted(report.append_only.items())},
                "missing_triggers": report.missing_triggers,
                "hash_chains": _chains_json(report),
                "access": report.access,
                "ok": report.ok,
            }
        )
    else:
        version = f"{report.schema_version} (latest {report.latest_version})"
        triggers = ", ".join(
            f"{table_name}: {'/'.join(sorted(kinds)) or 'none'}"
            for table_name, kinds in sorted(report.append_only.items())
        )
        table(
            "Database check",
            ("Check", "Result"),
            [
                ("Database", f"{report.engine} {report.location}"),
                ("Schema version", version),
                ("Integrity", report.integrity),
                ("Append-only triggers", triggers or "no append-only tables"),
                ("Missing triggers", ", ".join(report.missing_triggers) or "none"),
                *_chain_rows(report),
                ("Access", report.access or "-"),
                ("Overall", "ok" if report.ok else "PROBLEMS FOUND"),
            ],
        )
    if not report.ok:
        raise typer.Exit(1)


def _chain_rows(report: DatabaseReport) -> list[tuple[str, str]]:
    if not report.chains_checked:
        return [("Hash chains", "not checked (migrate the database first)")]
    if not report.chains:
        return [("Hash chains", "no registers yet")]
    rows = []
    for chain in report.chains:
        counted = f"{chain.events} events, {chain.transactions} transactions"
        if chain.ok:
            rows.append((f"Hash chain, register {chain.register_id}", f"ok ({counted})"))
            continue
        found = [f"{p.where}: {p.detail}" for p in chain.problems]
        if chain.more:
            found.append(f"... and {chain.more} more")
        rows.append(
            (
                f"Hash chain, register {chain.register_id}",
                f"BROKEN ({counted})\n" + "\n".join(found),
            )
        )
    return rows


def _chains_json(report: DatabaseReport) -> JsonValue:
    if not report.chains_checked:
        return None
    return [
        {
            "register": chain.register_id,
            "ok": chain.ok,
            "events": chain.events,
            "transactions": chain.transactions,
            "problems": [
                {"kind": p.kind.value, "where": p.where, "detail": p.detail} for p in chain.problems
            ],
            "more": chain.more,
        }
        for chain in report.chains
    ]


@app.command("roles")
def roles(
    ctx: typer.Context,
    *,
    owner: Annotated[
        str, typer.Option(help="The role that owns the tables and runs migrations.")
    ] = "omnipos_owner",
    till: Annotated[
        str, typer.Option(help="The role the tills connect as (neither owner nor superuser).")
    ] = "omnipos_till",
    owner_password: Annotated[
        str | None,
        typer.Option(
            envvar="OMNIPOS_OWNER_PASSWORD",
            hidden=True,  # from the environment only: a command line shows in `ps`
        ),
    ] = None,
    till_password: Annotated[
        str | None,
        typer.Option(
            envvar="OMNIPOS_TILL_PASSWORD",
            hidden=True,
        ),
    ] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """PostgreSQL: create an owner role for migrations and a till role for the tills.

    Run once by an admin (--employee), connected as a superuser, on a migrated database.
    The owner role gets the schema's tables and runs `omnipos db migrate`; the till role
    may read and insert
    everywhere and change only working data (counters, open sales, catalogue, staff...),
    never the journal or the transactions. It is neither owner nor superuser, so it
    cannot disable the append-only triggers (ALTER TABLE ... DISABLE TRIGGER) or set
    session_replication_role. Point the tills' database URL at the till role afterwards.
    Passwords come from the environment, OMNIPOS_OWNER_PASSWORD and OMNIPOS_TILL_PASSWORD
    (never the command line); without them the roles get none and pg_hba.conf decides.
    """
    who(ctx, employee, pin, role=Role.ADMIN)
    database = services(ctx).database
    done = database.setup_roles(
        owner, till, owner_password=owner_password, till_password=till_password
    )
    made = f" (created: {', '.join(done.created)})" if done.created else ""
    out = console()
    out.print(
        f"Roles ready on {database.location}, schema {done.schema}{made}: "
        f"{done.owner} owns {done.tables} tables and runs migrations; {done.till} is what "
        "the tills connect as.",
        markup=False,
    )
    out.print(
        f"Tills:      OMNIPOS_DB_URL=postgresql://{done.till}@HOST/DATABASE\n"
        f"Migrations: OMNIPOS_DB_URL=postgresql://{done.owner}@HOST/DATABASE "
        "omnipos db migrate",
        markup=False,
    )
