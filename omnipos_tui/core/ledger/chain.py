"""Our hash chain, beside the legal signature: every stored field of every journal event and
of every transaction (its header, lines and payments), chained per register.

The signature Skatteetaten defines (``core/ledger/signature.py``, NORWAY-COMPLIANCE.md §2)
covers a transaction's date, time, number and two totals, and nothing else: not its lines,
payments, employee or flags, and no journal event at all. It stays exactly as defined. This
chain is ours and sits next to it, so that an edit, insertion or deletion of ANY stored row
of the ledger is found by ``omnipos journal verify`` and ``omnipos db check``:

* a journal event row stores ``chain = link(chain of the register's event before it, its
  stored fields)``; the first event links to :data:`GENESIS`;
* a transaction line or payment row stores ``row_hash = digest(its stored fields)``;
* a transaction header row stores ``chain = link(chain of the register's transaction
  before it, its stored fields, the hashes of its lines in line order and of its payments
  in order)``, so a line or payment added, removed or changed changes it;
* the register's state keeps the chain of its last event and of its last transaction
  (the tail's anchor: deleting the newest rows is found), and every Z report row keeps
  both chains as they stood at the report.

Hashes are SHA-256, written as 64 hex digits; one per stored row. The fields are the
stored column values in storage's column order (``storage/chain_rows.py``), encoded
without ambiguity by :func:`encode`: None, whole numbers (booleans as 0/1) and text each
have their own form, text is length-prefixed.

Checking (``core/ledger/chain_check.py``) walks each register's rows in order and checks every row
against the *stored* chain value of the row before it: a row changed by hand is named once
(and the rows after it still check), a number missing is a deletion, rows past the number
the register's state holds were added outside OmniPOS, and the state's and the Z reports'
anchors must meet the chain where they point. A chain value itself is not secret (anyone
can compute it): what an edit must then also rewrite -- every later row, the register's
state and every Z report after it, all append-only except the state -- is what the
append-only triggers and the database roles refuse.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

GENESIS = "0"
"""The chain value before a register's first event or transaction."""

MAX_LISTED = 20
"""Problems listed per register; further ones are only counted."""

_T = TypeVar("_T")


def _token(value: object) -> str:
    if value is None:
        return "~"
    if isinstance(value, int):  # booleans too: stored as 0/1 (SQLite) or true/false
        return f"{int(value)};"
    if isinstance(value, str):
        return f"{len(value)}:{value}"
    text = repr(value)  # a value of a type OmniPOS never stores: still hashed, never equal
    return f"{len(text)}?{text}"


def encode(values: Iterable[object]) -> str:
    """The unambiguous text of a row's values: ``~`` for None, ``12;`` for a whole
    number (a boolean as 0 or 1), ``5:hello`` for text (its length first), and
    ``N?repr`` for anything else."""
    out: list[str] = []
    add = out.append
    for value in values:  # the common exact types first: this runs for every stored row
        kind = type(value)
        if kind is str:
            add(f"{len(value)}:{value}")  # type: ignore[arg-type]
        elif value is None:
            add("~")
        elif kind is int:
            add(f"{value};")
        else:
            add(_token(value))
    return "".join(out)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def digest(values: Iterable[object]) -> str:
    """The hash of one row's stored values (a line's or a payment's ``row_hash``)."""
    return _sha256(encode(values))


def link(previous: str, values: Sequence[object], children: Sequence[str] = ()) -> str:
    """The chain value of a row: the previous row's chain value, the row's stored values,
    and the hashes of the rows that belong to it (a transaction's lines and payments)."""
    return _sha256(encode((previous, *values, len(children), *children)))


# --- stored rows, as the check reads them -----------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A journal event row as stored.

    Attributes:
        seq: Its number in the register's journal.
        code: Its event code (as stored).
        payload: Its payload's JSON text (as stored).
        values: Every stored field the chain covers, in storage's column order.
        chain: Its stored chain value.
        trans_id: The transaction it names, if any (as stored).
    """

    seq: int
    code: str
    payload: str
    values: tuple[object, ...]
    chain: str
    trans_id: str | None = None


@dataclass(frozen=True, slots=True)
class StoredRow:
    """A transaction line or payment row as stored.

    Attributes:
        number: Its line number or payment sequence number.
        values: Every stored field its hash covers, in storage's column order.
        row_hash: Its stored hash.
    """

    number: int
    values: tuple[object, ...]
    row_hash: str


@dataclass(frozen=True, slots=True)
class StoredTransaction:
    """A transaction's header row with its line and payment rows, as stored.

    Attributes:
        nr: Its transaction number.
        trans_id: Its id.
        values: Every stored field of the header the chain covers, in storage's order.
        lines: Its line rows in line order.
        payments: Its payment rows in order.
        chain: Its stored chain value.
    """

    nr: int
    trans_id: str
    values: tuple[object, ...]
    lines: tuple[StoredRow, ...]
    payments: tuple[StoredRow, ...]
    chain: str


@dataclass(frozen=True, slots=True)
class ZAnchor:
    """A Z report row: where both chains stood when it was taken.

    Attributes:
        report_no: Its number in the register's Z series.
        business_day: The day it closed ("YYYY-MM-DD").
        last_event_seq: Its own ZREPORT event.
        event_chain: The event chain value at that event.
        last_nr: The last transaction number when it was taken (None: none recorded).
        transaction_chain: The transaction chain value at ``last_nr``.
        grand_sales: The grand total of sales after it (øre).
        grand_returns: The grand total of returns after it (øre).
    """

    report_no: int
    business_day: str
    last_event_seq: int
    event_chain: str
    last_nr: int | None
    transaction_chain: str
    grand_sales: int
    grand_returns: int


@dataclass(frozen=True, slots=True)
class ChainAnchors:
    """Where a register's chains must end, and the Z reports' anchors.

    Attributes:
        last_event_seq: The last journal sequence number the register's state holds.
        event_chain: The chain value of that event.
        last_nr: The last transaction number the register's state holds.
        transaction_chain: The chain value of that transaction.
        z_reports: Every Z report of the register.
        copies: The transactions whose one receipt copy was printed at the register (their
            ``receipt_copy`` rows): each must have its COPYRECEIPT event, and each such
            event its row.
    """

    last_event_seq: int
    event_chain: str
    last_nr: int
    transaction_chain: str
    z_reports: tuple[ZAnchor, ...] = ()
    copies: frozenset[str] = frozenset()


class ProblemKind(enum.StrEnum):
    """What the chain check found."""

    CHANGED = "changed"
    """A row's stored fields do not give its stored hash: changed after it was written."""
    MISSING = "missing"
    """Numbers missing between two rows: rows deleted."""
    MISSING_AT_END = "missing_at_end"
    """The register's state holds later numbers than there are rows: the newest deleted."""
    ADDED = "added"
    """Rows past the number the register's state holds: added outside OmniPOS."""
    TAIL_CHANGED = "tail_changed"
    """The last row is not the one the register's state recorded (changed or replaced)."""
    Z_ANCHOR = "z_anchor"
    """What a Z report recorded is not there any more."""


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """One thing the chain check found.

    Attributes:
        kind: What kind of tampering it points to.
        where: What and where ("journal event 1-57", "transaction 1-12 line 2").
        detail: A sentence for the person running the check.
    """

    kind: ProblemKind
    where: str
    detail: str


@dataclass(slots=True)
class ChainCheck:
    """The outcome of checking a register's hash chains.

    Attributes:
        register_id: The register.
        events: Journal events read.
        transactions: Transactions read.
        problems: What was found (at most :data:`MAX_LISTED`), in the order found.
        more: How many further problems were found and not listed.
    """

    register_id: str
    events: int = 0
    transactions: int = 0
    problems: list[ChainProblem] = field(default_factory=list)
    more: int = 0

    @property
    def ok(self) -> bool:
        """Whether nothing was found."""
        return not self.problems

    def add(self, kind: ProblemKind, where: str, detail: str) -> None:
        """Record a problem (counted only, past the first :data:`MAX_LISTED`)."""
        if len(self.problems) < MAX_LISTED:
            self.problems.append(ChainProblem(kind, where, detail))
        else:
            self.more += 1
