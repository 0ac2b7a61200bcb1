"""Registered data cannot be changed or deleted: the database itself refuses UPDATE and
DELETE on the journal, the transactions, their lines and payments, Z reports and receipt
copies (SQLite here; PostgreSQL in test_append_only_pg.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ledger_support import BREAD, MILK, cash_sale, open_shop

from omnipos_tui.services.sales import receipts
from omnipos_tui.storage.migrations import append_only_tables

LEDGER_TABLES = (
    "cash_transaction",
    "transaction_line",
    "transaction_payment",
    "journal_event",
    "z_report",
    "receipt_copy",
)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    done = cash_sale(services, clock, MILK, BREAD)
    receipts.copy_receipt(services.sales, done.receipt_id, employee="1")
    services.reports.z_report("1", employee="2")
    services.close()
    return tmp_path / "omnipos.sqlite3"


def test_every_ledger_table_is_registered_as_append_only() -> None:
    assert set(LEDGER_TABLES) <= set(append_only_tables())


@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_update_of_a_registered_row_is_refused(database: Path, table: str) -> None:
    with sqlite3.connect(database) as raw:
        column = raw.execute(f"SELECT name FROM pragma_table_info('{table}')").fetchone()[0]
        assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
        with pytest.raises(sqlite3.IntegrityError, match=f"append-only table {table}: UPDATE"):
            raw.execute(f"UPDATE {table} SET {column} = {column}")


@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_delete_of_a_registered_row_is_refused(database: Path, table: str) -> None:
    with sqlite3.connect(database) as raw:
        before = raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match=f"append-only table {table}: DELETE"):
            raw.execute(f"DELETE FROM {table}")
        assert raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == before
