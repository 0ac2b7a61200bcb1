"""The store: one database, its migrations, checks and backups, and units of work on it.

``bootstrap`` builds one :class:`Store` from the settings and hands services its
:meth:`Store.unit_of_work` (a ``UnitOfWorkFactory``) and the store itself as the
``DatabaseAdmin``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import peewee

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.database_admin import DatabaseHealth, DatabaseReport, RoleSetup
from omnipos_tui.core.errors import DatabaseUnavailable, MigrationRequired, StorageError
from omnipos_tui.core.events import EventBus
from omnipos_tui.core.outbox import OutboxMessage
from omnipos_tui.file_modes import FileAccess
from omnipos_tui.storage import migrations, roles
from omnipos_tui.storage.append_only import append_only_triggers
from omnipos_tui.storage.chain_pages import check_all_chains
from omnipos_tui.storage.chain_rows import CHAIN_VERSION
from omnipos_tui.storage.connection import Reconnect, health, server_limits
from omnipos_tui.storage.database import (
    engine_of,
    execute_sql,
    open_database,
    redact,
    sqlite_path,
    translate_errors,
)
from omnipos_tui.storage.outbox import sqlite_worker_lock
from omnipos_tui.storage.stock_base import StockCache
from omnipos_tui.storage.transaction_cache import TransactionCache
from omnipos_tui.storage.unit_of_work import PeeweeUnitOfWork
from omnipos_tui.temp_files import hold

log = logging.getLogger(__name__)


class Store:
    """A database opened from a URL.

    Attributes:
        db: The peewee database (connected lazily, one connection per thread).
        engine: "sqlite" or "postgresql".
        location: The SQLite file, or the URL without its password (for messages).
        register_id: The register this process is; its journal takes the events that
            belong to no till action (master-data changes from the command line).
        transaction_cache: Report facts of completed transactions, for X and Z reports
            (the one place transactions are kept in memory).
        stock_cache: Stock locations and the registers' selling locations.
        clock: Stamps outbox rows.
        events: The event bus units of work publish their recorded events to.
        outbox_committed: Called with the outbox messages of each unit of work after it
            committed (None: nobody listens; the worker finds them).
    """

    def __init__(
        self,
        url: str,
        clock: Clock,
        *,
        register_id: str = "1",
        events: EventBus | None = None,
        files: FileAccess | None = None,
    ) -> None:
        """Open (lazily) the database at ``url``; a new SQLite file, and every backup, is
        made with ``files``' mode and group (0600 by default).

        Raises:
            StorageError: The URL is not usable.
        """
        self.db: peewee.Database = open_database(url)
        self.engine = engine_of(self.db)
        self.location = str(sqlite_path(url)) if self.engine == "sqlite" else redact(url)
        self._clock = clock
        self.clock = clock
        self._ready = False
        self._older_allowed = False
        self.register_id = register_id
        self.transaction_cache = TransactionCache()
        self.events = events if events is not None else EventBus()
        self.outbox_committed: Callable[[Sequence[OutboxMessage]], None] | None = None
        self.stock_cache = StockCache()
        self.reconnect = Reconnect()
        self.files = files or FileAccess()
        self._file_made = self.engine != "sqlite"

    def unit_of_work(self, *, read_only: bool = False) -> PeeweeUnitOfWork:
        """A new unit of work (enter it with ``with``)."""
        return PeeweeUnitOfWork(self, read_only=read_only)

    @contextlib.contextmanager
    def worker_lock(self) -> Iterator[None]:
        """``omnipos worker``'s lock: on SQLite one worker at a time (a lock file beside
        the database); on PostgreSQL none (rows are claimed with SKIP LOCKED).

        Raises:
            RuleViolation: Another worker runs on this SQLite database.
        """
        if self.engine != "sqlite":
            yield
            return
        with sqlite_worker_lock(Path(self.location), self._clock):
            yield

    def connect(self) -> None:
        """Open this thread's connection if needed (after a failed connect, not before
        the pause ``storage/connection.py`` sets has run out).

        Raises:
            DatabaseUnavailable: The database cannot be reached or opened.
        """
        if not self._file_made:
            self._make_file()
        self.reconnect.connect(self.db, self.location)

    def _make_file(self) -> None:
        """Create the SQLite file (empty) with the configured mode before SQLite would
        create it with the umask's; its -wal and -shm files take the same mode."""
        path = Path(self.location)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.files.create(path)
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot create the database {path}: {exc}") from exc
        self._file_made = True

    def health(self) -> DatabaseHealth:
        """Whether the server answers now (``SELECT 1``); never raises."""
        if self._file_missing():
            return DatabaseHealth(ok=False, detail=f"no database file at {self.location}")
        return health(self.db, self.location, self.reconnect, self.drop_connection)

    def server_limits(self) -> dict[str, str]:
        """PostgreSQL's version and this session's time limits (empty for SQLite)."""
        self.connect()
        return server_limits(self.db)

    def ensure_ready(self) -> None:
        """Connect and, the first time, check the schema is the latest.

        Raises:
            DatabaseUnavailable: The database cannot be reached.
            MigrationRequired: The database is not migrated to this code's version.
            StorageError: The database is newer than this code.
        """
        if self._ready:
            self.connect()
            return
        version = self.schema_version()
        latest = self.latest_version()
        if version == 0:
            raise MigrationRequired(
                f"there is no OmniPOS database at {self.location} yet: run `omnipos init`"
            )
        if version < latest and self._older_allowed:
            self.connect()  # the admin's PIN check before `db migrate` (see older_schema)
            return
        if version < latest:
            raise MigrationRequired(
                f"the database {self.location} has schema version {version}, this OmniPOS "
                f"needs {latest}: run `omnipos db migrate`"
            )
        if version > latest:
            raise StorageError(
                f"the database {self.location} has schema version {version}, newer than "
                f"this OmniPOS ({latest}): upgrade OmniPOS"
            )
        self.connect()
        with translate_errors(self.location):
            missing = migrations.missing_versions(self.db)
        if missing and self._older_allowed:
            return
        if missing:
            raise MigrationRequired(
                f"the database {self.location} lacks schema version(s) "
                f"{', '.join(map(str, missing))}: run `omnipos db migrate`"
            )
        self._ready = True

    def drop_connection(self) -> None:
        """Forget this thread's connection after the server went away."""
        self.reconnect.lost()
        try:
            self.db.close()
        except peewee.PeeweeException as exc:
            log.info("closing a lost connection failed: %s", exc)

    def close(self) -> None:
        """Close this thread's connection."""
        if not self.db.is_closed():
            with translate_errors(self.location):
                self.db.close()

    # --- DatabaseAdmin ------------------------------------------------------------------

    def _file_missing(self) -> bool:
        """An SQLite database file that does not exist yet (reads must not create it)."""
        return self.engine == "sqlite" and not Path(self.location).exists()

    def schema_version(self) -> int:
        """The stored schema version (0 when never migrated or the file does not exist)."""
        if self._file_missing():
            return 0
        self.connect()
        with translate_errors(self.location):
            return migrations.current_version(self.db)

    def latest_version(self) -> int:
        """The schema version this OmniPOS expects."""
        return migrations.latest_version()

    @contextlib.contextmanager
    def older_schema(self) -> Iterator[None]:
        """Units of work on a schema older than this code, for checking the admin's PIN
        before ``omnipos db migrate``: the company and employee tables are the same in
        every schema version, nothing else may be used inside."""
        self._older_allowed = True
        try:
            yield
        finally:
            self._older_allowed = False

    def migrate(self) -> list[int]:
        """Apply the missing migrations (one transaction each), then re-create the
        append-only triggers. Returns the versions applied."""
        self.connect()
        applied = migrations.migrate(self.db, self._clock)
        if self.engine == "postgresql":
            with translate_errors(self.location), migrations.write_transaction(self.db):
                roles.grant(self.db)  # tables a migration created, for the till role
        self._ready = False
        return applied

    def setup_roles(
        self,
        owner: str,
        till: str,
        *,
        owner_password: str | None = None,
        till_password: str | None = None,
    ) -> RoleSetup:
        """Create the PostgreSQL owner and till roles and grant them (one transaction)."""
        self.ensure_ready()
        with translate_errors(self.location), migrations.write_transaction(self.db):
            return roles.setup_roles(
                self.db,
                owner,
                till,
                owner_password=owner_password,
                till_password=till_password,
            )

    def check(self) -> DatabaseReport:
        """Schema version, SQLite's integrity check, the append-only triggers, every
        register's hash chain, and what the connection's role may do."""
        if self._file_missing():
            return DatabaseReport(
                engine=self.engine,
                location=self.location,
                schema_version=0,
                latest_version=self.latest_version(),
                integrity="no database file (run `omnipos init`)",
            )
        self.connect()
        with translate_errors(self.location):
            version = migrations.current_version(self.db)
            if self.engine == "sqlite":
                rows = execute_sql(self.db, "PRAGMA integrity_check").fetchall()
                problems = [str(row[0]) for row in rows]
                integrity = "ok" if problems == ["ok"] else "; ".join(problems)
            else:
                integrity = "not available"
            present = append_only_triggers(self.db)
            chained = version >= CHAIN_VERSION
            chains = tuple(check_all_chains(self.db)) if chained else ()
            access = roles.access(self.db)
        expected = migrations.append_only_tables(version)
        return DatabaseReport(
            engine=self.engine,
            location=self.location,
            schema_version=version,
            latest_version=self.latest_version(),
            integrity=integrity,
            append_only={table: present.get(table, frozenset()) for table in expected},
            chains=chains,
            chains_checked=chained,
            access=access,
        )

    def backup(self, target: Path) -> None:
        """Copy the SQLite database to ``target`` with SQLite's online backup API.

        The copy is written next to ``target`` and renamed into place when complete, so a
        failed backup never leaves a half-written file under the target name.

        Raises:
            StorageError: PostgreSQL (use pg_dump), ``target`` exists, its folder does not
                exist, or it cannot be written.
        """
        if self._file_missing():
            raise StorageError(f"there is no database at {self.location} to back up")
        if self.engine != "sqlite":
            raise StorageError(
                "backup works on the SQLite database only; back up PostgreSQL with pg_dump, "
                f"for example: pg_dump --format=custom --file=omnipos.dump '{self.location}'"
            )
        target = target.expanduser().resolve()
        if target.exists():
            raise StorageError(f"{target} already exists; choose a new file name")
        if target == Path(self.location).resolve():
            raise StorageError("the backup cannot overwrite the database itself")
        if not target.parent.is_dir():
            # A mistyped or unmounted USB path must not become folders on the local disk.
            raise StorageError(
                f"cannot write in {target.parent}: the folder does not exist "
                "(is the USB stick or network share mounted?)"
            )
        self.connect()
        partial = target.with_name(f".{target.name}.partial")
        held: int | None = None
        try:
            source: sqlite3.Connection = self.db.connection()  # type: ignore[no-untyped-call]
            self.files.create(partial)  # the copy holds what the database does: same mode
            self.files.apply(partial)  # (also when a killed backup left one behind)
            held = os.open(partial, os.O_RDONLY)
            hold(held)  # ours while we copy: the next run sweeps it only if we die
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                status = copy.execute("PRAGMA integrity_check").fetchone()
            finally:
                copy.close()
            if not status or status[0] != "ok":
                raise StorageError(f"the backup copy does not pass integrity_check: {status}")
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"backup to {target} failed: {exc}") from exc
        finally:
            if held is not None:
                os.close(held)
            for leftover in (partial, *(Path(f"{partial}{s}") for s in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
