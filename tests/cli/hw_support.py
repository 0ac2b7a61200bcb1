"""Running ``omnipos hw`` and ``omnipos doctor`` against device configurations written for
each test (simulated devices, files, pseudo-terminals) and a data directory in tmp_path."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from omnipos_tui.cli.root import app
from omnipos_tui.cli.state import CliState
from omnipos_tui.settings import Override

# The driver tests' ESC/POS decoder reads printed bytes back; it lives beside them.
_DRIVER_TESTS = str(Path(__file__).resolve().parents[1] / "drivers")
if _DRIVER_TESTS not in sys.path:
    sys.path.insert(0, _DRIVER_TESTS)
from cli_support import DEMO_ADMIN, Who  # noqa: E402
from escpos_decoder import Decoded, decode  # noqa: E402

__all__ = [
    "CONFIG_DIR",
    "OMNIPOS",
    "SIMULATED",
    "Decoded",
    "decode",
    "demo_shop",
    "device_config",
    "first_line",
    "isolate",
    "live_state",
    "omnipos",
    "start_omnipos",
]

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
SIMULATED = CONFIG_DIR / "simulated.toml"
OMNIPOS = Path(sys.executable).parent / "omnipos"
ROLES = ("printer", "drawer", "terminal", "scanner", "display")


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Keep the developer's OMNIPOS_* variables and config file out of a test."""
    for key in list(os.environ):
        if key.startswith("OMNIPOS_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("COLUMNS", "200")


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def device_config(path: Path, **roles: Mapping[str, object]) -> Path:
    """Write a configuration where every device is simulated except the ``roles`` given
    (``printer={"kind": "escpos-file", "path": "/tmp/x"}``)."""
    tables: dict[str, Mapping[str, object]] = {role: {"kind": "simulated"} for role in ROLES}
    tables.update(roles)
    text = "".join(
        f"[devices.{role}]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in options.items()) + "\n"
        for role, options in tables.items()
    )
    path.write_text(text, encoding="utf-8")
    return path


def omnipos(
    config: Path,
    data_dir: Path,
    *args: str,
    input: str | None = None,
    obj: object = None,
    who: Who = DEMO_ADMIN,
) -> Result:
    """``omnipos --config CONFIG --data-dir DATA_DIR ARGS...`` in-process (never raises);
    ``who`` is at the keyboard (OMNIPOS_EMPLOYEE and OMNIPOS_PIN, see cli_support)."""
    env = {"OMNIPOS_EMPLOYEE": who[0], "OMNIPOS_PIN": who[1]} if who else {}
    return CliRunner(env=env).invoke(
        app, ["--config", str(config), "--data-dir", str(data_dir), *args], input=input, obj=obj
    )


def start_omnipos(config: Path, data_dir: Path, *args: str) -> subprocess.Popen[str]:
    """``omnipos --config CONFIG --data-dir DATA_DIR ARGS...`` as its own process, with
    standard output and error piped (text)."""
    command = [str(OMNIPOS), "--config", str(config), "--data-dir", str(data_dir), *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def live_state(config: Path, data_dir: Path) -> CliState:
    """The CLI state a command will use, built ahead so a test can reach its simulated
    devices (pass it as ``obj`` to :func:`omnipos`)."""
    state = CliState(
        config_file=config, overrides=(Override("paths.data_dir", str(data_dir), "--data-dir"),)
    )
    assert state.services.settings.data_dir == data_dir
    return state


def demo_shop(config: Path, data_dir: Path, *, days: int = 0) -> None:
    """The demo shop (staff 1 cashier/1234, 2 manager/9999, 9 admin/0000)."""
    result = omnipos(config, data_dir, "init", "--demo", "--demo-days", str(days))
    assert result.exit_code == 0, result.output


def first_line(process: subprocess.Popen[str], limit: float = 30.0) -> str:
    """The first line a subprocess prints, waiting at most ``limit`` seconds."""
    assert process.stdout is not None
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            return process.stdout.readline().strip()
        if process.poll() is not None:
            break
    pytest.fail(f"no line from {process.args!r} (exit code {process.poll()})")
