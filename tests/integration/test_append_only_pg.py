"""Registered data cannot be changed or deleted on PostgreSQL either: row triggers refuse
UPDATE and DELETE, a statement trigger refuses TRUNCATE, on every ledger table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ledger_support import BREAD, MILK, cash_sale, fresh_pg_database, open_shop, pg_connect
from test_append_only import LEDGER_TABLES

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with fresh_pg_database() as (name, url):
        services, clock = open_shop(
            Path(tmp_path_factory.mktemp("pg")), url=url, algorithm="hmac-sha1"
        )
        done = cash_sale(services, clock, MILK, BREAD)
        services.sales.copy_receipt(done.receipt_id, employee="1")
        services.reports.z_report("1", employee="2")
        services.close()
        raw = pg_connect(name)
        yield raw
        raw.close()


def _refused(raw: Any, statement: str, expected: str) -> None:
    import psycopg2  # type: ignore[import-untyped]  # no stubs installed

    with pytest.raises(psycopg2.Error, match=expected):
        raw.cursor().execute(statement)


@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_update_of_a_registered_row_is_refused_on_postgresql(database: Any, table: str) -> None:
    cursor = database.cursor()
    cursor.execute(f"SELECT count(*) FROM {table}")
    assert cursor.fetchone()[0] > 0
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s LIMIT 1",
        (table,),
    )
    column = cursor.fetchone()[0]
    _refused(database, f"UPDATE {table} SET {column} = {column}", f"append-only table {table}")


@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_delete_and_truncate_of_registered_rows_are_refused_on_postgresql(
    database: Any, table: str
) -> None:
    cursor = database.cursor()
    cursor.execute(f"SELECT count(*) FROM {table}")
    before = cursor.fetchone()[0]
    _refused(database, f"DELETE FROM {table}", f"append-only table {table}: DELETE")
    _refused(database, f"TRUNCATE {table} CASCADE", "append-only table")
    cursor.execute(f"SELECT count(*) FROM {table}")
    assert cursor.fetchone()[0] == before
