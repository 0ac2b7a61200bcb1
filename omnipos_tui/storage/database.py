"""Opening the database, and translating library errors into the core ``PosError`` hierarchy.

SQLite (the embedded default) is opened with WAL, ``synchronous=FULL`` and foreign keys on;
PostgreSQL (several tills in one shop) through ``playhouse.db_url`` and psycopg2. Everything
that talks to the database goes through :func:`translate_errors` (or the :func:`translated`
decorator), so no peewee, sqlite3 or psycopg2 exception leaves this package.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

import peewee

from omnipos_tui.core.errors import (
    AppendOnlyViolation,
    Conflict,
    DatabaseUnavailable,
    PosError,
    StorageError,
)

SQLITE_PRAGMAS: dict[str, object] = {
    "journal_mode": "wal",
    "synchronous": "full",  # a paid sale must survive a power cut
    "foreign_keys": 1,
    "busy_timeout": 5000,  # another till process writing: wait, do not fail at once
    # Each connection (one per thread) keeps up to 8 MB of pages: the hot index pages of a
    # 100,000-product catalogue stay in, and a long shift's RSS stops growing there (32 MB
    # per connection grew the till ~30 MB per 1,000 sales). Lookup p99 0.21 -> 0.25 ms and
    # name search p99 ~9 ms either way (CPU time per call, the bench shop); SQLite reads
    # the other pages back from the OS's file cache.
    "cache_size": -8_000,
    "temp_store": "memory",  # search results are sorted in memory, not in a temp file
}

# The marker the append-only triggers put in their error text, on both engines.
APPEND_ONLY_MARKER = "append-only"

P = ParamSpec("P")
R = TypeVar("R")


def engine_of(db: peewee.Database) -> str:
    """ "sqlite" or "postgresql"."""
    return "postgresql" if isinstance(db, peewee.PostgresqlDatabase) else "sqlite"


def open_database(url: str) -> peewee.Database:
    """A (not yet connected) database for a URL.

    Args:
        url: ``sqlite:///absolute/path.sqlite3`` or ``postgresql://user@host:port/name``.

    Raises:
        StorageError: The URL is neither.
    """
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = sqlite_path(url)
        return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=5)
    if scheme in {"postgresql", "postgres"}:
        from playhouse import db_url  # its PostgreSQL and pool modules: not for a SQLite till

        try:
            db: peewee.Database = db_url.connect(url)  # type: ignore[no-untyped-call]
            return db
        except (ValueError, TypeError) as exc:
            raise StorageError(f"cannot use database URL {redact(url)}: {exc}") from None
    raise StorageError(
        f"unsupported database URL {redact(url)}: use postgresql://... or leave it empty for "
        "the SQLite file in the data directory"
    )


class Cursor(Protocol):
    """The DB-API cursor both drivers return (the peewee stubs leave it untyped)."""

    rowcount: int

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every remaining row."""
        ...

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or None."""
        ...


def execute_sql(db: peewee.Database, statement: str, params: Sequence[object] = ()) -> Cursor:
    """Run one SQL statement with ``?``-style placeholders on either engine.

    SQL written here uses ``?``; on PostgreSQL it becomes ``%s`` (and a literal ``%`` must
    not appear: write it as a parameter).
    """
    if engine_of(db) == "postgresql":
        statement = statement.replace("?", "%s")
    cursor: Cursor = db.execute_sql(statement, tuple(params))  # type: ignore[no-untyped-call]
    return cursor


def insert_rows(
    db: peewee.Database, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Insert many rows with multi-row ``VALUES`` statements.

    Much faster than peewee's ``insert_many`` for big batches (which builds the SQL one
    value at a time), and the same on both engines. ``table`` and ``columns`` are our own
    identifiers, never user input.
    """
    if not rows:
        return
    per_row = "(" + ", ".join("?" * len(columns)) + ")"
    head = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES '
    step = max(1, 30_000 // len(columns))  # under SQLite's 32,766 variables per statement
    for start in range(0, len(rows), step):
        part = rows[start : start + step]
        params = [value for row in part for value in row]
        execute_sql(db, head + ", ".join([per_row] * len(part)), params)


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///...`` URL."""
    return Path(url[len("sqlite:///") :] if url.startswith("sqlite:///") else url)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def connect(db: peewee.Database, location: str) -> None:
    """Open the connection for this thread if it is not open.

    Raises:
        DatabaseUnavailable: The server does not answer or the file cannot be opened.
    """
    if not db.is_closed():
        return
    if isinstance(db, peewee.SqliteDatabase):
        path = Path(db.database)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"cannot create the data directory {path.parent}: {exc}"
            ) from exc
    try:
        db.connect(reuse_if_open=True)
    except peewee.PeeweeException as exc:
        raise DatabaseUnavailable(
            f"cannot open the database {location}: {_first_line(exc)}"
        ) from exc


def translate(exc: BaseException, location: str = "") -> PosError:
    """The ``PosError`` for a peewee, sqlite3 or psycopg2 exception."""
    text = _first_line(exc)
    where = f" ({location})" if location else ""
    if APPEND_ONLY_MARKER in str(exc):
        return AppendOnlyViolation(text)
    if isinstance(exc, peewee.IntegrityError | sqlite3.IntegrityError):
        return Conflict(f"the change clashes with stored data: {text}")
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return StorageError(f"the database is busy (another till or command holds it){where}")
    if isinstance(exc, peewee.InterfaceError | peewee.OperationalError) and any(
        word in lowered
        for word in ("connect", "connection", "server closed", "terminating", "unable to open")
    ):
        return DatabaseUnavailable(f"the database does not answer{where}: {text}")
    return StorageError(f"database error{where}: {text}")


_LIBRARY_ERRORS = (peewee.PeeweeException, sqlite3.Error)


@contextmanager
def translate_errors(location: str = "") -> Iterator[None]:
    """Run a block and turn any database library exception into a ``PosError``."""
    try:
        yield
    except _LIBRARY_ERRORS as exc:
        raise translate(exc, location) from exc


def translated(method: Callable[P, R]) -> Callable[P, R]:
    """Decorate a repository method so library exceptions leave it as ``PosError``."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except _LIBRARY_ERRORS as exc:
            raise translate(exc) from exc

    return wrapper


def is_library_error(exc: BaseException) -> bool:
    """Whether ``exc`` comes from peewee, sqlite3 or psycopg2 (through peewee)."""
    return isinstance(exc, _LIBRARY_ERRORS)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


# --- time -------------------------------------------------------------------------------

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def time_to_db(moment: datetime) -> str:
    """An aware time as fixed-width UTC text ("2026-11-27T13:30:00.000000Z"), which sorts
    in time order on both engines.

    Raises:
        ValueError: ``moment`` is naive.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: OmniPOS stores aware UTC times only")
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def time_from_db(text: str) -> datetime:
    """The aware UTC time stored by :func:`time_to_db`."""
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)
