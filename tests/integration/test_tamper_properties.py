"""Any single change is found: hypothesis edits one stored value of any chained row, or
deletes any one row, in a copy of a shop's SQLite file (triggers dropped, as someone with
the file would), and the hash chain check must name a problem every time."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from ledger_support import BREAD, COLA, MANAGER, MILK, cash_sale, open_shop
from test_tamper_chain import _history

from omnipos_tui.services.sales import receipts
from omnipos_tui.storage.chain_pages import check_all_chains
from omnipos_tui.storage.database import open_database

CHAINED = (
    "journal_event",
    "cash_transaction",
    "transaction_line",
    "transaction_payment",
    "z_report",
    "receipt_copy",
    "register_state",
)
"""Tables whose every value the check covers (the last three by the anchors)."""
ANCHORS = {
    "z_report": ("event_chain", "transaction_chain", "grand_sales", "grand_returns",
                 "last_event_seq", "last_nr", "report_no", "business_day"),
    "register_state": ("last_nr", "last_event_seq", "event_chain", "transaction_chain"),
    "receipt_copy": ("trans_id", "register_id"),
}  # fmt: skip
"""Of these two, the columns the chain check reads."""


@pytest.fixture(scope="module")
def shop_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("shop")
    services, clock = open_shop(data, algorithm="hmac-sha1")
    _history(services, clock)
    services.reports.x_report("1", employee=MANAGER)
    receipts.copy_receipt(services.sales, "1-5", employee=MANAGER)
    cash_sale(services, clock, MILK, BREAD, COLA)
    services.close()
    return data / "omnipos.sqlite3"


def _problems(path: Path) -> list[str]:
    db = open_database(f"sqlite:///{path}")
    db.connect()
    try:
        return [p.where for check in check_all_chains(db) for p in check.problems]
    finally:
        db.close()


def _copy(source: Path, folder: Path, name: str) -> sqlite3.Connection:
    target = folder / f"{name}.sqlite3"
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    raw = sqlite3.connect(target, isolation_level=None)
    for (trigger,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        raw.execute(f'DROP TRIGGER "{trigger}"')
    raw.execute("PRAGMA foreign_keys = OFF")
    return raw


def _columns(raw: sqlite3.Connection, table: str) -> list[str]:
    names = [str(r[1]) for r in raw.execute(f"PRAGMA table_info('{table}')")]
    wanted = ANCHORS.get(table)
    return [n for n in names if n != "id" and (wanted is None or n in wanted)]


def _other(value: object) -> object:
    """A value that is stored differently from ``value``."""
    if value is None:
        return "x"
    if isinstance(value, int):
        return value + 1
    return f"{value}·"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_one_stored_value_changed_is_found(
    shop_file: Path, tmp_path: Path, data: st.DataObject
) -> None:
    assert _problems(shop_file) == []
    raw = _copy(shop_file, tmp_path, "edited")
    try:
        table = data.draw(st.sampled_from(CHAINED), label="table")
        rowids = [r[0] for r in raw.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
        rowid = data.draw(st.sampled_from(rowids), label="row")
        column = data.draw(st.sampled_from(_columns(raw, table)), label="column")
        [old] = raw.execute(f"SELECT {column} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        try:
            raw.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (_other(old), rowid))
        except sqlite3.IntegrityError:
            reject()  # a key another row has: the database refuses it anyway
        [new] = raw.execute(f"SELECT {column} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        assert new != old
    finally:
        raw.close()
    assert _problems(tmp_path / "edited.sqlite3"), (table, rowid, column, old)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_one_row_deleted_is_found(shop_file: Path, tmp_path: Path, data: st.DataObject) -> None:
    raw = _copy(shop_file, tmp_path, "deleted")
    try:
        table = data.draw(st.sampled_from(CHAINED[:6]), label="table")
        rowids = [r[0] for r in raw.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
        rowid = data.draw(st.sampled_from(rowids), label="row")
        assert raw.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,)).rowcount == 1
    finally:
        raw.close()
    assert _problems(tmp_path / "deleted.sqlite3"), (table, rowid)
