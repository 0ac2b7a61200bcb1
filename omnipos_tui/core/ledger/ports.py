"""What the sale, register, report and journal services need from storage, as protocols.

The ledger is everything a register writes while it trades: its counters (transaction
number, receipt number per series, journal sequence, last signature), the open and parked
sales, card payments in flight, the completed transactions, the journal events and the Z
reports. Completed transactions, journal events, Z reports and receipt copies are
append-only; the register state, open sales and pending payments are working data.

``omnipos_tui/storage`` implements these protocols; a unit of work
(``core.repositories.UnitOfWork``) carries one of each.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from omnipos_tui.core.export_rows import RowPage
from omnipos_tui.core.ledger.chain import ChainAnchors, StoredEvent, StoredTransaction
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent, JsonObject
from omnipos_tui.core.ledger.transaction import ReceiptSeries, TenderKind, Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.facts import TransactionFacts
from omnipos_tui.core.reports.model import GrandTotals

FIRST_SIGNATURE = "0"


@dataclass
class RegisterState:
    """One register's counters and session, read under the register's lock.

    Services change it in place (``next_*``) and save it in the same unit of work, so
    numbers are allocated together with what they number: a crash never leaves a gap or
    a reuse.

    Attributes:
        register_id: The register.
        last_nr: The last signed transaction number (0 before the first).
        last_event_seq: The last journal sequence number.
        last_signature: The signature of transaction ``last_nr`` ("0" before the first).
        last_sale_id: The last open-sale counter (sale ids are "<register>-s<n>").
        receipt_numbers: The last number used per receipt series (``ReceiptSeries`` values).
        last_x: The last X report number.
        last_z: The last Z report number.
        training: Training mode is on.
        employee: The employee logged in, or None.
        logged_in_at: When they logged in.
    """

    register_id: str
    last_nr: int = 0
    last_event_seq: int = 0
    last_signature: str = FIRST_SIGNATURE
    last_sale_id: int = 0
    receipt_numbers: dict[str, int] = field(default_factory=dict)
    last_x: int = 0
    last_z: int = 0
    training: bool = False
    employee: str | None = None
    logged_in_at: datetime | None = None

    def next_nr(self) -> int:
        """Allocate the next signed transaction number."""
        self.last_nr += 1
        return self.last_nr

    def next_event_seq(self) -> int:
        """Allocate the next journal sequence number."""
        self.last_event_seq += 1
        return self.last_event_seq

    def next_receipt(self, series: str) -> int:
        """Allocate the next number of a receipt series."""
        number = self.receipt_numbers.get(series, 0) + 1
        self.receipt_numbers[series] = number
        return number

    def next_receipt_peek(self, series: str = ReceiptSeries.SALE) -> int:
        """The number the next receipt of a series will get (nothing allocated)."""
        return self.receipt_numbers.get(series, 0) + 1

    def next_sale_id(self) -> str:
        """Allocate the id of a new open sale."""
        self.last_sale_id += 1
        return f"{self.register_id}-s{self.last_sale_id}"


class SaleStatus(enum.StrEnum):
    """Where an open sale is."""

    OPEN = "open"
    PARKED = "parked"


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenSaleRecord:
    """A sale in progress as stored (rewritten after every registration).

    Attributes:
        sale_id: The sale's id.
        register_id: The register it was opened on or resumed at.
        employee: Who rings it.
        status: Open (on a till) or parked.
        note: The park note.
        snapshot: ``core.sale_snapshot.sale_to_dict`` of the sale.
        return_refs: For each return line, the ``trans_id`` of the original transaction.
        line_count: How many registrations it has (0 = empty).
        payment_count: How many payments were taken.
        total: Its total, for listings.
        training: Rung in training mode.
        started_at: When it was opened.
        updated_at: When it was last changed.
        held_by: The register that has it open (None while parked).
    """

    sale_id: str
    register_id: str
    employee: str
    status: SaleStatus
    note: str
    snapshot: JsonObject
    return_refs: dict[int, str]
    line_count: int
    payment_count: int
    total: Money
    training: bool
    started_at: datetime
    updated_at: datetime
    held_by: str | None

    @property
    def empty(self) -> bool:
        """Nothing rung and nothing paid."""
        return self.line_count == 0 and self.payment_count == 0


class PaymentStatus(enum.StrEnum):
    """The life of a card payment that was sent to a terminal."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    RESOLVED_PAID = "resolved_paid"
    RESOLVED_UNPAID = "resolved_unpaid"

    @property
    def unsettled(self) -> bool:
        """The outcome is not known yet: the sale cannot complete, park or be voided."""
        return self in (PaymentStatus.PENDING, PaymentStatus.UNKNOWN)


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingPayment:
    """A card payment written (and committed) before the terminal is asked.

    Attributes:
        reference: Our unique payment reference, given to the terminal.
        sale_id: The sale it pays.
        register_id: The register that asked.
        tender: The means of payment (card).
        amount: The amount asked for; negative for a refund.
        status: Where it is.
        result: The terminal's answer as JSON ("approved", "declined"...), or {}.
        created_at: When it was written.
        updated_at: When it last changed.
        resolved_by: The manager who resolved an unknown outcome, or "".
        employee: Who started it.
    """

    reference: str
    sale_id: str
    register_id: str
    tender: TenderKind
    amount: Money
    status: PaymentStatus
    result: JsonObject
    created_at: datetime
    updated_at: datetime
    resolved_by: str = ""
    employee: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ZRecord:
    """A Z report as indexed for the next one (the whole report is in the journal too).

    Attributes:
        register_id: The register.
        business_day: The day it closed (one per register per day).
        report_no: Its number in the register's Z series.
        at: When it was made.
        last_nr: The last transaction number it covered (None when it covered none).
        last_event_seq: The journal sequence of its own ZREPORT event: the next period
            starts after it.
        grand_totals: The grand totals after it.
    """

    register_id: str
    business_day: date
    report_no: int
    at: datetime
    last_nr: int | None
    last_event_seq: int
    grand_totals: GrandTotals


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
        cached: bool = False,
    ) -> list[Transaction]:
        """Up to ``limit`` transactions of a register with ``nr > after_nr`` (and a
        business day in the range), in ``nr`` order.

        ``cached`` lets the storage answer from transactions it decoded before (reports);
        without it every row is read as stored (verification, exports).
        """
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
        """Like ``page`` (never cached) as plain stored rows, for the SAF-T export's
        fast path (``core/export_rows.py``)."""
        ...

    def report_facts(
        self, register_id: str, *, after_nr: int = 0, limit: int = 500
    ) -> list[TransactionFacts]:
        """Up to ``limit`` transactions of a register with ``nr > after_nr``, in ``nr``
        order, as an X/Z report counts them (``core/report_facts.py``): only what a report
        reads, so a report in a fresh process does not decode whole records."""
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
        """Like ``page`` as plain stored rows (``core/export_rows.EVENT_COLUMNS``), for
        the SAF-T export's fast path."""
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
