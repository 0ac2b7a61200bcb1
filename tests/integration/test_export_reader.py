"""A big export's rows read ahead by a helper process (``storage/export_reader.py``), and
its records described there (``exports/saft_described.py``, run by
``wiring/saft_helper.py``), all of them or a share of the
transaction pages (the others described by the exporting process): the same file, byte for
byte, as rows read and described in the exporting process, on SQLite and PostgreSQL; the
helper's failures (to read, or a check on the data) arrive as the errors it met; an export
that fails stops it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ledger_support import BREAD, COLA, MILK, cash_sale, open_shop, settings_for

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock, business_day
from omnipos_tui.core.errors import InvalidInput, MigrationRequired
from omnipos_tui.services.ledger.export import (
    ExportService,
    SaftFileWriter,
    SaftSource,
    WrittenCounts,
)
from omnipos_tui.services.sales import receipts
from omnipos_tui.storage.export_reader import ExportRowReader, HelperRows
from omnipos_tui.storage.store import Store
from omnipos_tui.wiring import saft_helper
from omnipos_tui.wiring.saft_file import write_saft_file

SALES = 7
COPIED = (1, 3)  # sales (from 0) whose receipt is copied: pages 0 and 1 of 2 sales each


@pytest.fixture
def sold(database_url: str, tmp_path: Path) -> Iterator[tuple[Services, FixedClock, str, date]]:
    """A shop with a day of sales on each engine; the clock then stands on the next day,
    so an export of the sales' day never holds an earlier export's own journal event."""
    url = "" if database_url.startswith("sqlite") else database_url
    services, clock = open_shop(tmp_path, url=url, algorithm="hmac-sha1")
    day = business_day(clock.now())
    for n in range(SALES):
        done = cash_sale(services, clock, *(MILK, BREAD, COLA)[: 1 + n % 3])
        if n in COPIED:  # a receipt count in the file that comes from the events
            receipts.copy_receipt(services.sales, done.receipt_id, employee="1")
    clock.advance(timedelta(days=1))
    try:
        yield services, clock, settings_for(tmp_path, url=url).database_url, day
    finally:
        services.close()


def _service(
    services: Services, rows: ExportRowReader | None, write: SaftFileWriter = write_saft_file
) -> ExportService:
    return ExportService(services.units, services.clock, services.journal, write, rows)


class _Recording(ExportRowReader):
    """Keeps what it opened, to look at the helper afterwards."""

    opened: list[HelperRows | None]

    def open(self, *args: Any, **kwargs: Any) -> HelperRows | None:
        rows = super().open(*args, **kwargs)
        self.opened.append(rows)
        return rows


@pytest.mark.parametrize(
    ("describer", "share"),
    [
        (None, None),
        (saft_helper, (1, 1)),
        (saft_helper, (1, 2)),
        (saft_helper, (0, 1)),
        (saft_helper, None),
    ],
    ids=["rows", "described", "half-described", "events-described", "default-share"],
)
def test_rows_read_and_records_described_by_the_helper_give_the_bytes_of_one_process(
    sold: tuple[Services, FixedClock, str, date],
    tmp_path: Path,
    describer: ModuleType | None,
    share: tuple[int, int] | None,
) -> None:
    services, clock, url, day = sold
    # Pages of 2 transactions: with half of them described in the helper, pages 0 and 2
    # are described there and pages 1 and 3 in the exporting process.
    reader = ExportRowReader(
        Store(url, clock), url, helper_from=0, describer=describer, share=share, page=2
    )
    in_process = _service(services, None).export_saft(
        tmp_path / "in-process.xml", first_day=day, last_day=day
    )
    ahead = _service(services, reader).export_saft(
        tmp_path / "helper.xml", first_day=day, last_day=day
    )
    assert ahead.transactions == in_process.transactions == SALES
    assert ahead.events == in_process.events > SALES
    written = in_process.path.read_bytes()
    assert written.count(b"<receiptCopyNum>1</receiptCopyNum>") == len(COPIED)
    assert ahead.path.read_bytes() == written
    [journaled] = [e for e in services.journal.events("1") if "helper.xml" in e.text]
    assert journaled.payload["transactions"] == SALES  # counted where they were described


@pytest.mark.parametrize("share", [(1, 1), (0, 1)], ids=["in-the-helper", "in-the-writer"])
def test_a_check_that_fails_in_the_describing_helper_arrives_with_where_it_failed(
    sqlite_url: str, tmp_path: Path, share: tuple[int, int]
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    try:
        day = business_day(clock.now())
        for _ in range(3):
            cash_sale(services, clock, MILK)
        clock.advance(timedelta(days=1))
        url = settings_for(tmp_path).database_url
        raw = sqlite3.connect(url.removeprefix("sqlite:///"))
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            raw.execute(f"DROP TRIGGER {name}")
        raw.execute("UPDATE transaction_line SET sku = 'ukjent'")
        raw.commit()
        raw.close()
        reader = ExportRowReader(
            Store(url, clock), url, helper_from=0, describer=saft_helper, share=share
        )
        with pytest.raises(
            InvalidInput, match="transaction 1-1 line 1: article 'ukjent' is not among the exported"
        ):
            _service(services, reader).export_saft(
                tmp_path / "never.xml", first_day=day, last_day=day
            )
        assert not (tmp_path / "never.xml").exists()
    finally:
        services.close()


def test_a_small_export_is_read_in_process_and_a_big_one_by_the_helper(
    sold: tuple[Services, FixedClock, str, date],
) -> None:
    _, clock, url, day = sold
    store = Store(url, clock)
    now = clock.now()

    def opened(helper_from: int) -> HelperRows | None:
        reader = ExportRowReader(store, url, helper_from=helper_from)
        return reader.open(["1"], first_day=day, last_day=day, since=now, until=now)

    assert opened(SALES + 1) is None
    rows = opened(SALES)
    assert rows is not None
    rows.close()


def test_the_helpers_failure_to_read_arrives_as_the_storage_error_it_met(
    sqlite_url: str, fixed_clock: FixedClock, tmp_path: Path
) -> None:
    missing = f"sqlite:///{tmp_path / 'none.sqlite3'}"
    reader = ExportRowReader(Store(sqlite_url, fixed_clock), missing, helper_from=0)
    day = business_day(fixed_clock.now())
    rows = reader.open(
        ["1"], first_day=day, last_day=day, since=fixed_clock.now(), until=fixed_clock.now()
    )
    assert rows is not None
    try:
        with pytest.raises(MigrationRequired, match="there is no OmniPOS database"):
            list(rows.event_rows("1"))
    finally:
        rows.close()


def test_an_export_that_fails_while_writing_stops_its_helper(
    sold: tuple[Services, FixedClock, str, date], tmp_path: Path
) -> None:
    services, clock, url, day = sold
    seen: list[SaftSource] = []

    def write(path: Path, source: SaftSource) -> WrittenCounts:
        seen.append(source)
        assert source.event_rows is not None
        next(iter(source.event_rows("1")))  # the helper is running and sending
        raise InvalidInput("stopped on purpose")

    reader = _Recording(Store(url, clock), url, helper_from=0)
    reader.opened = []
    with pytest.raises(InvalidInput, match="stopped on purpose"):
        _service(services, reader, write).export_saft(
            tmp_path / "never.xml", first_day=day, last_day=day
        )
    assert seen
    assert not (tmp_path / "never.xml").exists()
    [helper] = reader.opened
    assert helper is not None
    assert not helper.running
