"""A persistent print queue: a spool directory shared by every printer of the till.

A job is written to ``pending/`` atomically (temporary file, fsync, rename, fsync of the
folder) before it is sent. While it is being sent it sits in ``sending/``; when the printer
has taken every byte it moves to ``done/`` and is never sent again. A printer fault moves it
back to ``pending/`` to be retried when the fault clears (by :meth:`PrintQueue.flush`, the
background retry thread, or the next start).

A job still in ``sending/`` when the queue starts was cut off by a crash: the printer may
or may not have printed it, and an original receipt must not come out twice. Such a job is
listed as ``INTERRUPTED`` and waits for the cashier to :meth:`~PrintQueue.retry` or
:meth:`~PrintQueue.discard` it.

A job submitted with an idempotency ``key`` (the paper handlers pass the outbox row's key)
carries a digest of the key in its id; submitting the same key again, after a crash for
example, finds that job in whichever folder it is and makes no second one. Finished jobs
are pruned to the last ``keep_done``: a key is remembered for as long as its job is.

:class:`~omnipos_tui.core.printing.PrintJob` and ``JobStatus`` live in the core (the port
the till speaks); they are re-exported here.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from drivers.printer.document_json import document_from_dict, document_to_dict
from omnipos_tui.core.clock import Clock, SystemClock
from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import InvalidInput, NotFound, PosError, PrinterError
from omnipos_tui.core.ports import ReceiptPrinter
from omnipos_tui.core.printing import JobStatus, PrintJob

log = logging.getLogger(__name__)

_FOLDERS = ("pending", "sending", "done", "discarded", "broken", "tmp")

__all__ = ["JobStatus", "PrintJob", "PrintQueue"]


def key_digest(key: str) -> str:
    """The part of a keyed job's id that names its key."""
    return "k" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


class PrintQueue:
    """The spool directory and the printers it feeds.

    Args:
        directory: The spool folder (created when missing), for example ``DATA/spool``.
        printers: The configured printers by name.
        keep_done: How many finished jobs stay in ``done/`` for inspection.
        clock: Where the job's creation time comes from.

    Raises:
        InvalidInput: The spool directory cannot be created (the message names it).
    """

    def __init__(
        self,
        directory: Path,
        printers: Mapping[str, ReceiptPrinter],
        *,
        keep_done: int = 200,
        clock: Clock | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.printers = dict(printers)
        self.keep_done = keep_done
        self._clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._errors: dict[str, tuple[int, str]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            for folder in _FOLDERS:
                (self.directory / folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInput(f"print spool {self.directory} cannot be created: {exc}") from exc

    # --- public API --------------------------------------------------------------------

    def submit(
        self, printer: str, document: Document, *, send: bool = True, key: str | None = None
    ) -> PrintJob:
        """Store a job, then (unless ``send`` is False) try to print the printer's queue.

        A printer fault is not raised: the job stays pending and its ``last_error`` says why.

        Args:
            key: Idempotency key: when a job with this key exists (in any folder), nothing
                new is stored and that job is returned (after the send attempt, if it is
                still pending).

        Returns:
            The job as it stands after the attempt (``DONE`` or ``PENDING``).

        Raises:
            NotFound: No printer has that name.
            InvalidInput: The spool directory cannot be written.
        """
        if printer not in self.printers:
            raise NotFound(f"no printer named {printer!r} (configured: {self._names()})")
        with self._locked():
            if key is not None:
                existing = self._keyed(key)
                if existing is not None:
                    if send and existing.status is JobStatus.PENDING:
                        self._flush(printer)
                        return self.job(existing.id)
                    return existing
            job_id = self._next_id(key)
            record = {
                "format": 1,
                "id": job_id,
                "printer": printer,
                "title": document.title,
                "created": self._clock.now().isoformat(),
                "document": document_to_dict(document),
            }
            self._write_atomically(job_id, json.dumps(record, sort_keys=True))
            log.info("queued print job %s %r for %s", job_id, document.title, printer)
            if send:
                self._flush(printer)
            return self.job(job_id)

    def flush(self, printer: str | None = None) -> list[PrintJob]:
        """Send the pending jobs, oldest first, stopping at a printer's first fault.

        Args:
            printer: Only this printer's jobs; all printers when None.

        Returns:
            The jobs printed by this call.
        """
        with self._locked():
            return self._flush(printer)

    def pending(self, printer: str | None = None) -> list[PrintJob]:
        """Jobs not yet printed (pending and interrupted), oldest first."""
        with self._lock:
            jobs = [
                *self._list("pending", JobStatus.PENDING),
                *self._list("sending", JobStatus.INTERRUPTED),
            ]
        jobs.sort(key=lambda job: job.id)
        return [job for job in jobs if printer is None or job.printer == printer]

    def done(self) -> list[PrintJob]:
        """Recently printed jobs (at most ``keep_done``), oldest first."""
        with self._lock:
            return self._list("done", JobStatus.DONE)

    def job(self, job_id: str) -> PrintJob:
        """One job by id, wherever it is.

        Raises:
            NotFound: No job has that id.
        """
        for folder, status in (
            ("pending", JobStatus.PENDING),
            ("sending", JobStatus.INTERRUPTED),
            ("done", JobStatus.DONE),
            ("discarded", JobStatus.DISCARDED),
        ):
            path = self._path(folder, job_id)
            if path.exists():
                return self._read_job(path, status)
        raise NotFound(f"no print job {job_id!r}")

    def retry(self, job_id: str) -> PrintJob:
        """Put an interrupted (or pending) job back in line and try to print it.

        Raises:
            NotFound: The job is not waiting.
        """
        with self._locked():
            source = self._path("sending", job_id)
            if source.exists():
                self._move(source, self._path("pending", job_id))
            elif not self._path("pending", job_id).exists():
                raise NotFound(f"print job {job_id!r} is not waiting to be printed")
            self._flush(self._read_job(self._path("pending", job_id), JobStatus.PENDING).printer)
            return self.job(job_id)

    def discard(self, job_id: str) -> None:
        """Drop a waiting job (the cashier decided not to print it).

        Raises:
            NotFound: The job is not waiting.
        """
        with self._locked():
            for folder in ("pending", "sending"):
                source = self._path(folder, job_id)
                if source.exists():
                    self._move(source, self._path("discarded", job_id))
                    self._errors.pop(job_id, None)
                    log.info("discarded print job %s", job_id)
                    return
            raise NotFound(f"print job {job_id!r} is not waiting to be printed")

    def start(self, interval: float = 5.0) -> None:
        """Retry pending jobs every ``interval`` seconds in a background thread."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._retry_loop, args=(interval,), name="print-queue", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the retry thread (waits up to ``timeout`` for a job being sent)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # --- internals ---------------------------------------------------------------------

    def _retry_loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            if any(job.status is JobStatus.PENDING for job in self.pending()):
                try:
                    self.flush()
                except PosError as exc:  # the spool itself failed; say so and keep trying
                    log.error("print queue: %s", exc)

    def _flush(self, only: str | None) -> list[PrintJob]:
        printed: list[PrintJob] = []
        blocked: set[str] = set()
        for job in self._list("pending", JobStatus.PENDING):
            if (only is not None and job.printer != only) or job.printer in blocked:
                continue
            printer = self.printers.get(job.printer)
            if printer is None:
                self._errors[job.id] = (0, f"no printer named {job.printer!r} is configured")
                continue
            pending_path = self._path("pending", job.id)
            try:
                document = self._load_document(pending_path)
            except InvalidInput as exc:
                log.error("print job %s cannot be read, moved to broken/: %s", job.id, exc)
                self._move(pending_path, self._path("broken", job.id))
                continue
            sending_path = self._path("sending", job.id)
            self._move(pending_path, sending_path)
            try:
                printer.print_document(document)
            except PosError as exc:
                self._move(sending_path, pending_path)
                attempts = self._errors.get(job.id, (0, ""))[0] + 1
                self._errors[job.id] = (attempts, str(exc))
                blocked.add(job.printer)
                level = logging.WARNING if isinstance(exc, PrinterError) else logging.ERROR
                log.log(level, "print job %s on %s waits: %s", job.id, job.printer, exc)
                continue
            self._move(sending_path, self._path("done", job.id))
            self._errors.pop(job.id, None)
            printed.append(self._read_job(self._path("done", job.id), JobStatus.DONE))
        self._prune_done()
        return printed

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's lock plus a file lock, so a CLI command and the till never send
        the same job at once."""
        with self._lock:
            try:
                fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise InvalidInput(f"print spool {self.directory} is not writable: {exc}") from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)

    def _names(self) -> str:
        return ", ".join(sorted(self.printers)) or "none"

    def _path(self, folder: str, job_id: str) -> Path:
        return self.directory / folder / f"{job_id}.json"

    def _keyed(self, key: str) -> PrintJob | None:
        """The job stored with ``key``, wherever it is, or None."""
        digest = key_digest(key)
        for folder, status in (
            ("pending", JobStatus.PENDING),
            ("sending", JobStatus.INTERRUPTED),
            ("done", JobStatus.DONE),
            ("discarded", JobStatus.DISCARDED),
            ("broken", JobStatus.DISCARDED),
        ):
            for path in (self.directory / folder).glob(f"*-{digest}.json"):
                try:
                    return self._read_job(path, status)
                except (InvalidInput, FileNotFoundError):
                    continue
        return None

    def _next_id(self, key: str | None = None) -> str:
        highest = 0
        for folder in ("pending", "sending", "done", "discarded", "broken"):
            for path in (self.directory / folder).glob("*.json"):
                head = path.stem.split("-", 1)[0]
                if head.isdigit():
                    highest = max(highest, int(head))
        tail = key_digest(key) if key is not None else secrets.token_hex(3)
        return f"{highest + 1:010d}-{tail}"

    def _write_atomically(self, job_id: str, text: str) -> None:
        tmp = self.directory / "tmp" / f"{job_id}.json"
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            self._move(tmp, self._path("pending", job_id))
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise InvalidInput(f"print job cannot be stored in {self.directory}: {exc}") from exc

    def _move(self, source: Path, target: Path) -> None:
        os.replace(source, target)
        for folder in {source.parent, target.parent}:
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _list(self, folder: str, status: JobStatus) -> list[PrintJob]:
        jobs: list[PrintJob] = []
        for path in sorted((self.directory / folder).glob("*.json")):
            try:
                jobs.append(self._read_job(path, status))
            except (InvalidInput, FileNotFoundError) as exc:
                log.error("print job %s cannot be read: %s", path.name, exc)
        return jobs

    def _read_raw(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise InvalidInput(f"print job {path}: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != 1:
            raise InvalidInput(f"print job {path}: not a print job of a known format")
        return data

    def _read_job(self, path: Path, status: JobStatus) -> PrintJob:
        data = self._read_raw(path)
        try:
            created = datetime.fromisoformat(str(data["created"]))
            attempts, error = self._errors.get(path.stem, (0, ""))
            return PrintJob(
                id=path.stem,
                printer=str(data["printer"]),
                title=str(data["title"]),
                created=created,
                status=status,
                attempts=attempts,
                last_error=error,
            )
        except (KeyError, ValueError) as exc:
            raise InvalidInput(f"print job {path}: {exc}") from exc

    def _load_document(self, path: Path) -> Document:
        return document_from_dict(self._read_raw(path).get("document"), f"print job {path.name}")

    def _prune_done(self) -> None:
        finished = sorted((self.directory / "done").glob("*.json"))
        for path in finished[: max(len(finished) - self.keep_done, 0)]:
            with contextlib.suppress(OSError):
                path.unlink()
