"""The admin CLI end to end in-process (Typer's CliRunner, real SQLite file): init, products,
employees, customers, db and config; errors on stderr with exit code 1, usage errors 2."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import DEMO_CASHIER, DEMO_MANAGER, demo_shop, isolate, ok, ok_json, omnipos

HEADER = "sku;name;price;vat;group;unit;barcodes;active\n"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path / "home")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo shop per module; each test gets its own copy."""
    base = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, base / "home")
        demo_shop(base / "data")
    return base / "data"


@pytest.fixture
def demo(data: Path, demo_template: Path) -> Path:
    shutil.copytree(demo_template, data)
    return data


def test_init_demo_prints_the_demo_staff_and_their_pins(data: Path) -> None:
    out = ok(data, "init", "--demo", "--demo-days", "0").stdout
    assert "Nærbutikken Solsiden AS" in out
    for number, pin in (("1", "1234"), ("2", "9999")):
        assert any(number in line and pin in line for line in out.splitlines())
    assert (data / "omnipos.sqlite3").exists()


def test_init_refuses_an_initialised_database_without_a_traceback(demo: Path) -> None:
    result = omnipos(demo, "init", "--demo", "--demo-days", "0")
    assert result.exit_code == 1
    assert "error: this database is already initialised" in result.stderr
    assert "Traceback" not in result.output


def test_init_with_options_creates_company_register_and_admin(data: Path) -> None:
    out = ok(
        data,
        "init",
        "--company-name",
        "Test AS",
        "--org-number",
        "923609016",
        "--street",
        "Gata 1",
        "--postal-code",
        "0150",
        "--city",
        "Oslo",
        "--admin-number",
        "7",
        "--admin-pin",
        "2580",
    ).stdout
    assert "Created Test AS (Org.nr. 923 609 016 MVA)" in out
    assert "register 1 (Kasse 1)" in out
    assert ok_json(data, "employees", "list") == [
        {"number": "7", "name": "Administrator", "role": "admin", "active": True}
    ]


def test_init_asks_for_a_missing_admin_pin_twice_without_echo(data: Path) -> None:
    result = omnipos(
        data,
        *("init", "--company-name", "Test AS", "--org-number", "923609016"),
        *("--street", "Gata 1", "--postal-code", "0150", "--city", "Oslo"),
        input="2580\n2580\n",
    )
    assert result.exit_code == 0, result.output
    assert "2580" not in result.stdout


def test_init_with_a_bad_organisation_number_creates_nothing(data: Path) -> None:
    result = omnipos(
        data,
        *("init", "--company-name", "Feil AS", "--org-number", "923609017"),
        *("--street", "Gata 1", "--postal-code", "0150", "--city", "Oslo", "--admin-pin", "2580"),
    )
    assert result.exit_code == 1
    assert "organisation number '923609017' is not valid" in result.stderr
    assert omnipos(data, "products", "list").exit_code == 1


def test_commands_before_init_say_to_run_init(data: Path) -> None:
    result = omnipos(data, "products", "list")
    assert result.exit_code == 1
    assert "run `omnipos init`" in result.stderr
    assert not (data / "omnipos.sqlite3").exists()


def test_a_bad_import_lists_every_problem_and_changes_nothing(demo: Path, tmp_path: Path) -> None:
    before = ok_json(demo, "products", "list", "--limit", "1000")
    bad = tmp_path / "varer.csv"
    bad.write_text(
        HEADER + "1;Ny;-1,00;15;10;;;\n2;Ny 2;1,00;30;10;;;\n3;Ny 3;1,00;15;10;;7038010000011;\n",
        encoding="utf-8",
    )
    result = omnipos(demo, "products", "import", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {bad}: line 2, column price: negative price")
    assert lines[1].startswith(f"error: {bad}: line 3, column vat: unknown VAT rate")
    assert lines[2].startswith(f"error: {bad}: line 4, column barcodes: bad check digit")
    assert lines[-1] == "error: nothing was imported; fix the file and try again"
    assert "Traceback" not in result.output
    assert ok_json(demo, "products", "list", "--limit", "1000") == before


def test_import_of_a_missing_file_is_a_clear_error(demo: Path, tmp_path: Path) -> None:
    result = omnipos(demo, "products", "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "cannot read" in result.stderr and "nope.csv" in result.stderr


def test_export_then_import_round_trips_and_reports_a_summary(demo: Path, tmp_path: Path) -> None:
    exported = tmp_path / "export.csv"
    ok(demo, "products", "export", "-o", str(exported))
    count = len(exported.read_text(encoding="utf-8").splitlines()) - 1
    assert count >= 200
    out = ok(demo, "products", "import", str(exported)).stdout
    assert f"{count} rows; 0 created, 0 updated, {count} unchanged" in out
    changed = exported.read_text(encoding="utf-8").replace(";Tine Lettmelk", ";TINE Lettmelk", 1)
    exported.write_text(changed, encoding="utf-8")
    assert (
        f"0 created, 1 updated, {count - 1} unchanged"
        in ok(demo, "products", "import", str(exported)).stdout
    )


def test_export_neutralises_formulas_and_still_round_trips(demo: Path, tmp_path: Path) -> None:
    names = {
        "900001": "=cmd|' /C calc'!A0",
        "900002": "+47 Kaffe",
        "900003": "-Rabattvare",
        "900004": "@SUM(A1)",
        "900005": "'Sitat' kaffe",
    }
    rows = "".join(f'{sku};"{name}";10,00;25;10;stk;;yes\n' for sku, name in names.items())
    source = tmp_path / "formulas.csv"
    source.write_text("sku;name;price;vat;group;unit;barcodes;active\n" + rows, encoding="utf-8")
    ok(demo, "products", "import", str(source))
    exported = tmp_path / "export.csv"
    ok(demo, "products", "export", "-o", str(exported))
    cells = {row[0]: row[1] for row in csv.reader(exported.open(encoding="utf-8"), delimiter=";")}
    assert {sku: cells[sku] for sku in names} == {
        "900001": "'=cmd|' /C calc'!A0",
        "900002": "'+47 Kaffe",
        "900003": "'-Rabattvare",
        "900004": "'@SUM(A1)",
        "900005": "''Sitat' kaffe",
    }
    assert " 0 updated" in ok(demo, "products", "import", str(exported)).stdout
    shown = {sku: ok_json(demo, "products", "show", sku)["name"] for sku in names}
    assert shown == names


def test_export_for_excel_has_a_byte_order_mark_and_reads_back(demo: Path, tmp_path: Path) -> None:
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    ok(demo, "products", "export", "-o", str(plain))
    ok(demo, "products", "export", "--excel", "-o", str(excel))
    assert excel.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert " 0 updated" in ok(demo, "products", "import", str(excel)).stdout
    assert ok(demo, "products", "export", "--excel").stdout.startswith("\ufeffsku;")


def test_products_list_search_and_show_as_json(demo: Path) -> None:
    page = ok_json(demo, "products", "list", "--limit", "5", "--offset", "5")
    assert len(page) == 5 and page == sorted(page, key=lambda p: p["sku"])
    found = ok_json(demo, "products", "search", "gran orig")
    assert [p["name"] for p in found] == ["Grandiosa Original 575 g"]
    product = found[0]
    assert ok_json(demo, "products", "show", product["barcodes"][0]) == product
    assert ok_json(demo, "products", "show", product["sku"]) == product
    assert product["price"] == "64.90" and product["price_ore"] == 6490


def test_products_show_of_an_unknown_code_fails_cleanly(demo: Path) -> None:
    result = omnipos(demo, "products", "show", "0000000000000")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no product with barcode or SKU '0000000000000'"


def test_products_tables_for_people(demo: Path) -> None:
    out = ok(demo, "products", "list", "--limit", "3").stdout
    assert "Products 1-3 of" in out and "SKU" in out


def test_article_groups_can_be_listed_and_set(demo: Path) -> None:
    ok(demo, "products", "group-set", "95", "Gavekort", "--saft", "04999")
    groups = ok_json(demo, "products", "groups")
    assert {"code": "95", "name": "Gavekort", "saft_code": "04999"} in groups
    bad = omnipos(demo, "products", "group-set", "96", "Feil", "--saft", "12345")
    assert bad.exit_code == 1 and "unknown SAF-T article group" in bad.stderr


def test_employees_add_list_set_pin_and_disable(demo: Path) -> None:
    ok(demo, "employees", "add", "5", "Per Pettersen", "--role", "manager", "--new-pin", "1357")
    listed = ok_json(demo, "employees", "list")
    assert {"number": "5", "name": "Per Pettersen", "role": "manager", "active": True} in listed
    result = omnipos(demo, "employees", "set-pin", "5", input="2468\n2468\n")
    assert result.exit_code == 0 and "New PIN set for employee 5" in result.stdout
    ok(demo, "employees", "disable", "5")
    assert "5" not in [e["number"] for e in ok_json(demo, "employees", "list")]
    assert "5" in [e["number"] for e in ok_json(demo, "employees", "list", "--all")]


def test_employees_enable_rename_and_change_role_journaled_by_an_admin(demo: Path) -> None:
    def employee(number: str) -> dict[str, object]:
        listed = ok_json(demo, "employees", "list", "--all")
        return next(e for e in listed if e["number"] == number)

    ok(demo, "employees", "add", "5", "Per Pettersen", "--new-pin", "1357")
    ok(demo, "employees", "disable", "5")
    assert omnipos(demo, "reports", "x", "--employee", "5", "--pin", "1357").exit_code == 1
    assert "Enabled employee 5 Per Pettersen" in ok(demo, "employees", "enable", "5").stdout
    ok(demo, "reports", "x", "--employee", "5", "--pin", "1357", who=None)  # logs in again
    ok(demo, "employees", "edit", "5", "--name", " Per  Olsen ", "--role", "manager")
    assert employee("5") == {"number": "5", "name": "Per Olsen", "role": "manager", "active": True}
    changes = ok_json(demo, "journal", "show", "--code", "13021", "--last", "4")
    assert [
        (e["payload"]["entity"], e["payload"]["keys"], e["payload"]["count"]) for e in changes
    ] == [
        ("employee", ["5"], 1),  # created
        ("employee", ["5"], 1),  # disabled
        ("employee", ["5"], 1),  # enabled
        ("employee", ["5"], 2),  # name and role
    ]
    assert {e["employee"] for e in changes} == {"9"}
    cashier = omnipos(demo, "employees", "edit", "5", "--role", "admin", who=DEMO_CASHIER)
    assert cashier.exit_code == 1 and "admin needed" in cashier.stderr
    last = omnipos(demo, "employees", "edit", "9", "--role", "manager")
    assert last.exit_code == 1 and "employee 9 is the last active admin" in last.stderr
    assert employee("9")["role"] == "admin"
    nothing = omnipos(demo, "employees", "edit", "5")
    assert nothing.exit_code == 1 and "give --name and/or --role" in nothing.stderr
    unknown = omnipos(demo, "employees", "enable", "77")
    assert unknown.exit_code == 1 and "no employee with number 77" in unknown.stderr
    empty = omnipos(demo, "employees", "edit", "5", "--name", " ")
    assert empty.exit_code == 1 and "an employee needs a name" in empty.stderr
    assert len(ok_json(demo, "journal", "show", "--code", "13021")) == len(
        ok_json(demo, "journal", "show", "--code", "MASTERDATA")
    )


def test_customers_deactivate_and_activate_journaled_by_a_manager(demo: Path) -> None:
    added = ok_json(demo, "customers", "add", "Bjørn Ærlig", "--phone", "900 00 000")
    number = added["number"]
    ok(demo, "customers", "edit", number, "--city", "Bergen")  # edit is there already
    cashier = omnipos(demo, "customers", "deactivate", number, who=DEMO_CASHIER)
    assert cashier.exit_code == 1 and "manager needed" in cashier.stderr
    done = ok(demo, "customers", "deactivate", number, who=DEMO_MANAGER)
    assert f"Deactivated customer {number} Bjørn Ærlig" in done.stdout
    assert number not in [c["number"] for c in ok_json(demo, "customers", "list")]
    [kept] = [c for c in ok_json(demo, "customers", "list", "--all") if c["number"] == number]
    assert kept == {**added, "city": "Bergen", "active": False}
    assert ok_json(demo, "customers", "search", "bjorn") == []
    assert ok_json(demo, "customers", "show", number)["active"] is False  # history stays
    order = omnipos(demo, "orders", "new", "--customer", number, "--line", "7038010009457=1")
    assert order.exit_code == 1 and f"customer {number} is deactivated" in order.stderr
    [change] = ok_json(demo, "journal", "show", "--code", "13021", "--last", "1")
    assert change["payload"]["entity"] == "customer" and change["payload"]["keys"] == [number]
    assert change["employee"] == "2"
    ok(demo, "customers", "activate", number, who=DEMO_MANAGER)
    assert [c["number"] for c in ok_json(demo, "customers", "search", "bjorn")] == [number]
    unknown = omnipos(demo, "customers", "deactivate", "nosuch", who=DEMO_MANAGER)
    assert unknown.exit_code == 1 and "no customer with number nosuch" in unknown.stderr


def test_employees_add_refuses_a_bad_pin_and_a_taken_number(demo: Path) -> None:
    short = omnipos(demo, "employees", "add", "6", "Kort", "--new-pin", "12")
    assert short.exit_code == 1 and "a PIN must be 4 to 8 digits" in short.stderr
    taken = omnipos(demo, "employees", "add", "1", "Kari Igjen", "--new-pin", "1212")
    assert taken.exit_code == 1 and "already taken" in taken.stderr


def test_customers_add_list_search_and_show(demo: Path) -> None:
    added = ok_json(demo, "customers", "add", "Bjørn Ærlig", "--phone", "900 00 000")
    assert added["name"] == "Bjørn Ærlig" and added["number"]
    shown = ok_json(demo, "customers", "show", added["number"])
    assert {key: shown[key] for key in added} == added
    assert (shown["orders"], shown["purchases"]) == ([], [])  # the customer's history
    assert [c["number"] for c in ok_json(demo, "customers", "search", "bjorn")] == [added["number"]]
    assert added in ok_json(demo, "customers", "list")
    bad = omnipos(demo, "customers", "add", "Feil AS", "--org-number", "123")
    assert bad.exit_code == 1 and "organisation number" in bad.stderr


def test_customers_edit_changes_the_fields_given_and_logs_them(demo: Path) -> None:
    added = ok_json(demo, "customers", "add", "Kari Nord", "--phone", "41234567")
    number = added["number"]
    changed = ok_json(
        demo, "customers", "edit", number, "--email", "kari@example.no", "--city", "Bergen"
    )
    assert changed["email"] == "kari@example.no" and changed["city"] == "Bergen"
    assert changed["phone"] == "41234567" and changed["name"] == "Kari Nord"  # kept
    assert ok_json(demo, "customers", "show", number)["email"] == "kari@example.no"
    bad = omnipos(demo, "customers", "edit", number, "--email", "not-an-address")
    assert bad.exit_code == 1 and "not-an-address" in bad.stderr
    missing = omnipos(demo, "customers", "edit", "99999", "--name", "Ingen")
    assert missing.exit_code == 1 and "99999" in missing.stderr


def test_db_migrate_check_and_backup(demo: Path, tmp_path: Path) -> None:
    assert "is up to date" in ok(demo, "db", "migrate").stdout
    report = ok_json(demo, "db", "check")
    assert report["ok"] and report["integrity"] == "ok" and report["missing_triggers"] == []
    assert report["append_only"]["master_data_change"] == ["delete", "replace", "update"]
    assert [c["register"] for c in report["hash_chains"] if c["ok"]] == ["1"]
    copy = tmp_path / "copy.sqlite3"
    ok(demo, "db", "backup", str(copy))
    again = omnipos(demo, "db", "backup", str(copy))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert omnipos(tmp_path / "restored", "db", "check").exit_code == 1  # nothing there yet
    (tmp_path / "restored").mkdir()
    copy.rename(tmp_path / "restored" / "omnipos.sqlite3")
    assert ok_json(tmp_path / "restored", "db", "check")["ok"]


def test_db_backup_refuses_a_folder_that_does_not_exist(demo: Path, tmp_path: Path) -> None:
    """Issue 10, item 10: a mistyped or unmounted USB path made its folders on the local
    disk and "worked"."""
    usb = tmp_path / "media" / "usb"
    result = omnipos(demo, "db", "backup", str(usb / "backup" / "b.sqlite3"))
    assert result.exit_code == 1
    assert f"cannot write in {usb / 'backup'}: the folder does not exist" in result.stderr
    assert not (tmp_path / "media").exists()
    usb.mkdir(parents=True)
    assert "b.sqlite3" in ok(demo, "db", "backup", str(usb / "b.sqlite3")).stdout
    assert sorted(p.name for p in usb.iterdir()) == ["b.sqlite3"]


def test_db_check_fails_when_a_trigger_is_missing(demo: Path) -> None:
    import sqlite3

    with sqlite3.connect(demo / "omnipos.sqlite3") as raw:
        raw.execute("DROP TRIGGER master_data_change_append_only_no_delete")
    result = omnipos(demo, "db", "check", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["missing_triggers"] == ["master_data_change: delete"]


def test_config_show_tells_where_each_value_came_from(data: Path, tmp_path: Path) -> None:
    config = tmp_path / "shop.toml"
    config.write_text('[till]\nkeymap = "big"\n', encoding="utf-8")
    result = omnipos(
        data,
        "--config",
        str(config),
        "--db-url",
        "postgresql://db/shop",
        "config",
        "show",
        "--json",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    values = shown["settings"]
    assert values["till.keymap"] == {"value": "big", "source": f"file:{config}"}
    assert values["database.url"] == {"value": "postgresql://db/shop", "source": "option:--db-url"}
    assert values["paths.data_dir"]["source"] == "option:--data-dir"
    assert values["shop.language"] == {"value": "nb", "source": "default"}
    assert shown["config_file"] == str(config)


def test_a_bad_configuration_is_reported_with_key_and_file(data: Path, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[till]\nkeymapp = 1\n", encoding="utf-8")
    result = omnipos(data, "--config", str(config), "config", "show")
    assert result.exit_code == 1
    assert f"error: {config} line 2: unknown key 'keymapp' in [till]" in result.stderr


def test_a_usage_error_exits_with_code_2(data: Path) -> None:
    assert omnipos(data, "products", "list", "--limit", "0").exit_code == 2
    assert omnipos(data, "no-such-command").exit_code == 2


def test_the_console_script_reports_user_errors_without_a_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("omnipos")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNIPOS_")}
    env["OMNIPOS_DATA_DIR"] = str(tmp_path / "nowhere")
    done = subprocess.run(
        [str(script), "products", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: there is no OmniPOS database")
    assert "Traceback" not in done.stderr
