"""``omnipos doctor``'s checks of the database: reachable (on a server, whether it answers
and lets the till in), at this OmniPOS's schema version, intact, its append-only triggers
present and every register's hash chain whole."""

from __future__ import annotations

from collections.abc import Generator

from omnipos_tui.core.errors import Message, StorageError
from omnipos_tui.core.repositories import DatabaseAdmin, DatabaseReport
from omnipos_tui.services.shop.doctor_server import role_finding, server_findings
from omnipos_tui.services.shop.findings import Finding, Level, as_found


def database_findings(database: DatabaseAdmin) -> Generator[Finding, None, DatabaseReport | None]:
    """The database: reachable (a server first), migrated, intact, its append-only triggers
    and every register's hash chain.

    Returns (as the generator's value) the report, or None when the database cannot be
    used at all.
    """
    where = f"{database.engine} {database.location}"
    topic = Message("doctor.topic.database")
    if database.engine == "postgresql":
        reachable = yield from server_findings(database)
        if not reachable:
            return None
    try:
        report = database.check()
    except StorageError as exc:
        yield Finding(
            Level.FAIL,
            topic,
            Message("doctor.database.unusable", where=where, error=exc),
            Message("doctor.database.unusable_fix"),
        )
        return None
    version, latest = report.schema_version, report.latest_version
    if version == 0:
        yield Finding(
            Level.FAIL,
            topic,
            Message("doctor.database.not_set_up_because", where=where, integrity=report.integrity)
            if report.integrity != "ok"
            else Message("doctor.database.not_set_up", where=where),
            Message("doctor.database.not_set_up_fix"),
        )
        return report
    if version < latest:
        yield Finding(
            Level.FAIL,
            topic,
            Message("doctor.database.behind", where=where, version=version, latest=latest),
            Message("doctor.database.behind_fix"),
        )
    elif version > latest:
        yield Finding(
            Level.FAIL,
            topic,
            Message("doctor.database.ahead", where=where, version=version, latest=latest),
            Message("doctor.database.ahead_fix"),
        )
    else:
        yield Finding(Level.OK, topic, Message("doctor.database.ok", where=where, version=version))
    if report.engine == "postgresql" and report.access:
        yield role_finding(report.access)
    if report.integrity not in {"ok", "not available"}:
        yield Finding(
            Level.FAIL,
            Message("doctor.topic.integrity"),
            as_found(report.integrity),
            Message("doctor.integrity_fix"),
        )
    yield _trigger_finding(report)
    for chain in report.chains:
        chain_topic = Message("doctor.topic.hash_chain", register=chain.register_id)
        if chain.ok:
            yield Finding(
                Level.OK,
                chain_topic,
                Message(
                    "doctor.hash_chain.ok",
                    events=chain.events,
                    transactions=chain.transactions,
                ),
            )
            continue
        first = chain.problems[0]
        more = len(chain.problems) + chain.more - 1
        yield Finding(
            Level.FAIL,
            chain_topic,
            Message(
                "doctor.hash_chain.broken",
                where=first.where,
                detail=first.detail,
                more=Message("doctor.and_more", more=more) if more else "",
            ),
            Message("doctor.stop_and_verify"),
        )
    return report


def _trigger_finding(report: DatabaseReport) -> Finding:
    """The append-only triggers: all there, or which are missing."""
    topic = Message("doctor.topic.triggers")
    if report.missing_triggers:
        return Finding(
            Level.FAIL,
            topic,
            Message("doctor.triggers.missing", missing=list(report.missing_triggers)),
            Message("doctor.triggers.missing_fix"),
        )
    tables = sorted(report.append_only) or Message("doctor.none_yet")
    return Finding(Level.OK, topic, Message("doctor.triggers.ok", tables=tables))
