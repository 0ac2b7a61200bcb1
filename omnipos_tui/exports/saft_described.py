"""The registers' records described beside the process that writes them.

Describing the records (checks, texts and shapes: ``saft_event_rows``, ``saft_rows``) and
writing them (lxml filling its cached trees and serialising them) both hold the GIL, so in
one process they take turns. A big export's rows are read by storage's helper process
(``storage/export_reader.py``); ``bootstrap`` has that helper hand its rows to
:func:`describe` instead of sending them, so the helper describes every register's records
and sends ``(shape, texts, where)`` in ``marshal`` frames, and the exporting process only
writes them (:func:`write_described`) with the same :class:`RecordWriter`, in the same
order: the same file, byte for byte, with the two halves of the work on two cores. A check
that fails in the helper arrives in the writer as the same error.

Frames from the helper: ``("records", [(shape, texts, where), ...])``, then
``("register", events, transactions)`` after each register's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from omnipos_tui.core.company import Register
from omnipos_tui.core.errors import StorageError
from omnipos_tui.exports.saft_event_rows import write_event_rows
from omnipos_tui.exports.saft_events import KnownIds, ReceiptEvents
from omnipos_tui.exports.saft_master import NAMESPACE, XmlFile, put
from omnipos_tui.exports.saft_rows import RowTransactionWriter
from omnipos_tui.exports.xml_records import Record, RecordWriter

_BATCH = 512  # records per frame
_Q = "{" + NAMESPACE + "}"

Frame = tuple[Any, ...]


class DescribedRecords(Protocol):
    """The helper describing an export's records (storage's ``HelperRows``)."""

    def start(self, context: dict[str, object]) -> None:
        """Hand the helper what the file declares; it starts describing."""
        ...

    def next_frame(self) -> Frame:
        """The helper's next frame (its errors raised)."""
        ...


def known_context(known: KnownIds) -> dict[str, object]:
    """What the helper needs to check references: the ids the file declares."""
    return {
        "employees": sorted(known.employees),
        "articles": sorted(known.articles),
        "customers": sorted(known.customers),
        "groups": sorted(known.groups),
    }


def write_described(
    xf: XmlFile,
    records: RecordWriter,
    registers: Sequence[Register],
    described: DescribedRecords,
    known: KnownIds,
) -> tuple[int, int, dict[str, int]]:
    """Write each register's ``cashregister`` element with the records the helper
    describes; return the events, the transactions, and the transactions per register.

    Raises:
        InvalidInput: The data cannot make a valid file (found here or in the helper).
        StorageError: The rows cannot be read, or the helper stopped.
    """
    described.start(known_context(known))
    events = transactions = 0
    counts: dict[str, int] = {}
    write = records.write_shape
    for register in registers:
        with xf.element(_Q + "cashregister"):
            put(xf, "registerID", register.register_id, "register")
            put(xf, "regDesc", register.name, "register")
            while True:
                frame = described.next_frame()
                if frame[0] == "records":
                    for shape, texts, where in frame[1]:
                        write(shape, texts, where=where)
                elif frame[0] == "register":
                    events += frame[1]
                    transactions += frame[2]
                    counts[register.register_id] = frame[2]
                    break
                else:
                    raise StorageError(f"the export's helper process sent {frame[0]!r}")
    return events, transactions, counts


class _RecordPipe:
    """The helper's record sink: records go to the writing process in frames."""

    def __init__(self, send: Callable[[Frame], None]) -> None:
        self._send = send
        self._batch: list[tuple[tuple[str, ...], list[str], str]] = []
        # One tuple object per distinct shape: marshal sends a repeat as a reference.
        self._shapes: dict[tuple[str, ...], tuple[str, ...]] = {}

    def start(self, tag: str) -> Record:
        return Record(tag)

    def write(self, record: Record, *, where: str) -> None:
        if record._depth:
            raise ValueError(f"{where}: record has {record._depth} unclosed element(s)")
        shape = tuple(record.shape)
        self._batch.append((self._shapes.setdefault(shape, shape), record.texts, where))
        if len(self._batch) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._batch:
            self._send(("records", self._batch))
            self._batch = []


def describe(
    sections: Iterable[tuple[str, str, Iterator[Any]]],
    context: Callable[[], Any],
    send: Callable[[Frame], None],
) -> None:
    """In the helper: describe each register's events, then its transactions, from the
    rows of its sections (``("events" | "transactions", register id, pages)``), and send
    the records.

    Raises:
        InvalidInput: The data cannot make a valid file (the helper sends it on).
    """
    given = context()
    known = KnownIds(
        employees=set(given["employees"]),
        articles=set(given["articles"]),
        customers=set(given["customers"]),
        groups=set(given["groups"]),
    )
    pipe = _RecordPipe(send)
    receipts = ReceiptEvents()
    events = 0
    for kind, register_id, pages in sections:
        if kind == "events":
            receipts = ReceiptEvents()
            events = write_event_rows(pipe, register_id, pages, known, receipts)
        else:
            transactions = RowTransactionWriter(pipe, register_id, known, receipts).write_all(pages)
            pipe.flush()
            send(("register", events, transactions))
