"""What ``omnipos doctor`` says about the outbox: a worker that is not running while
messages wait for it, a backlog, failed messages, and device rows a till has not delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from omnipos_tui.core.clock import local
from omnipos_tui.core.errors import Message
from omnipos_tui.core.outbox import OutboxState, is_device_kind
from omnipos_tui.services.outbox.worker import BACKLOG_AFTER, OutboxStatus


@dataclass(frozen=True, slots=True)
class OutboxNote:
    """One finding about the outbox (worded by :mod:`omnipos_tui.messages.outbox`).

    Attributes:
        warn: A warning (False: all is well).
        text: What was found.
        fix: What to do (None when nothing).
    """

    warn: bool
    text: Message
    fix: Message | None = None


def outbox_notes(status: OutboxStatus) -> list[OutboxNote]:
    """The outbox's findings, warnings first; one "all well" note when there are none."""
    notes: list[OutboxNote] = []
    now = status.at
    worker_kinds = [k for k in status.kinds if not is_device_kind(k.kind)]
    waiting = sum(k.waiting for k in worker_kinds)
    if waiting and not status.running:
        last = status.workers[0] if status.workers else None
        seen = (
            Message("outbox.last_seen", when=_when(last.seen_at))
            if last
            else Message("outbox.never_ran")
        )
        notes.append(
            OutboxNote(
                True,
                Message("outbox.no_worker", waiting=waiting, seen=seen),
                Message("outbox.no_worker_fix"),
            )
        )
    for kind in status.kinds:
        oldest = kind.oldest_pending
        if oldest is not None and now - oldest > BACKLOG_AFTER:
            device = is_device_kind(kind.kind)
            who = (
                Message("outbox.the_till", registers=list(kind.owners))
                if device
                else Message("outbox.the_worker")
            )
            error = Message("outbox.late_error", error=kind.last_error) if kind.last_error else ""
            notes.append(
                OutboxNote(
                    True,
                    Message(
                        "outbox.late",
                        kind=kind.kind,
                        waiting=kind.waiting,
                        who=who,
                        since=_when(oldest),
                        error=error,
                    ),
                    Message("outbox.late_till_fix")
                    if device
                    else Message("outbox.late_worker_fix"),
                )
            )
        failed = kind.counts.get(OutboxState.FAILED, 0)
        if failed:
            error = Message("outbox.failed_error", error=kind.last_error) if kind.last_error else ""
            notes.append(
                OutboxNote(
                    True,
                    Message("outbox.failed", kind=kind.kind, failed=failed, error=error),
                    Message("outbox.failed_fix"),
                )
            )
    if not notes:
        done = sum(k.counts.get(OutboxState.DONE, 0) for k in status.kinds)
        workers = [w.worker for w in status.running]
        running = Message("outbox.running", workers=workers) if workers else ""
        notes.append(OutboxNote(False, Message("outbox.all_well", done=done, running=running)))
    return notes


def _when(moment: datetime) -> str:
    return local(moment).strftime("%d.%m.%Y %H:%M")
