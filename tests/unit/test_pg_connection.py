"""PostgreSQL connection handling without a server (issue 15): the time limits a URL gets,
the SQLSTATEs that become ``DatabaseBusy``/``DatabaseRefused``/``DatabaseUnavailable``, and
the pause between connects after a failed one."""

from __future__ import annotations

import peewee  # noqa: TID251 - builds the exceptions storage receives from peewee
import pytest

from omnipos_tui.core.errors import (
    DatabaseBusy,
    DatabaseRefused,
    DatabaseUnavailable,
    StorageError,
)
from omnipos_tui.storage.connection import FIRST_WAIT_S, MOST_WAIT_S, Reconnect
from omnipos_tui.storage.database import open_database, pg_connect_params, translate


def test_a_plain_url_gets_connect_keepalive_and_session_limits() -> None:
    params = pg_connect_params("postgresql://till@server/shop")
    assert params["connect_timeout"] == 3
    assert params["keepalives_idle"] == 5
    assert params["tcp_user_timeout"] == 10_000
    assert params["options"] == (
        "-c lock_timeout=10s -c statement_timeout=60s -c idle_in_transaction_session_timeout=5min"
    )


def test_what_the_url_sets_itself_wins_and_its_options_are_kept() -> None:
    url = (
        "postgresql://till@server/shop?connect_timeout=9"
        "&options=-csearch_path%3Dshop1%20-c%20lock_timeout%3D2s"
    )
    params = pg_connect_params(url)
    assert "connect_timeout" not in params
    assert params["options"] == (
        "-csearch_path=shop1 -c lock_timeout=2s -c statement_timeout=60s "
        "-c idle_in_transaction_session_timeout=5min"
    )
    db = open_database(url)
    assert db.connect_params["connect_timeout"] == 9


class FakePgError(Exception):
    def __init__(self, text: str, pgcode: str | None) -> None:
        super().__init__(text)
        self.pgcode = pgcode


def wrapped(text: str, pgcode: str | None = None) -> peewee.OperationalError:
    """As peewee re-raises a psycopg2 error: the original is its first argument."""
    original = FakePgError(text, pgcode)
    return peewee.OperationalError(original, text)


@pytest.mark.parametrize(
    ("code", "text", "kind", "says"),
    [
        ("55P03", "canceling statement due to lock timeout", DatabaseBusy, "lock_timeout"),
        ("40P01", "deadlock detected", DatabaseBusy, "deadlock"),
        ("40001", "could not serialize access", DatabaseBusy, "serialization"),
        ("57014", "canceling statement due to statement timeout", DatabaseBusy, "too long"),
        ("57P01", "terminating connection due to administrator command", DatabaseUnavailable, ""),
        ("08006", "connection failure", DatabaseUnavailable, ""),
        ("3D000", 'FATAL:  database "x" does not exist', DatabaseRefused, "refuses"),
        (None, "server closed the connection unexpectedly", DatabaseUnavailable, ""),
        (
            None,
            'connection to server at "h" failed: FATAL:  password authentication failed',
            DatabaseRefused,
            "",
        ),
        ("42P01", 'relation "x" does not exist', StorageError, "database error"),
    ],
)
def test_library_errors_become_the_error_the_till_can_act_on(
    code: str | None, text: str, kind: type[StorageError], says: str
) -> None:
    error = translate(wrapped(text, code), "pg")
    assert type(error) is kind
    assert says in str(error)


def test_after_a_failed_connect_the_next_waits_out_a_growing_pause() -> None:
    now = [100.0]
    reconnect = Reconnect(lambda: now[0])
    db = open_database("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    with pytest.raises(DatabaseUnavailable, match="cannot open"):
        reconnect.connect(db, "pg")
    assert reconnect.down
    with pytest.raises(DatabaseUnavailable, match=r"trying again in 0\.2 s"):
        reconnect.connect(db, "pg")  # in the pause: at once, without asking the network
    now[0] += FIRST_WAIT_S
    for _ in range(6):
        with pytest.raises(DatabaseUnavailable, match="cannot open"):
            reconnect.connect(db, "pg")
        now[0] += MOST_WAIT_S
    with pytest.raises(DatabaseUnavailable, match=r"trying again in 4\.0 s"):
        now[0] -= MOST_WAIT_S
        reconnect.connect(db, "pg")
