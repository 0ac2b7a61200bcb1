"""Rows left ``working`` by a process that is gone (a worker killed with SIGKILL, a power
cut, the OOM killer): taken back at once instead of after their lease (five minutes).

A claim names its process as "host:pid" (:func:`~omnipos_tui.storage.outbox.worker_id`).
A claimer on this host whose process no longer exists (or is a zombie waiting to be
reaped), or whose pid is now this very process (a pid used again), cannot finish its
attempt: its rows go back to ``pending``, due now, the attempt still counted. Claimers on
other hosts are left to their lease, as there is no asking after their processes.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path

import peewee

from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.storage.database import execute_sql, insert_rows
from omnipos_tui.storage.db_time import time_to_db

_HISTORY_COLUMNS = ("outbox_id", "at", "state", "attempt", "detail", "actor")


def process_gone(claimer: str) -> bool:
    """Whether ``claimer`` ("host:pid") was a process on this host that no longer runs."""
    host, _, pid_text = claimer.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # this process claims nothing before it releases: a pid used again
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's process runs with that pid
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def release_abandoned(db: peewee.Database, *, at: datetime, by: str) -> list[tuple[str, str]]:
    """Put the working rows of gone claimers back to pending, due at ``at`` (history
    kept); the (kind, key) of each."""
    rows = execute_sql(
        db, "SELECT id, kind, key, attempts, claimed_by FROM outbox WHERE state = 'working'"
    ).fetchall()
    gone = {str(r[4]) for r in rows if process_gone(str(r[4] or ""))}
    doomed = [r for r in rows if str(r[4]) in gone]
    if not doomed:
        return []
    when = time_to_db(at)
    marks = ", ".join("?" * len(doomed))
    execute_sql(
        db,
        "UPDATE outbox SET state = 'pending', available_at = ?, updated_at = ?, "
        f"claimed_by = '', claimed_until = NULL WHERE state = 'working' AND id IN ({marks})",
        [when, when, *(int(r[0]) for r in doomed)],
    )
    insert_rows(
        db,
        "outbox_history",
        _HISTORY_COLUMNS,
        [
            (int(r[0]), when, OutboxState.PENDING.value, int(r[3]), f"released: {r[4]} is gone", by)
            for r in doomed
        ],
    )
    return [(str(r[1]), str(r[2])) for r in doomed]
