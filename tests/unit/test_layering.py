"""The core and the services import no UI, CLI, storage or hardware library, checked at run
time in a fresh interpreter (import-linter checks the same statically); bootstrap hands
the UI and the CLI no storage or driver type."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from omnipos_tui import bootstrap
from omnipos_tui.wiring import devices

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


def _foreign_names(tree: ast.Module) -> set[str]:
    """Names a module imports from storage or the drivers (anywhere in the module)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module is not None
        and (
            node.module == "drivers" or node.module.startswith(("drivers.", "omnipos_tui.storage"))
        )
        for alias in node.names
    }


def _names_in(annotation: ast.expr | None) -> set[str]:
    if annotation is None:
        return set()
    names: set[str] = set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names |= _names_in(ast.parse(node.value, mode="eval").body)
    return names


def test_bootstrap_hands_the_ui_and_the_cli_no_storage_or_driver_type() -> None:
    # import-linter lets the composition root import storage and the drivers (the UI and
    # the CLI reach them through it only); what bootstrap's Services and Devices expose
    # publicly must therefore be typed with core ports, or the UI would hold a driver
    # object (as it held the driver's print queue before).
    trees = [
        ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        for module in (bootstrap, devices)
    ]
    foreign = set().union(*(_foreign_names(tree) for tree in trees))
    assert {"Store", "PrintQueue"} <= foreign
    offenders: list[str] = []
    classes = [n for tree in trees for n in tree.body if isinstance(n, ast.ClassDef)]
    assert {"Services", "Devices"} <= {c.name for c in classes}
    for cls in classes:
        if cls.name not in {"Services", "Devices"}:
            continue
        for item in cls.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                if not item.target.id.startswith("_") and _names_in(item.annotation) & foreign:
                    offenders.append(f"{cls.name}.{item.target.id}")
            elif isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                args = item.args.args + item.args.kwonlyargs
                used = _names_in(item.returns).union(*(_names_in(a.annotation) for a in args))
                if used & foreign:
                    offenders.append(f"{cls.name}.{item.name}")
    assert offenders == []
