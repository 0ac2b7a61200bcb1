"""The core and the services import no UI, CLI, storage or hardware library, checked at run
time in a fresh interpreter (import-linter checks the same statically)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

FORBIDDEN = (
    "textual",
    "typer",
    "rich",
    "click",
    "peewee",
    "playhouse",
    "psycopg2",
    "serial",
    "escpos",
    "evdev",
    "lxml",
    "drivers",
    "omnipos_tui.storage",
    "omnipos_tui.ui",
    "omnipos_tui.cli",
    "omnipos_tui.bootstrap",
    "omnipos_tui.wiring",
)

_PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    import omnipos_tui.core, omnipos_tui.services
    names = []
    for package in (omnipos_tui.core, omnipos_tui.services):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
            names.append(info.name)
    print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
    """
)


def _probe() -> tuple[list[str], list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    result = json.loads(done.stdout)
    return result["imported"], result["loaded"]


def test_importing_every_core_and_service_module_loads_no_ui_storage_or_hardware_library() -> None:
    imported, loaded = _probe()
    assert "omnipos_tui.core.money" in imported
    assert "omnipos_tui.services.catalogue.service" in imported
    offenders = sorted(
        name for name in loaded for bad in FORBIDDEN if name == bad or name.startswith(bad + ".")
    )
    assert offenders == []


def test_no_layer_below_the_front_ends_loads_a_module_by_a_string_name() -> None:
    # import-linter sees only import statements: a module named in a string (importlib,
    # __import__) would be a dependency no contract checks. The till's app defers its own
    # screens that way (ui.app.LATER_SCREENS); nothing below the front ends may.
    root = Path(__file__).resolve().parents[2] / "omnipos_tui"
    below = ("core", "services", "storage", "exports", "integrations", "demo", "wiring")
    found = [
        f"{path.relative_to(root)}:{number}"
        for package in below
        for path in sorted((root / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "importlib" in line or "__import__" in line
    ]
    assert (root / "storage" / "export_reader.py").is_file()  # the one that used to
    assert found == []
