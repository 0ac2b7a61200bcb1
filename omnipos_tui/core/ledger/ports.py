"""What the sale, register, report and journal services need from storage, as protocols.

The ledger is everything a register writes while it trades: its counters (transaction
number, receipt number per series, journal sequence, last signature), the open and parked
sales, card payments in flight, the completed transactions, the journal events and the Z
reports. Completed transactions, journal events, Z reports and receipt copies are
append-only; the register state, open sales and pending payments are working data.

``omnipos_tui/storage`` implements these protocols; a unit of work
(``core.repositories.UnitOfWork``) carries one of each. The working records they keep
(register state, open sales, pending payments, the Z index) are in
``core/ledger/records.py`` (imported from here too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from omnipos_tui.core.ledger.chain import ChainAnchors, StoredEvent, StoredTransaction
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.ledger.records import (
    FIRST_SIGNATURE,
    OpenSaleRecord,
    PaymentStatus,
    PendingPayment,
    RegisterState,
    SaleStatus,
    ZRecord,
)
from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.core.reports.facts import TransactionFacts

__all__ = [
    "FIRST_SIGNATURE",
    "JournalRepository",
    "OpenSaleRecord",
    "OpenSaleRepository",
    "PaymentStatus",
    "PendingPayment",
    "PendingPaymentRepository",
    "RegisterState",
    "RegisterStateRepository",
    "RowPage",
    "SaleStatus",
    "TransactionRepository",
    "ZRecord",
]


class RowPage(NamedTuple):
    """One page of a register's transactions as plain stored rows, for the SAF-T export's
    fast path: the core and the services only hand pages on. Which columns the rows hold,
    in which order, is the storage's layout (``storage/export_rows.py``), which the SAF-T
    writer reads (``exports/saft_rows.py``).

    Attributes:
        headers: One row per transaction, in ``nr`` order.
        lines: Their lines, in ``line_no`` order within a transaction.
        payments: Their payments, in ``seq`` order within one.
    """

    headers: list[tuple[Any, ...]]
    lines: list[tuple[Any, ...]]
    payments: list[tuple[Any, ...]]


# --- repositories -----------------------------------------------------------------------


class RegisterStateRepository(Protocol):
    """The registers' counters and sessions (working data, not registered data)."""

    def lock(self, register_id: str) -> RegisterState | None:
        """The register's state, locked until the unit of work ends (PostgreSQL
        ``SELECT ... FOR UPDATE``; SQLite holds the write lock already). None when the
        register has no state yet."""
        ...

    def create(self, register_id: str) -> None:
        """Create the state of a register that has none (nothing when it exists)."""
        ...

    def get(self, register_id: str) -> RegisterState | None:
        """The state without locking (for status displays)."""
        ...

    def save(self, state: RegisterState) -> None:
        """Store the changed counters and session."""
        ...

    def logged_in(self, employee: str) -> list[str]:
        """The registers where ``employee`` is logged in."""
        ...


class OpenSaleRepository(Protocol):
    """Sales in progress and parked sales."""

    def get(self, sale_id: str) -> OpenSaleRecord | None:
        """The open or parked sale with this id."""
        ...

    def find_open(self, register_id: str, employee: str) -> OpenSaleRecord | None:
        """The employee's open (not parked) sale on the register, the newest if several."""
        ...

    def add(self, record: OpenSaleRecord) -> None:
        """Store a new open sale."""
        ...

    def save(self, record: OpenSaleRecord) -> None:
        """Replace a stored open sale (by ``sale_id``)."""
        ...

    def remove(self, sale_id: str) -> None:
        """Forget an open sale (it was completed, voided, or was empty)."""
        ...

    def parked(self, register_id: str | None = None) -> list[OpenSaleRecord]:
        """Parked sales (of one register, or all), oldest first."""
        ...

    def on_register(self, register_id: str) -> list[OpenSaleRecord]:
        """Every open and parked sale belonging to or held by a register."""
        ...


class PendingPaymentRepository(Protocol):
    """Card payments sent to a terminal, kept until resolved."""

    def add(self, payment: PendingPayment) -> None:
        """Store a new pending payment.

        Raises:
            Conflict: The reference is taken.
        """
        ...

    def get(self, reference: str) -> PendingPayment | None:
        """The payment with this reference."""
        ...

    def save(self, payment: PendingPayment) -> None:
        """Store a changed status and result (by reference)."""
        ...

    def for_sale(self, sale_id: str) -> list[PendingPayment]:
        """Every payment of a sale, oldest first."""
        ...

    def unsettled(self, register_id: str | None = None) -> list[PendingPayment]:
        """Payments still pending or unknown (of one register, or all), oldest first."""
        ...


class TransactionRepository(Protocol):
    """Completed, signed transactions (append-only)."""

    def add(self, tx: Transaction, *, sale_id: str | None, return_refs: Mapping[int, str]) -> None:
        """Store a transaction with its lines and payments.

        Args:
            tx: The signed transaction.
            sale_id: The open sale it completes (unique: a second completion is refused by
                the database), None for cash movements.
            return_refs: For each return line, the original transaction's ``trans_id``.

        Raises:
            Conflict: Its number, receipt number or sale id is taken.
        """
        ...

    def by_sale_id(self, sale_id: str) -> Transaction | None:
        """The transaction that completed an open sale."""
        ...

    def by_trans_id(self, trans_id: str) -> Transaction | None:
        """The transaction with this id."""
        ...

    def by_receipt(self, register_id: str, series: str, number: int) -> Transaction | None:
        """The transaction with a receipt number of a series."""
        ...

    def last(self, register_id: str) -> Transaction | None:
        """The register's last transaction."""
        ...

    def returned(self, trans_id: str) -> dict[int, Decimal]:
        """How much of each line of a transaction later returns took back (positive),
        net of corrections; voided transactions do not count."""
        ...

    def page(
        self,
        register_id: str,
        *,
        after_nr: int = 0,
        limit: int = 500,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> list[Transaction]:
        """Up to ``limit`` transactions of a register with ``nr > after_nr`` (and a
        business day in the range), in ``nr`` order, every one read as stored
        (verification and exports rely on it: no copy kept in memory stands in)."""
        ...

    def export_rows(
        self,
        register_id: str,
        *,
        after_nr: int = 0,
        limit: int = 1000,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> RowPage:
        """Like ``page`` as plain stored rows (:class:`RowPage`), for the SAF-T export's
        fast path."""
        ...

    def report_facts(
        self, register_id: str, *, after_nr: int = 0, limit: int = 500
    ) -> list[TransactionFacts]:
        """Up to ``limit`` transactions of a register with ``nr > after_nr``, in ``nr``
        order, as an X/Z report counts them (``core/report_facts.py``): only what a report
        reads, so a report in a fresh process does not decode whole records. Whether
        facts read before are kept and used again is the storage's decision."""
        ...

    def chain_rows(
        self, register_id: str, *, after_nr: int = 0, limit: int = 500
    ) -> list[StoredTransaction]:
        """Up to ``limit`` transactions of a register with ``nr > after_nr``, in ``nr``
        order, as the stored rows our hash chain covers (``core/ledger/chain.py``)."""
        ...


class JournalRepository(Protocol):
    """The electronic journal (append-only), receipt copies and Z reports."""

    def append(self, event: JournalEvent) -> None:
        """Store an event.

        Raises:
            Conflict: Its sequence number is taken.
        """
        ...

    def append_all(self, events: Sequence[JournalEvent]) -> None:
        """Store events in one statement (a sale's receipt and drawer events).

        Raises:
            Conflict: A sequence number is taken (none of them is stored then).
        """
        ...

    def page(
        self,
        register_id: str,
        *,
        after_seq: int = 0,
        limit: int = 500,
        since: datetime | None = None,
        until: datetime | None = None,
        codes: Iterable[EventCode] | None = None,
        newest: bool = False,
    ) -> list[JournalEvent]:
        """Up to ``limit`` events of a register with ``seq > after_seq``, ``since <= at <
        until`` and one of ``codes``, in ``seq`` order; with ``newest`` the last ``limit``
        such events (still in ``seq`` order)."""
        ...

    def export_rows(
        self,
        register_id: str,
        *,
        after_seq: int = 0,
        limit: int = 1000,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[tuple[Any, ...]]:
        """Like ``page`` as plain stored rows (their columns: ``storage/export_rows.py``
        ``EVENT_COLUMNS``), for the SAF-T export's fast path."""
        ...

    def for_transaction(self, trans_id: str) -> list[JournalEvent]:
        """Every event that names a transaction."""
        ...

    def add_copy(self, trans_id: str, register_id: str, at: datetime, employee: str) -> None:
        """Record that the one copy of a receipt was printed.

        Raises:
            Conflict: A copy of it was printed before.
        """
        ...

    def copy_made(self, trans_id: str) -> bool:
        """Whether the copy of a receipt was printed."""
        ...

    def add_z(self, record: ZRecord) -> None:
        """Index a Z report.

        Raises:
            Conflict: The register has a Z report for that day or number already.
        """
        ...

    def last_z(self, register_id: str) -> ZRecord | None:
        """The register's latest Z report."""
        ...

    def z_on(self, register_id: str, day: date) -> ZRecord | None:
        """The register's Z report of a business day."""
        ...

    def chain_rows(
        self, register_id: str, *, after_seq: int = 0, limit: int = 1000
    ) -> list[StoredEvent]:
        """Up to ``limit`` events of a register with ``seq > after_seq``, in ``seq`` order,
        as the stored rows our hash chain covers (``core/ledger/chain.py``)."""
        ...

    def chain_anchors(self, register_id: str) -> ChainAnchors:
        """Where the register's state says its chains end, and its Z reports' anchors."""
        ...

    def chained_registers(self) -> list[str]:
        """Every register with a state, journal events or transactions, whether or not
        the shop lists it."""
        ...
