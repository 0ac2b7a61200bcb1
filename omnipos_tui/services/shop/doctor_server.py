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
from decimal import Decimal

from omnipos_tui.core.database_admin import DatabaseAdmin
from omnipos_tui.core.errors import Message, StorageError
from omnipos_tui.services.shop.findings import Finding, Level, as_found

#: More connections in use than this share of ``max_connections`` is a warning (every till
#: keeps a few, the worker and the CLI more).
CONNECTIONS_WARN_SHARE = 0.8


def server_findings(database: DatabaseAdmin) -> Generator[Finding, None, bool]:
    """Whether the server answers and lets this till in, its version and limits.

    Returns (as the generator's value) whether the server can be used at all.
    """
    topic = Message("doctor.topic.server")
    health = database.health()
    if not health.ok:
        if health.refused:
            yield Finding(
                Level.FAIL,
                topic,
                Message("doctor.server.refused", detail=health.detail),
                Message("doctor.server.refused_fix"),
            )
        else:
            yield Finding(
                Level.FAIL,
                topic,
                Message("doctor.server.unreachable", detail=health.detail),
                Message("doctor.server.unreachable_fix"),
            )
        return False
    try:
        limits = database.server_limits()
    except StorageError as exc:
        yield Finding(Level.WARN, topic, Message("doctor.server.no_settings", error=exc))
        return True
    yield Finding(
        Level.OK,
        topic,
        Message(
            "doctor.server.ok",
            version=limits.get("server_version", "?"),
            ms=Decimal(f"{health.round_trip_ms:.1f}"),
        ),
    )
    yield Finding(
        Level.OK,
        Message("doctor.topic.time_limits"),
        Message(
            "doctor.server.time_limits",
            lock=limits.get("lock_timeout", "?"),
            statement=limits.get("statement_timeout", "?"),
            idle=limits.get("idle_in_transaction_session_timeout", "?"),
        ),
    )
    yield _connections(limits)
    return True


def _connections(limits: dict[str, str]) -> Finding:
    used, most = limits.get("connections", ""), limits.get("max_connections", "")
    topic = Message("doctor.topic.connections")
    if not (used.isdigit() and most.isdigit()):
        return Finding(
            Level.OK,
            topic,
            Message("doctor.server.connections_unknown", used=used or "?", most=most or "?"),
        )
    text = Message("doctor.server.connections", used=used, most=most)
    if int(used) > CONNECTIONS_WARN_SHARE * int(most):
        return Finding(Level.WARN, topic, text, Message("doctor.server.connections_fix"))
    return Finding(Level.OK, topic, text)


def role_finding(access: str) -> Finding:
    """What the connected role may do to the append-only tables (``DatabaseReport.access``)."""
    topic = Message("doctor.topic.role")
    if "superuser" in access or "owner of the ledger tables" in access:
        return Finding(Level.WARN, topic, as_found(access), Message("doctor.server.role_fix"))
    return Finding(Level.OK, topic, as_found(access))
