"""Reading a SAF-T export's stored rows ahead of its writer, in a helper process
(``export_helper.py``: what runs there).

The export's writer (lxml) holds the GIL while it serialises, and CPython 3.11's sqlite3
gives the GIL up and takes it back around every column it reads, so a reader *thread*
beside the busy writer waits for the GIL at every column (measured: no gain at all). A
helper process has an interpreter of its own: it reads every page of the export on its own
connection in **one read transaction** (one snapshot of the journal) and sends the pages as
``marshal`` frames through a pipe, in the order the writer asks for them (each register's
events, then its transactions). The writer's process only decodes the frames, about a fifth
of what reading the same rows from the database costs it. The pipe holds little, so the
helper waits when the writer is behind and memory stays flat.

``bootstrap`` has the helper go one step further for the SAF-T writer: it runs a helper
module that hands the rows to the SAF-T record describer (``omnipos_tui.wiring.saft_helper``
imports ``exports/saft_described.py``, where import-linter sees it) and sends the described
records instead of the rows, so describing them (Python) and writing them (lxml) run in two
processes at once; ``share`` (``k`` of every ``n`` transaction pages, handed to the
describer) has it send the other pages as rows, for the exporting process to describe, so
that neither process waits for the other. This module imports no exporter: it is given the
helper module to run.

An export smaller than :data:`HELPER_FROM` transactions is read in the writer's process as
before (starting a helper costs more than it saves there).

The frames that come back are described in ``export_helper.py``.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from types import ModuleType
from typing import IO, Any

from omnipos_tui.core import errors
from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.ledger.ports import RowPage
from omnipos_tui.storage import export_helper
from omnipos_tui.storage.database import execute_sql, translate_errors
from omnipos_tui.storage.export_helper import PAGE
from omnipos_tui.storage.store import Store

HELPER_FROM = 20_000
"""Transactions in an export from which its rows are read by a helper process."""

_Section = tuple[str, str]  # ("events" | "transactions", register id)


class ExportRowReader:
    """Reads the stored rows of SAF-T exports from one database.

    Args:
        store: The database (its URL is handed to the helper process).
        url: The database URL the helper opens (the store's own).
        helper_from: Transactions from which a helper process reads the rows.
        describer: The module the helper process runs (``python -m``) to describe the
            records instead of sending the rows: one that calls ``export_helper.main`` with
            a describer (``bootstrap`` gives ``omnipos_tui.wiring.saft_helper``, so the
            SAF-T records are described beside the process that writes them); None: the
            helper runs ``export_helper`` and sends pages of rows.
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
        describer: ModuleType | None = None,
        share: tuple[int, int] | None = None,
        page: int = PAGE,
    ) -> None:
        self._store = store
        self._url = url
        self._helper_from = helper_from
        self._describer = describer
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
            "describe": self._describer is not None,
            "share": self._share,
            "page": self._page,
        }
        return HelperRows(request, sections, self._describer or export_helper)


class HelperRows:
    """The rows of one export, read by a running helper process.

    The writer asks for the sections in the order they were requested
    (:meth:`event_rows` and :meth:`transaction_rows` of each register in turn).
    """

    def __init__(
        self, request: dict[str, object], sections: list[_Section], program: ModuleType
    ) -> None:
        """Start ``python -m program`` and send it the request.

        Raises:
            StorageError: The helper cannot start.
        """
        import subprocess  # only an export needs them, not the till's start-up
        import tempfile

        self._sections = sections
        self._next = 0
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  # closed by close()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", program.__name__],
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
        self.describes = bool(request.get("describe"))
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
        """The register's transactions as pages of rows (``storage/export_rows.py``), in
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
