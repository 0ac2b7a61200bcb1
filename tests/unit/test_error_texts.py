"""Errors as data: the core and the services raise codes, never sentences, and every code
has its words in bokmål and English.

A static check over the source with ``ast``: in every module of ``omnipos_tui/core`` and
``omnipos_tui/services``, each ``PosError`` made there passes ``code="<literal>"`` and its
parameters as keywords (no free-text message, no ``nb=``), each ``Message`` names a literal
code, the code has a text in :mod:`omnipos_tui.messages` in both languages, and every
placeholder of both texts is a parameter the call passes. A new free-text refusal, a
misspelt code or a text naming a parameter nobody passes fails here with its file and line.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

import omnipos_tui.core
import omnipos_tui.services
from omnipos_tui.core import errors
from omnipos_tui.messages.catalogue import LEADS, TABLES, TEXTS, VALUES
from omnipos_tui.ui.commands import Command

PACKAGE = Path(errors.__file__).resolve().parent.parent

#: Where errors and messages are defined: it makes messages from a code it was given.
MACHINERY = "omnipos_tui/core/errors.py"

#: ``str(error)`` in the till that is not screen text (stored data), by file and reason.
STORED_NOT_SHOWN = {"ui/checkout.py": "a cancelled card payment's reason is stored, in English"}


def _modules() -> list[str]:
    names = []
    for package in (omnipos_tui.core, omnipos_tui.services):
        names += [
            info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
        ]
    return names


def _error_classes() -> dict[str, type[errors.PosError]]:
    """Every PosError class defined in the core and the services, by name."""
    found: dict[str, type[errors.PosError]] = {}
    for name in _modules():
        for attr, value in vars(importlib.import_module(name)).items():
            if inspect.isclass(value) and issubclass(value, errors.PosError):
                found[attr] = value
    return found


def _own_init(cls: type[errors.PosError]) -> bool:
    """Whether the class takes its own arguments (and calls ``super().__init__(code=...)``)."""
    own = [c for c in cls.__mro__ if issubclass(c, errors.PosError) and c is not errors.PosError]
    return any("__init__" in vars(c) for c in own)


@dataclass(frozen=True)
class Made:
    """One error or message made in the source."""

    where: str
    what: str  # the class name, or "Message"
    code: str | None  # the literal code, or None when it is not a literal
    keywords: frozenset[str]
    free_text: bool  # a positional message or an nb= text
    spread: bool  # **kwargs: the parameters cannot be checked


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if func.attr == "__init__" and isinstance(func.value, ast.Call):
            return "super().__init__"
        return func.attr
    return ""


def made_in(source: str, where: str, error_names: set[str], plain: set[str]) -> list[Made]:
    """Every error made with PosError's own constructor (``plain``), every
    ``super().__init__`` in an error class, and every ``Message(...)`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        keywords = frozenset(k.arg for k in node.keywords if k.arg is not None)
        spread = any(k.arg is None for k in node.keywords)
        at = f"{where}:{node.lineno}"
        if name == "Message":
            first = node.args[0] if node.args else None
            code = first.value if isinstance(first, ast.Constant) else None
            code = code if isinstance(code, str) else None
            found.append(Made(at, name, code, keywords, len(node.args) != 1, spread))
        elif name in plain or (name == "super().__init__" and "code" in keywords):
            code_kw = next((k.value for k in node.keywords if k.arg == "code"), None)
            code = code_kw.value if isinstance(code_kw, ast.Constant) else None
            code = code if isinstance(code, str) else None
            free = bool(node.args) or "nb" in keywords
            found.append(Made(at, name, code, keywords - {"code"}, free, spread))
        elif name in error_names and name not in plain:
            continue  # its own constructor: checked where it calls super().__init__
    return sorted(found, key=lambda made: int(made.where.rpartition(":")[2]))


def _everything_made() -> list[Made]:
    classes = _error_classes()
    plain = {name for name, cls in classes.items() if not _own_init(cls)}
    made: list[Made] = []
    for path in sorted((PACKAGE / "core").rglob("*.py")) + sorted(
        (PACKAGE / "services").rglob("*.py")
    ):
        where = f"omnipos_tui/{path.relative_to(PACKAGE)}"
        found = made_in(path.read_text(encoding="utf-8"), where, set(classes), plain)
        if where == MACHINERY:  # rebuilds messages from the code and parameters it was given
            found = [m for m in found if m.what != "Message"]
        made += found
    return made


def placeholders(template: str) -> tuple[set[str], set[str]]:
    """The parameters a template names, and the till commands whose keys it names."""
    params, keys = set(), set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field is None:
            continue
        if field.startswith("key."):
            keys.add(field.removeprefix("key."))
        else:
            params.add(field.split(".")[0].split("[")[0])
    return params, keys


def problems_of(made: Made) -> list[str]:
    """What is wrong with one error or message, in words for the failure report."""
    if made.free_text:
        return [f"{made.where} {made.what}: free text instead of code=... and parameters"]
    if made.code is None:
        return [f"{made.where} {made.what}: the code is not a literal"]
    texts = TEXTS.get(made.code)
    if texts is None:
        return [f"{made.where} {made.what}: code {made.code!r} has no text"]
    if made.spread:
        return [f"{made.where} {made.what}: **parameters cannot be checked"]
    wrong = []
    for language, template in zip(("nb", "en"), texts, strict=True):
        params, _ = placeholders(template)
        missing = params - made.keywords
        if missing:
            wrong.append(
                f"{made.where} {made.code} ({language}) names {sorted(missing)}, "
                f"which the call does not pass"
            )
    return wrong


def test_the_core_and_the_services_raise_codes_with_texts_in_both_languages() -> None:
    made = _everything_made()
    assert len(made) > 200  # the scan sees the raises
    wrong = [problem for item in made for problem in problems_of(item)]
    assert wrong == [], "\n".join(wrong)


def test_no_error_class_of_the_core_or_the_services_makes_its_text_itself() -> None:
    # A class with its own constructor must hand a code to PosError, not a sentence.
    classes = _error_classes()
    plain = {name for name, cls in classes.items() if not _own_init(cls)}
    wrong = []
    for name, cls in classes.items():
        if name in plain or cls is errors.PosError:
            continue
        source = inspect.getsource(cls)
        inits = [m for m in made_in(source, name, set(classes), plain) if m.what != "Message"]
        if not inits:
            wrong.append(f"{name}: no super().__init__(code=...)")
        wrong += [p for m in inits for p in problems_of(m)]
    assert wrong == []


def test_the_scan_finds_free_text_a_missing_code_and_a_parameter_nobody_passes() -> None:
    source = (
        "def ring(code):\n"
        "    if not code:\n"
        "        raise InvalidInput('no code', nb='Ingen kode')\n"
        "    if code == '0':\n"
        "        raise NotFound(code='no.such.code')\n"
        "    raise NotFound(code='receipt.unknown', number=code)\n"
        "    Message(f'sale.{code}')\n"
    )
    found = made_in(source, "x.py", {"InvalidInput", "NotFound"}, {"InvalidInput", "NotFound"})
    assert [problems_of(m) for m in found] == [
        ["x.py:3 InvalidInput: free text instead of code=... and parameters"],
        ["x.py:5 NotFound: code 'no.such.code' has no text"],
        [
            "x.py:6 receipt.unknown (nb) names ['receipt'], which the call does not pass",
            "x.py:6 receipt.unknown (en) names ['receipt'], which the call does not pass",
        ],
        ["x.py:7 Message: the code is not a literal"],
    ]


def test_every_code_is_in_one_table_only() -> None:
    assert sum(len(table) for table in TABLES) == len(TEXTS)


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_every_text_is_worded_in_bokmal_and_english_and_names_only_real_keys(code: str) -> None:
    nb, en = TEXTS[code]
    assert nb.strip() and en.strip()
    nb_params, nb_keys = placeholders(nb)
    en_params, en_keys = placeholders(en)
    commands = {c.value for c in Command}
    assert nb_keys | en_keys <= commands, "a {key.<command>} that is no till command"
    assert "nb" not in nb_params | en_params


def test_every_code_with_a_text_is_used_somewhere() -> None:
    used = {m.code for m in _everything_made()}
    for path in [*(PACKAGE / "ui").rglob("*.py"), *(PACKAGE / "cli").rglob("*.py")]:
        used |= {c for c in TEXTS if f'"{c}"' in path.read_text(encoding="utf-8")}
    assert sorted(set(TEXTS) - used) == []


def test_leads_and_worded_values_have_both_languages() -> None:
    for texts in (*LEADS.values(), *VALUES.values()):
        assert all(text.strip() for text in texts)
    assert len({texts[0] for texts in LEADS.values()}) == len(LEADS)


def str_of_caught_errors(module: str) -> list[str]:
    """``file:line`` of each ``str(<name>)`` where ``<name>`` was bound by ``except ... as``."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    caught = {h.name for h in ast.walk(tree) if isinstance(h, ast.ExceptHandler) and h.name}
    return [
        f"omnipos_tui/{module}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "str"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in caught
    ]


def test_the_till_turns_errors_into_text_only_through_error_text() -> None:
    modules = sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "ui").rglob("*.py"))
    found = {m: str_of_caught_errors(m) for m in modules}
    offenders = [o for m, hits in found.items() if m not in STORED_NOT_SHOWN for o in hits]
    assert offenders == [], "use ui.i18n.error_text, not str():\n" + "\n".join(offenders)
    assert all(found[m] for m in STORED_NOT_SHOWN), "an exemption that exempts nothing"
