"""Reading a SAF-T export's stored rows ahead of its writer, in a helper process.

The export's writer (lxml) holds the GIL while it serialises, and CPython 3.11's sqlite3
gives the GIL up and takes it back around every column it reads, so a reader *thread*
beside the busy writer waits for the GIL at every column (measured: no gain at all). A
helper process has an interpreter of its own: it reads every page of the export on its own
connection in **one read transaction** (one snapshot of the journal) and sends the pages as
``marshal`` frames through a pipe, in the order the writer asks for them (each register's
events, then its transactions). The writer's process only decodes the frames, about a fifth
of what reading the same rows from the database costs it. The pipe holds little, so the
helper waits when the writer is behind and memory stays flat.

An export smaller than :data:`HELPER_FROM` transactions is read in the writer's process as
before (starting a helper costs more than it saves there).

Frames on the helper's stdout: 4 bytes of length (little-endian) and ``marshal`` of
``("page", rows)``, ``("end",)`` after each section, or ``("error", kind, message)``.
The request (database URL, sections, period) goes in on stdin, never on the command line:
a PostgreSQL URL may hold a password.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any, BinaryIO

from omnipos_tui.core import errors
from omnipos_tui.core.clock import SystemClock
from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.export_rows import RowPage
from omnipos_tui.storage.database import engine_of, execute_sql, translate_errors
from omnipos_tui.storage.store import Store

HELPER_FROM = 20_000
"""Transactions in an export from which its rows are read by a helper process."""

PAGE = 1000
"""Transactions (or events) per frame."""

_Section = tuple[str, str]  # ("events" | "transactions", register id)


class ExportRowReader:
    """Reads the stored rows of SAF-T exports from one database.

    Args:
        store: The database (its URL is handed to the helper process).
        url: The database URL the helper opens (the store's own).
        helper_from: Transactions from which a helper process reads the rows.
    """

    def __init__(self, store: Store, url: str, *, helper_from: int = HELPER_FROM) -> None:
        self._store = store
        self._url = url
        self._helper_from = helper_from

    def open(
        self,
        register_ids: Sequence[str],
        *,
        first_day: date,
        last_day: date,
        since: datetime,
        until: datetime,
    ) -> HelperRows | None:
        """Start reading an export's rows in a helper process, or None when the export
        holds fewer than ``helper_from`` transactions (read them page by page in this
        process then). Close what is returned when the export ends.

        Raises:
            StorageError: The database cannot be read, or the helper cannot start.
        """
        if not register_ids:
            return None
        if self._helper_from > 0:
            marks = ", ".join("?" * len(register_ids))
            with self._store.unit_of_work(read_only=True), translate_errors(self._store.location):
                row = execute_sql(
                    self._store.db,
                    f"SELECT count(*) FROM cash_transaction WHERE register_id IN ({marks}) "
                    "AND business_day >= ? AND business_day <= ?",
                    (*register_ids, first_day.isoformat(), last_day.isoformat()),
                ).fetchone()
            if row is None or int(row[0]) < self._helper_from:
                return None
        sections = [(kind, rid) for rid in register_ids for kind in ("events", "transactions")]
        request: dict[str, object] = {
            "url": self._url,
            "sections": sections,
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "since": since.isoformat(),
            "until": until.isoformat(),
        }
        return HelperRows(request, sections)


class HelperRows:
    """The rows of one export, read by a running helper process.

    The writer asks for the sections in the order they were requested
    (:meth:`event_rows` and :meth:`transaction_rows` of each register in turn).
    """

    def __init__(self, request: dict[str, object], sections: list[_Section]) -> None:
        import subprocess  # only an export needs them, not the till's start-up
        import tempfile

        self._sections = sections
        self._next = 0
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  # closed by close()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as exc:
            self._stderr.close()
            raise StorageError(f"cannot start the export's reader process: {exc}") from exc
        pipe_in, pipe_out = self._process.stdin, self._process.stdout
        assert pipe_in is not None and pipe_out is not None  # both are PIPE above
        self._frames: IO[bytes] = pipe_out
        try:
            pipe_in.write(marshal.dumps(request))
            pipe_in.close()
        except OSError:
            pass  # the helper ended at once: the first frame read says why

    def event_rows(self, register_id: str) -> Iterator[list[tuple[Any, ...]]]:
        """The register's journal events as pages of rows (``EVENT_COLUMNS``), in ``seq``
        order.

        Raises:
            StorageError: The helper could not read them (or stopped).
        """
        self._enter(("events", register_id))
        while (page := self._page()) is not None:
            yield page

    def transaction_rows(self, register_id: str) -> Iterator[RowPage]:
        """The register's transactions as pages of rows (``core/export_rows.py``), in
        ``nr`` order.

        Raises:
            StorageError: The helper could not read them (or stopped).
        """
        self._enter(("transactions", register_id))
        while (page := self._page()) is not None:
            headers, lines, payments = page
            yield RowPage(headers, lines, payments)

    @property
    def running(self) -> bool:
        """Whether the helper process has not ended yet."""
        return self._process.poll() is None

    def close(self) -> None:
        """Stop the helper (if it still runs) and release its pipes."""
        process = self._process
        if process.poll() is None:
            process.kill()
        process.wait()
        self._frames.close()
        self._stderr.close()

    def _enter(self, section: _Section) -> None:
        expected = self._sections[self._next] if self._next < len(self._sections) else None
        if section != expected:
            raise RuntimeError(f"the export asked for {section}, the reader sends {expected}")
        self._next += 1

    def _page(self) -> Any:
        """The next page of the current section, or None at its end."""
        frame = self._frame()
        if frame[0] == "page":
            return frame[1]
        if frame[0] == "end":
            return None
        if frame[0] == "error":
            error = getattr(errors, str(frame[1]), None)
            if isinstance(error, type) and issubclass(error, StorageError):
                raise error(str(frame[2]))
            raise StorageError(str(frame[2]))
        raise StorageError(f"the export's reader process sent {frame[0]!r}")

    def _frame(self) -> tuple[Any, ...]:
        size = self._frames.read(4)
        if len(size) == 4:
            data = self._frames.read(int.from_bytes(size, "little"))
            try:
                frame = marshal.loads(data)  # noqa: S302  # our own helper, over its own pipe
            except (EOFError, ValueError, TypeError):
                frame = None
            if isinstance(frame, tuple) and frame:
                return frame
        code = self._process.wait()
        self._stderr.seek(0)
        said = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        raise StorageError(
            f"the export's reader process stopped (exit code {code})"
            + (f": {said[-1]}" if said else "")
        )


def _read(request: dict[str, Any], out: BinaryIO) -> None:
    """Read the requested sections in one read transaction and send them as frames."""

    def send(frame: tuple[Any, ...]) -> None:
        data = marshal.dumps(frame)
        out.write(len(data).to_bytes(4, "little"))
        out.write(data)
        out.flush()

    store = Store(str(request["url"]), SystemClock())
    first_day = date.fromisoformat(request["first_day"])
    last_day = date.fromisoformat(request["last_day"])
    since = datetime.fromisoformat(request["since"])
    until = datetime.fromisoformat(request["until"])
    try:
        with store.unit_of_work(read_only=True) as uow:
            if engine_of(store.db) == "postgresql":
                # One snapshot for every statement of the export (READ COMMITTED would
                # take a new one per page).
                execute_sql(store.db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for kind, register_id in request["sections"]:
                after = 0
                while True:
                    if kind == "events":
                        rows = uow.journal.export_rows(
                            register_id, after_seq=after, limit=PAGE, since=since, until=until
                        )
                        if rows:
                            send(("page", rows))
                        if len(rows) < PAGE:
                            break
                        after = int(rows[-1][0])
                    else:
                        page = uow.transactions.export_rows(
                            register_id,
                            after_nr=after,
                            limit=PAGE,
                            first_day=first_day,
                            last_day=last_day,
                        )
                        if page.headers:
                            send(("page", tuple(page)))
                        if len(page.headers) < PAGE:
                            break
                        after = int(page.headers[-1][0])
                send(("end",))
    finally:
        store.close()


def main() -> int:
    """The helper process: read the request from stdin, send frames to stdout."""
    out = sys.stdout.buffer
    try:
        request = marshal.loads(sys.stdin.buffer.read())  # noqa: S302  # from the exporting process
        _read(request, out)
    except BrokenPipeError:
        return 1  # the export stopped reading (it failed or was interrupted)
    except PosError as exc:
        data = marshal.dumps(("error", type(exc).__name__, str(exc)))
        out.write(len(data).to_bytes(4, "little") + data)
        out.flush()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
