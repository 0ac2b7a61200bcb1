"""What the ledger's storage keeps besides the registered records: each register's
counters and session (:class:`RegisterState`), the open and parked sales
(:class:`OpenSaleRecord`), card payments in flight (:class:`PendingPayment`) and the Z
report index (:class:`ZRecord`). The repositories that keep them are in
``core/ledger/ports.py``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from omnipos_tui.core.ledger.journal import JsonObject
from omnipos_tui.core.ledger.transaction import ReceiptSeries, TenderKind
from omnipos_tui.core.money import Money
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
