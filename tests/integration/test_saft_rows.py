"""The SAF-T export's one production path (stored rows straight to XML) writes the very
bytes of the test reference that writes ``Transaction`` and ``JournalEvent`` records
(``saft_reference.py``), on the hand-built shop of ``test_saft_export.py`` stored in a real
SQLite file and read back as rows; and the rows the writer's tests make of records
(``storage/record_rows.py``) write the same bytes as the stored ones."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_saft_export import DAY, REGISTERS, Shop, build_shop, xmllint

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.ports import RowPage
from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.storage.store import Store


def stored(shop: Shop, path: Path) -> Store:
    """The shop's registers and transactions in a real SQLite file."""
    store = Store(f"sqlite:///{path}", FixedClock(DAY))
    store.migrate()
    with store.unit_of_work() as uow:
        for register in REGISTERS:
            uow.shop.add_register(register)
        for till in shop.tills.values():
            for tx in till.transactions:
                uow.transactions.add(tx, sale_id=None, return_refs={})
            uow.journal.append_all(till.events)
        uow.commit()
    return store


def rows_of(store: Store, register_id: str, size: int) -> Iterator[RowPage]:
    """A register's rows, ``size`` transactions a page, as the journal service pages."""
    after = 0
    while True:
        with store.unit_of_work(read_only=True) as uow:
            page = uow.transactions.export_rows(register_id, after_nr=after, limit=size)
        if page.headers:
            yield page
        if len(page.headers) < size:
            return
        after = int(page.headers[-1][0])


def tampered_copy(store: Store, copy: Path) -> sqlite3.Connection:
    """A copy of the database without its append-only triggers, open for changing rows."""
    with sqlite3.connect(copy) as target, sqlite3.connect(store.location) as source:
        source.backup(target)
    raw = sqlite3.connect(copy)
    query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    for (name,) in raw.execute(query).fetchall():
        raw.execute(f"DROP TRIGGER {name}")
    return raw


def event_rows_of(store: Store, register_id: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
    """A register's event rows, ``size`` a page, as the journal service pages them."""
    after = 0
    while True:
        with store.unit_of_work(read_only=True) as uow:
            rows = uow.journal.export_rows(register_id, after_seq=after, limit=size)
        if rows:
            yield rows
        if len(rows) < size:
            return
        after = int(rows[-1][0])


def decoded(store: Store, register_id: str) -> list[Transaction]:
    with store.unit_of_work(read_only=True) as uow:
        return uow.transactions.page(register_id, limit=10_000)


@pytest.fixture(scope="module")
def shop_and_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Shop, Store]:
    shop = build_shop()
    return shop, stored(shop, tmp_path_factory.mktemp("rows") / "shop.sqlite3")


@pytest.mark.parametrize("page_size", [1, 3, 1000])
def test_rows_written_directly_give_the_same_bytes_as_the_transaction_records(
    shop_and_store: tuple[Shop, Store], page_size: int, tmp_path: Path
) -> None:
    shop, store = shop_and_store
    from_records, from_rows, from_decoded = io.BytesIO(), io.BytesIO(), io.BytesIO()
    slow = shop.export_records(from_records)
    fast = shop.export(
        from_rows,
        transaction_rows_by_register=lambda rid: rows_of(store, rid, page_size),
        event_rows_by_register=lambda rid: event_rows_of(store, rid, page_size),
    )
    shop.export_records(from_decoded, transactions_by_register=lambda rid: decoded(store, rid))
    assert fast == slow
    assert slow.transactions >= 10
    assert from_rows.getvalue() == from_records.getvalue() == from_decoded.getvalue()
    target = tmp_path / "fast.xml"
    target.write_bytes(from_rows.getvalue())
    check = xmllint(target)
    assert check.returncode == 0, check.stderr


def test_records_made_into_rows_write_the_bytes_of_the_stored_rows(
    shop_and_store: tuple[Shop, Store],
) -> None:
    shop, store = shop_and_store
    from_made, from_stored = io.BytesIO(), io.BytesIO()
    shop.export(from_made)  # the tills' records as storage/record_rows.py makes them rows
    shop.export(
        from_stored,
        transaction_rows_by_register=lambda rid: rows_of(store, rid, 1000),
        event_rows_by_register=lambda rid: event_rows_of(store, rid, 1000),
    )
    assert b"</cashtransaction>" in from_made.getvalue()
    assert from_made.getvalue() == from_stored.getvalue()


def test_a_line_naming_an_article_not_exported_is_refused_on_the_fast_path_too(
    shop_and_store: tuple[Shop, Store], tmp_path: Path
) -> None:
    shop, store = shop_and_store
    raw = tampered_copy(store, tmp_path / "copy.sqlite3")
    raw.execute("UPDATE transaction_line SET sku = 'ukjent' WHERE sku IS NOT NULL AND sku != ''")
    raw.commit()
    raw.close()
    tampered = Store(f"sqlite:///{tmp_path / 'copy.sqlite3'}", FixedClock(DAY))
    with pytest.raises(InvalidInput, match="article 'ukjent' is not among the exported articles"):
        shop.export(
            io.BytesIO(), transaction_rows_by_register=lambda rid: rows_of(tampered, rid, 1000)
        )


def test_a_stored_quantity_saft_cannot_carry_is_refused_with_where_it_is(
    shop_and_store: tuple[Shop, Store], tmp_path: Path
) -> None:
    shop, store = shop_and_store
    raw = tampered_copy(store, tmp_path / "copy.sqlite3")
    raw.execute("UPDATE transaction_line SET quantity = '0.1234567' WHERE line_no = 1")
    raw.commit()
    raw.close()
    tampered = Store(f"sqlite:///{tmp_path / 'copy.sqlite3'}", FixedClock(DAY))
    with pytest.raises(InvalidInput, match=r"line 1: quantity 0.1234567 is not a SAF-T quantity"):
        shop.export(
            io.BytesIO(), transaction_rows_by_register=lambda rid: rows_of(tampered, rid, 1000)
        )


def test_a_stored_event_time_that_is_no_time_is_refused_on_the_fast_path(
    shop_and_store: tuple[Shop, Store], tmp_path: Path
) -> None:
    shop, store = shop_and_store
    raw = tampered_copy(store, tmp_path / "copy.sqlite3")
    raw.execute("UPDATE journal_event SET event_time = '25:61' WHERE register_id = '1' AND seq = 2")
    raw.commit()
    raw.close()
    tampered = Store(f"sqlite:///{tmp_path / 'copy.sqlite3'}", FixedClock(DAY))
    with pytest.raises(InvalidInput, match=r"event 1-2: date/time .* are not YYYY-MM-DD"):
        shop.export(
            io.BytesIO(),
            transaction_rows_by_register=lambda rid: rows_of(tampered, rid, 1000),
            event_rows_by_register=lambda rid: event_rows_of(tampered, rid, 1000),
        )


def test_an_unsigned_stored_transaction_is_refused_on_the_fast_path(
    shop_and_store: tuple[Shop, Store], tmp_path: Path
) -> None:
    shop, store = shop_and_store
    raw = tampered_copy(store, tmp_path / "copy.sqlite3")
    raw.execute("UPDATE cash_transaction SET signature = '' WHERE trans_id = '1-2'")
    raw.commit()
    raw.close()
    tampered = Store(f"sqlite:///{tmp_path / 'copy.sqlite3'}", FixedClock(DAY))
    with pytest.raises(InvalidInput, match="transaction 1-2: is not signed"):
        shop.export(
            io.BytesIO(), transaction_rows_by_register=lambda rid: rows_of(tampered, rid, 1000)
        )
