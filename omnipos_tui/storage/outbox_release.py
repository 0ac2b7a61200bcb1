"""Claims of a worker that died: rows it had marked ``working`` go back to ``pending`` when
the next worker starts, instead of waiting out their lease (five minutes) while the shop's
stock or the books lag behind. A claimer is taken as gone only when it is a process of
this host (``host:pid``, :func:`~omnipos_tui.storage.outbox.worker_id`) that no longer
runs; claims of other hosts and of tills' relays wait for their lease as before."""

from __future__ import annotations

import os
import socket
from datetime import datetime

import peewee

from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.storage.database import execute_sql, insert_rows, time_to_db

_HISTORY_COLUMNS = ("outbox_id", "at", "state", "attempt", "detail", "actor")


def gone(claimer: str) -> bool:
    """Whether ``claimer`` ("host:pid") is a process of this host that has ended."""
    host, _, pid_text = claimer.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid() or pid <= 1:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it runs, as another user
    return False


def release_dead_claims(db: peewee.Database, *, at: datetime, by: str) -> int:
    """Put the ``working`` rows of ended processes of this host back to ``pending``,
    available at ``at``, with a history line each; returns how many."""
    rows = execute_sql(
        db, "SELECT id, attempts, claimed_by FROM outbox WHERE state = 'working'"
    ).fetchall()
    dead = [(int(r[0]), int(r[1]), str(r[2])) for r in rows if gone(str(r[2] or ""))]
    if not dead:
        return 0
    when = time_to_db(at)
    marks = ", ".join("?" * len(dead))
    execute_sql(
        db,
        "UPDATE outbox SET state = 'pending', available_at = ?, updated_at = ?, "
        f"claimed_by = '', claimed_until = NULL WHERE state = 'working' AND id IN ({marks})",
        [when, when, *(row_id for row_id, _, _ in dead)],
    )
    insert_rows(
        db,
        "outbox_history",
        _HISTORY_COLUMNS,
        [
            (row_id, when, OutboxState.PENDING.value, attempts, f"released: {claimer} ended", by)
            for row_id, attempts, claimer in dead
        ],
    )
    return len(dead)
