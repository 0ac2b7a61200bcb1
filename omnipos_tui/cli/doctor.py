"""``omnipos doctor``: everything a technician checks first, one line per finding.

Each line starts with OK, WARN or FAIL; every WARN and FAIL is followed by what to do.
The exit code is 1 when anything FAILs, so the command can gate a start-up script.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.output import JsonValue, print_json
from omnipos_tui.cli.state import state
from omnipos_tui.core.errors import ConfigError, Message, PosError
from omnipos_tui.messages import render
from omnipos_tui.services.shop.doctor import Finding, Level
from omnipos_tui.services.shop.findings import as_found
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
                Message("doctor.topic.configuration"),
                as_found(exc),
                Message("doctor.config.fix"),
            )
        )
        _finish(findings, as_json)
        return
    source = settings.config_file or Message("doctor.config.defaults")
    emit(
        Finding(
            Level.OK,
            Message("doctor.topic.configuration"),
            Message("doctor.config.ok", source=source),
        )
    )
    emit(_till_start(settings))
    try:
        checks = current.services.doctor.run()
        for finding in checks:
            emit(finding)
    except PosError as exc:
        emit(
            Finding(
                Level.FAIL,
                Message("doctor.topic.checks"),
                as_found(exc),
                Message("doctor.checks.fix"),
            )
        )
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
            Message("doctor.topic.till_start"),
            as_found(exc),
            Message("doctor.keymap.fix", names=names, folder=default_keymap_dir()),
        )
    return Finding(
        Level.OK,
        Message("doctor.topic.till_start"),
        Message(
            "doctor.till_start.ok", keymap=settings.till.keymap, language=settings.shop.language
        ),
    )


def _print(finding: Finding) -> None:
    level = typer.style(f"{finding.level.value:<5}", fg=_COLOURS[finding.level], bold=True)
    typer.echo(f"{level} {render(finding.topic)}: {render(finding.text)}")
    if finding.fix is not None and finding.level is not Level.OK:
        typer.echo(f"      fix: {render(finding.fix)}")


def _finish(findings: list[Finding], as_json: bool) -> None:
    failed = sum(1 for f in findings if f.level is Level.FAIL)
    warned = sum(1 for f in findings if f.level is Level.WARN)
    if as_json:
        rows: list[JsonValue] = [
            {
                "level": f.level.value,
                "topic": render(f.topic),
                "text": render(f.text),
                "fix": render(f.fix) if f.fix is not None else "",
            }
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
