"""The helper process of a big SAF-T export: it reads the export's stored rows in one read
transaction and sends them to the exporting process (``export_reader.HelperRows``), or
hands them to a describer that sends the described records instead.

``python -m omnipos_tui.storage.export_helper`` sends rows. A module that imports a
describer runs :func:`main` with it: the SAF-T writer's is
``omnipos_tui.wiring.saft_helper`` (the composition root, which may import both storage and
exports; storage never imports the exporter).

Frames on stdout: 4 bytes of length (little-endian) and ``marshal`` of ``("page", rows)``,
``("end",)`` after each section, or ``("error", kind, message)`` (a describer sends its own
frames). The request (database URL, sections, period, whether to describe) and then what a
describer needs comes in on stdin, framed the same way, never on the command line: a
PostgreSQL URL may hold a password.
"""

from __future__ import annotations

import gc
import marshal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from datetime import date, datetime
from typing import IO, Any, Protocol

from omnipos_tui.core.clock import SystemClock
from omnipos_tui.core.errors import PosError, StorageError
from omnipos_tui.core.ledger.ports import RowPage
from omnipos_tui.storage.database import engine_of, execute_sql, unlimited_statements
from omnipos_tui.storage.store import Store
from omnipos_tui.storage.unit_of_work import PeeweeUnitOfWork

PAGE = 1000
"""Transactions (or events) per frame."""

PIPE_BYTES = 1 << 20
"""What the helper's pipe holds (Linux's default limit for a user's pipe)."""

Frames = Callable[[tuple[Any, ...]], None]
"""Sends one frame to the exporting process."""

Sections = Iterable[tuple[str, str, Iterator[Any]]]
"""The export's sections in order: ``("events" | "transactions", register id, pages)``."""


class Describer(Protocol):
    """Describes the sections' records and sends them (``exports/saft_described.py``)."""

    def __call__(
        self,
        sections: Sections,
        context: Callable[[], Any],
        send: Frames,
        share: Sequence[int] = ...,
    ) -> None:
        """Describe and send; ``context()`` reads what the exporting process sends it,
        ``share`` is ``(k, n)``: describe ``k`` of every ``n`` transaction pages and send
        the others as rows (left out: the describer's own default)."""
        ...


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


def _read(
    request: dict[str, Any],
    send: Frames,
    context: Callable[[], Any],
    describe: Describer | None,
) -> None:
    """Read the requested sections in one read transaction; send them as pages, or hand
    them to ``describe`` when the request asks for described records."""
    store = Store(str(request["url"]), SystemClock())
    try:
        with store.unit_of_work(read_only=True) as uow:
            if engine_of(store.db) == "postgresql":
                # One snapshot for every statement of the export (READ COMMITTED would
                # take a new one per page).
                execute_sql(store.db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                unlimited_statements(store.db)  # a year's export reads for minutes
            sections = (
                (kind, register_id, _pages(uow, kind, register_id, request))
                for kind, register_id in request["sections"]
            )
            if request.get("describe"):
                if describe is None:
                    raise StorageError(
                        "the export asked for described records of a helper that has no describer"
                    )
                if request.get("share"):
                    describe(sections, context, send, tuple(request["share"]))
                else:
                    describe(sections, context, send)
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


def main(describe: Describer | None = None) -> int:
    """The helper process: read the request from stdin, send frames to stdout (rows, or
    the records ``describe`` makes of them when the request asks for them)."""
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
        _read(_message(requests), send, lambda: _message(requests), describe)
    except BrokenPipeError:
        return 1  # the export stopped reading (it failed or was interrupted)
    except PosError as exc:
        send(("error", type(exc).__name__, str(exc)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
