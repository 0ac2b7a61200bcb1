"""What the SAF-T Cash Register export reads: the journal page by page
(:class:`JournalSource`), or a whole export's rows read ahead (:class:`ExportRowSource`,
:class:`ExportRows`), as the ports :mod:`omnipos_tui.services.ledger.export` uses."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from omnipos_tui.core.ledger.ports import RowPage

__all__ = ["ExportRowSource", "ExportRows", "JournalSource"]


class JournalSource(Protocol):
    """What the export reads from the journal (``services.journal.JournalService``)."""

    def transaction_rows(
        self, register_id: str, *, first_day: date, last_day: date
    ) -> Iterator[RowPage]:
        """A register's transactions of the business days as pages of plain stored rows,
        in ``nr`` order."""
        ...

    def event_rows(
        self, register_id: str, *, since: datetime | None = None, until: datetime | None = None
    ) -> Iterator[list[tuple[Any, ...]]]:
        """A register's events from ``since`` (inclusive) to ``until`` (exclusive) as pages
        of plain stored rows, in ``seq`` order."""
        ...

    def record_export(
        self,
        register_id: str,
        first_day: date,
        last_day: date,
        file_name: str,
        transactions: int,
        *,
        employee: str,
    ) -> None:
        """Journal an export of the register's journal (13020)."""
        ...


class ExportRows(Protocol):
    """A whole export's stored rows, read ahead of the writer (storage's
    ``ExportRowReader``: in a helper process, in one read transaction)."""

    def event_rows(self, register_id: str) -> Iterator[list[tuple[Any, ...]]]:
        """A register's events as pages of stored rows, in ``seq`` order."""
        ...

    def transaction_rows(self, register_id: str) -> Iterator[RowPage]:
        """A register's transactions as pages of stored rows, in ``nr`` order."""
        ...

    describes: bool
    """Whether the reader describes the records itself (``start``, ``next_frame``) instead
    of handing out rows."""

    def start(self, context: dict[str, object]) -> None:
        """Hand a describing reader what the file declares."""
        ...

    def next_frame(self) -> tuple[Any, ...]:
        """A describing reader's next frame of records."""
        ...

    def close(self) -> None:
        """Stop reading (the export ended or failed)."""
        ...


class ExportRowSource(Protocol):
    """Opens :class:`ExportRows` for an export, when reading ahead is worth it."""

    def open(
        self,
        register_ids: Sequence[str],
        *,
        first_day: date,
        last_day: date,
        since: datetime,
        until: datetime,
    ) -> ExportRows | None:
        """The rows of the registers' events (``since``..``until``) and transactions
        (business days ``first_day``..``last_day``), to be asked for register by register,
        events first; or None: read them page by page through the journal.

        Raises:
            StorageError: The rows cannot be read.
        """
        ...
