"""Reports read narrow rows in a process that has decoded nothing yet: what they count
must be what the full records say."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from ledger_support import MANAGER, open_shop
from test_reports_service import _trading_day

from omnipos_tui.core.errors import StorageError
from omnipos_tui.core.reports.facts import facts_of


def test_report_rows_read_in_a_fresh_process_equal_the_facts_of_the_stored_records(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    _trading_day(services, clock, None)
    _trading_day(services, clock, "1-1")
    fresh, _ = open_shop(tmp_path, clock=clock, initialise=False, algorithm="hmac-sha1")
    with fresh.units(read_only=True) as uow:
        records = uow.transactions.page("1", limit=1000)
        from_rows = uow.transactions.report_facts("1", limit=1000)
        later = uow.transactions.report_facts("1", after_nr=3, limit=2)
    assert len(records) > 10
    assert from_rows == [facts_of(t) for t in records]
    assert [f.nr for f in later] == [4, 5]
    kinds = {line.kind.value for f in from_rows for line in f.lines}
    assert {"item", "return", "correction"} <= kinds
    assert any(f.training for f in from_rows) and any(f.voided for f in from_rows)
    assert any(line.discount for f in from_rows for line in f.lines)


def test_an_x_report_in_a_fresh_process_equals_the_one_from_decoded_records(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    _trading_day(services, clock, None)
    warm = services.reports.x_report("1", employee=MANAGER)
    fresh, _ = open_shop(tmp_path, clock=clock, initialise=False, algorithm="hmac-sha1")
    cold = fresh.reports.x_report("1", employee=MANAGER)
    assert cold.report_no == warm.report_no + 1
    assert replace(cold, report_no=warm.report_no) == warm
    assert warm.receipt_count > 0 and warm.returns.count == 1


@pytest.mark.postgres
def test_on_postgresql_too_an_x_report_in_a_fresh_process_equals_the_warm_one(
    tmp_path: Path, pg_url: str
) -> None:
    services, clock = open_shop(tmp_path, url=pg_url, algorithm="hmac-sha1")
    _trading_day(services, clock, None)
    warm = services.reports.x_report("1", employee=MANAGER)
    fresh, _ = open_shop(tmp_path, url=pg_url, clock=clock, initialise=False, algorithm="hmac-sha1")
    cold = fresh.reports.x_report("1", employee=MANAGER)
    assert replace(cold, report_no=warm.report_no) == warm
    assert warm.receipt_count > 0
    for opened in (services, fresh):
        opened.close()


def test_a_stored_line_a_report_cannot_count_is_a_storage_error_naming_it(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    _trading_day(services, clock, None)
    with sqlite3.connect(tmp_path / "omnipos.sqlite3") as raw:
        triggers = raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
            "'transaction_line'"
        ).fetchall()
        for (name,) in triggers:
            raw.execute(f"DROP TRIGGER {name}")
        raw.execute("UPDATE transaction_line SET kind = 'gift' WHERE trans_id = '1-2'")
    fresh, _ = open_shop(tmp_path, clock=clock, initialise=False, algorithm="hmac-sha1")
    with pytest.raises(StorageError, match="transaction 1-2 cannot be read for a report"):
        fresh.reports.x_report("1", employee=MANAGER)


def test_after_a_restart_only_the_first_report_reads_the_lines_from_the_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    _trading_day(services, clock, None)
    fresh, _ = open_shop(tmp_path, clock=clock, initialise=False, algorithm="hmac-sha1")
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        first = fresh.reports.x_report("1", employee=MANAGER)
        read_first = _line_reads(caplog)
        caplog.clear()
        second = fresh.reports.x_report("1", employee=MANAGER)
        read_second = _line_reads(caplog)
    assert read_first > 0
    assert read_second == 0
    assert replace(second, report_no=first.report_no) == first


def _line_reads(caplog: pytest.LogCaptureFixture) -> int:
    return sum(_reads_lines(record.getMessage()) for record in caplog.records)


def test_a_prepared_register_makes_its_first_report_without_reading_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    _trading_day(services, clock, None)
    expected = services.reports.x_report("1", employee=MANAGER)
    fresh, _ = open_shop(tmp_path, clock=clock, initialise=False, algorithm="hmac-sha1")
    assert fresh.reports.prepare("1") == expected.last_nr
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        report = fresh.reports.x_report("1", employee=MANAGER)
    assert _line_reads(caplog) == 0
    assert replace(report, report_no=expected.report_no) == expected


def _reads_lines(sql: str) -> bool:
    return sql.lstrip("('\"").startswith("SELECT") and "transaction_line" in sql
