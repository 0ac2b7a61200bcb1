"""``omnipos demo seed``: deterministic for a seed, every day opened with a float and closed
by a Z whose totals match the stored rows, and refusals that say what to do."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_support import SEEDED_TO, database, demo_shop, isolate, ok, ok_json, omnipos

LAST = SEEDED_TO
FIRST = (date.fromisoformat(LAST) - timedelta(days=1)).isoformat()
_CREATED = re.compile(rb"<dateCreated>[^<]*</dateCreated>\s*<timeCreated>[^<]*</timeCreated>")


def _seed(data_dir: Path, seed: int, *, keys_from: Path | None = None) -> None:
    """A demo shop seeded 2 days x 15 customers; with the signing keys of another shop."""
    if keys_from is not None:
        data_dir.mkdir(parents=True)
        shutil.copytree(keys_from / "keys", data_dir / "keys")
    demo_shop(data_dir)
    ok(
        data_dir,
        "demo", "seed",
        "--days", "2", "--sales-per-day", "15", "--seed", str(seed), "--until", LAST,
    )  # fmt: skip


def _rows(data_dir: Path) -> list[tuple[Any, ...]]:
    with database(data_dir) as db:
        return db.execute(
            "SELECT nr, trans_id, kind, employee, trans_date, trans_time, total, total_ex_vat, "
            "rounding, receipt_series, receipt_number, training, voided, signature, "
            "key_version FROM cash_transaction ORDER BY register_id, nr"
        ).fetchall()


def _export(data_dir: Path, target: Path) -> bytes:
    ok(data_dir, "saft", "export", "--from", FIRST, "--to", LAST, "-o", str(target))
    return target.read_bytes()


def test_the_same_seed_gives_the_same_transactions_signatures_and_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    _seed(first, 11)
    _seed(second, 11, keys_from=first)
    _seed(other, 12, keys_from=first)
    rows = _rows(first)
    assert len(rows) > 30
    assert rows == _rows(second)
    assert rows != _rows(other)
    one = _export(first, tmp_path / "a.xml")
    two = _export(second, tmp_path / "b.xml")
    assert len(_CREATED.findall(one)) == 1
    assert _CREATED.sub(b"", one) == _CREATED.sub(b"", two)
    assert one.count(b"</cashtransaction>") == len(rows)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data_dir.parent)
        _seed(data_dir, 5)
    return data_dir


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def test_every_day_opens_with_a_float_and_closes_with_one_z_report(seeded: Path) -> None:
    with database(seeded) as db:
        floats = db.execute(
            "SELECT business_day, total FROM cash_transaction WHERE kind = 'opening_float' "
            "ORDER BY nr"
        ).fetchall()
    assert floats == [(FIRST, 200000), (LAST, 200000)]
    z_days = [e["event_date"] for e in ok_json(seeded, "journal", "show", "--code", "ZREPORT")]
    assert z_days == [FIRST, LAST]
    assert ok(seeded, "journal", "verify").exit_code == 0


def test_each_z_report_matches_sums_of_the_stored_rows_and_grand_totals_carry_on(
    seeded: Path,
) -> None:
    sales: dict[str, int] = defaultdict(int)
    with database(seeded) as db:
        for day, total in db.execute(
            "SELECT business_day, total FROM cash_transaction WHERE kind IN "
            "('sale', 'return', 'sale_and_return', 'credit_sale') AND NOT training AND NOT voided"
        ):
            sales[day] += total
        training = db.execute("SELECT COUNT(*) FROM cash_transaction WHERE training").fetchone()[0]
    reports = [
        e["payload"]["report"] for e in ok_json(seeded, "journal", "show", "--code", "ZREPORT")
    ]
    grand_net = 0
    for report in reports:
        assert report["total_sales"] == sales[report["business_day"]]
        grand_net += report["total_sales"]
        totals = report["grand_totals"]
        assert totals["sales"] - totals["returns"] == grand_net
    assert sum(r["training"]["count"] for r in reports) == training > 0


def test_the_seed_does_what_a_shop_day_does(seeded: Path) -> None:
    counts = {e["code"] for e in ok_json(seeded, "journal", "show", "--limit", "5000")}
    assert {
        "POSSTART", "LOGIN", "LOGOUT", "OPENFLOAT", "SALESRECEIPT", "DRAWOPEN",
        "DRAWOPENNOSALE", "CASHOUT", "TRAININGON", "TRAININGOFF", "TRAININGRECEIPT",
        "XREPORT", "ZREPORT", "POSSTOP",
    } <= counts  # fmt: skip


def test_the_seed_moves_stock_with_every_sale_and_restocks_each_morning(seeded: Path) -> None:
    with database(seeded) as db:
        sales = {
            str(row[0])
            for row in db.execute(
                "SELECT trans_id FROM cash_transaction WHERE kind = 'sale' AND training = 0"
            )
        }
        moved = {
            str(row[0])
            for row in db.execute("SELECT DISTINCT doc_id FROM stock_move WHERE doc_type = 'sale'")
        }
        days = {
            kind: {str(day) for (day,) in db.execute(
                "SELECT DISTINCT substr(at, 1, 10) FROM stock_move WHERE doc_type = ?", (kind,)
            )}
            for kind in ("receipt", "transfer")
        }  # fmt: skip
        sku, sold = db.execute(
            "SELECT p.sku, SUM(CASE WHEN m.to_location = c.id THEN m.quantity "
            "ELSE -m.quantity END) FROM stock_move m JOIN product p ON p.id = m.product_id "
            "JOIN stock_location c ON c.code = 'customer' WHERE m.doc_type = 'sale' "
            "GROUP BY p.sku ORDER BY 2 DESC, p.sku LIMIT 1"
        ).fetchone()
    assert len(sales) > 20 and moved == sales  # every sale moved stock, no training sale did
    assert LAST in days["receipt"]  # the second morning took in what the first one ordered
    assert FIRST in days["transfer"] and LAST in days["transfer"]  # the floor filled each day
    ordered = [
        o for o in ok_json(seeded, "purchase", "list") if FIRST <= o["created_at"][:10] <= LAST
    ]
    assert ordered and {o["status"] for o in ordered} <= {"sent", "partly_received", "received"}
    assert ok_json(seeded, "stock", "show", sku)["sold"]["30d"] == sold / 1000
    assert ok_json(seeded, "stock", "verify")["clean"] is True
    assert ok_json(seeded, "suppliers", "list") and ok_json(seeded, "orders", "list")


def test_seeding_a_register_that_has_sales_is_refused(seeded: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(seeded, tmp_path / "data"))
    result = omnipos(copy, "demo", "seed", "--days", "1", "--until", FIRST)
    assert result.exit_code == 1
    assert "register 1 has transactions already" in result.stderr


def test_seeding_needs_the_demo_staff_and_a_day_in_the_past(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    ok(
        plain, "init",
        "--company-name", "Testbutikken AS", "--org-number", "921745648",
        "--street", "Gata 1", "--postal-code", "7014", "--city", "Trondheim",
        "--admin-pin", "4321",
    )  # fmt: skip
    result = omnipos(plain, "demo", "seed", "--days", "1", "--until", LAST, who=("99", "4321"))
    assert result.exit_code == 1
    assert "demo seed needs the demo shop's staff" in result.stderr
    future = omnipos(plain, "demo", "seed", "--until", "2999-01-01", who=("99", "4321"))
    assert future.exit_code == 1
    assert "is not in the past" in future.stderr
    empty = omnipos(tmp_path / "nothing", "demo", "seed")
    assert empty.exit_code == 1
    assert "omnipos init --demo" in empty.stderr
