"""``omnipos config show``: every effective value and where it came from."""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.output import JsonValue, console, print_json, table
from omnipos_tui.cli.state import state

app = typer.Typer(no_args_is_help=True)


@app.command("show")
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """Print each setting, its value and its source (default, file:PATH, env:NAME, option:--X)."""
    settings = state(ctx).settings
    rows = settings.effective()
    if as_json:
        values: dict[str, JsonValue] = {}
        for key, value, source in rows:
            shown: JsonValue = value if isinstance(value, str | int | float | bool) else str(value)
            values[key] = {"value": shown, "source": source}
        print_json(
            {
                "config_file": str(settings.config_file) if settings.config_file else None,
                "data_dir": str(settings.data_dir),
                "database_url": settings.database_url,
                "settings": values,
            }
        )
        return
    file = str(settings.config_file) if settings.config_file else "none (defaults)"
    console().print(f"Configuration file: {file}")
    console().print(f"Data directory:     {settings.data_dir}")
    console().print(f"Database:           {settings.database_url}")
    table("Settings", ("Key", "Value", "Source"), ([k, _text(v), s] for k, v, s in rows))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)
