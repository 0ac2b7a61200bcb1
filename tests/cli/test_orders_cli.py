"""``omnipos orders`` end to end in-process (CliRunner, a real SQLite file): the command
lines and their JSON, the customer's orders and purchases, and every refusal (exit 1, the
reason on standard error, nothing written)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cli_support import DEMO_CASHIER, database, demo_shop, isolate, ok, ok_json, omnipos

from omnipos_tui.cli.stock_fast import read_show_line, run_show_line

ORDER_KEYS = {
    "number",
    "channel",
    "external_id",
    "status",
    "customer",
    "lines",
    "shipments",
    "history",
}
CUSTOMER_KEYS = {"number", "name", "email", "phone"}
LINE_KEYS = {"sku", "quantity", "reserved", "picked", "location"}
SHIPMENT_KEYS = {
    "carrier",
    "tracking_number",
    "status",
    "shipped_at",
    "estimated_delivery",
    "delivered_at",
    "pickup_code",
}
HISTORY_KEYS = {"status", "at", "employee"}
MANAGER = ("--employee", "2", "--pin", "9999")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path / "home")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("orders")
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, base / "home")
        demo_shop(base / "data")
    return base / "data"


@pytest.fixture
def shop(tmp_path: Path, template: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(template, data)
    return data


def _stocked(shop: Path, count: int = 2) -> list[str]:
    """SKUs with plenty available on the shop floor."""
    rows = ok_json(shop, "stock", "list", "--location", "butikk")
    return [r["sku"] for r in rows if r["unit"] == "piece" and r["available"] >= 10][:count]


def _orders(shop: Path) -> int:
    row = database(shop).execute("SELECT COUNT(*) FROM customer_order").fetchone()
    return int(row[0])


def _available(shop: Path, sku: str) -> Any:
    return ok_json(shop, "stock", "show", sku)["locations"][0]["available"]


def test_a_new_order_prints_the_whole_order_with_every_documented_key(shop: Path) -> None:
    first, second = _stocked(shop)
    before = _available(shop, first)
    order = ok_json(
        shop, "orders", "new", "--customer", "20001", "--line", f"{first}=2",
        "--line", f"{second}=1", "--pickup", *MANAGER,
    )  # fmt: skip
    assert order.keys() >= ORDER_KEYS
    assert order["customer"].keys() >= CUSTOMER_KEYS
    assert all(line.keys() >= LINE_KEYS for line in order["lines"])
    assert all(h.keys() >= HISTORY_KEYS for h in order["history"])
    assert (order["channel"], order["external_id"], order["status"]) == ("till", None, "reserved")
    assert order["customer"]["number"] == "20001"
    assert [(ln["sku"], ln["quantity"], ln["reserved"], ln["picked"]) for ln in order["lines"]] == [
        (first, 2, 2, 0),
        (second, 1, 1, 0),
    ]
    assert [h["status"] for h in order["history"]] == ["open", "reserved"]
    assert order["history"][0]["employee"] == "2"
    assert _available(shop, first) == before - 2
    shown = ok_json(shop, "orders", "show", str(order["number"]))
    assert shown == order


def test_an_order_is_picked_shipped_in_two_parcels_tracked_and_delivered(shop: Path) -> None:
    first, second = _stocked(shop)
    number = ok(
        shop, "orders", "new", "--customer", "20001", "--line", f"{first}=2",
        "--line", f"{second}=1", "--ship",
    ).stdout.strip()  # fmt: skip
    picked = ok_json(shop, "orders", "pick", number)
    assert picked["status"] == "picked"
    assert [ln["picked"] for ln in picked["lines"]] == [2, 1]
    ok(shop, "orders", "ship", number, "--carrier", "manual", "--tracking", "PB1", "--line", "1=2")
    shipped = ok_json(
        shop, "orders", "ship", number, "--carrier", "manual", "--tracking", "PB2",
        "--service", "Pakke i postkassen",
    )  # fmt: skip
    assert shipped["status"] == "shipped"
    assert [s["tracking_number"] for s in shipped["shipments"]] == ["PB1", "PB2"]
    assert all(s.keys() >= SHIPMENT_KEYS for s in shipped["shipments"])
    assert shipped["lines"][0]["parcels"] == ["PB1"]
    ok(shop, "orders", "track", number, "--status", "delivered", "--tracking", "PB1")
    done = ok_json(shop, "orders", "track", number, "--status", "delivered", "--tracking", "PB2")
    assert done["status"] == "delivered"
    assert all(s["delivered_at"] for s in done["shipments"])
    refused = omnipos(shop, "orders", "cancel", number)
    assert refused.exit_code == 1
    assert f"order {number} is delivered: cannot cancel it" in refused.stderr


def test_orders_show_for_people_says_which_parcel_each_line_went_in(shop: Path) -> None:
    first, second, third, fourth = _stocked(shop, 4)
    number = ok(
        shop, "orders", "new", "--customer", "20001", "--line", f"{first}=2",
        "--line", f"{second}=1", "--line", f"{third}=2", "--line", f"{fourth}=1", "--ship",
    ).stdout.strip()  # fmt: skip
    ok(shop, "orders", "pick", number)
    ok(shop, "orders", "ship", number, "--carrier", "manual", "--tracking", "PB1",
       "--line", "1=1", "--line", "2=1")  # fmt: skip
    ok(shop, "orders", "ship", number, "--carrier", "manual", "--tracking", "PB2",
       "--line", "1=1", "--line", "3=1")  # fmt: skip
    shown = ok(shop, "orders", "show", number).stdout
    rows = {
        cells[1]: cells[-2]
        for line in shown.splitlines()
        if len(cells := [c.strip() for c in line.split("│")]) > 3 and cells[1].isdigit()
    }
    assert rows == {"1": "PB1 (1), PB2 (1)", "2": "PB1", "3": "PB2 (1)", "4": "-"}, shown


def test_lists_filter_and_the_customer_shows_orders_and_purchases(shop: Path) -> None:
    (sku,) = _stocked(shop, 1)
    web = ok_json(
        shop, "orders", "new", "--customer", "20002", "--line", f"{sku}=1", "--channel", "web",
        "--external-id", "WOO-55", "--payment", "prepaid",
    )  # fmt: skip
    assert (web["channel"], web["external_id"], web["payment"]) == ("web", "WOO-55", "prepaid")
    listed = ok_json(shop, "orders", "list", "--channel", "web")
    assert listed[0]["number"] == web["number"]  # newest first
    assert {o["channel"] for o in listed} == {"web"}
    assert listed[0]["customer"] == {"number": "20002", "name": web["customer"]["name"]}
    assert (
        ok_json(shop, "orders", "list", "--status", "reserved", "--customer", "20002")[0]["number"]
        == web["number"]
    )
    assert ok_json(shop, "orders", "list", "--late") == []
    customer = ok_json(shop, "customers", "show", "20002")
    assert customer["number"] == "20002" and "email" in customer
    assert customer["orders"][0]["number"] == web["number"]
    assert {o["customer"]["number"] for o in customer["orders"]} == {"20002"}
    assert isinstance(customer["purchases"], list)
    people = ok(shop, "customers", "show", "20002").stdout
    assert "Orders" in people and "WOO-55" in people
    assert "Purchases" in people or "No purchases." in people


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--customer", "404", "--line", "{sku}=1"), "no customer with number 404"),
        (("--customer", "20001", "--line", "NOPE=1"), "NOPE"),
        (("--customer", "20001", "--line", "{sku}=0"), "a quantity is above 0"),
        (("--customer", "20001", "--line", "{sku}"), "write SKU=QUANTITY"),
        (("--customer", "20001", "--line", "{sku}=1", "--payment", "cash"), "--payment 'cash'"),
        (("--customer", "20001", "--line", "{sku}=1", "--promised", "juli"), "is not a date"),
        (("--customer", "20001", "--line", "{sku}=1", "--channel", "web"), "own order id"),
    ],
)
def test_a_bad_new_order_is_refused_with_the_reason_and_nothing_is_written(
    shop: Path, args: tuple[str, ...], message: str
) -> None:
    (sku,) = _stocked(shop, 1)
    before = _orders(shop)
    result = omnipos(shop, "orders", "new", *(a.format(sku=sku) for a in args))
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert _orders(shop) == before


def test_refusals_on_existing_orders_name_the_order_and_change_nothing(shop: Path) -> None:
    (sku,) = _stocked(shop, 1)
    available = _available(shop, sku)
    number = ok(shop, "orders", "new", "--customer", "20001", "--line", f"{sku}=2").stdout.strip()
    cases = [
        (("orders", "show", "999999"), "no order number 999999"),
        (("orders", "pick", number, "--line", "1=3"), "3 is more than is reserved (2)"),
        (("orders", "pick", number, "--line", "one=3"), "write LINE=QUANTITY"),
        (("orders", "ship", number, "--carrier", "manual", "--tracking", "X"), "not shipped"),
        (("orders", "track", number, "--status", "lost"), "--status 'lost'"),
        (("orders", "list", "--status", "gone"), "--status 'gone'"),
        (("orders", "list", "--customer", "nobody"), "no customer with number nobody"),
    ]
    before = ok_json(shop, "orders", "show", number)
    for args, message in cases:
        result = omnipos(shop, *args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
    assert ok_json(shop, "orders", "show", number) == before
    ok(shop, "orders", "cancel", number, "--reason", "changed mind")
    shipped = omnipos(shop, "orders", "ship", number, "--carrier", "manual", "--tracking", "X1")
    assert shipped.exit_code == 1 and "is cancelled" in shipped.stderr
    assert _available(shop, sku) == available


def test_a_carrier_that_cannot_be_asked_leaves_the_parcel_as_it_was(shop: Path) -> None:
    (sku,) = _stocked(shop, 1)
    number = ok(
        shop, "orders", "new", "--customer", "20001", "--line", f"{sku}=1", "--ship"
    ).stdout.strip()
    ok(shop, "orders", "ship", number, "--carrier", "bring", "--tracking", "370000000000000077")
    tracked = omnipos(shop, "orders", "track", number, "--json")
    assert tracked.exit_code == 0, tracked.output
    assert "showing the last known status" in tracked.stderr
    assert "[carriers.bring] api_uid is not set" in tracked.stderr


def test_the_demo_shop_has_orders_in_every_state_with_parcels_from_the_simulated_carrier(
    tmp_path: Path,
) -> None:
    data = tmp_path / "demo"
    ok(data, "init", "--demo")  # with a few days of history
    orders = ok_json(data, "orders", "list")
    assert {o["status"] for o in orders} == {
        "open", "reserved", "picked", "packed", "shipped", "delivered", "picked_up", "cancelled",
    }  # fmt: skip
    assert {o["channel"] for o in orders} == {"till", "web"}
    assert ok_json(data, "orders", "list", "--late")
    parcels = [
        s
        for o in orders
        if o["delivery"] == "ship"
        for s in ok_json(data, "orders", "show", str(o["number"]))["shipments"]
    ]
    statuses = {s["status"] for s in parcels}
    assert {"delivered", "ready_for_pickup", "unknown"} <= statuses
    ready = next(s for s in parcels if s["status"] == "ready_for_pickup")
    assert ready["pickup_code"] and ready["events"][0]["raw_status"] == "PRE_NOTIFIED"
    assert all(s["carrier"] in {"bring", "manual"} for s in parcels)
    assert ok_json(data, "stock", "verify")["clean"]


def test_refresh_asks_about_the_parcels_that_are_due(shop: Path) -> None:
    (sku,) = _stocked(shop, 1)
    number = ok(
        shop, "orders", "new", "--customer", "20001", "--line", f"{sku}=1", "--ship"
    ).stdout.strip()
    ok(shop, "orders", "ship", number, "--carrier", "bring", "--tracking", "370000000000000078")
    due = ok_json(shop, "orders", "refresh", "--limit", "500")
    assert due["asked"] >= 1 and due["failed"] == due["asked"]  # no Bring key in this shop
    parcel = ok_json(shop, "orders", "show", number)["shipments"][0]
    assert parcel["status"] == "booked" and "api_uid is not set" in parcel["fetch_error"]
    assert ok_json(shop, "orders", "refresh")["asked"] == 0  # asked again in ten minutes


def test_refresh_changes_parcels_so_it_asks_who_is_at_the_keyboard(shop: Path) -> None:
    (sku,) = _stocked(shop, 1)
    number = ok(
        shop, "orders", "new", "--customer", "20001", "--line", f"{sku}=1", "--ship"
    ).stdout.strip()
    ok(shop, "orders", "ship", number, "--carrier", "bring", "--tracking", "370000000000000078")
    refused = omnipos(shop, "orders", "refresh", "--json", who=None)
    assert refused.exit_code == 1
    assert "omnipos orders refresh changes data: give --employee NUMBER" in refused.stderr
    wrong = omnipos(shop, "orders", "refresh", "--json", who=("1", "4321"))
    assert wrong.exit_code == 1 and "wrong employee number or PIN" in wrong.stderr
    parcel = ok_json(shop, "orders", "show", number, who=None)["shipments"][0]
    assert parcel["fetch_error"] == ""  # nobody asked the carrier
    assert ok_json(shop, "orders", "refresh", who=DEMO_CASHIER)["asked"] >= 1


def test_orders_show_json_answers_the_same_without_the_typer_app(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sku,) = _stocked(shop, 1)
    number = ok(shop, "orders", "new", "--customer", "20001", "--line", f"{sku}=1").stdout.strip()
    line = read_show_line(["--data-dir", str(shop), "orders", "show", number, "--json"])
    assert line is not None and (line.noun, line.code) == ("orders", number)
    assert run_show_line(line) == 0
    assert json.loads(capsys.readouterr().out) == ok_json(shop, "orders", "show", number)
    missing = read_show_line(["--data-dir", str(shop), "orders", "show", "999999", "--json"])
    assert missing is not None and run_show_line(missing) == 1
    assert "error: no order number 999999" in capsys.readouterr().err
    tables = read_show_line(["--data-dir", str(shop), "orders", "show", number])
    assert tables is not None and not tables.as_json and run_show_line(tables) == 0
    assert capsys.readouterr().out == ok(shop, "orders", "show", number).stdout
    for other in (
        ["orders", "show", number, "--pickup"],  # not a plain show: the Typer app
        ["orders", "show", "0", "--json"],
        ["orders", "show", "x1", "--json"],
        ["orders", "list", "--json"],
    ):
        assert read_show_line(other) is None, other
