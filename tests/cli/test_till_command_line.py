"""``omnipos till`` without the Typer app: the console script reads a plain ``till`` command
line itself (``cli.main``) and hands everything else, and every ``till`` line it does not
take exactly, to the Typer app. What it reads must be what Typer would have passed on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import isolate
from typer.testing import CliRunner

from omnipos_tui.cli import till
from omnipos_tui.cli.root import app
from omnipos_tui.cli.state import CliState, global_overrides
from omnipos_tui.startup import TillLine, read_till_line


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path / "home")


def _plain_lines(tmp_path: Path) -> list[list[str]]:
    config = tmp_path / "till.toml"
    config.write_text("")
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return [
        ["till"],
        ["till", "--register", "2"],
        ["till", "--register=2"],
        ["--config", str(config), "till"],
        [f"--config={config}", "--data-dir", str(data), "till", "--register", "7"],
        ["--data-dir", str(tmp_path / "not-yet"), "--db-url", "postgresql://u@h/db", "till"],
        ["--db-url=sqlite:///x.sqlite3", "--config", str(tmp_path / "missing.toml"), "till"],
    ]


def _typer_passes(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """What the Typer app hands the till for ``argv`` (the till itself is not started)."""
    seen: list[tuple[object, ...]] = []

    def run_till(current: CliState, register: str | None) -> None:
        seen.append((current.config_file, current.overrides, register))

    monkeypatch.setattr(till, "run_till", run_till)
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert len(seen) == 1
    return seen[0]


def test_a_plain_till_line_is_read_as_typer_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for argv in _plain_lines(tmp_path):
        line = read_till_line(argv)
        assert line is not None, argv
        mine = (line.config_file, global_overrides(line.db_url, line.data_dir), line.register)
        assert mine == _typer_passes(argv, monkeypatch), argv


def test_the_options_are_taken_by_name_in_either_form(tmp_path: Path) -> None:
    assert read_till_line(["till"]) == TillLine()
    data = tmp_path / "data"
    assert read_till_line(["--data-dir", str(data), "--db-url=u", "till", "--register", "3"]) == (
        TillLine(db_url="u", data_dir=data, register="3")
    )


def test_anything_else_goes_to_the_typer_app(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    a_file = tmp_path / "file"
    a_file.write_text("")
    for argv in (
        [],
        ["--help"],
        ["till", "--help"],
        ["products", "list"],
        ["config", "show", "till"],
        ["till", "till"],
        ["till", "--config", str(a_file)],  # a global option after the command
        ["--register", "2", "till"],  # the command's option before it
        ["till", "--register"],  # no value
        ["till", "--register", ""],
        ["till", "--register="],
        ["till", "--register", "-2"],
        ["till", "--register", "2", "--register", "3"],  # repeated
        ["--config", str(folder), "till"],  # Typer: "is a directory"
        ["--data-dir", str(a_file), "till"],  # Typer: "is a file"
        ["--data", str(folder), "till"],  # not an option's full name
        ["till", "--", "x"],
    ):
        assert read_till_line(argv) is None, argv


def test_the_console_script_starts_the_till_without_typer_and_reports_errors_as_typer_does(
    tmp_path: Path,
) -> None:
    """No shop in the data folder: the same message and exit code on both paths, and the
    plain line never loads Typer, Click or Pydantic."""
    data = tmp_path / "empty"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNIPOS_")}
    env["OMNIPOS_CONFIG"] = str(Path(__file__).resolve().parents[2] / "config/simulated.toml")
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps("
        "[m for m in ('typer', 'click', 'pydantic') if m in sys.modules])))\n"
        "sys.argv = ['omnipos', *sys.argv[2:]]\n"
        "from omnipos_tui.cli.{} import {}\n"
        "{}\n"
    )
    args = ["-", "--data-dir", str(data), "till"]

    def run(module: str, name: str, call: str) -> subprocess.CompletedProcess[str]:
        code = probe.format(module, name, call)
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    fast, typer_path = run("main", "main", "main()"), run("root", "app", "app()")
    assert fast.returncode == typer_path.returncode == 1
    assert fast.stderr == typer_path.stderr
    assert fast.stderr.startswith(f"error: no shop in {data}")
    assert json.loads(fast.stdout) == []
    assert "typer" in json.loads(typer_path.stdout)
