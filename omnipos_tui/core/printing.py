"""The print spool as the rest of the system sees it: jobs, their states, and the port.

``drivers.printer.queue.PrintQueue`` implements :class:`PrintSpool` over a spool folder;
the till's screens, the paper handlers and the tests speak this port only, so no front
end reaches into the drivers (import-linter checks it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from omnipos_tui.core.document import Document


class JobStatus(enum.StrEnum):
    """Where a job is."""

    PENDING = "pending"
    INTERRUPTED = "interrupted"
    DONE = "done"
    DISCARDED = "discarded"


@dataclass(frozen=True, slots=True)
class PrintJob:
    """A print job as the till's reprint list shows it.

    Attributes:
        id: Sortable id, oldest first.
        printer: The printer's configured name.
        title: The document's title.
        created: When it was queued (aware UTC).
        status: Pending, interrupted, done or discarded.
        attempts: Failed attempts since this process started.
        last_error: The last fault, for the cashier ("" when none).
    """

    id: str
    printer: str
    title: str
    created: datetime
    status: JobStatus
    attempts: int = 0
    last_error: str = ""


class PrintSpool(Protocol):
    """A persistent print queue feeding the configured printers.

    A job is stored before it is sent; a printer fault leaves it pending (retried later);
    a job cut off by a crash while being sent is ``INTERRUPTED`` and waits for the cashier,
    so an original receipt never comes out twice.
    """

    def submit(
        self, printer: str, document: Document, *, send: bool = True, key: str | None = None
    ) -> PrintJob:
        """Store a job and (unless ``send`` is False) try to print.

        Args:
            key: An idempotency key: when a job with this key exists already (waiting,
                interrupted, printed or discarded), no new job is made and that job is
                returned.

        Raises:
            NotFound: No printer has that name.
            InvalidInput: The spool cannot be written.
        """
        ...

    def flush(self, printer: str | None = None) -> list[PrintJob]:
        """Send the pending jobs; the ones printed."""
        ...

    def pending(self, printer: str | None = None) -> list[PrintJob]:
        """Jobs not yet printed (pending and interrupted), oldest first."""
        ...

    def done(self) -> list[PrintJob]:
        """Recently printed jobs, oldest first."""
        ...

    def job(self, job_id: str) -> PrintJob:
        """One job by id.

        Raises:
            NotFound: No such job.
        """
        ...

    def retry(self, job_id: str) -> PrintJob:
        """Put an interrupted or pending job back in line and try to print it.

        Raises:
            NotFound: The job is not waiting.
        """
        ...

    def discard(self, job_id: str) -> None:
        """Drop a waiting job.

        Raises:
            NotFound: The job is not waiting.
        """
        ...

    def start(self, interval: float = 5.0) -> None:
        """Retry pending jobs every ``interval`` seconds in the background."""
        ...

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the background retries."""
        ...
