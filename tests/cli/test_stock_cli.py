"""The stock and purchasing commands end to end in-process (CliRunner, a real SQLite file):
the command lines the shop's scripts use, their JSON, and the refusals (exit 1, nothing
written)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cli_support import DEMO_CASHIER, database, demo_shop, isolate, ok, ok_json, omnipos

from omnipos_tui.cli.stock_fast import read_show_line, run_show_line

PRODUCTS = (
    "sku;name;price;vat;group;unit;barcodes;active\n"
    "99901;Testmelk;20,00;15;10;stk;;ja\n"
    "99902;Testepler;30,00;15;10;kg;;ja\n"
)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path / "home")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop with two products nobody stocks yet and a supplier selling them."""
    base = tmp_path_factory.mktemp("stock")
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, base / "home")
        data = base / "data"
        demo_shop(data)
        (base / "p.csv").write_text(PRODUCTS, encoding="utf-8")
        ok(data, "products", "import", str(base / "p.csv"))
        ok(data, "suppliers", "add", "test", "Test Engros AS", "--org-number", "923609016")
        ok(data, "suppliers", "item", "test", "99901", "--cost", "10,00", "--pack-size", "6")
    return data


@pytest.fixture
def shop(tmp_path: Path, template: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(template, data)
    return data


def test_an_order_is_made_sent_and_received_from_the_command_line(shop: Path) -> None:
    number = ok(shop, "purchase", "new", "--supplier", "test", "--line", "99901=12").stdout.strip()
    assert number.isdigit()
    order = ok_json(shop, "purchase", "show", number)
    assert (order["status"], order["lines"][0]["quantity"]) == ("draft", 12)
    ok(shop, "purchase", "send", number, "-o", str(shop / "po"))
    assert (shop / "po" / f"innkjop-{number}.pdf").read_bytes().startswith(b"%PDF")
    ok(shop, "receive", "--po", number, "--line", "99901=10", "--delivery-note", "F-1")
    receipt = ok_json(shop, "receive", "--po", number, "--line", "99902=1,5")
    assert receipt["order_status"] == "partly_received"
    assert receipt["differences"][0] == {
        "sku": "99901",
        "ordered": 2,
        "delivered": 0,
        "over": 0,
        "under": 2,
    }
    stock = ok_json(shop, "stock", "show", "99901")
    assert {k: stock[k] for k in ("sku", "on_hand", "reserved", "available", "on_order")} == {
        "sku": "99901",
        "on_hand": 10,
        "reserved": 0,
        "available": 10,
        "on_order": 2,
    }
    assert stock["projected"] == 12 and stock["average_cost"] == 1000
    assert stock["sold"] == {"7d": 0, "30d": 0, "365d": 0}
    assert stock["locations"][0] == {
        "location": "butikk",
        "on_hand": 10,
        "reserved": 0,
        "available": 10,
        "min": None,
        "max": None,
    }
    apples = ok_json(shop, "stock", "show", "99902")
    assert apples["on_hand"] == 1.5 and isinstance(apples["on_hand"], float)
    listed = {row["sku"]: row for row in ok_json(shop, "stock", "list")}
    assert listed["99901"]["on_hand"] == 10 and listed["99902"]["available"] == 1.5
    assert "stock value" in ok(shop, "stock", "show", "99901").stdout.lower()


def test_verify_is_clean_then_names_a_drift_and_rebuild_repairs_it(shop: Path) -> None:
    ok(shop, "receive", "--line", "99901=3")
    assert "clean" in ok(shop, "stock", "verify").stdout
    with database(shop) as raw:
        raw.execute(
            "UPDATE stock_level SET on_hand = on_hand + 1000 WHERE product_id = "
            "(SELECT id FROM product WHERE sku = '99901')"
        )
    result = omnipos(shop, "stock", "verify")
    assert result.exit_code == 1
    assert "drift: 99901 location butikk: balance 4000 but the ledger says 3000" in result.stderr
    assert "Repaired 1 balance(s)" in ok(shop, "stock", "rebuild").stdout
    assert ok_json(shop, "stock", "verify")["clean"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("receive", "--line", "NOPE=1"), "no product with SKU or barcode NOPE"),
        (("receive", "--line", "99901=-1"), "is not allowed"),
        (("receive", "--line", "99901=abc"), "is not a number"),
        (("receive", "--line", "99901=1,5"), "is a weight, but the product is sold by the piece"),
        (("receive", "--line", "99901"), "write SKU=QUANTITY"),
        (("receive", "--po", "77", "--line", "99901=1"), "no purchase order 77"),
        (("receive", "--location", "kjeller", "--line", "99901=1"), "no location 'kjeller'"),
        (("stock", "transfer", "--from", "lager", "--to", "lager", "--line", "99901=1"), "itself"),
        (("purchase", "new", "--supplier", "nobody", "--line", "99901=1"), "no supplier 'nobody'"),
        (("stock", "show", "NOPE"), "no product with SKU or barcode 'NOPE'"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_writes_nothing(
    shop: Path, args: tuple[str, ...], message: str
) -> None:
    before = ok_json(shop, "stock", "verify")["moves"]
    result = omnipos(shop, *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert ok_json(shop, "stock", "verify")["moves"] == before


def test_receiving_against_a_cancelled_order_and_finishing_a_count_twice_are_refused(
    shop: Path,
) -> None:
    number = ok(shop, "purchase", "new", "--supplier", "test", "--line", "99901=6").stdout.strip()
    ok(shop, "purchase", "cancel", number, "--reason", "wrong")
    refused = omnipos(shop, "receive", "--po", number, "--line", "99901=6")
    assert refused.exit_code == 1 and "cancelled" in refused.stderr
    ok(shop, "receive", "--line", "99901=5")
    started = ok(shop, "stock", "count", "start", "--location", "butikk", "--group", "10").stdout
    count = started.split()[2]
    ok(shop, "stock", "count", "add", count, "--line", "99901=4")
    shown = ok_json(shop, "stock", "count", "show", count)
    line = next(ln for ln in shown["lines"] if ln["sku"] == "99901")
    assert (line["expected"], line["counted"], line["variance"]) == (5, 4, -1)
    ok(shop, "stock", "count", "finish", count, "--reason", "svinn")
    again = omnipos(shop, "stock", "count", "finish", count)
    assert again.exit_code == 1 and "finished already" in again.stderr
    assert ok_json(shop, "stock", "show", "99901")["on_hand"] == 4


def test_a_two_step_transfer_and_the_stock_value_report(shop: Path) -> None:
    ok(shop, "receive", "--line", "99901=8@12,50", "--location", "lager")
    sent = ok(shop, "stock", "transfer", "--from", "lager", "--to", "butikk", "--line", "99901=3",
              "--two-step").stdout  # fmt: skip
    number = sent.split()[1].rstrip(":")
    assert ok_json(shop, "stock", "show", "99901")["in_transit"] == 3
    ok(shop, "stock", "transfer", "--receive", number)
    shown = ok_json(shop, "stock", "show", "99901")
    assert [(loc["location"], loc["on_hand"]) for loc in shown["locations"]] == [
        ("butikk", 3),
        ("lager", 5),
    ]
    value = ok_json(shop, "reports", "stock-value")
    mine = next(p for p in value["products"] if p["sku"] == "99901")
    assert (mine["quantity"], mine["value"]) == (8, 10000)


def test_the_demo_shop_has_stock_in_two_places_orders_in_every_state_and_a_count(
    shop: Path,
) -> None:
    states = {order["status"] for order in ok_json(shop, "purchase", "list")}
    assert states == {"draft", "sent", "partly_received", "received", "cancelled"}
    assert [c["status"] for c in ok_json(shop, "stock", "count", "list")] == ["finished"]
    assert ok_json(shop, "stock", "list", "--negative")
    on_floor = ok_json(shop, "stock", "list", "--location", "butikk")
    in_back = ok_json(shop, "stock", "list", "--location", "lager")
    assert sum(1 for row in on_floor if row["on_hand"] > 0) > 100
    assert sum(1 for row in in_back if row["on_hand"] > 0) > 100
    assert len(ok_json(shop, "suppliers", "list")) == 5 + 1  # and the test supplier
    assert ok_json(shop, "stock", "verify")["clean"] is True


def test_stock_show_json_answers_the_same_without_the_typer_app(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(shop, "receive", "--line", "99901=4")
    line = read_show_line(["--data-dir", str(shop), "stock", "show", "99901", "--json"])
    assert line is not None and line.code == "99901"
    assert run_show_line(line) == 0
    fast = json.loads(capsys.readouterr().out)
    assert fast == ok_json(shop, "stock", "show", "99901")
    missing = read_show_line(["--data-dir", str(shop), "stock", "show", "NOPE", "--json"])
    assert missing is not None and run_show_line(missing) == 1
    assert "error: no product with SKU or barcode 'NOPE'" in capsys.readouterr().err
    for other in (
        ["stock", "show", "99901", "--plot"],  # a plot: the Typer app
        ["stock", "show", "--json"],
        ["stock", "show", "1", "2", "--json"],
        ["--verbose", "stock", "show", "1", "--json"],
        ["stock", "list", "--json"],
    ):
        assert read_show_line(other) is None, other


def test_stock_show_tables_are_the_same_without_the_typer_app(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(shop, "receive", "--line", "99901=4@9,50")
    line = read_show_line(["--data-dir", str(shop), "stock", "show", "99901"])
    assert line is not None and (line.code, line.as_json) == ("99901", False)
    assert run_show_line(line) == 0
    fast = capsys.readouterr().out
    assert "99901 Testmelk" in fast and "On hand per location" in fast and "Last moves" in fast
    assert fast == ok(shop, "stock", "show", "99901").stdout
    missing = read_show_line(["--data-dir", str(shop), "stock", "show", "NOPE"])
    assert missing is not None and run_show_line(missing) == 1
    assert "error: no product with SKU or barcode 'NOPE'" in capsys.readouterr().err


def test_show_plot_draws_stock_and_sales_per_day(shop: Path) -> None:
    ok(shop, "receive", "--line", "99901=5")
    drawn = ok(shop, "stock", "show", "99901", "--plot", "--days", "7").stdout
    assert "99901 Testmelk: stock and sales per day (piece)" in drawn
    days = [line for line in drawn.splitlines() if re.match(r"\s*\d{4}-\d\d-\d\d ", line)]
    assert len(days) == 7 and "5" in days[-1]  # today's stock: the five received
    bad = omnipos(shop, "stock", "show", "99901", "--plot", "--days", "1")
    assert bad.exit_code == 2  # a usage error: at least two days


# --- locations and the minimum ----------------------------------------------------------


def test_a_location_is_added_listed_stocked_and_a_register_sells_from_it(shop: Path) -> None:
    listed = ok_json(shop, "locations", "list")
    assert [(loc["code"], loc["kind"]) for loc in listed["locations"][:2]] == [
        ("butikk", "real"),
        ("lager", "real"),
    ]
    assert {loc["code"] for loc in listed["locations"] if loc["kind"] == "virtual"} == {
        "supplier", "customer", "loss", "count-difference", "transit",
    }  # fmt: skip
    assert listed["registers"] == {"1": "butikk"}
    assert ok(shop, "locations", "add", "kjeller", "Kjeller").stdout.strip() == (
        "Added location kjeller (Kjeller)"
    )
    ok(shop, "receive", "--line", "99901=4", "--location", "kjeller")
    ok(shop, "locations", "assign", "1", "kjeller")
    after = ok_json(shop, "locations", "list")
    assert ("kjeller", "Kjeller", "real") in [
        (loc["code"], loc["name"], loc["kind"]) for loc in after["locations"]
    ]
    assert after["registers"] == {"1": "kjeller"}
    people = ok(shop, "locations", "list").stdout
    assert re.search(r"kjeller\s+.\s+Kjeller\s+.\s+real\s+.\s+1\b", people), people
    shown = ok_json(shop, "stock", "show", "99901")
    assert {loc["location"]: loc["on_hand"] for loc in shown["locations"]} == {
        "butikk": 0,
        "lager": 0,
        "kjeller": 4,
    }
    assert [row["sku"] for row in ok_json(shop, "stock", "list", "--location", "kjeller")] == [
        "99901"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "Bad Code", "X"), "not a location code: 'Bad Code'"),
        (("add", "lager", "Lager 2"), "there is a location 'lager' already"),
        (("add", "kjeller", " "), "a location needs a name of 1-40 characters"),
        (("assign", "1", "loss"), "loss is a virtual location"),
        (("assign", "7", "lager"), "no register '7'"),
        (("assign", "1", "kjeller"), "no location 'kjeller'"),
    ],
)
def test_bad_locations_are_refused_and_nothing_changes(
    shop: Path, args: tuple[str, ...], message: str
) -> None:
    before = ok_json(shop, "locations", "list")
    result = omnipos(shop, "locations", *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert ok_json(shop, "locations", "list") == before


def test_only_a_manager_adds_a_location(shop: Path) -> None:
    result = omnipos(shop, "locations", "add", "kjeller", "Kjeller", who=DEMO_CASHIER)
    assert result.exit_code == 1 and "manager needed" in result.stderr
    assert "kjeller" not in {loc["code"] for loc in ok_json(shop, "locations", "list")["locations"]}


def test_below_min_lists_what_is_available_under_its_minimum_where_the_rule_is(shop: Path) -> None:
    ok(shop, "receive", "--line", "99901=3", "--line", "99902=2")
    ok(shop, "stock", "rule", "99901", "--min", "5", "--max", "20")
    ok(shop, "stock", "rule", "99902", "--min", "1")
    ok(shop, "stock", "rule", "99902", "--location", "lager", "--min", "0,5")  # none there
    below = ok_json(shop, "stock", "list", "--below-min")
    mine = {row["sku"]: row["available"] for row in below if row["sku"].startswith("999")}
    assert mine == {"99901": 3, "99902": 2.0}  # 99902 by its rule in the back store
    assert [r["sku"] for r in ok_json(shop, "stock", "list", "--below-min", "--location", "butikk")
            if r["sku"].startswith("999")] == ["99901"]  # fmt: skip
    people = ok(shop, "stock", "list", "--below-min", "--location", "butikk").stdout
    assert re.search(r"99901\s+.\s+Testmelk", people) and "99902" not in people
    ok(shop, "receive", "--line", "99901=2")  # 5 available: at the minimum, not below it
    ok(shop, "stock", "rule", "99902", "--location", "lager", "--clear")
    assert not [
        r for r in ok_json(shop, "stock", "list", "--below-min") if r["sku"].startswith("999")
    ]


# --- lines from a file ------------------------------------------------------------------


def test_a_delivery_file_reads_decimal_commas_with_semicolons_as_weights(shop: Path) -> None:
    delivery = shop / "levering.txt"
    delivery.write_text(
        "# følgeseddel 4711\n99902;1,234\n99901;3\n\n99902=0,5@30,00\n99901;2;12,50\n"
        '99902,"0,266"\n',
        encoding="utf-8",
    )
    receipt = ok_json(shop, "receive", "--file", str(delivery))
    assert [(ln["sku"], ln["quantity"], ln["unit_cost"]) for ln in receipt["lines"]] == [
        ("99902", 1.234, 0),
        ("99901", 3, 1000),
        ("99902", 0.5, 3000),
        ("99901", 2, 1250),
        ("99902", 0.266, 0),
    ]
    assert ok_json(shop, "stock", "show", "99902")["on_hand"] == 2.0
    count = ok(shop, "stock", "count", "start", "--location", "butikk").stdout.split()[2]
    counted = shop / "telling.txt"
    counted.write_text("99902;1,9\n99901;5\n", encoding="utf-8")
    ok(shop, "stock", "count", "add", count, "--file", str(counted))
    shown = ok_json(shop, "stock", "count", "show", count)
    lines = {ln["sku"]: (ln["counted"], ln["variance"]) for ln in shown["lines"]}
    assert lines["99902"] == (1.9, -0.1) and lines["99901"] == (5, 0)


@pytest.mark.parametrize(("encoding", "named"), [("utf-32", "UTF-32"), ("utf-16-le", "UTF-16")])
def test_a_wide_unicode_file_is_named_and_refused(shop: Path, encoding: str, named: str) -> None:
    wide = shop / "levering.txt"
    wide.write_bytes("99901;3\n99902;1,5\n".encode(encoding))
    result = omnipos(shop, "receive", "--file", str(wide))
    assert result.exit_code == 1
    assert f"cannot read {wide}: the file is {named}; save it as UTF-8" in result.stderr
    assert "codec" not in result.stderr


@pytest.mark.parametrize("command", ["receive", "count"])
def test_bad_lines_in_a_file_are_each_named_by_file_line_and_column_and_nothing_is_written(
    shop: Path, command: str
) -> None:
    bad = shop / "bad.txt"
    bad.write_text(
        "99901;3\n99901;1,234\nNOPE;1\n99902;1.234.5\n99902;1 234\n99901\n"
        "99901;2;1;4\n99902;1;abc\n",
        encoding="utf-8",
    )
    before = ok_json(shop, "stock", "verify")["moves"]
    count = ""
    if command == "receive":
        result = omnipos(shop, "receive", "--file", str(bad))
    else:
        count = ok(shop, "stock", "count", "start", "--location", "butikk").stdout.split()[2]
        result = omnipos(shop, "stock", "count", "add", count, "--file", str(bad))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for expected in (
        f"{bad}:2:7: quantity of 99901: 1,234 is a weight, but the product is sold by the piece",
        f"{bad}:3:1: no product with SKU or barcode 'NOPE'",
        f"{bad}:4:7: quantity of 99902: '1.234.5' is not a number",
        f"{bad}:5:7: quantity of 99902: '1 234' is not a number",
        f"{bad}:6:1:",
        f"{bad}:7:11:",
    ):
        assert expected in result.stderr, (expected, result.stderr)
    if command == "receive":
        assert f"{bad}:8:9:" in result.stderr
    else:
        assert f"{bad}:8:9: a count takes no cost" in result.stderr
    assert "nothing was written" in result.stderr
    bad.write_text("99902;0,5\n99901;2,5\n", encoding="utf-8")  # only the catalogue can tell
    args = ("receive",) if command == "receive" else ("stock", "count", "add", count)
    again = omnipos(shop, *args, "--file", str(bad))
    assert again.exit_code == 1 and f"{bad}:2:7: quantity of 99901: 2,5 is a weight" in again.stderr
    assert ok_json(shop, "stock", "verify")["moves"] == before
    if command == "count":
        assert all(
            ln["counted"] is None for ln in ok_json(shop, "stock", "count", "show", count)["lines"]
        )
