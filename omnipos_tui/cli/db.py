"""``omnipos db``: migrate, backup, check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from omnipos_tui.cli.output import console, print_json, table
from omnipos_tui.cli.state import services

app = typer.Typer(no_args_is_help=True)


@app.command("migrate")
def migrate(ctx: typer.Context) -> None:
    """Apply the missing schema migrations (each in its own transaction)."""
    database = services(ctx).database
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
        Path, typer.Argument(help="The backup file to create (must not exist).", dir_okay=False)
    ],
) -> None:
    """Copy the SQLite database while it is in use (SQLite's online backup API).

    On PostgreSQL this refuses: use pg_dump.
    """
    database = services(ctx).database
    database.backup(file)
    console().print(f"Backed up {database.location} to {file}")


@app.command("check")
def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """Report the schema version, integrity and the append-only triggers.

    Exits with code 1 when anything is wrong.
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
                ("Overall", "ok" if report.ok else "PROBLEMS FOUND"),
            ],
        )
    if not report.ok:
        raise typer.Exit(1)
