"""A migration that fails half-way (issue 10, item 26), on both engines: its statements so
far are rolled back with it, its version is not recorded, the migrations before it stay
applied and the data stays as it was; once fixed, the next run applies it and the rest."""

from __future__ import annotations

import pytest

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import StorageError
from omnipos_tui.core.repositories import MasterDataChange
from omnipos_tui.storage import migrations
from omnipos_tui.storage.append_only import append_only_triggers
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.migration_context import MigrationContext
from omnipos_tui.storage.migrations import Migration, append_only_tables
from omnipos_tui.storage.store import Store

REAL = migrations.MIGRATIONS


def _half_way(ctx: MigrationContext) -> None:
    """A table, then a statement the database refuses (the column is there already)."""
    ctx.run(
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY, note TEXT NOT NULL)",
        "INSERT INTO half_done (id, note) VALUES (1, 'written before the failure')",
        "ALTER TABLE transaction_payment ADD COLUMN tip BIGINT NOT NULL DEFAULT 0",
    )


def _fixed(ctx: MigrationContext) -> None:
    ctx.run("CREATE TABLE half_done (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")


def _tables(store: Store) -> set[str]:
    if store.engine == "postgresql":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {str(name) for (name,) in execute_sql(store.db, sql).fetchall()}


def test_a_migration_failing_half_way_leaves_nothing_of_itself_and_the_data_as_it_was(
    store: Store, fixed_clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.unit_of_work() as uow:
        uow.changes.record(
            [MasterDataChange(fixed_clock.now(), "cli", "product", "1", "price", "10,00", "12,00")]
        )
        uow.commit()
    before = store.schema_version()
    triggers = append_only_triggers(store.db)
    assert set(append_only_tables(before)) <= set(triggers)
    failing = Migration(99, "a half-way failure", _half_way)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*REAL, failing))
    with pytest.raises(StorageError, match=r"migration 99 \(a half-way failure\) failed"):
        store.migrate()
    assert "half_done" not in _tables(store)
    assert store.schema_version() == before
    assert 99 not in migrations.applied_versions(store.db)
    with store.unit_of_work(read_only=True) as uow:
        assert [c.new for c in uow.changes.recent()] == ["12,00"]
    assert append_only_triggers(store.db) == triggers  # every append-only trigger stays

    monkeypatch.setattr(migrations, "MIGRATIONS", (*REAL, Migration(99, "fixed", _fixed)))
    assert store.migrate() == [99]
    assert "half_done" in _tables(store)


def test_a_failure_between_two_migrations_keeps_the_first_and_a_rerun_applies_the_rest(
    database_url: str, fixed_clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, rest = REAL[:2], REAL[2:]
    failing = Migration(rest[0].version, rest[0].description, _half_way_on_an_empty_ledger)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*first, failing, *rest[1:]))
    store = Store(database_url, fixed_clock)
    try:
        with pytest.raises(StorageError, match=f"migration {rest[0].version} "):
            store.migrate()
        assert migrations.applied_versions(store.db) == {m.version for m in first}
        assert "half_done" not in _tables(store)
        monkeypatch.setattr(migrations, "MIGRATIONS", REAL)
        assert store.migrate() == [m.version for m in rest]
        assert store.check().ok
    finally:
        store.close()


def _half_way_on_an_empty_ledger(ctx: MigrationContext) -> None:
    """Half of a migration, then a statement that names a table that is not there."""
    ctx.run(
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY, note TEXT NOT NULL)",
        "INSERT INTO no_such_table (x) VALUES (1)",
    )
