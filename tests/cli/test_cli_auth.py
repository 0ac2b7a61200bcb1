"""Who is at the keyboard (issue 10, item 21): every command that changes data or closes
the day takes an employee and their PIN, checks the role with the till's own code, counts
wrong PINs toward the till's lock-out and journals the employee."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import (
    DEMO_ADMIN,
    DEMO_CASHIER,
    DEMO_MANAGER,
    demo_shop,
    isolate,
    ok,
    ok_json,
    omnipos,
)

from omnipos_tui.bootstrap import build
from omnipos_tui.core.errors import EmployeeLocked
from omnipos_tui.settings import Override, load_settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("auth") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data.parent)
        demo_shop(data)
    return data


@pytest.fixture
def shop(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the demo shop for a test that changes it."""
    import shutil

    isolate(monkeypatch, tmp_path)
    return Path(shutil.copytree(demo, tmp_path / "data"))


def _numbers(shop: Path) -> list[str]:
    return [e["number"] for e in ok_json(shop, "employees", "list", "--all", who=None)]


def test_a_change_without_an_employee_is_refused_and_writes_nothing(shop: Path) -> None:
    result = omnipos(shop, "employees", "add", "77", "Mallory", "--role", "admin",
                     "--new-pin", "7777", who=None)  # fmt: skip
    assert result.exit_code == 1
    assert "omnipos employees add changes data: give --employee NUMBER" in result.stderr
    assert "admin or above needed" in result.stderr
    assert "77" not in _numbers(shop)
    z = omnipos(shop, "reports", "z", who=None)
    assert z.exit_code == 1 and "omnipos reports z changes data" in z.stderr
    assert ok_json(shop, "journal", "show", "--code", "ZREPORT", who=None) == []


def test_the_issue_s_examples_need_an_admin_s_pin(shop: Path) -> None:
    # employees set-pin 9 (the admin's PIN), employees add ... --role admin, keys rotate:
    # a cashier at the keyboard is refused by role; nothing changes.
    for args in (
        ("employees", "set-pin", "9", "--new-pin", "1111"),
        ("employees", "add", "77", "Mallory", "--role", "admin", "--new-pin", "7777"),
        ("keys", "rotate"),
        ("db", "migrate"),
    ):
        result = omnipos(shop, *args, who=DEMO_CASHIER)
        assert result.exit_code == 1, args
        assert "Kari is cashier; admin needed" in result.stderr, args
    assert "77" not in _numbers(shop)
    assert [k for k in ok(shop, "keys", "list", who=None).stdout.splitlines() if "version" in k]
    assert len(ok(shop, "keys", "list", who=None).stdout.splitlines()) == 1
    refused = ok_json(shop, "journal", "show", "--code", "OVERRIDEFAILED", who=None)
    assert len(refused) == 4
    assert all(e["employee"] == "1" for e in refused)
    assert "omnipos keys rotate" in refused[2]["text"] and "not a manager" in refused[2]["text"]


def test_a_manager_may_import_but_not_add_employees(shop: Path, tmp_path: Path) -> None:
    csv = tmp_path / "varer.csv"
    csv.write_text(
        "sku;name;price;vat;group;unit;barcodes;active\n900001;Testvare;12,50;15;10;;;\n",
        encoding="utf-8",
    )
    assert omnipos(shop, "products", "import", str(csv), who=DEMO_CASHIER).exit_code == 1
    ok(shop, "products", "import", str(csv), who=DEMO_MANAGER)
    result = omnipos(shop, "employees", "add", "78", "Ny", "--new-pin", "7878", who=DEMO_MANAGER)
    assert result.exit_code == 1 and "Ola is manager; admin needed" in result.stderr
    changes = ok_json(shop, "journal", "show", "--code", "PRICECHANGE", "--last", "1", who=None)
    assert changes[-1]["employee"] == "2"  # the manager at the keyboard, not "cli"


def test_wrong_pins_are_refused_counted_and_lock_the_employee_as_at_the_till(
    shop: Path,
) -> None:
    wrong = ("9", "1111")
    for _ in range(4):
        result = omnipos(shop, "keys", "rotate", who=wrong)
        assert result.exit_code == 1
        assert result.stderr == "error: wrong employee number or PIN\n"
    fifth = omnipos(shop, "keys", "rotate", who=wrong)
    assert fifth.exit_code == 1 and "locked" in fifth.stderr
    # Locked now, with the right PIN too: on the command line and at the till.
    right = omnipos(shop, "keys", "rotate", who=DEMO_ADMIN)
    assert right.exit_code == 1 and "locked" in right.stderr
    settings = load_settings(None, overrides=(Override("paths.data_dir", str(shop), "test"),))
    services = build(settings)
    try:
        with pytest.raises(EmployeeLocked):
            services.register.log_in(settings.shop.register_id, *DEMO_ADMIN)
    finally:
        services.close()
    failed = ok_json(shop, "journal", "show", "--code", "OVERRIDEFAILED", who=None)
    assert len(failed) == 6
    assert [e["payload"]["reason"] for e in failed[:5]] == ["wrong PIN"] * 4 + ["wrong PIN, locked"]
    assert len(ok(shop, "keys", "list", who=None).stdout.splitlines()) == 1  # not rotated


def test_the_journal_names_the_employee_at_the_keyboard(shop: Path) -> None:
    ok(shop, "employees", "add", "5", "Per Pettersen", "--new-pin", "1357")  # the demo admin
    ok(shop, "customers", "add", "Bjørn Ærlig", who=DEMO_CASHIER)
    ok(shop, "reports", "z", "--counted", "0", who=DEMO_MANAGER)
    ok(shop, "reports", "x", "--employee", "1", "--pin", "1234", who=None)
    changes = ok_json(shop, "journal", "show", "--code", "MASTERDATA", "--last", "2", who=None)
    by_entity = {e["payload"]["entity"]: e["employee"] for e in changes}
    assert by_entity["employee"] == "9" and by_entity["customer"] == "1"
    [z] = ok_json(shop, "journal", "show", "--code", "ZREPORT", who=None)
    assert z["employee"] == "2"
    [x] = ok_json(shop, "journal", "show", "--code", "XREPORT", who=None)
    assert x["employee"] == "1"


def test_the_pin_is_asked_for_without_echo(shop: Path) -> None:
    result = omnipos(shop, "employees", "disable", "3", "--employee", "9",
                     input="0000\n", who=None)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Your PIN (employee 9):" in result.output
    assert "0000" not in result.output
    assert "3" not in [e["number"] for e in ok_json(shop, "employees", "list", who=None)]


def test_read_only_commands_need_no_pin(shop: Path) -> None:
    for args in (
        ("employees", "list"),
        ("products", "list", "--limit", "2"),
        ("customers", "list"),
        ("journal", "verify"),
        ("reports", "x"),
        ("keys", "list"),
        ("db", "check"),
    ):
        assert omnipos(shop, *args, who=None).exit_code == 0, args


def test_help_says_who_is_asked_for() -> None:
    for args in (("employees", "add"), ("reports", "z"), ("keys", "rotate"), ("stock", "rule")):
        text = omnipos(Path("/nonexistent"), *args, "--help", who=None).stdout
        assert "--employee" in text and "OMNIPOS_PIN" in text, args
