"""Our hash chain in the rows (``core/ledger/chain.py``): which stored columns it covers,
and the chain's end as a unit of work moves it (``storage/chain_pages.py`` reads them back
for the check).

Writing costs one hash per stored row and no extra statement: the chain value goes into
the row's own INSERT, and the chain's end is read with the register's state when the use
case locks it (``register_state.event_chain`` / ``transaction_chain``) and written with
the state when it is saved. Only a unit of work that writes events after saving the state
pays one more UPDATE at commit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import peewee

from omnipos_tui.core.errors import StorageError
from omnipos_tui.core.ledger.chain import (
    GENESIS,
    digest,
    link,
)
from omnipos_tui.storage.database import execute_sql

# Every stored column but the row's own id and hash, in the order hashed. A column added to
# one of these tables later must be added here too (and its old rows handled by that
# migration): tests/integration/test_tamper_chain.py compares these with the tables' columns.
EVENT_COLUMNS = (
    "register_id",
    "seq",
    "code",
    "predefined_code",
    "employee",
    "at",
    "event_date",
    "event_time",
    "text",
    "trans_id",
    "training",
    "payload",
)
HEADER_COLUMNS = (
    "register_id",
    "nr",
    "trans_id",
    "kind",
    "employee",
    "customer",
    "started_at",
    "completed_at",
    "trans_date",
    "trans_time",
    "business_day",
    "total",
    "total_ex_vat",
    "rounding",
    "receipt_series",
    "receipt_number",
    "training",
    "voided",
    "note",
    "signature",
    "key_version",
    "previous_signature",
    "sale_id",
)
LINE_COLUMNS = (
    "trans_id",
    "line_no",
    "kind",
    "sku",
    "name",
    "group_code",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "vat_code",
    "vat_percent",
    "vat_amount",
    "discount_amount",
    "discount_percent",
    "discount_employee",
    "discount_reason",
    "sale_discount_amount",
    "sale_discount_percent",
    "sale_discount_employee",
    "sale_discount_reason",
    "price_override_reason",
    "approved_by",
    "employee",
    "note",
    "corrects_line",
    "returns_receipt",
    "returns_line",
    "returns_trans_id",
    "returns_original_line",
    "at",
)
PAYMENT_COLUMNS = (
    "trans_id",
    "seq",
    "tender",
    "amount",
    "reference",
    "terminal_transaction_id",
    "masked_card",
    "employee",
    "tendered",
    "tip",
)
CHAIN_VERSION = 6
"""The schema version that brought the chain columns."""
HASH_COLUMNS = {
    "journal_event": "chain",
    "cash_transaction": "chain",
    "transaction_line": "row_hash",
    "transaction_payment": "row_hash",
}
"""The column that holds each chained table's hash."""


class ChainHeads:
    """The end of each register's event and transaction chains as one unit of work moves
    them: seeded from the register's state when it is locked, moved by every row written,
    written back with the state (or at commit)."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db
        self._events: dict[str, tuple[int, str]] = {}
        self._transactions: dict[str, tuple[int, str]] = {}
        self._unsaved: set[str] = set()

    def seed(self, register_id: str, row: Sequence[Any]) -> None:
        """The state of a locked register: ``(last_event_seq, event_chain, last_nr,
        transaction_chain)``."""
        if register_id in self._unsaved:  # locked again after writing: keep what moved
            return
        self._events[register_id] = (int(row[0]), str(row[1]))
        self._transactions[register_id] = (int(row[2]), str(row[3]))

    @contextmanager
    def kept_on_error(self) -> Iterator[None]:
        """Put the chains' ends back when the rows written inside fail to be stored."""
        events, transactions, unsaved = (
            dict(self._events),
            dict(self._transactions),
            set(self._unsaved),
        )
        try:
            yield
        except BaseException:
            self._events, self._transactions, self._unsaved = events, transactions, unsaved
            raise

    def event(self, register_id: str, seq: int, values: Sequence[object]) -> str:
        """The chain value of a register's event ``seq`` being written; it becomes the
        end of the chain.

        Raises:
            StorageError: Event ``seq - 1`` is not stored (events are written in order).
        """
        head = self._events.get(register_id)
        previous = head[1] if head is not None and head[0] == seq - 1 else None
        if previous is None:
            previous = self._stored("journal_event", "seq", register_id, seq - 1)
        chain = link(previous, values)
        self._events[register_id] = (seq, chain)
        self._unsaved.add(register_id)
        return chain

    def transaction(
        self, register_id: str, nr: int, values: Sequence[object], children: Sequence[str]
    ) -> str:
        """The chain value of a register's transaction ``nr`` being written (``children``:
        the hashes of its lines and payments); it becomes the end of the chain.

        Raises:
            StorageError: Transaction ``nr - 1`` is not stored.
        """
        head = self._transactions.get(register_id)
        previous = head[1] if head is not None and head[0] == nr - 1 else None
        if previous is None:
            previous = self._stored("cash_transaction", "nr", register_id, nr - 1)
        chain = link(previous, values, children)
        self._transactions[register_id] = (nr, chain)
        self._unsaved.add(register_id)
        return chain

    def event_chain_at(self, register_id: str, seq: int) -> str:
        """The chain value of a register's event ``seq`` (GENESIS for 0)."""
        head = self._events.get(register_id)
        if head is not None and head[0] == seq:
            return head[1]
        return self._stored("journal_event", "seq", register_id, seq)

    def transaction_chain_at(self, register_id: str, nr: int) -> str:
        """The chain value of a register's transaction ``nr`` (GENESIS for 0)."""
        head = self._transactions.get(register_id)
        if head is not None and head[0] == nr:
            return head[1]
        return self._stored("cash_transaction", "nr", register_id, nr)

    def anchors(self, register_id: str) -> tuple[str, str] | None:
        """``(event_chain, transaction_chain)`` to save with a locked register's state,
        None when this unit of work did not lock it."""
        events = self._events.get(register_id)
        transactions = self._transactions.get(register_id)
        if events is None or transactions is None:
            return None
        return events[1], transactions[1]

    def saved(self, register_id: str, last_event_seq: int, last_nr: int) -> None:
        """The state was saved with these numbers and :meth:`anchors`: nothing is left to
        write at commit unless the chains end elsewhere (events written after it)."""
        events = self._events.get(register_id)
        transactions = self._transactions.get(register_id)
        if (
            events is not None
            and transactions is not None
            and events[0] == last_event_seq
            and transactions[0] == last_nr
        ):
            self._unsaved.discard(register_id)

    def flush(self) -> None:
        """Write the chains' ends of the registers whose state was not saved after their
        last row (just before commit)."""
        for register_id in sorted(self._unsaved):
            events = self._events.get(register_id)
            transactions = self._transactions.get(register_id)
            if events is None:
                events = (0, self._last("journal_event", "seq", register_id))
            if transactions is None:
                transactions = (0, self._last("cash_transaction", "nr", register_id))
            execute_sql(
                self._db,
                "UPDATE register_state SET event_chain = ?, transaction_chain = ? "
                "WHERE register_id = ?",
                (events[1], transactions[1], register_id),
            )
        self._unsaved.clear()

    def _stored(self, table: str, number: str, register_id: str, value: int) -> str:
        if value <= 0:
            return GENESIS
        row = execute_sql(
            self._db,
            f"SELECT chain FROM {table} WHERE register_id = ? AND {number} = ?",
            (register_id, value),
        ).fetchone()
        if row is None:
            raise StorageError(
                f"{table} {register_id}/{value + 1} cannot be chained: {register_id}/{value} "
                "is not stored (a register's rows are written in order)"
            )
        return str(row[0])

    def _last(self, table: str, number: str, register_id: str) -> str:
        row = execute_sql(
            self._db,
            f"SELECT chain FROM {table} WHERE register_id = ? ORDER BY {number} DESC LIMIT 1",
            (register_id,),
        ).fetchone()
        return GENESIS if row is None else str(row[0])


def line_hash(row: Sequence[object]) -> str:
    """The ``row_hash`` of a line or payment row (its values in column order; a payment
    row's as :func:`payment_values` gives them)."""
    return digest(row)


def payment_values(row: Sequence[object]) -> tuple[object, ...]:
    """The values a payment row's hash covers: every stored column, the last one (``tip``,
    added by migration 10 after the chain of migration 6) only when it is not 0. So a row
    chained before tips existed keeps its hash, and a tip added, changed or removed by hand
    changes it."""
    return tuple(row[:-1]) if row[-1] == 0 else tuple(row)
