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

``bootstrap`` has the helper go one step further for the SAF-T writer: the request names a
describer (``exports/saft_described.py``) that the helper hands its sections of rows to, and
that sends the described records instead of the rows, so describing them (Python) and
writing them (lxml) run in two processes at once; ``share`` (``k`` of every ``n``
transaction pages, handed to the describer) has it send the other pages as rows, for the
exporting process to describe, so that neither process waits for the other. This module
imports no exporter: the describer is named by ``"module:function"`` in the request.

An export smaller than :data:`HELPER_FROM` transactions is read in the writer's process as
before (starting a helper costs more than it saves there).

Frames on the helper's stdout: 4 bytes of length (little-endian) and ``marshal`` of
``("page", rows)``, ``("end",)`` after each section, or ``("error", kind, message)`` (a
describer sends its own frames). The request (database URL, sections, period, describer)
and then what a describer needs goes in on stdin, framed the same way, never on the
command line: a PostgreSQL URL may hold a password.
"""

from __future__ import annotations

import gc
import importlib
import marshal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from datetime import date, datetime
from typing import IO, Any

from omnipos_tui.core import errors
from omnipos_tui.core.clock import SystemClock
from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.export_rows import RowPage
from omnipos_tui.storage.database import engine_of, execute_sql, translate_errors
from omnipos_tui.storage.store import Store
from omnipos_tui.storage.unit_of_work import PeeweeUnitOfWork

HELPER_FROM = 20_000
"""Transactions in an export from which its rows are read by a helper process."""

PAGE = 1000
"""Transactions (or events) per frame."""

PIPE_BYTES = 1 << 20
"""What the helper's pipe holds (Linux's default limit for a user's pipe)."""

_Section = tuple[str, str]  # ("events" | "transactions", register id)


class ExportRowReader:
    """Reads the stored rows of SAF-T exports from one database.

    Args:
        store: The database (its URL is handed to the helper process).
        url: The database URL the helper opens (the store's own).
        helper_from: Transactions from which a helper process reads the rows.
        describe: ``"module:function"`` the helper hands the rows to instead of sending
            them (``bootstrap`` names the SAF-T writer's record describer there, so the
            records are described beside the process that writes them); None: pages.
        share: ``(k, n)``: the describer describes ``k`` of every ``n`` transaction pages
            and sends the others as rows (None: its own default).
        page: Transactions (or events) per page.
    """

    def __init__(
        self,
        store: Store,
        url: str,
        *,
        helper_from: int = HELPER_FROM,
        describe: str | None = None,
        share: tuple[int, int] | None = None,
        page: int = PAGE,
    ) -> None:
        self._store = store
        self._url = url
        self._helper_from = helper_from
        self._describe = describe
        self._share = share
        self._page = page

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
            "describe": self._describe,
            "share": self._share,
            "page": self._page,
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
        self._requests: IO[bytes] | None = pipe_in
        self.describes = request.get("describe") is not None
        """Whether the helper describes the records itself (:meth:`start`, :meth:`next_frame`)
        instead of sending rows."""
        self._send(request, last=not self.describes)

    def start(self, context: dict[str, object]) -> None:
        """Hand the describing helper what it needs to start (what the file declares)."""
        self._send(context, last=True)

    def next_frame(self) -> tuple[Any, ...]:
        """The describing helper's next frame.

        Raises:
            PosError: The error the helper met (``InvalidInput`` for data that cannot
                make a valid file, a ``StorageError`` when it could not read).
        """
        frame = self._frame()
        if frame[0] == "error":
            self._raise(frame)
        return frame

    def _send(self, message: Any, *, last: bool) -> None:
        pipe = self._requests
        if pipe is None:
            return
        try:
            data = marshal.dumps(message)
            pipe.write(len(data).to_bytes(4, "little") + data)
            pipe.flush()
            if last:
                self._requests = None
                pipe.close()
        except OSError:
            self._requests = None  # the helper ended: the next frame read says why

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
        if self._requests is not None:
            self._requests.close()
            self._requests = None
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
            self._raise(frame)
        raise StorageError(f"the export's reader process sent {frame[0]!r}")

    @staticmethod
    def _raise(frame: tuple[Any, ...]) -> None:
        error = getattr(errors, str(frame[1]), None)
        if isinstance(error, type) and issubclass(error, PosError):
            raise error(str(frame[2]))
        raise StorageError(str(frame[2]))

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


Frames = Callable[[tuple[Any, ...]], None]
"""Sends one frame to the exporting process."""


def _pages(
    uow: PeeweeUnitOfWork, kind: str, register_id: str, request: dict[str, Any]
) -> Iterator[Any]:
    """A section's pages, read as they are asked for: event rows, or ``RowPage``s."""
    after = 0
    size = int(request.get("page") or PAGE)
    while True:
        if kind == "events":
            rows = uow.journal.export_rows(
                register_id,
                after_seq=after,
                limit=size,
                since=datetime.fromisoformat(request["since"]),
                until=datetime.fromisoformat(request["until"]),
            )
            if rows:
                yield rows
            if len(rows) < size:
                return
            after = int(rows[-1][0])
        else:
            page = uow.transactions.export_rows(
                register_id,
                after_nr=after,
                limit=size,
                first_day=date.fromisoformat(request["first_day"]),
                last_day=date.fromisoformat(request["last_day"]),
            )
            if page.headers:
                yield page
            if len(page.headers) < size:
                return
            after = int(page.headers[-1][0])


def _read(request: dict[str, Any], send: Frames, context: Callable[[], Any]) -> None:
    """Read the requested sections in one read transaction; send them as pages, or hand
    them to the describer named in the request."""
    store = Store(str(request["url"]), SystemClock())
    try:
        with store.unit_of_work(read_only=True) as uow:
            if engine_of(store.db) == "postgresql":
                # One snapshot for every statement of the export (READ COMMITTED would
                # take a new one per page).
                execute_sql(store.db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            sections = (
                (kind, register_id, _pages(uow, kind, register_id, request))
                for kind, register_id in request["sections"]
            )
            if request.get("describe"):
                module, _, name = str(request["describe"]).partition(":")
                describer = getattr(importlib.import_module(module), name)
                if request.get("share"):
                    describer(sections, context, send, tuple(request["share"]))
                else:
                    describer(sections, context, send)
                return
            for _kind, _register_id, pages in sections:
                for page in pages:
                    send(("page", tuple(page) if isinstance(page, RowPage) else page))
                send(("end",))
    finally:
        store.close()


def _message(stream: IO[bytes]) -> Any:
    """One length-prefixed ``marshal`` message from the exporting process."""
    size = stream.read(4)
    if len(size) != 4:
        raise StorageError("the exporting process sent no request")
    return marshal.loads(stream.read(int.from_bytes(size, "little")))  # noqa: S302  # from the exporting process


def _widen(pipe: IO[bytes]) -> None:
    """Let the pipe to the exporting process hold :data:`PIPE_BYTES` (where Linux allows).

    A frame of described records is bigger than the 64 KB a pipe holds by default, so a
    helper that describes records waited for the writer to take each frame, also while the
    writer described a page of rows itself; with 1 MB it describes ahead (measured with 2
    of 3 pages described in the helper: 8,260-8,896 -> 9,669-10,745 tx/s on the 100,000-
    transaction bench; reading rows only: no change).
    """
    try:
        import fcntl  # Unix only
    except ImportError:
        return
    with suppress(OSError, AttributeError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def main() -> int:
    """The helper process: read the request from stdin, send frames to stdout."""
    out = sys.stdout.buffer
    requests = sys.stdin.buffer
    _widen(out)

    def send(frame: tuple[Any, ...]) -> None:
        data = marshal.dumps(frame)
        out.write(len(data).to_bytes(4, "little"))
        out.write(data)
        out.flush()

    # Nothing this short-lived process makes is cyclic garbage (rows and records go when
    # their page is sent): reference counting frees it all, without collector passes.
    gc.disable()
    try:
        _read(_message(requests), send, lambda: _message(requests))
    except BrokenPipeError:
        return 1  # the export stopped reading (it failed or was interrupted)
    except PosError as exc:
        send(("error", type(exc).__name__, str(exc)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
