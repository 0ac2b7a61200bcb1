"""``omnipos doctor``'s findings are data: the services hold no sentence a person reads, and
every finding is worded by :mod:`omnipos_tui.messages` in bokmål and in English.

A static check over the doctor's modules with ``ast``: no string literal (nor the literal
parts of an f-string) outside docstrings reads as words (three or more words of letters).
The English the CLI prints is in ``messages/doctor.py`` and ``messages/outbox.py``."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import omnipos_tui
from omnipos_tui.core.errors import Message
from omnipos_tui.core.outbox import KindStatus, OutboxState
from omnipos_tui.messages import render
from omnipos_tui.services.outbox.health import outbox_notes
from omnipos_tui.services.outbox.worker import OutboxStatus
from omnipos_tui.services.shop.doctor_files import file_findings
from omnipos_tui.services.shop.doctor_server import role_finding

PACKAGE = Path(omnipos_tui.__file__).resolve().parent

#: The modules that make the doctor's findings.
DOCTOR_MODULES = (
    "services/shop/doctor.py",
    "services/shop/doctor_database.py",
    "services/shop/doctor_files.py",
    "services/shop/doctor_server.py",
    "services/shop/findings.py",
    "services/outbox/health.py",
    "services/webshop/health.py",
)

#: Literals that are not for a person, by module and text: the server's own words matched.
NOT_WORDS = {("services/shop/doctor_server.py", "owner of the ledger tables")}

_WORD = re.compile(r"\b[A-Za-zÆØÅæøå]{2,}\b")


def _docstrings(tree: ast.AST) -> set[int]:
    """Strings standing alone as statements (a module's, class's, function's or name's
    docstring)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _codes(tree: ast.AST) -> set[int]:
    """The code literals of ``Message("...")`` calls."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Message" and node.args:
            found.add(id(node.args[0]))
    return found


def sentences(source: str, relative: str) -> list[str]:
    """The literals of a module's source that read as words, with their line."""
    tree = ast.parse(source)
    skip = _docstrings(tree) | _codes(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip or (relative, node.value) in NOT_WORDS:
            continue
        if len(_WORD.findall(node.value)) >= 3:
            found.append(f"{relative}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("relative", DOCTOR_MODULES)
def test_the_doctor_modules_hold_no_sentence(relative: str) -> None:
    source = (PACKAGE / relative).read_text(encoding="utf-8")

    assert sentences(source, relative) == []


def test_the_check_sees_a_sentence_and_passes_codes_and_docstrings() -> None:
    source = (
        '"""A module docstring with many words."""\n'
        'a = Message("doctor.database.unusable", where=w, error=e)\n'
        'b = Finding(Level.FAIL, "database", f"{where} cannot be used: {exc}")\n'
    )

    assert sentences(source, "x.py") == ["x.py:3: ' cannot be used: '"]


def test_a_finding_is_worded_in_both_languages(tmp_path: Path) -> None:
    [loose] = list(file_findings([(tmp_path / "pos.db", "mode 0644")], mode=0o600, group=""))

    assert render(loose.topic, "en") == "file modes"
    assert render(loose.topic, "nb") == "filmoduser"
    assert render(loose.text, "en").endswith("it holds PIN hashes, sales and customers")
    assert render(loose.text, "nb").endswith("den har PIN-hasher, salg og kunder")
    assert loose.fix is not None
    assert render(loose.fix, "en") == (
        f"run 'chmod 600 {tmp_path / 'pos.db'}' (security.file_group sets who else may read it)"
    )


def test_the_servers_own_words_come_as_they_are() -> None:
    finding = role_finding("omnipos_till: may not disable triggers")

    assert render(finding.text, "nb") == "omnipos_till: may not disable triggers"
    assert render(finding.topic, "nb") == "databaserolle"


def test_the_outbox_notes_are_messages_worded_in_both_languages() -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    late = KindStatus(
        kind="accounting.voucher",
        counts={OutboxState.PENDING: 3},
        oldest_pending=now - timedelta(days=1),
        last_error="HTTP 503",
    )
    idle, behind = outbox_notes(OutboxStatus(kinds=(late,), workers=(), at=now))

    assert isinstance(idle.text, Message)
    assert (
        render(idle.text, "en")
        == "no worker is running and 3 message(s) wait for one; none has ever run"
    )
    assert render(idle.text, "nb").startswith("ingen arbeider kjører og 3 melding(er) venter")
    assert render(behind.text, "en").endswith("(last error: HTTP 503)")
    assert render(behind.text, "nb").endswith("(siste feil: HTTP 503)")
