"""``omnipos doctor`` on a shared PostgreSQL server: can this till reach it, will it let
the till in, what time limits does the till's session run under, how full is the server,
and may the connected role switch the ledger's append-only triggers off.

The checks tell the three ways a till cannot start apart, each with its own fix: the
server does not answer (down, wrong host or port, a firewall), the server answers but
refuses (user, password, no such database, ``pg_hba.conf``), and the schema is behind
(the ordinary database findings that follow say that).
"""

from __future__ import annotations

from collections.abc import Generator

from omnipos_tui.core.database_admin import DatabaseAdmin
from omnipos_tui.core.errors import StorageError
from omnipos_tui.services.shop.findings import Finding, Level

#: More connections in use than this share of ``max_connections`` is a warning (every till
#: keeps a few, the worker and the CLI more).
CONNECTIONS_WARN_SHARE = 0.8

_UNREACHABLE_FIX = (
    "start the PostgreSQL server ('sudo systemctl start postgresql'), and check the host and "
    "port in the database URL (OMNIPOS_DB_URL or [database] url) and any firewall between "
    "this till and the server ('pg_isready -h HOST -p PORT' answers 'accepting connections')"
)
_REFUSED_FIX = (
    "check the user, password and database name in the database URL; the database must "
    "exist ('createdb'), the till role must exist ('omnipos db roles'), and the server's "
    "pg_hba.conf must let this machine in"
)


def server_findings(database: DatabaseAdmin) -> Generator[Finding, None, bool]:
    """Whether the server answers and lets this till in, its version and limits.

    Returns (as the generator's value) whether the server can be used at all.
    """
    topic = "database server"
    health = database.health()
    if not health.ok:
        if health.refused:
            yield Finding(Level.FAIL, topic, f"refuses this till: {health.detail}", _REFUSED_FIX)
        else:
            yield Finding(Level.FAIL, topic, f"does not answer: {health.detail}", _UNREACHABLE_FIX)
        return False
    try:
        limits = database.server_limits()
    except StorageError as exc:
        yield Finding(Level.WARN, topic, f"answers, but its settings cannot be read: {exc}")
        return True
    yield Finding(
        Level.OK,
        topic,
        f"PostgreSQL {limits.get('server_version', '?')} answers in {health.round_trip_ms:.1f} ms",
    )
    yield Finding(
        Level.OK,
        "database time limits",
        f"lock wait {limits.get('lock_timeout', '?')}, statement "
        f"{limits.get('statement_timeout', '?')}, idle in a transaction "
        f"{limits.get('idle_in_transaction_session_timeout', '?')}",
    )
    yield _connections(limits)
    return True


def _connections(limits: dict[str, str]) -> Finding:
    used, most = limits.get("connections", ""), limits.get("max_connections", "")
    if not (used.isdigit() and most.isdigit()):
        return Finding(Level.OK, "database connections", f"{used or '?'} of {most or '?'}")
    text = f"{used} in use on this database, the server allows {most}"
    if int(used) > CONNECTIONS_WARN_SHARE * int(most):
        return Finding(
            Level.WARN,
            "database connections",
            text,
            "raise max_connections in postgresql.conf (each till, the worker and each "
            "command keep connections), then restart the server out of opening hours",
        )
    return Finding(Level.OK, "database connections", text)


def role_finding(access: str) -> Finding:
    """What the connected role may do to the append-only tables (``DatabaseReport.access``)."""
    topic = "database role"
    if "superuser" in access or "owner of the ledger tables" in access:
        return Finding(
            Level.WARN,
            topic,
            access,
            "run 'omnipos db roles' once as the owner, then let every till connect as the "
            "till role (postgresql://omnipos_till:...@server/shop)",
        )
    return Finding(Level.OK, topic, access)
