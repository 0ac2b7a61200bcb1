"""The rows the SAF-T export reads, made from records that were never stored.

The SAF-T writer takes stored rows only (``storage/export_rows.py``). The writer's tests
hand it records built by hand (some of them broken on purpose), and the writer's own bench
generates records without a database: both turn them into the rows storage would read back,
here, with the very encoding storage writes them with (:func:`stored_rows`,
:func:`stored_row`) taken to the export's columns by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from omnipos_tui.core.ledger.journal import JournalEvent
from omnipos_tui.core.ledger.ports import RowPage
from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.storage import export_rows
from omnipos_tui.storage.journal import STORED_COLUMNS, stored_row
from omnipos_tui.storage.transaction_rows import HEADER, LINE_COLUMNS, PAYMENT_COLUMNS, stored_rows

_HEADER_COLUMNS = (*HEADER.split(", "), "sale_id")


def _picker(stored: tuple[str, ...], wanted: tuple[str, ...]) -> list[int]:
    return [stored.index(name) for name in wanted]


_HEADER = _picker(_HEADER_COLUMNS, export_rows.HEADER_COLUMNS)
_LINE = _picker(LINE_COLUMNS, export_rows.LINE_COLUMNS)
_PAYMENT = _picker(PAYMENT_COLUMNS, export_rows.PAYMENT_COLUMNS)
_EVENT = _picker(STORED_COLUMNS, export_rows.EVENT_COLUMNS)


def _pick(row: tuple[object, ...], columns: list[int]) -> tuple[Any, ...]:
    return tuple(row[column] for column in columns)


def transaction_page(
    transactions: Iterable[Transaction], return_refs: Mapping[int, str] | None = None
) -> RowPage:
    """The transactions as one page of export rows, in the order given."""
    page = RowPage([], [], [])
    for tx in transactions:
        header, lines, payments = stored_rows(tx, sale_id=None, return_refs=return_refs or {})
        page.headers.append(_pick(header, _HEADER))
        page.lines.extend(_pick(line, _LINE) for line in lines)
        page.payments.extend(_pick(payment, _PAYMENT) for payment in payments)
    return page


def transaction_pages(transactions: Iterable[Transaction], size: int = 500) -> Iterator[RowPage]:
    """The transactions as pages of ``size``, made as they are asked for (a long stream
    stays in flat memory)."""
    stream = iter(transactions)
    while page := list(islice(stream, size)):
        yield transaction_page(page)


def event_rows(events: Iterable[JournalEvent]) -> list[tuple[Any, ...]]:
    """The events as one page of export rows, in the order given."""
    return [_pick(stored_row(event), _EVENT) for event in events]


def event_pages(events: Iterable[JournalEvent], size: int = 500) -> Iterator[list[tuple[Any, ...]]]:
    """The events as pages of ``size``, made as they are asked for."""
    stream = iter(events)
    while page := list(islice(stream, size)):
        yield event_rows(page)
