"""Delivering outbox rows with the handlers registered for their kinds.

Two ways in, one way to attempt a row:

- :meth:`OutboxDispatcher.run_once` (the worker, and the in-process relay) **claims** due
  rows of any worker (owner "") in a short unit of work: each row is ``working`` for this
  dispatcher until its lease ends (on PostgreSQL the claim skips rows another worker has
  locked, so two workers never take the same row), then each is attempted and its outcome
  stored at once, in its own unit of work.
- :meth:`OutboxDispatcher.deliver_owned` (the till) delivers the **device rows** of the
  register whose devices this process owns. No claim: only that till delivers them (see
  ``core.outbox``), one pass at a time (a lock); the outcomes of a pass are stored in one
  unit of work.

An attempt ends as *done* (the handler returned, with the far end's id), *deferred*
(:class:`~omnipos_tui.core.errors.DeliveryDeferred` or another ``PosError``: tried again
after an exponential backoff with jitter, never before the far end's ``Retry-After``;
after ``max_attempts`` it stops as failed) or *failed*
(:class:`~omnipos_tui.core.errors.DeliveryRejected`: the far end's message is kept; only
``omnipos worker retry`` sends it again).
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import timedelta

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected, PosError
from omnipos_tui.core.outbox import (
    MAX_ATTEMPTS,
    DeliveryFailure,
    DeliveryReport,
    OutboxHandler,
    OutboxMessage,
    OutboxRow,
    OutboxState,
    Settlement,
    backoff_seconds,
    is_device_kind,
)
from omnipos_tui.core.repositories import UnitOfWorkFactory

log = logging.getLogger(__name__)

#: How long a claimed row stays this dispatcher's before another may take it.
LEASE = timedelta(minutes=5)
#: Rows claimed per unit of work.
BATCH = 20


class OutboxDispatcher:
    """The handlers by kind, and the passes that use them.

    Args:
        units: Opens units of work.
        clock: Stamps the outcomes and decides what is due.
        by: This dispatcher's id in the rows and their history ("host:pid", "till 1").
        handlers: Handlers to register at once.
        lease: How long a claimed row stays this dispatcher's.
        max_attempts: Deferred attempts before a row stops as failed.
        jitter: A number in [0, 1) for the backoff's jitter.
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        *,
        by: str,
        handlers: Iterable[OutboxHandler] = (),
        lease: timedelta = LEASE,
        max_attempts: int = MAX_ATTEMPTS,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._units = units
        self._clock = clock
        self.by = by
        self._lease = lease
        self._max_attempts = max_attempts
        self._jitter = jitter
        self._handlers: dict[str, OutboxHandler] = {}
        self._owned = threading.Lock()
        for handler in handlers:
            self.register(handler)

    def register(self, handler: OutboxHandler) -> None:
        """Deliver ``handler.kind`` rows with ``handler`` (the last registration wins)."""
        self._handlers[handler.kind] = handler

    @property
    def handlers(self) -> Mapping[str, OutboxHandler]:
        """The registered handlers by kind."""
        return dict(self._handlers)

    @property
    def worker_kinds(self) -> frozenset[str]:
        """The registered kinds any worker delivers (not device kinds)."""
        return frozenset(k for k in self._handlers if not is_device_kind(k))

    # --- worker rows --------------------------------------------------------------------

    def run_once(self, *, limit: int = BATCH, keys: Collection[str] = ()) -> DeliveryReport:
        """Claim up to ``limit`` due worker rows of the registered kinds and attempt each.

        Args:
            keys: Only these keys (the in-process relay passes the ones just committed).

        Raises:
            StorageError: The claim could not be made (nothing was attempted).
        """
        kinds = self.worker_kinds
        if not kinds:
            return DeliveryReport()
        now = self._clock.now()
        with self._units() as uow:
            rows = uow.outbox.claim(
                owner="",
                kinds=kinds,
                now=now,
                lease_until=now + self._lease,
                by=self.by,
                limit=limit,
                keys=keys,
            )
            uow.commit()
        report = DeliveryReport()
        for row in rows:
            settlement, failure = self._attempt(row, row.attempts)
            with self._units() as uow:
                uow.outbox.settle((settlement,), at=self._clock.now(), by=self.by)
                uow.commit()
            report += _report_of(row, settlement, failure)
        return report

    def drain(self, *, limit: int = BATCH, stop: threading.Event | None = None) -> DeliveryReport:
        """:meth:`run_once` until nothing due is left (or ``stop`` is set: the rows in
        hand are finished first)."""
        report = DeliveryReport()
        while stop is None or not stop.is_set():
            step = self.run_once(limit=limit)
            report += step
            if step.handled == 0:
                break
        return report

    # --- device rows ----------------------------------------------------------------------

    def deliver_owned(self, register_id: str, *, limit: int = 100) -> DeliveryReport:
        """Deliver the register's due device rows (this process owns its devices), oldest
        first, and store the outcomes together.

        Raises:
            StorageError: The rows could not be read or the outcomes not stored.
        """
        kinds = frozenset(k for k in self._handlers if is_device_kind(k))
        if not kinds:
            return DeliveryReport()
        with self._owned:
            now = self._clock.now()
            with self._units(read_only=True) as uow:
                rows = uow.outbox.due(owner=register_id, now=now, kinds=kinds, limit=limit)
            if not rows:
                return DeliveryReport()
            report = DeliveryReport()
            settlements: list[Settlement] = []
            for row in rows:
                settlement, failure = self._attempt(row, row.attempts + 1)
                settlements.append(settlement)
                report += _report_of(row, settlement, failure)
            with self._units() as uow:
                uow.outbox.settle(settlements, at=self._clock.now(), by=self.by)
                uow.commit()
            return report

    # --- one attempt --------------------------------------------------------------------

    def _attempt(self, row: OutboxRow, attempt: int) -> tuple[Settlement, PosError | None]:
        """Hand ``row`` to its handler; ``attempt`` is this attempt's number."""
        message = row.message
        handler = self._handlers.get(message.kind)
        if handler is None:  # a claim takes registered kinds only; kept for safety
            error = DeliveryDeferred(f"no handler for {message.kind} in {self.by}")
            return self._deferred(row, attempt, error), error
        try:
            far_id = handler.handle(message)
        except DeliveryRejected as error:
            log.warning("outbox %s %s failed: %s", message.kind, message.key, error)
            return Settlement(row.id, OutboxState.FAILED, detail=_words(error)), _cause(error)
        except PosError as error:
            log.info("outbox %s %s deferred: %s", message.kind, message.key, error)
            return self._deferred(row, attempt, error), _cause(error)
        except Exception as error:
            log.exception("outbox %s %s: handler error", message.kind, message.key)
            wrapped = DeliveryDeferred(f"handler error: {type(error).__name__}: {error}")
            return self._deferred(row, attempt, wrapped), wrapped
        return Settlement(row.id, OutboxState.DONE, far_id=far_id), None

    def _deferred(self, row: OutboxRow, attempt: int, error: PosError) -> Settlement:
        attempts = max(attempt, 1)
        if attempts >= self._max_attempts:
            return Settlement(
                row.id,
                OutboxState.FAILED,
                detail=f"gave up after {attempts} attempts: {_words(error)}",
            )
        retry_after = error.retry_after if isinstance(error, DeliveryDeferred) else None
        wait = backoff_seconds(attempts, retry_after=retry_after, jitter=self._jitter)
        return Settlement(
            row.id,
            OutboxState.PENDING,
            detail=_words(error),
            available_at=self._clock.now() + timedelta(seconds=wait),
        )


def _words(error: PosError) -> str:
    """What a row keeps of a failure: the far end's own words, or the error in English."""
    return error.detail or str(error)


def _cause(error: PosError) -> PosError:
    """The device's or far end's own error behind a delivery error, where there is one."""
    cause = error.__cause__
    return cause if isinstance(cause, PosError) else error


def _report_of(row: OutboxRow, settlement: Settlement, failure: PosError | None) -> DeliveryReport:
    kind, key = row.message.kind, row.message.key
    if settlement.state is OutboxState.DONE:
        return DeliveryReport(done=1, far_ids={(kind, key): settlement.far_id})
    final = settlement.state is OutboxState.FAILED
    errors = () if failure is None else (DeliveryFailure(kind, key, failure, final),)
    if final:
        return DeliveryReport(failed=1, errors=errors)
    return DeliveryReport(deferred=1, errors=errors)


class InProcessRelay:
    """Delivers worker rows right after the commit that wrote them, in a background
    thread of the process that committed (the till), so the outside world hears at once
    when it can; what this misses (a crash, an outage, a process without the relay) the
    worker delivers. Device rows are not its business (the till delivers them itself).

    Args:
        dispatcher: Claims and attempts the rows.
    """

    def __init__(self, dispatcher: OutboxDispatcher) -> None:
        self._dispatcher = dispatcher
        self._queue: queue.SimpleQueue[tuple[str, ...] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether the relay's thread runs."""
        return self._thread is not None

    def start(self) -> None:
        """Start the thread (once)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread after the delivery in hand."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout)

    def committed(self, messages: Sequence[OutboxMessage]) -> None:
        """The store's hook: these messages were just committed."""
        if self._thread is None:
            return
        kinds = self._dispatcher.worker_kinds
        keys = tuple(m.key for m in messages if m.kind in kinds)
        if keys:
            self._queue.put(keys)

    def _run(self) -> None:
        while True:
            keys = self._queue.get()
            if keys is None:
                return
            try:
                self._dispatcher.run_once(keys=keys, limit=len(keys))
            except PosError as error:  # the worker will deliver them
                log.warning("in-process delivery: %s", error)
