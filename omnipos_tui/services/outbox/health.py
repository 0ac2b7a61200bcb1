"""What ``omnipos doctor`` says about the outbox: a worker that is not running while
messages wait for it, a backlog, failed messages, and device rows a till has not delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from omnipos_tui.core.clock import local
from omnipos_tui.core.outbox import OutboxState, is_device_kind
from omnipos_tui.services.outbox.worker import BACKLOG_AFTER, OutboxStatus


@dataclass(frozen=True, slots=True)
class OutboxNote:
    """One finding about the outbox.

    Attributes:
        warn: A warning (False: all is well).
        text: What was found.
        fix: What to do ("" when nothing).
    """

    warn: bool
    text: str
    fix: str = ""


def outbox_notes(status: OutboxStatus) -> list[OutboxNote]:
    """The outbox's findings, warnings first; one "all well" note when there are none."""
    notes: list[OutboxNote] = []
    now = status.at
    worker_kinds = [k for k in status.kinds if not is_device_kind(k.kind)]
    waiting = sum(k.waiting for k in worker_kinds)
    if waiting and not status.running:
        last = status.workers[0] if status.workers else None
        seen = f"; last seen {_when(last.seen_at)}" if last else "; none has ever run"
        notes.append(
            OutboxNote(
                True,
                f"no worker is running and {waiting} message(s) wait for one{seen}",
                "start it: 'systemctl start omnipos-worker' (config/omnipos-worker.service) "
                "or 'omnipos worker'",
            )
        )
    for kind in status.kinds:
        oldest = kind.oldest_pending
        if oldest is not None and now - oldest > BACKLOG_AFTER:
            device = is_device_kind(kind.kind)
            who = f"the till of register {', '.join(kind.owners)}" if device else "the worker"
            notes.append(
                OutboxNote(
                    True,
                    f"{kind.kind}: {kind.waiting} waiting for {who}, the oldest since "
                    f"{_when(oldest)}"
                    + (f" (last error: {kind.last_error})" if kind.last_error else ""),
                    "start the till of that register (it delivers its receipts at start)"
                    if device
                    else "see 'omnipos worker status' and the worker's log",
                )
            )
        failed = kind.counts.get(OutboxState.FAILED, 0)
        if failed:
            notes.append(
                OutboxNote(
                    True,
                    f"{kind.kind}: {failed} failed"
                    + (f" ({kind.last_error})" if kind.last_error else ""),
                    "fix the cause, then 'omnipos worker retry' (or 'omnipos worker retry KEY')",
                )
            )
    if not notes:
        done = sum(k.counts.get(OutboxState.DONE, 0) for k in status.kinds)
        running = ", ".join(w.worker for w in status.running)
        text = f"{done} delivered, nothing late or failed"
        notes.append(OutboxNote(False, text + (f"; worker {running} running" if running else "")))
    return notes


def _when(moment: datetime) -> str:
    return local(moment).strftime("%d.%m.%Y %H:%M")
