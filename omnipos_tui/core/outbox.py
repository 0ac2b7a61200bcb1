"""The transactional outbox: what a use case must tell the outside world, written as a row
in the same commit as its business data and delivered after it.

A use case (or an event handler inside its unit of work, see ``core.events``) adds an
:class:`OutboxMessage` with ``uow.outbox.add(...)``; nothing is sent inside the
transaction. After the commit a handler (:class:`OutboxHandler`, one per ``kind``,
registered at composition time in ``bootstrap``) delivers it: in-process right away when
possible, and by ``omnipos worker`` for whatever a crash or an outage left behind.

Rules every part keeps:

- ``(kind, key)`` is unique: the key is the idempotency key, made from our own identifiers
  ("Z-1-42"). Adding the same pair twice is refused. A handler asks the far end whether
  the key is there already before it sends, so a crash between sending and recording the
  answer never delivers twice.
- Rows are never deleted. Each state change is kept in the row's history.
- States: ``pending`` -> ``working`` (claimed by one dispatcher, with a lease) -> ``done``,
  back to ``pending`` later (:class:`~omnipos_tui.core.errors.DeliveryDeferred`: backoff
  with jitter, never before the far end's ``Retry-After``), or ``failed``
  (:class:`~omnipos_tui.core.errors.DeliveryRejected`, or too many attempts), which only an
  explicit retry puts back to ``pending``.
- **Device rows** (kinds starting with ``device.``: the receipt, the drawer kick and the
  customer display of a sale) belong to the register named in their payload: only the
  process that owns that register's devices (its till) handles them, never a worker on
  another machine, which could not reach the printer and must not print on it. Their
  ``owner`` is the register id; every other row's owner is "" (any worker).

This module is pure: value types, the repository protocol and the backoff rule.

Why this module is over 400 lines: it is the outbox's whole contract in one place (the
message, the row and its states, the history, the status, the repository and worker-lock
protocols, the delivery report and the backoff rule), which storage, the dispatcher, the
worker and the doctor all implement or read; its parts refer to one another, and a reader
of the contract should not have to gather it from several modules.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from omnipos_tui.core.errors import PosError

#: Kinds with this prefix are delivered by the till that owns the register's devices.
DEVICE_PREFIX = "device."
#: Attempts after which a message that keeps being deferred stops as failed.
MAX_ATTEMPTS = 25
#: The first retry waits about this long (seconds); each further one twice as long.
BACKOFF_BASE_S = 2.0
#: No retry waits longer than this (seconds), unless the far end asks for it.
BACKOFF_CAP_S = 3600.0


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message for the outside world.

    Attributes:
        kind: What it is and which handler delivers it ("device.receipt",
            "accounting.settlement", ...).
        key: The idempotency key, unique per kind ("Z-1-42", "1-417").
        payload: JSON-able data the handler needs (keep it small: identifiers and
            amounts; the handler reads the rest).
    """

    kind: str
    key: str
    payload: Mapping[str, object]


class OutboxHandler(Protocol):
    """Delivers the messages of one kind.

    Raise :class:`~omnipos_tui.core.errors.DeliveryDeferred` for a transient failure and
    :class:`~omnipos_tui.core.errors.DeliveryRejected` for a permanent one; any other
    ``PosError`` counts as transient. Must be idempotent on ``message.key``.
    """

    kind: str

    def handle(self, message: OutboxMessage) -> str | None:
        """Deliver ``message``; return the far end's id when known."""
        ...


class OutboxState(enum.StrEnum):
    """Where a row is."""

    PENDING = "pending"
    WORKING = "working"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A stored message and where it stands.

    Attributes:
        id: The row's number (ascending in the order rows were written).
        message: The message.
        owner: The register whose till delivers it (device rows), or "" for any worker.
        state: Pending, working, done or failed.
        attempts: Deliveries begun so far.
        created_at: When the business transaction wrote it.
        available_at: Not to be tried before this (backoff).
        updated_at: The last state change.
        last_error: The last failure's text ("" when none).
        far_id: The far end's id once delivered, or None.
        claimed_by: The dispatcher working on it (or that last did), "" when none.
    """

    id: int
    message: OutboxMessage
    owner: str
    state: OutboxState
    attempts: int
    created_at: datetime
    available_at: datetime
    updated_at: datetime
    last_error: str = ""
    far_id: str | None = None
    claimed_by: str = ""


@dataclass(frozen=True, slots=True)
class OutboxChange:
    """One entry of a row's history (kept for ever).

    Attributes:
        row_id: The row.
        at: When.
        state: The state it went to.
        attempt: The attempt number at that moment.
        detail: Why (the error, the far end's id, "retry by cli", ...).
        by: Who made the change (a dispatcher's id, "cli").
    """

    row_id: int
    at: datetime
    state: OutboxState
    attempt: int
    detail: str
    by: str


@dataclass(frozen=True, slots=True)
class Settlement:
    """How one delivery attempt ended, to be stored.

    Attributes:
        row_id: The row.
        state: Done, pending (deferred) or failed.
        detail: The error or a note ("" when none).
        far_id: The far end's id (done only).
        available_at: When to try again (deferred only).
    """

    row_id: int
    state: OutboxState
    detail: str = ""
    far_id: str | None = None
    available_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class KindStatus:
    """One kind's rows at a glance (``omnipos worker status``).

    Attributes:
        kind: The kind.
        counts: Rows per state (every state present, 0 when none).
        oldest_pending: When the oldest pending or working row was written, or None.
        last_error: The most recent failure's text ("" when none).
        last_error_at: When it happened, or None.
        owners: The registers owning device rows of this kind ("" for worker rows).
    """

    kind: str
    counts: Mapping[OutboxState, int]
    oldest_pending: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    owners: tuple[str, ...] = ()

    @property
    def waiting(self) -> int:
        """Rows not yet delivered (pending or working)."""
        return self.counts.get(OutboxState.PENDING, 0) + self.counts.get(OutboxState.WORKING, 0)


@dataclass(frozen=True, slots=True)
class WorkerBeat:
    """A worker's last sign of life.

    Attributes:
        worker: Its id ("host:pid").
        started_at: When it started.
        seen_at: Its last heartbeat.
        stopped_at: When it stopped cleanly, or None while it runs (or after a crash).
    """

    worker: str
    started_at: datetime
    seen_at: datetime
    stopped_at: datetime | None = None


def is_device_kind(kind: str) -> bool:
    """Whether rows of ``kind`` belong to a register's till (see the module docstring)."""
    return kind.startswith(DEVICE_PREFIX)


def owner_of(message: OutboxMessage) -> str:
    """The register whose till delivers ``message``, or "" for any worker.

    Raises:
        ValueError: A device message without a ``register_id`` in its payload.
    """
    if not is_device_kind(message.kind):
        return ""
    register = message.payload.get("register_id")
    if not isinstance(register, str) or not register:
        raise ValueError(f"device message {message.kind} {message.key} names no register_id")
    return register


def backoff_seconds(
    attempt: int,
    *,
    retry_after: float | None = None,
    base: float = BACKOFF_BASE_S,
    cap: float = BACKOFF_CAP_S,
    jitter: Callable[[], float] = random.random,
) -> float:
    """How long to wait before attempt ``attempt + 1`` after attempt ``attempt`` failed.

    Exponential (``base * 2**(attempt-1)``, at most ``cap``) with jitter: a random share
    between half and all of it, so workers that failed together do not retry together.
    Never less than ``retry_after`` (the far end's ``Retry-After``).

    Args:
        attempt: The attempt that failed (1 for the first).
        retry_after: Seconds the far end asked for, or None.
        base: The first wait.
        cap: The longest wait (before ``retry_after``).
        jitter: A number in [0, 1) (``random.random``; tests pass their own).
    """
    exponent = max(attempt - 1, 0)
    ceiling = cap if exponent >= 64 else min(cap, base * 2.0**exponent)
    wait = ceiling * (0.5 + 0.5 * jitter())
    if retry_after is not None and retry_after > wait:
        return float(retry_after)
    return wait


class OutboxRepository(Protocol):
    """The outbox table, inside a unit of work (``uow.outbox``)."""

    def add(self, message: OutboxMessage) -> None:
        """Write one message in this unit of work (one INSERT).

        Raises:
            RuleViolation: A message with this kind and key exists already.
            ValueError: A device message without a register.
        """
        ...

    def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        """Write several messages with one INSERT (all or none).

        Raises:
            RuleViolation: One of them exists already (naming it); none is written.
        """
        ...

    def claim(
        self,
        *,
        owner: str,
        kinds: Collection[str],
        now: datetime,
        lease_until: datetime,
        by: str,
        limit: int,
        keys: Collection[str] = (),
    ) -> list[OutboxRow]:
        """Take up to ``limit`` rows of ``owner`` and ``kinds`` that are due (pending and
        available, or working with an expired lease), oldest first, and mark them
        ``working`` for ``by`` until ``lease_until`` (history kept). On PostgreSQL rows
        another transaction holds are skipped (``FOR UPDATE SKIP LOCKED``).

        Args:
            keys: Only these keys (empty: any).
        """
        ...

    def due(
        self, *, owner: str, now: datetime, kinds: Collection[str] = (), limit: int = 100
    ) -> list[OutboxRow]:
        """Rows of ``owner`` that are pending and available, or working (read, not
        claimed: for the till, the only process delivering its device rows), oldest
        first."""
        ...

    def settle(self, settlements: Iterable[Settlement], *, at: datetime, by: str) -> int:
        """Store how attempts ended (history kept). A row is changed only while it is
        still ``working`` for ``by``, or ``pending`` (unclaimed device rows): a lease
        that ran out and went to another dispatcher is not overwritten.

        Returns:
            How many rows changed.
        """
        ...

    def release_abandoned(self, *, at: datetime, by: str) -> list[tuple[str, str]]:
        """Put the working rows whose claimer is gone (a process on this host that no
        longer runs: a worker killed mid-pass) back to pending, due at ``at``, rather than
        leaving them to their lease (history kept; the attempt stays counted).

        Returns:
            The (kind, key) of each row released.
        """
        ...

    def retry(
        self, *, at: datetime, by: str, key: str | None = None, kind: str | None = None
    ) -> int:
        """Put failed rows back to pending (all, or those with ``key``/``kind``).

        Returns:
            How many rows.
        """
        ...

    def get(self, kind: str, key: str) -> OutboxRow | None:
        """One row by kind and key."""
        ...

    def find(self, key: str) -> list[OutboxRow]:
        """Every row with this key (of any kind)."""
        ...

    def of_kind(self, kind: str, *, after_id: int = 0, limit: int = 1000) -> list[OutboxRow]:
        """Rows of one kind in the order written, after row ``after_id`` (a page)."""
        ...

    def history(self, row_id: int) -> list[OutboxChange]:
        """A row's state changes, oldest first."""
        ...

    def status(self) -> list[KindStatus]:
        """Every kind present, with counts by state, the oldest waiting row and the last
        error."""
        ...

    def beat(
        self, worker: str, at: datetime, *, started_at: datetime, stopped: bool = False
    ) -> None:
        """Record a worker's heartbeat (and, with ``stopped``, its clean stop)."""
        ...

    def workers(self) -> list[WorkerBeat]:
        """Every worker that ever beat, most recently seen first."""
        ...


class WorkerLock(Protocol):
    """Who may run ``omnipos worker`` on this database."""

    def worker_lock(self) -> AbstractContextManager[None]:
        """Hold the worker lock while the block runs (SQLite: one worker at a time;
        PostgreSQL: no limit, rows are claimed with SKIP LOCKED).

        Raises:
            RuleViolation: Another worker holds it (the message says which and since when).
        """
        ...


@dataclass(frozen=True, slots=True)
class DeliveryFailure:
    """A delivery that did not succeed in a pass.

    Attributes:
        kind: The message's kind.
        key: The message's key.
        error: What went wrong (the device's or the far end's own error where there is
            one, so a screen can name it in its language).
        final: The row stopped as failed (False: it will be tried again).
    """

    kind: str
    key: str
    error: PosError
    final: bool


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one dispatch pass did.

    Attributes:
        done: Rows delivered.
        deferred: Rows to be tried again later.
        failed: Rows that stopped as failed.
        errors: Every failure in the pass.
        far_ids: ``(kind, key) -> far id`` of the rows delivered.
    """

    done: int = 0
    deferred: int = 0
    failed: int = 0
    errors: tuple[DeliveryFailure, ...] = ()
    far_ids: Mapping[tuple[str, str], str | None] = field(default_factory=dict)

    @property
    def handled(self) -> int:
        """Rows this pass attempted."""
        return self.done + self.deferred + self.failed

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.done + other.done,
            self.deferred + other.deferred,
            self.failed + other.failed,
            self.errors + other.errors,
            {**self.far_ids, **other.far_ids},
        )
