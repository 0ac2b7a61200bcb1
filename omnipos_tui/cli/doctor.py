"""``omnipos doctor``: everything a technician checks first, one line per finding.

Each line starts with OK, WARN or FAIL; every WARN and FAIL is followed by what to do.
The exit code is 1 when anything FAILs, so the command can gate a start-up script.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.output import JsonValue, print_json
from omnipos_tui.cli.state import state
from omnipos_tui.core.errors import ConfigError, PosError
from omnipos_tui.messages import render
from omnipos_tui.services.shop.doctor import Finding, Level
from omnipos_tui.settings import Settings

_COLOURS = {Level.OK: "green", Level.WARN: "yellow", Level.FAIL: "red"}


def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")] = False,
) -> None:
    """Check the configuration and what the till checks at its start (key map, language,
    that this register is set up), the database, append-only triggers, every register's
    hash and signature chains, signing key, the modes of the data files (warns when others
    may read them), what a PIN guess costs, every device, free disk, clock and time zone;
    say how to fix what is wrong.

    Exits with code 1 when any check fails.
    """
    findings: list[Finding] = []

    def emit(finding: Finding) -> None:
        findings.append(finding)
        if not as_json:
            _print(finding)

    current = state(ctx)
    try:
        settings = current.settings
    except ConfigError as exc:
        emit(
            Finding(
                Level.FAIL,
                "configuration",
                render(exc),
                "correct the file (config/default.toml documents every key), then run "
                "'omnipos config show'",
            )
        )
        _finish(findings, as_json)
        return
    emit(Finding(Level.OK, "configuration", f"valid ({settings.config_file or 'defaults'})"))
    emit(_till_start(settings))
    try:
        checks = current.services.doctor.run()
        for finding in checks:
            emit(finding)
    except PosError as exc:
        emit(Finding(Level.FAIL, "checks", render(exc), "fix this and run 'omnipos doctor' again"))
    _finish(findings, as_json)


def _till_start(settings: Settings) -> Finding:
    """What ``omnipos till`` checks of the settings before it starts (the same calls as
    ``ui.wiring.build_till``): the key map and the language of the till's texts."""
    from omnipos_tui.ui.i18n import Translator  # the till's modules, only for this check
    from omnipos_tui.ui.keymap import default_keymap_dir, keymap_files, load_keymap

    try:
        keymap = load_keymap(*keymap_files(settings.till.keymap))
        Translator(settings.shop.language, keymap)
    except ConfigError as exc:
        names = ", ".join(sorted(p.stem for p in default_keymap_dir().glob("*.toml")))
        return Finding(
            Level.FAIL,
            "till start",
            render(exc),
            f"set [till] keymap to one of: {names} (or add that file to "
            f"{default_keymap_dir()}); the till will not start until then",
        )
    return Finding(
        Level.OK,
        "till start",
        f"key map {settings.till.keymap!r} and language {settings.shop.language!r} load",
    )


def _print(finding: Finding) -> None:
    level = typer.style(f"{finding.level.value:<5}", fg=_COLOURS[finding.level], bold=True)
    typer.echo(f"{level} {finding.topic}: {finding.text}")
    if finding.fix and finding.level is not Level.OK:
        typer.echo(f"      fix: {finding.fix}")


def _finish(findings: list[Finding], as_json: bool) -> None:
    failed = sum(1 for f in findings if f.level is Level.FAIL)
    warned = sum(1 for f in findings if f.level is Level.WARN)
    if as_json:
        rows: list[JsonValue] = [
            {"level": f.level.value, "topic": f.topic, "text": f.text, "fix": f.fix}
            for f in findings
        ]
        print_json({"ok": failed == 0, "findings": rows})
    else:
        summary = (
            "all checks passed"
            if not failed and not warned
            else (f"{failed} failed, {warned} warning(s)")
        )
        typer.echo(f"\n{summary}")
    if failed:
        raise typer.Exit(1)
