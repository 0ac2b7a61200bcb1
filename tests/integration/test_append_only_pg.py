"""Registered data cannot be changed or deleted on PostgreSQL either: row triggers refuse
UPDATE and DELETE, a statement trigger refuses TRUNCATE, on every ledger table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ledger_support import BREAD, MILK, cash_sale, open_shop, pg_connect
from test_append_only import LEDGER_TABLES

from omnipos_tui.services.sales import receipts

pytestmark = pytest.mark.postgres


def _refused(raw: Any, statement: str, expected: str) -> None:
    import psycopg2  # type: ignore[import-untyped]  # no stubs installed

    with pytest.raises(psycopg2.Error, match=expected):
        raw.cursor().execute(statement)


def test_update_delete_and_truncate_of_registered_rows_are_refused_on_postgresql(
    pg_url: str, tmp_path: Path
) -> None:
    services, clock = open_shop(tmp_path, url=pg_url, algorithm="hmac-sha1")
    done = cash_sale(services, clock, MILK, BREAD)
    receipts.copy_receipt(services.sales, done.receipt_id, employee="1")
    services.reports.z_report("1", employee="2")
    services.close()
    raw = pg_connect(pg_url)
    try:
        cursor = raw.cursor()
        for table in LEDGER_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            before = cursor.fetchone()[0]
            assert before > 0, table
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = current_schema() LIMIT 1",
                (table,),
            )
            column = cursor.fetchone()[0]
            _refused(raw, f"UPDATE {table} SET {column} = {column}", f"append-only table {table}")
            _refused(raw, f"DELETE FROM {table}", f"append-only table {table}: DELETE")
            _refused(raw, f"TRUNCATE {table} CASCADE", "append-only table")
            cursor.execute(f"SELECT count(*) FROM {table}")
            assert cursor.fetchone()[0] == before, table
    finally:
        raw.close()
