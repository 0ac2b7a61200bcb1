"""``omnipos worker``: the one long-running background process, and what ``worker status``,
``worker retry`` and ``doctor`` read.

The worker drains the outbox's worker rows (owner "") with the handlers registered in
``bootstrap``, then waits ``poll_s`` and drains again, until it is stopped (SIGTERM from
systemd, Ctrl-C). ``--once`` drains and exits. It leaves a heartbeat in ``outbox_worker``
every ``beat_s`` seconds, which ``doctor`` reads. On SQLite it holds the worker lock for
as long as it runs: a second worker is refused with a message naming the first. On start
it takes back the rows a killed worker left ``working`` (``storage/outbox_claims.py``), so
they are tried again at once rather than after their five-minute lease.

Device rows (receipts, drawer kicks, the customer display) are never a worker's: the till
that owns the register's devices delivers them (``core.outbox``); ``status`` shows them
with their register.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.outbox import (
    DeliveryReport,
    KindStatus,
    OutboxChange,
    OutboxRow,
    WorkerBeat,
    WorkerLock,
    is_device_kind,
)
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.services.outbox.dispatcher import OutboxDispatcher

log = logging.getLogger(__name__)

#: Seconds between two drains when the last found nothing.
POLL_S = 2.0
#: Seconds between two heartbeats.
BEAT_S = 30.0
#: A worker not seen for this long is taken for not running.
SILENT_AFTER = timedelta(seconds=3 * BEAT_S)
#: Work the worker does on every pass besides the outbox (asking carriers about parcels,
#: ...): each call does what is due now and returns; a call that raises ``PosError`` is
#: logged and the worker goes on. A call that returns True has more to do now (the web shop's
#: reconcile reads a page per pass): the next pass starts without waiting ``poll_s``.
PeriodicJob = Callable[[], object]

#: A message waiting longer than this is a backlog.
BACKLOG_AFTER = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    """The outbox at a glance.

    Attributes:
        kinds: Each kind present, with counts by state.
        workers: Every worker's last heartbeat, most recent first.
        at: When it was read.
    """

    kinds: tuple[KindStatus, ...]
    workers: tuple[WorkerBeat, ...]
    at: datetime

    @property
    def running(self) -> tuple[WorkerBeat, ...]:
        """Workers that beat recently and did not stop."""
        return tuple(
            w for w in self.workers if w.stopped_at is None and self.at - w.seen_at <= SILENT_AFTER
        )

    @property
    def worker_waiting(self) -> int:
        """Worker rows not yet delivered."""
        return sum(k.waiting for k in self.kinds if not is_device_kind(k.kind))


class OutboxWorker:
    """The worker loop.

    Args:
        dispatcher: Delivers the rows (its id is the worker's).
        units: Opens units of work (heartbeats).
        clock: Heartbeat times.
        lock: The worker lock.
        poll_s: Seconds between drains that found nothing.
        beat_s: Seconds between heartbeats.
        jobs: Periodic work run after each drain (each call does what is due and returns).
    """

    def __init__(
        self,
        dispatcher: OutboxDispatcher,
        units: UnitOfWorkFactory,
        clock: Clock,
        lock: WorkerLock,
        *,
        poll_s: float = POLL_S,
        beat_s: float = BEAT_S,
        jobs: Sequence[PeriodicJob] = (),
    ) -> None:
        self.dispatcher = dispatcher
        self._units = units
        self._clock = clock
        self._lock = lock
        self._poll_s = poll_s
        self._beat_s = beat_s
        self._jobs = tuple(jobs)
        self.stopping = threading.Event()
        self._woken = threading.Event()

    def stop(self) -> None:
        """Ask the loop to end after the delivery in hand."""
        self.stopping.set()
        self._woken.set()

    def wake(self) -> None:
        """Start the next pass now instead of after ``poll_s`` (any thread: a web shop
        webhook)."""
        self._woken.set()

    def run(
        self, *, once: bool = False, on_pass: Callable[[DeliveryReport], None] | None = None
    ) -> DeliveryReport:
        """Drain (once, or until :meth:`stop`), beating while it runs.

        Args:
            once: Drain what is due now and return (after as many passes as a job with more
                to do asks for: the web shop's reconcile, a page a pass).
            on_pass: Told what each drain that did something did.

        Raises:
            RuleViolation: Another worker runs on this SQLite database.
            StorageError: The database failed at the start, or during ``once`` (a long
                running worker logs it and tries again after ``poll_s``).
        """
        total = DeliveryReport()
        with self._lock.worker_lock():
            started = self._clock.now()
            self._beat(started)
            self._release_abandoned()
            last_beat = started
            try:
                while True:
                    try:
                        report = self.dispatcher.drain(stop=self.stopping)
                    except PosError as error:
                        if once:
                            raise
                        log.error("worker pass failed, trying again: %s", error)
                        report = DeliveryReport()
                    total += report
                    if report.handled and on_pass is not None:
                        on_pass(report)
                    busy = self._run_jobs()
                    if once and (not busy or self.stopping.is_set()):
                        return total
                    now = self._clock.now()
                    if (now - last_beat).total_seconds() >= self._beat_s:
                        try:
                            self._beat(started)
                            last_beat = now
                        except PosError as error:
                            log.error("worker heartbeat failed: %s", error)
                    if not busy:
                        self._woken.wait(self._poll_s)
                        self._woken.clear()
                    if self.stopping.is_set():
                        return total
            finally:
                try:
                    self._beat(started, stopped=True)
                except PosError as error:
                    log.warning("worker stop not recorded: %s", error)

    def _release_abandoned(self) -> None:
        """Rows a killed worker left ``working`` are due again now, not after their
        lease: the far end is asked first whether each is done (the handlers' check)."""
        with self._units() as uow:
            released = uow.outbox.release_abandoned(at=self._clock.now(), by=self.dispatcher.by)
            uow.commit()
        for kind, key in released:
            log.warning("%s %s: its worker was gone mid-delivery; trying it again", kind, key)

    def _run_jobs(self) -> bool:
        """The periodic work of this pass; a failure is logged, never the worker's end.
        True when a job has more to do now (it returned True: the web shop's reconcile
        between pages), so the next pass starts without waiting."""
        busy = False
        for job in self._jobs:
            if self.stopping.is_set():
                return False
            try:
                busy = job() is True or busy
            except PosError as error:
                log.error("worker job failed, trying again next pass: %s", error)
        return busy

    def _beat(self, started: datetime, *, stopped: bool = False) -> None:
        with self._units() as uow:
            uow.outbox.beat(
                self.dispatcher.by, self._clock.now(), started_at=started, stopped=stopped
            )
            uow.commit()


class OutboxService:
    """What the CLI and ``doctor`` ask of the outbox.

    Args:
        units: Opens units of work.
        clock: The time.
        dispatcher: The process's dispatcher with every registered handler.
        lock: The worker lock.
        jobs: The worker's periodic work (see :class:`OutboxWorker`).
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        dispatcher: OutboxDispatcher,
        lock: WorkerLock,
        *,
        jobs: Sequence[PeriodicJob] = (),
    ) -> None:
        self._units = units
        self._clock = clock
        self.dispatcher = dispatcher
        self._lock = lock
        self._jobs = tuple(jobs)

    def worker(self, *, poll_s: float = POLL_S, beat_s: float = BEAT_S) -> OutboxWorker:
        """A worker loop over this process's dispatcher, with the periodic jobs."""
        return OutboxWorker(
            self.dispatcher,
            self._units,
            self._clock,
            self._lock,
            poll_s=poll_s,
            beat_s=beat_s,
            jobs=self._jobs,
        )

    def status(self) -> OutboxStatus:
        """Every kind with its counts, and the workers' heartbeats."""
        with self._units(read_only=True) as uow:
            kinds = uow.outbox.status()
            workers = uow.outbox.workers()
        return OutboxStatus(tuple(kinds), tuple(workers), self._clock.now())

    def retry(self, key: str | None = None, *, kind: str | None = None, by: str = "cli") -> int:
        """Put failed rows back in line (all, or those with ``key``/``kind``).

        Returns:
            How many rows.
        """
        with self._units() as uow:
            count = uow.outbox.retry(at=self._clock.now(), by=by, key=key, kind=kind)
            uow.commit()
        return count

    def rows(self, key: str) -> list[tuple[OutboxRow, list[OutboxChange]]]:
        """Every row with ``key``, each with its history."""
        with self._units(read_only=True) as uow:
            return [(row, uow.outbox.history(row.id)) for row in uow.outbox.find(key)]
