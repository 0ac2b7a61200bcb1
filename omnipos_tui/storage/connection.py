"""Keeping a till connected to a PostgreSQL server that restarts, drops connections or is
away for a while: reconnecting with a growing pause, and the health check the till's DB
light shows.

A till process has one connection per thread (peewee's). When a connect fails, the store
waits before the next attempt -- 0.25 s, then twice as long each time, at most
:data:`MOST_WAIT_S` -- and a unit of work asked for in the pause fails at once with
``DatabaseUnavailable`` instead of hanging the screen for the connect timeout again. The
first connect that succeeds ends the pause for every thread. The health check
(:func:`health`) is one ``SELECT 1`` on the calling thread's connection, connecting it if
needed (within the same pause), and measures the round trip.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import peewee

from omnipos_tui.core.database_admin import DatabaseHealth
from omnipos_tui.core.errors import DatabaseRefused, DatabaseUnavailable, StorageError
from omnipos_tui.storage.database import connect, engine_of, execute_sql, translate_errors

#: The first pause after a failed connect, in seconds; it doubles up to :data:`MOST_WAIT_S`.
FIRST_WAIT_S = 0.25
#: The longest pause between two connects (the cashier waits at most this long after the
#: server is back before the till connects again by itself).
MOST_WAIT_S = 4.0


class Reconnect:
    """When this process may try to connect again (shared by its threads).

    Args:
        monotonic: The clock the pauses are measured on.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._failures = 0
        self._next_at = 0.0
        self._last_error = ""
        self.reconnects = 0
        """How many times a connection was made again after one failed or was lost."""
        self._lost = False

    @property
    def down(self) -> bool:
        """The last connect failed (and none has succeeded since)."""
        return self._failures > 0

    def connect(self, db: peewee.Database, location: str) -> None:
        """Open this thread's connection if it is closed, unless the pause after a failed
        connect has not run out.

        Raises:
            DatabaseUnavailable: In the pause, or the connect failed (the pause grows).
            DatabaseRefused: The server refuses the connection (user, password, database).
        """
        if not db.is_closed():
            return
        with self._lock:
            wait = self._next_at - self._monotonic()
            if self._failures and wait > 0:
                raise DatabaseUnavailable(
                    f"{location} did not answer ({self._last_error}); trying again in {wait:.1f} s"
                )
        try:
            connect(db, location)
        except DatabaseUnavailable as error:
            with self._lock:
                self._failures += 1
                pause = min(MOST_WAIT_S, FIRST_WAIT_S * 2 ** (self._failures - 1))
                self._next_at = self._monotonic() + pause
                self._last_error = str(error).rsplit(": ", 1)[-1]
            raise
        with self._lock:
            if self._failures or self._lost:
                self.reconnects += 1
            self._failures = 0
            self._lost = False

    def lost(self) -> None:
        """A connection of this process died under it (the next connect is a reconnect)."""
        self._lost = True


def health(
    db: peewee.Database,
    location: str,
    reconnect: Reconnect,
    drop: Callable[[], None],
) -> DatabaseHealth:
    """Ask the server for ``SELECT 1`` on this thread's connection (connecting it when
    needed), and time the round trip. Never raises."""
    started = time.perf_counter()
    try:
        try:
            was_open = not db.is_closed()
            reconnect.connect(db, location)
            with translate_errors(location):
                execute_sql(db, "SELECT 1").fetchone()
        except DatabaseUnavailable as error:
            if not was_open or isinstance(error, DatabaseRefused):
                raise
            drop()  # this thread's connection died since its last use: one fresh try
            reconnect.connect(db, location)
            with translate_errors(location):
                execute_sql(db, "SELECT 1").fetchone()
    except DatabaseUnavailable as error:
        drop()
        return DatabaseHealth(
            ok=False,
            detail=str(error),
            refused=isinstance(error, DatabaseRefused),
            round_trip_ms=(time.perf_counter() - started) * 1000,
        )
    except StorageError as error:
        return DatabaseHealth(
            ok=False, detail=str(error), round_trip_ms=(time.perf_counter() - started) * 1000
        )
    return DatabaseHealth(
        ok=True,
        round_trip_ms=(time.perf_counter() - started) * 1000,
        reconnects=reconnect.reconnects,
        engine=engine_of(db),
    )


def server_limits(db: peewee.Database) -> dict[str, str]:
    """The PostgreSQL server's version and the time limits this session runs under."""
    if engine_of(db) != "postgresql":
        return {}
    names = (
        "server_version",
        "lock_timeout",
        "statement_timeout",
        "idle_in_transaction_session_timeout",
        "max_connections",
    )
    limits: dict[str, str] = {}
    with translate_errors():
        for name in names:
            row = execute_sql(db, f"SHOW {name}").fetchone()
            limits[name] = str(row[0]) if row else ""
        row = execute_sql(
            db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()
        limits["connections"] = str(row[0]) if row else ""
    return limits
