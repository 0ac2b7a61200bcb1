"""Versioned migrations, the schema version, SQLite pragmas, and the append-only helper on
both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_support import UNDO_SCHEMA_6

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import AppendOnlyViolation, MigrationRequired, StorageError
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import MasterDataChange
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.storage.append_only import append_only_triggers, make_append_only
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.migrations import append_only_tables, latest_version
from omnipos_tui.storage.models import ALL_MODELS
from omnipos_tui.storage.store import Store


def _one_change(store: Store, clock: FixedClock) -> None:
    with store.unit_of_work() as uow:
        uow.changes.record(
            [MasterDataChange(clock.now(), "cli", "product", "1", "price", "10,00", "12,00")]
        )
        uow.commit()


def test_migrating_a_new_database_brings_it_to_the_latest_version(store: Store) -> None:
    assert store.schema_version() == latest_version()
    assert store.check().ok


def test_migrating_again_applies_nothing(store: Store) -> None:
    assert store.migrate() == []
    assert store.schema_version() == latest_version()


def test_every_append_only_table_has_all_its_triggers_after_migrating(store: Store) -> None:
    present = append_only_triggers(store.db)
    assert "master_data_change" in append_only_tables()
    # SQLite also refuses INSERT OR REPLACE over a stored row; PostgreSQL has no REPLACE.
    kinds = {"update", "delete"} | ({"replace"} if store.engine == "sqlite" else set())
    for table in append_only_tables():
        assert present.get(table) == frozenset(kinds), table


def test_update_of_an_append_only_row_is_refused(store: Store, fixed_clock: FixedClock) -> None:
    _one_change(store, fixed_clock)
    refused = pytest.raises(AppendOnlyViolation, match="append-only table master_data_change")
    with refused, store.unit_of_work():
        execute_sql(store.db, "UPDATE master_data_change SET new_value = '0,00'")
    with store.unit_of_work(read_only=True) as uow:
        assert uow.changes.recent()[0].new == "12,00"


def test_delete_of_an_append_only_row_is_refused(store: Store, fixed_clock: FixedClock) -> None:
    _one_change(store, fixed_clock)
    with pytest.raises(AppendOnlyViolation, match="DELETE refused"), store.unit_of_work():
        execute_sql(store.db, "DELETE FROM master_data_change")
    with store.unit_of_work(read_only=True) as uow:
        assert len(uow.changes.recent()) == 1


def test_dropped_triggers_are_reported_and_put_back_by_the_next_migration(store: Store) -> None:
    trigger = "master_data_change_append_only_no_update"
    on_table = " ON master_data_change" if store.engine == "postgresql" else ""
    execute_sql(store.db, f"DROP TRIGGER {trigger}{on_table}")
    report = store.check()
    assert report.missing_triggers == ["master_data_change: update"]
    assert not report.ok
    assert store.migrate() == []
    assert store.check().missing_triggers == []


def test_make_append_only_works_on_any_table_and_is_idempotent(store: Store) -> None:
    execute_sql(store.db, "CREATE TABLE audit_note (id INTEGER PRIMARY KEY, note TEXT)")
    make_append_only(store.db, "audit_note")
    make_append_only(store.db, "audit_note")
    execute_sql(store.db, "INSERT INTO audit_note (id, note) VALUES (1, 'kept')")
    kinds = {"update", "delete"} | ({"replace"} if store.engine == "sqlite" else set())
    assert append_only_triggers(store.db)["audit_note"] == frozenset(kinds)
    with pytest.raises(AppendOnlyViolation), store.unit_of_work():
        execute_sql(store.db, "UPDATE audit_note SET note = 'changed'")
    row = execute_sql(store.db, "SELECT note FROM audit_note").fetchone()
    assert row == ("kept",)


def test_make_append_only_refuses_a_table_name_that_is_not_an_identifier(store: Store) -> None:
    with pytest.raises(ValueError, match="not a table name"):
        make_append_only(store.db, "x; DROP TABLE product")


def test_a_database_that_was_never_migrated_asks_for_init(
    sqlite_url: str, fixed_clock: FixedClock
) -> None:
    fresh = Store(sqlite_url, fixed_clock)
    with pytest.raises(MigrationRequired, match="omnipos init"), fresh.unit_of_work():
        pass


def test_reading_a_missing_sqlite_file_does_not_create_it(
    sqlite_url: str, fixed_clock: FixedClock
) -> None:
    fresh = Store(sqlite_url, fixed_clock)
    assert fresh.schema_version() == 0
    assert not fresh.check().ok
    assert not fresh.check().schema_version
    assert not Path(fresh.location).exists()


def test_an_older_schema_asks_for_db_migrate(store: Store, fixed_clock: FixedClock) -> None:
    execute_sql(store.db, "DELETE FROM schema_version WHERE version = ?", (latest_version(),))
    again = Store(_url_of(store), fixed_clock)
    with pytest.raises(MigrationRequired, match="omnipos db migrate"), again.unit_of_work():
        pass
    again.close()


def test_a_newer_schema_than_the_code_is_refused(store: Store, fixed_clock: FixedClock) -> None:
    execute_sql(
        store.db,
        "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
        (latest_version() + 1, "from the future", "2030-01-01T00:00:00.000000Z"),
    )
    again = Store(_url_of(store), fixed_clock)
    with pytest.raises(StorageError, match="newer than this OmniPOS"), again.unit_of_work():
        pass
    with pytest.raises(StorageError, match="newer than this OmniPOS"):
        again.migrate()
    again.close()


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(
    sqlite_url: str, fixed_clock: FixedClock
) -> None:
    opened = Store(sqlite_url, fixed_clock)
    opened.migrate()
    assert execute_sql(opened.db, "PRAGMA journal_mode").fetchone() == ("wal",)
    assert execute_sql(opened.db, "PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert execute_sql(opened.db, "PRAGMA foreign_keys").fetchone() == (1,)
    opened.close()


def test_the_models_match_the_migrated_sqlite_columns(
    sqlite_url: str, fixed_clock: FixedClock
) -> None:
    opened = Store(sqlite_url, fixed_clock)
    opened.migrate()
    for model in ALL_MODELS:
        table = model._meta.table_name
        stored = {
            str(r[1]) for r in execute_sql(opened.db, f"PRAGMA table_info('{table}')").fetchall()
        }
        declared = {f.column_name for f in model._meta.sorted_fields}
        assert declared <= stored, table
    opened.close()


def _url_of(store: Store) -> str:
    if store.engine == "sqlite":
        return f"sqlite:///{store.location}"
    return str(store.location)


def test_migration_4_indexes_the_names_already_there_for_search_inside_words(
    store: Store,
) -> None:
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        uow.catalogue.upsert_products(
            [Product("1", "Tine Lettmelk 1 l", Money(2390), rate_by_code("31"), "10")]
        )
        uow.commit()
    # Back to version 3: the trigram index did not exist when the product was added.
    for statement in UNDO_SCHEMA_6:
        execute_sql(store.db, statement)
    if store.engine == "sqlite":
        for trigger in ("insert", "delete", "update"):
            execute_sql(store.db, f"DROP TRIGGER product_trigram_{trigger}")
        execute_sql(store.db, "DROP TABLE product_trigram")
    else:
        execute_sql(store.db, "DROP INDEX IF EXISTS product_name_trigrams")
    execute_sql(store.db, "DELETE FROM schema_version WHERE version = 4")
    assert store.migrate() == [4, 6]
    with store.unit_of_work() as uow:
        assert [p.name for p in uow.catalogue.search_products("melk")] == ["Tine Lettmelk 1 l"]
