"""The unit of work on both engines: commit or nothing, library errors leave as PosError,
one unit per thread; online backups of SQLite; an unreachable server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import Conflict, DatabaseUnavailable, StorageError
from omnipos_tui.core.repositories import MasterDataChange
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.store import Store

GROUP = ArticleGroup("10", "Mat", "04006")


def groups(store: Store) -> list[ArticleGroup]:
    with store.unit_of_work(read_only=True) as uow:
        return uow.catalogue.groups()


def test_changes_are_kept_only_when_committed(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(GROUP)
    assert groups(store) == []
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(GROUP)
        uow.commit()
    assert groups(store) == [GROUP]


def test_an_error_inside_the_unit_rolls_everything_back(store: Store) -> None:
    with pytest.raises(RuntimeError, match="boom"), store.unit_of_work() as uow:
        uow.catalogue.upsert_group(GROUP)
        raise RuntimeError("boom")
    assert groups(store) == []


def test_a_library_error_inside_the_unit_leaves_it_as_a_pos_error(store: Store) -> None:
    with pytest.raises(StorageError) as caught, store.unit_of_work():
        execute_sql(store.db, "SELECT * FROM no_such_table")
    assert "no_such_table" in str(caught.value)
    assert isinstance(caught.value.__cause__, Exception)


def test_a_unique_clash_is_a_conflict(store: Store) -> None:
    with pytest.raises(Conflict), store.unit_of_work() as uow:
        uow.catalogue.upsert_group(GROUP)
        execute_sql(store.db, "INSERT INTO article_group VALUES ('10', 'Kopi', '04006')")


def test_a_unit_of_work_cannot_open_inside_another(store: Store) -> None:
    with store.unit_of_work(), pytest.raises(RuntimeError, match="already open"):
        store.unit_of_work().__enter__()


def test_commit_ends_the_unit(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.commit()
        with pytest.raises(RuntimeError, match="commit"):
            uow.commit()


def test_an_append_only_change_log_keeps_times_as_aware_utc(
    store: Store, fixed_clock: FixedClock
) -> None:
    change = MasterDataChange(fixed_clock.now(), "cli", "product", "1", "name", "A", "B")
    with store.unit_of_work() as uow:
        uow.changes.record([change])
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        assert uow.changes.recent() == [change]


def test_a_backup_is_a_complete_copy_made_while_in_use(
    sqlite_url: str, fixed_clock: FixedClock, tmp_path: Path
) -> None:
    live = Store(sqlite_url, fixed_clock)
    live.migrate()
    with live.unit_of_work() as uow:
        uow.catalogue.upsert_group(GROUP)
        uow.commit()
    target = tmp_path / "backups" / "copy.sqlite3"
    with pytest.raises(StorageError, match="the folder does not exist"):
        live.backup(target)  # made by the owner (a USB stick), never by the backup
    target.parent.mkdir()
    live.backup(target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT code, name FROM article_group").fetchall() == [("10", "Mat")]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with pytest.raises(StorageError, match="already exists"):
        live.backup(target)
    assert not list(target.parent.glob(".*partial"))
    live.close()


@pytest.mark.postgres
def test_backup_on_postgresql_points_to_pg_dump(pg_url: str, fixed_clock: FixedClock) -> None:
    shared = Store(pg_url, fixed_clock)
    shared.migrate()
    with pytest.raises(StorageError, match="pg_dump"):
        shared.backup(Path("never-written.sqlite3"))
    shared.close()


def test_a_server_that_does_not_answer_is_database_unavailable(fixed_clock: FixedClock) -> None:
    gone = Store("postgresql://postgres:secret@127.0.0.1:9/omnipos", fixed_clock)
    with pytest.raises(DatabaseUnavailable) as caught:
        gone.schema_version()
    assert "secret" not in str(caught.value)
    assert "127.0.0.1:9" in str(caught.value)


def test_an_unsupported_url_is_refused(fixed_clock: FixedClock) -> None:
    with pytest.raises(StorageError, match="unsupported database URL"):
        Store("mysql://root@localhost/omnipos", fixed_clock)


@pytest.mark.postgres
def test_two_tills_on_one_postgresql_database_see_each_others_commits(
    pg_url: str, fixed_clock: FixedClock
) -> None:
    till_1 = Store(pg_url, fixed_clock, register_id="1")
    till_2 = Store(pg_url, fixed_clock, register_id="2")
    till_1.migrate()
    with till_2.unit_of_work() as uow:
        uow.catalogue.upsert_group(GROUP)
        uow.commit()
    assert groups(till_1) == [GROUP]
    till_1.close()
    till_2.close()
