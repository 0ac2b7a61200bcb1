"""The registers' records described beside the process that writes them.

Describing the records (checks, texts and shapes: ``saft_event_rows``, ``saft_rows``) and
writing them (lxml filling its cached trees and serialising them) both hold the GIL, so in
one process they take turns. A big export's rows are read by storage's helper process
(``storage/export_reader.py``); ``bootstrap`` has that helper run ``wiring/saft_helper.py``,
which hands its rows to :func:`describe` instead of sending them, so the helper describes
every register's records and sends ``(shape, texts, where)`` in ``marshal`` frames, and the
exporting process only writes them (:func:`write_described`) with the same
:class:`RecordWriter`, in the same order: the same file, byte for byte, with the two halves
of the work on two cores. A check that fails in the helper arrives in the writer as the same
error.

The helper can describe only a share of the transaction pages (:data:`SHARE`, ``k`` of
every ``n``): it sends the others as their rows, with the number of the transaction before
them, and the exporting process describes those itself (the same ``RowTransactionWriter``,
so the same checks), which balances the two processes' work. Its register's receipt
counts, counted in the helper from the events, come first then.

Frames from the helper: ``("records", [(shape, texts, where), ...])``, ``("receipts",
[(trans_id, event code, count), ...])`` after a register's events when pages go as rows,
``("rows", (headers, lines, payments), last_nr)`` for such a page, then ``("register",
events, transactions)`` after each register's records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from typing import Any, Protocol

from omnipos_tui.core.errors import StorageError
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.shop.company import Register
from omnipos_tui.exports.saft_event_rows import write_event_rows
from omnipos_tui.exports.saft_events import KnownIds, ReceiptEvents
from omnipos_tui.exports.saft_master import NAMESPACE, XmlFile, put
from omnipos_tui.exports.saft_rows import RowTransactionWriter
from omnipos_tui.exports.xml_records import Record, RecordWriter

_BATCH = 512  # records per frame

SHARE = (2, 3)
"""The helper describes ``k`` of every ``n`` transaction pages (``(k, n)``); the exporting
process describes the others from their rows. Describing every page made the helper the
slower process (writer 6.0-6.7 s CPU, helper 8.6-9.6 s per 100,000 transactions); 2 of 3
balances them (each 7-8.5 s at load ~2; 3 of 4 measured the same, 1 of 2 left the writer
the slower)."""
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
            rows: RowTransactionWriter | None = None
            while True:
                frame = described.next_frame()
                if frame[0] == "records":
                    for shape, texts, where in frame[1]:
                        write(shape, texts, where=where)
                elif frame[0] == "rows":
                    if rows is None:
                        raise StorageError("the export's helper process sent rows before receipts")
                    rows.last_nr = frame[2]
                    rows.write_page(frame[1])
                elif frame[0] == "receipts":
                    receipts = ReceiptEvents({(t, EventCode(c)): n for t, c, n in frame[1]})
                    rows = RowTransactionWriter(records, register.register_id, known, receipts)
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
    share: Sequence[int] = SHARE,
) -> None:
    """In the helper: describe each register's events, then ``share[0]`` of every
    ``share[1]`` pages of its transactions, from the rows of its sections (``("events" |
    "transactions", register id, pages)``), and send the records; the other pages go as
    rows for the exporting process to describe.

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
    mine, every = share
    if not 0 <= mine <= every > 0:
        raise ValueError(f"share {mine} of every {every} pages")
    pipe = _RecordPipe(send)
    receipts = ReceiptEvents()
    events = 0
    for kind, register_id, pages in sections:
        if kind == "events":
            receipts = ReceiptEvents()
            events = write_event_rows(pipe, register_id, pages, known, receipts)
            if mine < every:
                pipe.flush()
                counted = [(t, code.value, n) for (t, code), n in receipts.counts.items()]
                send(("receipts", counted))
            continue
        writer = RowTransactionWriter(pipe, register_id, known, receipts)
        transactions = 0
        for index, page in enumerate(pages):
            if index % every < mine:
                transactions += writer.write_page(page)
                continue
            pipe.flush()
            headers = page[0]
            send(("rows", (headers, page[1], page[2]), writer.last_nr))
            transactions += len(headers)
            # A number that is not one: the exporting process refuses the page (and stops).
            with suppress(IndexError, TypeError, ValueError):
                writer.last_nr = int(headers[-1][0])
        pipe.flush()
        send(("register", events, transactions))
