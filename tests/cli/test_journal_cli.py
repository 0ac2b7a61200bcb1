"""``omnipos journal show`` and ``omnipos journal verify`` on a seeded shop, and tampering
found by hand-dropped triggers and changed rows."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from cli_support import SEEDED_TO, database, isolate, ok, ok_json, omnipos, seeded_shop

DAY = SEEDED_TO
NEXT_DAY = (date.fromisoformat(DAY) + timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop with one seeded day of 12 customers, made once."""
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data_dir.parent)
        seeded_shop(data_dir, days=1, sales=12, seed=3)
    return data_dir


@pytest.fixture
def shop(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the seeded shop (database and keys) that a test may tamper with."""
    isolate(monkeypatch, tmp_path)
    return Path(shutil.copytree(seeded, tmp_path / "data"))


def _drop_triggers(db: sqlite3.Connection) -> int:
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    for name in names:
        db.execute(f'DROP TRIGGER "{name}"')
    return len(names)


def test_verify_passes_on_an_untouched_journal_and_says_how_much_it_checked(shop: Path) -> None:
    result = ok(shop, "journal", "verify")
    count = len(ok_json(shop, "journal", "show", "--code", "SALESRECEIPT", "--limit", "500"))
    assert "Register 1: ok" in result.stdout
    checked = ok_json(shop, "journal", "verify")
    assert checked == [
        {
            "register": "1",
            "ok": True,
            "unchecked": False,
            "checked": checked[0]["checked"],
            "last_nr": checked[0]["checked"],
            "broken_nr": None,
            "broken_transaction": None,
            "reason": None,
            "detail": None,
            "hash_chain": {
                "ok": True,
                "events": checked[0]["hash_chain"]["events"],
                "transactions": checked[0]["checked"],
                "problems": [],
                "more": 0,
            },
        }
    ]
    assert checked[0]["checked"] > count > 0
    assert checked[0]["hash_chain"]["events"] > checked[0]["checked"]
    assert "Register 1: hash chain ok" in result.stdout


def test_the_database_refuses_to_change_a_transaction_while_its_triggers_are_there(
    shop: Path,
) -> None:
    with database(shop) as db, pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE cash_transaction SET total = total + 100 WHERE nr = 5")


def test_a_changed_amount_with_the_triggers_dropped_fails_verify_naming_the_transaction(
    shop: Path,
) -> None:
    with database(shop) as db:
        assert _drop_triggers(db) >= 6
        changed = db.execute(
            "UPDATE cash_transaction SET total = total + 100 WHERE register_id = '1' AND nr = 5"
        ).rowcount
    assert changed == 1
    result = omnipos(shop, "journal", "verify")
    assert result.exit_code == 1
    assert "BROKEN at transaction 1-5 (nr 5)" in result.stdout
    assert "first broken transaction 1-5 (bad_signature)" in result.stderr
    report = omnipos(shop, "journal", "verify", "--json")
    assert report.exit_code == 1


def test_a_changed_line_amount_is_found_even_though_the_signed_totals_are_untouched(
    shop: Path,
) -> None:
    with database(shop) as db:
        _drop_triggers(db)
        trans_id = db.execute(
            "SELECT trans_id FROM transaction_line WHERE line_no = 1 ORDER BY trans_id LIMIT 1"
        ).fetchone()[0]
        db.execute(
            "UPDATE transaction_line SET amount = amount - 100 WHERE trans_id = ? AND line_no = 1",
            (trans_id,),
        )
    result = omnipos(shop, "journal", "verify", "--register", "1")
    assert result.exit_code == 1
    assert f"transaction {trans_id}" in result.stderr
    assert "inconsistent" in result.stderr


def test_a_deleted_transaction_is_named_as_a_gap_in_the_numbers(shop: Path) -> None:
    with database(shop) as db:
        _drop_triggers(db)
        db.execute("PRAGMA foreign_keys = OFF")
        for table in ("transaction_payment", "transaction_line"):
            db.execute(f"DELETE FROM {table} WHERE trans_id = '1-4'")
        db.execute("DELETE FROM cash_transaction WHERE trans_id = '1-4'")
    result = omnipos(shop, "journal", "verify")
    assert result.exit_code == 1
    assert "transaction number 4 is missing before 1-5" in result.stdout


def test_show_lists_events_in_journal_order_filtered_by_code_and_day(shop: Path) -> None:
    everything = ok_json(shop, "journal", "show", "--limit", "1000")
    seqs = [event["seq"] for event in everything]
    assert seqs == sorted(seqs) and len(seqs) > 12
    z_reports = ok_json(shop, "journal", "show", "--code", "ZREPORT")
    assert [e["code"] for e in z_reports] == ["ZREPORT"]
    assert z_reports[0]["event_date"] == DAY
    assert z_reports[0]["payload"]["report"]["kind"] == "Z"
    by_saft_code = ok_json(shop, "journal", "show", "--code", "13009")
    assert by_saft_code == z_reports
    drawer = ok_json(shop, "journal", "show", "--code", "13005")
    assert {e["code"] for e in drawer} == {"DRAWOPEN", "DRAWOPENNOSALE"}
    on_day = ok_json(shop, "journal", "show", "--from", DAY, "--to", DAY, "--limit", "1000")
    assert {e["event_date"] for e in on_day} == {DAY}
    assert len(ok_json(shop, "journal", "show", "--limit", "3")) == 3


def test_show_prints_a_table_for_people(shop: Path) -> None:
    result = ok(shop, "journal", "show", "--code", "LOGIN", "--limit", "2")
    assert "Journal: 2 event(s)" in result.stdout
    assert "LOGIN" in result.stdout and "13003" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--code", "NOSUCH"), "--code: unknown event code 'NOSUCH'"),
        (("--from", "2026-13-01"), "--from: '2026-13-01' is not a date"),
        (("--from", ""), "--from: '' is not a date"),
        (("--to", " "), "--to: ' ' is not a date"),
        (("--from", NEXT_DAY, "--to", DAY), "is before --from"),
        (("--from", "9999-12-31", "--to", "0001-01-01"), "is before --from"),
    ],
)
def test_show_refuses_bad_options_with_a_message(
    shop: Path, args: tuple[str, ...], message: str
) -> None:
    result = omnipos(shop, "journal", "show", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "0001-01-01", "--to", "9999-12-31", "--limit", "100000"),
        ("--from", "0001-01-01", "--limit", "100000"),
        ("--to", "9999-12-31", "--limit", "100000"),
        ("--limit", "99999999999999999999"),
        ("--last", "99999999999999999999"),
    ],
)
def test_show_takes_the_ends_of_the_calendar_and_huge_counts_as_everything(
    shop: Path, args: tuple[str, ...]
) -> None:
    everything = ok_json(shop, "journal", "show", "--limit", "100000")
    found = ok_json(shop, "journal", "show", *args)
    key = lambda e: (e["register_id"], e["seq"])  # --last sorts by time  # noqa: E731
    assert sorted(found, key=key) == sorted(everything, key=key)


def test_show_last_gives_the_newest_events_oldest_first(shop: Path) -> None:
    everything = ok_json(shop, "journal", "show", "--limit", "10000")
    newest = ok_json(shop, "journal", "show", "--last", "5")
    assert newest == everything[-5:]
    logins = [e for e in everything if e["code"] == "LOGIN"]
    assert ok_json(shop, "journal", "show", "--code", "LOGIN", "--last", "2") == logins[-2:]
    table = ok(shop, "journal", "show", "--last", "3")
    assert "Journal: 3 event(s) (newest 3)" in table.stdout
    assert everything[-1]["text"][:20] in table.stdout


def test_show_in_80_columns_keeps_the_text_and_leaves_out_date_and_saft_code(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = ok(shop, "journal", "show", "--code", "LOGIN", "--limit", "1").stdout
    assert "SAF-T" not in table and "13003" not in table
    assert max(len(line) for line in table.splitlines()) <= 80
    event = ok_json(shop, "journal", "show", "--code", "LOGIN", "--limit", "1")[0]
    assert event["text"].split()[0] in table


def test_a_payment_changed_from_card_to_cash_fails_verify_and_db_check_naming_it(
    shop: Path,
) -> None:
    with database(shop) as db:
        trans_id, seq = db.execute(
            "SELECT trans_id, seq FROM transaction_payment WHERE tender = 'card' LIMIT 1"
        ).fetchone()
        _drop_triggers(db)
        db.execute(
            "UPDATE transaction_payment SET tender = 'cash' WHERE trans_id = ? AND seq = ?",
            (trans_id, seq),
        )
    ok(shop, "db", "migrate")  # the triggers back: only the hash chain can tell
    result = omnipos(shop, "journal", "verify")
    assert result.exit_code == 1
    assert "Register 1: ok," in result.stdout  # the signed totals are untouched
    assert "Register 1: hash chain BROKEN, 1 problem(s)" in result.stdout
    assert f"transaction {trans_id} payment {seq}: payment {seq} of transaction {trans_id}" in (
        result.stdout
    )
    assert f"register 1: transaction {trans_id} payment {seq} (changed)" in result.stderr
    report = omnipos(shop, "db", "check", "--json")
    assert report.exit_code == 1
    [chain] = json.loads(report.stdout)["hash_chains"]
    assert [(p["kind"], p["where"]) for p in chain["problems"]] == [
        ("changed", f"transaction {trans_id} payment {seq}")
    ]
    table = omnipos(shop, "db", "check")
    assert table.exit_code == 1 and "PROBLEMS FOUND" in table.stdout


def test_an_edited_journal_event_and_the_newest_sale_deleted_are_both_named(
    shop: Path,
) -> None:
    with database(shop) as db:
        seq = db.execute(
            "SELECT seq FROM journal_event WHERE code = 'LOGIN' ORDER BY seq LIMIT 1"
        ).fetchone()[0]
        last_nr, last_id = db.execute(
            "SELECT nr, trans_id FROM cash_transaction ORDER BY nr DESC LIMIT 1"
        ).fetchone()
        _drop_triggers(db)
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("UPDATE journal_event SET employee = '2' WHERE seq = ?", (seq,))
        for table in ("transaction_payment", "transaction_line"):
            db.execute(f"DELETE FROM {table} WHERE trans_id = ?", (last_id,))
        db.execute("DELETE FROM cash_transaction WHERE trans_id = ?", (last_id,))
    result = omnipos(shop, "journal", "verify", "--json")
    assert result.exit_code == 1
    [register] = json.loads(result.stdout)
    assert register["ok"] is False
    assert [(p["kind"], p["where"]) for p in register["hash_chain"]["problems"]] == [
        ("changed", f"journal event 1-{seq}"),
        ("missing_at_end", f"transactions {last_nr} of register 1"),
        ("z_anchor", "Z report 1 of register 1"),  # the day's Z report counted it
    ]
    assert "is missing" in register["hash_chain"]["problems"][2]["detail"]


@pytest.mark.parametrize(
    ("find", "change", "where"),
    [
        (
            "SELECT trans_id, seq FROM transaction_payment ORDER BY trans_id LIMIT 1",
            "UPDATE transaction_payment SET amount = amount + 100 WHERE trans_id = ? AND seq = ?",
            "transaction {0} payment {1}",
        ),
        (
            "SELECT trans_id, line_no FROM transaction_line WHERE vat_amount > 0 LIMIT 1",
            "UPDATE transaction_line SET vat_amount = vat_amount - 1 "
            "WHERE trans_id = ? AND line_no = ?",
            "transaction {0} line {1}",
        ),
        (
            "SELECT trans_id, line_no FROM transaction_line WHERE corrects_line IS NOT NULL "
            "LIMIT 1",
            "UPDATE transaction_line SET corrects_line = NULL WHERE trans_id = ? AND line_no = ?",
            "transaction {0} line {1}",
        ),
    ],
    ids=["payment amount", "amount excluding VAT", "correction link"],
)
def test_an_edited_payment_amount_excluding_vat_or_correction_link_fails_verify(
    shop: Path, find: str, change: str, where: str
) -> None:
    with database(shop) as db:
        found = db.execute(find).fetchone()
        assert found is not None, find  # the seeded day has one
        _drop_triggers(db)
        assert db.execute(change, found).rowcount == 1
    result = omnipos(shop, "journal", "verify", "--json")
    assert result.exit_code == 1
    [register] = json.loads(result.stdout)
    assert register["ok"] is False
    wheres = [p["where"] for p in register["hash_chain"]["problems"]]
    assert wheres == [where.format(*found)]
