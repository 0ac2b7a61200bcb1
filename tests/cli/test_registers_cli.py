"""``omnipos registers``: only the setup creates registers (issue 10, item 7).

A typo in ``--register`` used to create a register for ever (a report for "Kasse 99" in the
append-only journal, and from then on in every verify and SAF-T export). Reading and
reporting commands now refuse an unknown register, naming the known ones; ``registers add``
(and ``init``) create them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import SEEDED_FROM, SEEDED_TO, database, demo_shop, isolate, ok, ok_json, omnipos


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("registers") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data_dir.parent)
        demo_shop(data_dir)
    return data_dir


@pytest.fixture
def shop(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path)
    return Path(shutil.copytree(template, tmp_path / "data"))


def _registers_in_database(data_dir: Path) -> tuple[list[str], list[str], list[str]]:
    with database(data_dir) as db:
        listed = [str(r[0]) for r in db.execute("SELECT register_id FROM cash_register")]
        states = [str(r[0]) for r in db.execute("SELECT register_id FROM register_state")]
        journaled = [
            str(r[0]) for r in db.execute("SELECT DISTINCT register_id FROM journal_event")
        ]
    return sorted(listed), sorted(states), sorted(journaled)


@pytest.mark.parametrize(
    "command",
    [
        ("reports", "x", "--register", "99"),
        ("reports", "z", "--register", "nosuch", "--counted", "0"),
        ("reports", "sales", "--from", SEEDED_FROM, "--to", SEEDED_TO, "--register", "99"),
        ("journal", "verify", "--register", "99"),
        ("journal", "show", "--register", "99"),
        ("journal", "show", "--register", "99", "--last", "5"),
        ("saft", "export", "--from", SEEDED_FROM, "--to", SEEDED_TO, "--register", "99"),
        ("keys", "public", "--register", "99"),
    ],
)
def test_an_unknown_register_is_refused_naming_the_known_ones_and_nothing_is_written(
    shop: Path, command: tuple[str, ...]
) -> None:
    before = _registers_in_database(shop)
    result = omnipos(shop, *command)
    assert result.exit_code == 1, result.output
    wrong = command[command.index("--register") + 1]
    assert f"error: no register {wrong!r} (known: 1)" in result.stderr
    assert "omnipos registers add" in result.stderr
    assert "Traceback" not in result.output
    assert _registers_in_database(shop) == before
    assert [r["register"] for r in ok_json(shop, "journal", "verify")] == ["1"]


def test_registers_add_sets_up_a_register_that_the_reports_then_accept(shop: Path) -> None:
    assert ok_json(shop, "registers", "list") == [{"register_id": "1", "name": "Kasse 1"}]
    added = ok(shop, "registers", "add", "2", "Kasse ved døra")
    assert "Added register 2 (Kasse ved døra)" in added.stdout
    listing = ok(shop, "registers", "list").stdout
    assert "Kasse ved døra" in listing and "Kasse 1" in listing
    report = ok_json(shop, "reports", "x", "--register", "2")
    assert report["register_name"] == "Kasse ved døra"
    verified = ok_json(shop, "journal", "verify", "--register", "2")
    assert [r["register"] for r in verified] == ["2"]
    changes = ok_json(shop, "journal", "show", "--code", "MASTERDATA", "--last", "1")
    assert changes[0]["payload"]["entity"] == "register"
    assert changes[0]["payload"]["keys"] == ["2"]
    cashier = omnipos(shop, "registers", "add", "4", "Kasse 4", who=("1", "1234"))
    assert cashier.exit_code == 1 and "register 4" not in ok(shop, "registers", "list").stdout
    again = omnipos(shop, "registers", "add", "2", "Andre")
    assert again.exit_code == 1
    assert "register 2 already exists" in again.stderr


@pytest.mark.parametrize("bad", [" ", "", "1-2", "a b", "x" * 36, "kasse\t1"])
def test_registers_add_refuses_an_id_that_cannot_be_a_register(shop: Path, bad: str) -> None:
    before = _registers_in_database(shop)
    result = omnipos(shop, "registers", "add", bad, "Kasse")
    assert result.exit_code == 1, result.output
    assert "not a register id" in result.stderr
    assert "letters and digits" in result.stderr
    assert _registers_in_database(shop) == before


def test_registers_add_refuses_an_empty_name(shop: Path) -> None:
    result = omnipos(shop, "registers", "add", "2", "  ")
    assert result.exit_code == 1
    assert "register 2 needs a name" in result.stderr


def _journal_size(data_dir: Path) -> tuple[int, int]:
    with database(data_dir) as db:
        events = db.execute("SELECT COUNT(*) FROM journal_event").fetchone()[0]
        sales = db.execute("SELECT COUNT(*) FROM cash_transaction").fetchone()[0]
    return int(events), int(sales)


@pytest.mark.parametrize("bad", [" ", "1-1", "kasse 2"])
def test_demo_seed_refuses_a_bad_register_id_before_anything_is_written(
    shop: Path, bad: str
) -> None:
    """Issue 10, item 14: ``--register ' '`` wrote two signed transactions, then failed."""
    before = _journal_size(shop), _registers_in_database(shop)
    result = omnipos(
        shop, "demo", "seed", "--days", "1", "--sales-per-day", "2", "--until", SEEDED_TO,
        "--register", bad,
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"not a register id: {bad!r}" in result.stderr
    assert (_journal_size(shop), _registers_in_database(shop)) == before


def test_demo_seed_on_a_new_register_sets_it_up_first(shop: Path) -> None:
    ok(
        shop, "demo", "seed", "--days", "1", "--sales-per-day", "2", "--until", SEEDED_TO,
        "--register", "3",
    )  # fmt: skip
    assert [r["register_id"] for r in ok_json(shop, "registers", "list")] == ["1", "3"]
    verified = ok_json(shop, "journal", "verify", "--register", "3")
    assert verified[0]["ok"] is True
