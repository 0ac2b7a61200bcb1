"""Opening the database, and translating library errors into the core ``PosError`` hierarchy.

SQLite (the embedded default) is opened with WAL, ``synchronous=FULL`` and foreign keys on;
PostgreSQL (several tills in one shop) through ``playhouse.db_url`` and psycopg2, with the
time limits of :data:`PG_CONNECT_DEFAULTS` and :data:`PG_SESSION_DEFAULTS` unless the URL
sets its own (so a till never hangs on a server that went away). Everything
that talks to the database goes through :func:`translate_errors` (or the :func:`translated`
decorator), so no peewee, sqlite3 or psycopg2 exception leaves this package.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import peewee

from omnipos_tui.core.errors import (
    AppendOnlyViolation,
    ConfigError,
    Conflict,
    DatabaseBusy,
    DatabaseRefused,
    DatabaseUnavailable,
    PosError,
    ReadOnlyDatabase,
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

#: libpq connection settings a PostgreSQL URL gets unless it names them itself: give up on a
#: server that does not answer a connect within 3 s, and notice a connection that died
#: under a till (a cut cable, a server that vanished) within about 10 s instead of the
#: kernel's two hours.
PG_CONNECT_DEFAULTS: dict[str, object] = {
    "connect_timeout": 3,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,  # ms unacknowledged data may wait before the link counts as dead
    "application_name": "omnipos",
}
#: Server settings every PostgreSQL session gets (``-c name=value`` in libpq's ``options``)
#: unless the URL's own ``options`` sets them. A till waits at most 10 s for a row another
#: till holds, a statement runs at most 60 s (exports, migrations and stock checks lift it
#: for their own transaction: :func:`unlimited_statements`), and a session left inside a
#: transaction for 5 minutes (a till that froze holding its register's row) is ended by
#: the server so it cannot block the others.
PG_SESSION_DEFAULTS: dict[str, str] = {
    "lock_timeout": "10s",
    "statement_timeout": "60s",
    "idle_in_transaction_session_timeout": "5min",
}

#: SQLSTATE classes and codes, as PostgreSQL reports them.
_BUSY_STATES = {
    "40001": "a serialization failure (two tills changed the same rows)",
    "40P01": "a deadlock with another session",
    "55P03": "waited too long for a row another till holds (lock_timeout)",
    "57014": "the statement took too long and was cancelled (statement_timeout)",
}
_GONE_STATES = {"57P01", "57P02", "57P03", "25P03"}  # shut down, crash, starting, idle-in-txn
_REFUSED_STATES = {"28000", "28P01", "3D000", "42501"}  # auth, password, no database, no right
_REFUSED_WORDS = ("authentication failed", "does not exist", "permission denied", "no pg_hba")
_GONE_WORDS = (
    "connect",
    "connection",
    "server closed",
    "terminating",
    "unable to open",
    "timeout expired",
    "could not receive",
    "could not send",
    "ssl syscall",
    "shutting down",
    "starting up",
    "recovery mode",
    "eof detected",
)

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
        if path.is_file() and not os.access(path, os.W_OK):
            return ReadOnlySqlite(path)
        return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=5)
    if scheme in {"postgresql", "postgres"}:
        from playhouse import db_url  # its PostgreSQL and pool modules: not for a SQLite till

        try:
            params = pg_connect_params(url)
            db: peewee.Database = db_url.connect(url, **params)  # type: ignore[no-untyped-call]
            return db
        except (ValueError, TypeError) as exc:
            raise StorageError(f"cannot use database URL {redact(url)}: {exc}") from None
    raise StorageError(
        f"unsupported database URL {redact(url)}: use postgresql://... or leave it empty for "
        "the SQLite file in the data directory"
    )


class ReadOnlySqlite(peewee.SqliteDatabase):
    """A SQLite file this user may read but not write (a copy on a read-only medium, a file
    of another user shared with the group): opened read-only, so that what only reads
    (``journal verify``, reports, ``saft export``) works; a write fails with SQLite's
    "attempt to write a readonly database".

    Where SQLite cannot keep its shared-memory file beside the database (the folder is not
    writable and there is no ``-shm`` file), nothing can be writing the database through
    that folder either, and it is opened as immutable (no locking at all).
    """

    def __init__(self, path: Path) -> None:
        super().__init__(str(path), pragmas=SQLITE_PRAGMAS, timeout=5)
        shm = Path(f"{path}-shm")
        immutable = not os.access(path.parent, os.W_OK) and not shm.exists()
        self.uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.uri,
            timeout=self._timeout,  # type: ignore[attr-defined]  # peewee's own
            isolation_level=None,
            uri=True,
        )
        try:
            self._add_conn_hooks(connection)  # type: ignore[attr-defined]  # the pragmas
        except Exception:
            connection.close()
            raise
        return connection


def pg_connect_params(url: str) -> dict[str, object]:
    """The connection settings :data:`PG_CONNECT_DEFAULTS` and :data:`PG_SESSION_DEFAULTS`
    add to a PostgreSQL URL: those it does not name itself, and its ``options`` with the
    session settings it does not set appended."""
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    params = {key: value for key, value in PG_CONNECT_DEFAULTS.items() if key not in query}
    options = query.get("options", "")
    extra = [
        f"-c {name}={value}"
        for name, value in PG_SESSION_DEFAULTS.items()
        if f"{name}=" not in options and f"{name}%3D" not in options
    ]
    if extra:
        params["options"] = " ".join([options, *extra]).strip()
    return params


def unlimited_statements(db: peewee.Database) -> None:
    """Lift the statement time limit for the rest of this transaction (PostgreSQL; SQLite
    has none): for migrations, exports and whole-ledger checks, which may rightly run for
    minutes. Call it inside the transaction."""
    if engine_of(db) == "postgresql":
        execute_sql(db, "SET LOCAL statement_timeout = 0")


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


NO_POSTGRES_DRIVER = (
    "{location} is a PostgreSQL database, and its driver (psycopg2) is not installed: it "
    "comes with the postgres extra (the hardware extra does not bring it). Install it into "
    "OmniPOS's environment: pip install 'omnipos[postgres]' (from a clone: "
    ".venv/bin/pip install -e '.[postgres]')"
)
"""What a PostgreSQL URL without psycopg2 says (peewee's own: "driver not found")."""


def connect(db: peewee.Database, location: str) -> None:
    """Open the connection for this thread if it is not open.

    Raises:
        DatabaseUnavailable: The server does not answer or the file cannot be opened.
        ConfigError: A PostgreSQL URL, and psycopg2 (the postgres extra) is not installed.
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
    except peewee.ImproperlyConfigured as exc:
        if "psycopg2" not in str(exc):
            raise StorageError(f"cannot open the database {location}: {exc}") from exc
        raise ConfigError(NO_POSTGRES_DRIVER.format(location=location)) from exc
    except peewee.PeeweeException as exc:
        text = _first_line(exc)
        if _refused(sqlstate(exc), text.lower()):
            raise DatabaseRefused(f"{location} refuses the connection: {text}") from exc
        raise DatabaseUnavailable(f"cannot open the database {location}: {text}") from exc


def sqlstate(exc: BaseException) -> str:
    """PostgreSQL's SQLSTATE of a (peewee-wrapped) psycopg2 error; "" when it has none
    (SQLite, or a connection that failed before the server said anything)."""
    seen: list[BaseException] = [exc]
    seen += [arg for arg in exc.args[:1] if isinstance(arg, BaseException)]
    seen += [e for e in (getattr(exc, "orig", None), exc.__cause__, exc.__context__) if e]
    for candidate in seen:
        code = getattr(candidate, "pgcode", None)
        if isinstance(code, str) and code:
            return code
    return ""


def translate(exc: BaseException, location: str = "") -> PosError:
    """The ``PosError`` for a peewee, sqlite3 or psycopg2 exception."""
    text = _first_line(exc)
    where = f" ({location})" if location else ""
    if APPEND_ONLY_MARKER in str(exc):
        return AppendOnlyViolation(text)
    if isinstance(exc, peewee.IntegrityError | sqlite3.IntegrityError):
        return Conflict(f"the change clashes with stored data: {text}")
    code = sqlstate(exc)
    if code in _BUSY_STATES:
        return DatabaseBusy(f"{_BUSY_STATES[code]}; nothing was written{where}: {text}")
    lowered = text.lower()
    if "readonly database" in lowered or "read-only database" in lowered:
        return ReadOnlyDatabase(
            f"the database{where} is read-only here (this user may not write its file, or it "
            "is on a read-only medium): reading works, changing does not; nothing was written"
        )
    if "disk is full" in lowered or "disk i/o error" in lowered:
        return StorageError(
            f"cannot write the database{where}: the disk is full or failing ({text}); "
            "nothing was written: free some space (or check the disk) and try again"
        )
    if "locked" in lowered or "busy" in lowered:
        return StorageError(f"the database is busy (another till or command holds it){where}")
    if _refused(code, lowered):
        return DatabaseRefused(f"the database refuses this connection{where}: {text}")
    if code in _GONE_STATES or code.startswith("08"):
        return DatabaseUnavailable(f"the database does not answer{where}: {text}")
    if isinstance(exc, peewee.InterfaceError | peewee.OperationalError) and any(
        word in lowered for word in _GONE_WORDS
    ):
        return DatabaseUnavailable(f"the database does not answer{where}: {text}")
    return StorageError(f"database error{where}: {text}")


def _refused(code: str, lowered: str) -> bool:
    """The server answered and said no: authentication, no such database or no right."""
    if code in _REFUSED_STATES:
        return code != "42501" or "connect" in lowered
    return "fatal:" in lowered and any(word in lowered for word in _REFUSED_WORDS)


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
