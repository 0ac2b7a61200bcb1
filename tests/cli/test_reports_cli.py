"""``omnipos reports x|z|sales``: paper text and JSON, counted cash, one Z a day, and
sales summed by product, hour and employee checked against plain SQL."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import cli_support
import pytest
from cli_support import database, isolate
from typer.testing import Result

from omnipos_tui.bootstrap import build
from omnipos_tui.cli.reports import counted_cash, parse_cash_count
from omnipos_tui.core.clock import FixedClock, business_day
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.settings import Override, load_settings

MILK = "7030536000017"  # demo shop: Tine Lettmelk 1 l, 23,90
CLOCK = FixedClock(datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
"""The clock the product takes, for every command and sale here: noon in Oslo, standing
still, so no test crosses midnight between its sale and its report (the system clock did)."""


def omnipos(data_dir: Path, *args: str) -> Result:
    return cli_support.omnipos(data_dir, *args, clock=CLOCK)


def ok(data_dir: Path, *args: str) -> Result:
    return cli_support.ok(data_dir, *args, clock=CLOCK)


def ok_json(data_dir: Path, *args: str) -> Any:
    return cli_support.ok_json(data_dir, *args, clock=CLOCK)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``omnipos init --demo``: the demo shop with its default history (3 days x 20)."""
    data_dir = tmp_path_factory.mktemp("history") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data_dir.parent)
        ok(data_dir, "init", "--demo")
    return data_dir


@pytest.fixture
def shop(history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo shop with history."""
    isolate(monkeypatch, tmp_path)
    return Path(shutil.copytree(history, tmp_path / "data"))


def sell_today(data_dir: Path, *codes: str, cash: bool = True, complete: bool = True) -> None:
    """Ring up a sale now (``CLOCK``) through the real services, as the till would."""
    settings = load_settings(None, overrides=(Override("paths.data_dir", str(data_dir), "t"),))
    app = build(settings, clock=CLOCK)
    try:
        sale = opening.resume_or_open(app.sales, "1", "1")
        for code in codes:
            ringing.add_item(app.sales, sale.sale_id, code, employee="1")
        if not complete:
            return
        tender = TenderKind.CASH if cash else TenderKind.MOBILE
        payments.pay(app.sales, sale.sale_id, tender, None, employee="1", reference="V1")
        completion.complete(app.sales, sale.sale_id, employee="1")
    finally:
        app.close()


def test_init_demo_leaves_three_closed_days_of_history_and_today_open(history: Path) -> None:
    z_reports = ok_json(history, "journal", "show", "--code", "ZREPORT")
    assert len(z_reports) == 3
    days = [date.fromisoformat(z["event_date"]) for z in z_reports]
    assert days == [days[-1] - timedelta(days=2), days[-1] - timedelta(days=1), days[-1]]
    assert days[-1] == business_day(CLOCK.now()) - timedelta(days=1)  # today is open
    assert ok(history, "journal", "verify").stdout.startswith("Register 1: ok")


def test_x_report_prints_the_paper_report_and_journals_it_whole(shop: Path) -> None:
    sell_today(shop, MILK, MILK)
    text = ok(shop, "reports", "x").stdout
    assert "X-rapport" in text
    assert "Nærbutikken Solsiden AS" in text
    assert "Antall salgskvitteringer                       1" in text
    report = ok_json(shop, "reports", "x")
    assert report["kind"] == "X"
    assert report["report_no"] == 5  # one X before each of the 3 seeded Z, then the one above
    assert report["receipt_count"] == 1
    assert report["total_sales"] == 2 * 2390
    journaled = ok_json(shop, "journal", "show", "--code", "XREPORT", "--limit", "100")
    assert journaled[-1]["payload"]["report"] == report


def test_z_report_with_a_cash_count_shows_counted_against_expected(shop: Path) -> None:
    sell_today(shop, MILK)
    report = ok_json(shop, "reports", "z", "--count-cash", "500=3, 200=1,20=2")
    assert report["kind"] == "Z"
    assert report["receipt_count"] == 1
    expected = 2400  # 23,90 rounded to whole kroner in cash
    assert report["expected_cash"] == expected
    assert report["cash_counts"] == [
        {"tender": "cash", "expected": expected, "counted": 174000},
    ]
    grand = report["grand_totals"]
    assert grand["sales"] - grand["returns"] > report["total_sales"] > 0


def test_a_second_z_report_on_the_same_day_is_refused_with_a_clear_message(shop: Path) -> None:
    first = ok(shop, "reports", "z", "--counted", "0")
    assert "Z-rapport" in first.stdout and "Talt" in first.stdout
    again = omnipos(shop, "reports", "z")
    assert again.exit_code == 1
    assert "has its Z report for" in again.stderr
    assert "(one per register per day)" in again.stderr
    assert len(ok_json(shop, "journal", "show", "--code", "ZREPORT")) == 4


def test_z_report_is_refused_while_a_sale_is_open(shop: Path) -> None:
    sell_today(shop, MILK, complete=False)
    result = omnipos(shop, "reports", "z")
    assert result.exit_code == 1
    assert "finish or void the sales first: 1 open" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--count-cash", "500=3", "--counted", "10"), "either --count-cash or --counted"),
        (("--count-cash", "500x3"), "'500x3' is not DENOMINATION=COUNT"),
        (("--count-cash", "500=1,500=2"), "denomination 500 is listed twice"),
        (("--count-cash", "200=1.5"), "the count must be a whole number"),
        (("--counted", "12,345"), "not an amount"),
        # Issue 10, item 8: only the notes and coins in use in Norway (a final Z with
        # "Talt 301,00" from 300=1,0.5=2 was taken before).
        (("--count-cash", "300=1,0.5=2"), "300 is not a Norwegian note or coin"),
        (("--count-cash", "500=1,0.5=2"), "0.5 is not a Norwegian note or coin"),
        (("--count-cash", "7=1"), "(1000, 500, 200, 100, 50, 20, 10, 5, 1 kroner)"),
        (("--count-cash", "2.50=1"), "2.50 is not a Norwegian note or coin"),
        (("--employee", "77"), "wrong employee number or PIN"),
    ],
)
def test_bad_cash_counts_are_refused_before_anything_is_written(
    shop: Path, args: tuple[str, ...], message: str
) -> None:
    result = omnipos(shop, "reports", "z", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(ok_json(shop, "journal", "show", "--code", "ZREPORT")) == 3


def test_a_count_by_denomination_adds_up_notes_and_coins() -> None:
    assert parse_cash_count("1000=1,500=2,200=0,50=3,20=4,10=1,5=2,1=7") == Money(225700)
    assert counted_cash(None, "2450,50") == {TenderKind.CASH: Money(245050)}
    assert counted_cash(None, None) is None
    with pytest.raises(InvalidInput, match="no denominations"):
        parse_cash_count(" , ")
    with pytest.raises(InvalidInput, match="above 0"):
        parse_cash_count("0=4")


def _sql_sales(data_dir: Path) -> tuple[int, int]:
    with database(data_dir) as db:
        row = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(total), 0) FROM cash_transaction "
            "WHERE kind IN ('sale', 'return', 'sale_and_return', 'credit_sale') "
            "AND NOT training AND NOT voided"
        ).fetchone()
    return int(row[0]), int(row[1])


@pytest.mark.parametrize("by", ["product", "hour", "employee"])
def test_sales_by_product_hour_or_employee_add_up_to_the_stored_transactions(
    history: Path, by: str
) -> None:
    first = ok_json(history, "journal", "show", "--code", "ZREPORT")[0]["event_date"]
    summary = ok_json(
        history, "reports", "sales", "--from", first, "--to", "2099-12-31", "--by", by
    )
    receipts, total = _sql_sales(history)
    assert summary["receipts"] == receipts > 0
    assert summary["amount_ore"] == total
    assert sum(row["amount_ore"] for row in summary["rows"]) == total
    if by == "hour":
        assert [r["key"] for r in summary["rows"]] == sorted(r["key"] for r in summary["rows"])
        assert all("08" <= r["key"] <= "20" for r in summary["rows"])
    if by == "employee":
        assert {r["key"] for r in summary["rows"]} <= {"1", "3"}


def test_sales_table_and_plot_are_drawn_for_people(history: Path) -> None:
    first = ok_json(history, "journal", "show", "--code", "ZREPORT")[0]["event_date"]
    table = ok(history, "reports", "sales", "--from", first, "--to", "2099-12-31", "--limit", "5")
    assert "Sales" in table.stdout and "incl. VAT" in table.stdout
    plot = ok(history, "reports", "sales", "--from", first, "--by", "hour", "--plot")
    assert "█" in plot.stdout and "08:00-08:59" in plot.stdout
    empty = ok(history, "reports", "sales", "--from", "2001-01-01", "--to", "2001-12-31", "--plot")
    assert "(no sales)" in empty.stdout
