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

Checking (:func:`check_chains`) walks each register's rows in order and checks every row
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
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
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


def _span(register_id: str, first: int, last: int, sep: str = "-") -> str:
    if first == last:
        return f"{register_id}{sep}{first}"
    return f"{register_id}{sep}{first}..{register_id}{sep}{last}"


def _numbers(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}..{last}"


# --- the check ---------------------------------------------------------------------------


def check_chains(
    register_id: str,
    anchors: Callable[[], ChainAnchors],
    event_pages: Iterable[Sequence[StoredEvent]],
    transaction_pages: Iterable[Sequence[StoredTransaction]],
) -> ChainCheck:
    """Check one register's event and transaction chains and their anchors.

    The pages are read lazily, after the first call of ``anchors``, and ``anchors`` is
    asked again when rows were read that its first answer does not cover (a till that
    went on selling during the check wrote them; rows past the later answer were added
    outside OmniPOS). So the check needs no snapshot of the database.

    Args:
        register_id: The register.
        anchors: Reads the register's state and Z report anchors.
        event_pages: Its journal event rows in ``seq`` order, page by page.
        transaction_pages: Its transactions in ``nr`` order, page by page.

    Returns:
        What was found.
    """
    result = ChainCheck(register_id)
    first = anchors()
    # ``anchors`` is asked again (never cached) only when rows were read that the first
    # answer does not cover: the answer then covers everything read before it.
    _EventWalk(result, first).run(_rows(event_pages), anchors)
    _TransactionWalk(result, first).run(_rows(transaction_pages), anchors)
    return result


def _rows(pages: Iterable[Sequence[_T]]) -> Iterator[_T]:
    for page in pages:
        yield from page


class _Walk:
    """What the two walks share: numbering, links, the tail and the Z anchors."""

    noun = ""
    plural = ""

    def __init__(self, result: ChainCheck, anchors: ChainAnchors) -> None:
        self.result = result
        self.register_id = result.register_id
        self.anchors = anchors
        self.previous_number = 0
        self.previous_chain = GENESIS
        self.chains: dict[int, str] = {0: GENESIS}  # those the anchors point at
        self.past_state: dict[int, str] = {}  # chain values of rows past the state

    # what each walk knows about its anchors
    def anchored_last(self, anchors: ChainAnchors) -> tuple[int, str]:
        raise NotImplementedError

    def z_positions(self) -> dict[int, list[ZAnchor]]:
        raise NotImplementedError

    def label(self, number: int) -> str:
        raise NotImplementedError

    def numbered(self, number: int, chain: str, wanted: set[int], last: int) -> None:
        """Keep the chain values the anchors will be compared with."""
        if number in wanted:
            self.chains[number] = chain
        if number > last:
            self.past_state[number] = chain

    def gap(self, number: int) -> None:
        """Rows missing before ``number``."""
        first, last = self.previous_number + 1, number - 1
        self.result.add(
            ProblemKind.MISSING,
            f"{self.plural} {_numbers(first, last)} of register {self.register_id}",
            f"{self.plural} {_numbers(first, last)} of register {self.register_id} are "
            f"missing before {self.label(number)}: deleted",
        )

    def finish(self, again: Callable[[], ChainAnchors]) -> None:
        """Compare the end of the chain with the register's state."""
        last, anchored = self.anchored_last(self.anchors)
        seen = self.previous_number
        if seen < last:
            self.result.add(
                ProblemKind.MISSING_AT_END,
                f"{self.plural} {_numbers(seen + 1, last)} of register {self.register_id}",
                f"the newest {self.plural} {_numbers(seen + 1, last)} of register "
                f"{self.register_id} are missing: the register's state says its last is "
                f"{last}, the stored rows end at {seen}",
            )
        elif self.chains.get(last, anchored) != anchored:
            self.result.add(
                ProblemKind.TAIL_CHANGED,
                self.label(last),
                f"{self.label(last)} is not the one the register's state recorded as its "
                f"last: it, or a {self.noun} before it, was changed or replaced",
            )
        if seen > last:
            now, anchored_now = self.anchored_last(again())
            if seen > now:
                self.result.add(
                    ProblemKind.ADDED,
                    f"{self.plural} {_numbers(now + 1, seen)} of register {self.register_id}",
                    f"{self.plural} {_numbers(now + 1, seen)} of register {self.register_id} "
                    f"were added outside OmniPOS: the register's state says its last is {now}",
                )
            elif now in self.past_state and self.past_state[now] != anchored_now:
                self.result.add(
                    ProblemKind.TAIL_CHANGED,
                    self.label(now),
                    f"{self.label(now)} is not the one the register's state recorded as its "
                    "last: it, or one before it, was changed or replaced",
                )
        for number, zs in sorted(self.z_positions().items()):
            if number > seen:
                for z in zs:
                    self.z_problem(z, f"{self.label(number)} is missing")

    def z_problem(self, z: ZAnchor, what: str) -> None:
        self.result.add(
            ProblemKind.Z_ANCHOR,
            f"Z report {z.report_no} of register {self.register_id}",
            f"Z report {z.report_no} ({z.business_day}) of register {self.register_id}: {what}",
        )


class _EventWalk(_Walk):
    noun = "event"
    plural = "journal events"

    def __init__(self, result: ChainCheck, anchors: ChainAnchors) -> None:
        super().__init__(result, anchors)
        self.zs: dict[int, list[ZAnchor]] = {}
        for z in anchors.z_reports:
            self.zs.setdefault(z.last_event_seq, []).append(z)

    def anchored_last(self, anchors: ChainAnchors) -> tuple[int, str]:
        return anchors.last_event_seq, anchors.event_chain

    def z_positions(self) -> dict[int, list[ZAnchor]]:
        return self.zs

    def label(self, number: int) -> str:
        return f"journal event {self.register_id}-{number}"

    def run(self, rows: Iterable[StoredEvent], again: Callable[[], ChainAnchors]) -> None:
        wanted = {self.anchors.last_event_seq}
        last = self.anchors.last_event_seq
        copied: set[str] = set()
        for event in rows:
            self.result.events += 1
            seq = event.seq
            if seq > self.previous_number + 1:
                self.gap(seq)
            elif link(self.previous_chain, event.values) != event.chain:
                self.result.add(
                    ProblemKind.CHANGED,
                    self.label(seq),
                    f"{self.label(seq)} ({event.code}) was changed after it was written: its "
                    f"stored fields do not give its chain value (or the chain value of the "
                    f"event before it was rewritten)",
                )
            self.numbered(seq, event.chain, wanted, last)
            for z in self.zs.get(seq, ()):
                self._z(z, event)
            if event.code == "COPYRECEIPT" and event.trans_id:
                copied.add(event.trans_id)
                known = event.trans_id in self.anchors.copies
                if not known and event.trans_id not in again().copies:
                    self.result.add(
                        ProblemKind.MISSING,
                        f"receipt copy of transaction {event.trans_id}",
                        f"{self.label(seq)} printed the copy of transaction {event.trans_id}, "
                        "but its receipt copy row is gone: deleted (a second copy could be "
                        "printed)",
                    )
            if event.code == "ZREPORT" and seq not in self.zs:
                self.result.add(
                    ProblemKind.Z_ANCHOR,
                    self.label(seq),
                    f"the Z report in {self.label(seq)} has no Z report row: the row was "
                    "deleted (the next Z report would count from an earlier one)",
                )
            self.previous_number = seq
            self.previous_chain = event.chain
        for trans_id in sorted(self.anchors.copies - copied):
            self.result.add(
                ProblemKind.ADDED,
                f"receipt copy of transaction {trans_id}",
                f"the receipt copy row of transaction {trans_id} has no COPYRECEIPT event in "
                f"register {self.register_id}'s journal: added outside OmniPOS",
            )
        self.finish(again)

    def _z(self, z: ZAnchor, event: StoredEvent) -> None:
        if event.chain != z.event_chain:
            self.z_problem(
                z,
                f"the journal up to {self.label(event.seq)} is not the one it recorded: "
                "events up to there were changed or replaced",
            )
        problem = _z_payload_problem(z, event)
        if problem:
            self.z_problem(z, problem)


def _z_payload_problem(z: ZAnchor, event: StoredEvent) -> str:
    """What in a Z report row does not agree with the report stored in its event."""
    where = f"its journal event {event.seq}"
    if event.code != "ZREPORT":
        return f"{where} is a {event.code} event, not a Z report"
    try:
        report = json.loads(event.payload)["report"]
        stored = (
            int(report["report_no"]),
            str(report["business_day"]),
            int(report["grand_totals"]["sales"]),
            int(report["grand_totals"]["returns"]),
        )
    except (ValueError, TypeError, KeyError):
        return f"{where} does not hold a readable Z report"
    indexed = (z.report_no, z.business_day, z.grand_sales, z.grand_returns)
    if stored != indexed:
        return (
            f"the Z report row (number, day, grand totals {indexed}) differs from the report "
            f"in {where} {stored}: the row was changed"
        )
    return ""


class _TransactionWalk(_Walk):
    noun = "transaction"
    plural = "transactions"

    def __init__(self, result: ChainCheck, anchors: ChainAnchors) -> None:
        super().__init__(result, anchors)
        self.zs: dict[int, list[ZAnchor]] = {}
        self.ids: dict[int, str] = {}
        for z in anchors.z_reports:
            if z.last_nr is not None:
                self.zs.setdefault(z.last_nr, []).append(z)

    def anchored_last(self, anchors: ChainAnchors) -> tuple[int, str]:
        return anchors.last_nr, anchors.transaction_chain

    def z_positions(self) -> dict[int, list[ZAnchor]]:
        return {nr: zs for nr, zs in self.zs.items() if nr > 0}

    def label(self, number: int) -> str:
        known = self.ids.get(number)
        if known:
            return f"transaction {known} (nr {number})"
        return f"transaction nr {number} of register {self.register_id}"

    def run(self, rows: Iterable[StoredTransaction], again: Callable[[], ChainAnchors]) -> None:
        wanted = {self.anchors.last_nr}
        last = self.anchors.last_nr
        for z in self.zs.get(0, ()):
            if z.transaction_chain != GENESIS:
                self.z_problem(z, "it recorded transactions where there are none")
        for tx in rows:
            self.result.transactions += 1
            nr = tx.nr
            self.ids[nr] = tx.trans_id
            if nr > self.previous_number + 1:
                self.gap(nr)
            else:
                self._check_rows(tx)
            self.numbered(nr, tx.chain, wanted, last)
            for z in self.zs.get(nr, ()):
                if tx.chain != z.transaction_chain:
                    self.z_problem(
                        z,
                        f"the transactions up to {self.label(nr)} are not the ones it "
                        "recorded: changed or replaced",
                    )
            self.previous_number = nr
            self.previous_chain = tx.chain
        self.finish(again)

    def _check_rows(self, tx: StoredTransaction) -> None:
        where = f"transaction {tx.trans_id}"
        changed = False
        for kind, rows in (("line", tx.lines), ("payment", tx.payments)):
            for row in rows:
                if digest(row.values) != row.row_hash:
                    changed = True
                    self.result.add(
                        ProblemKind.CHANGED,
                        f"{where} {kind} {row.number}",
                        f"{kind} {row.number} of {where} (nr {tx.nr}) was changed after it was "
                        "written: its stored fields do not give its hash",
                    )
        children = [row.row_hash for row in tx.lines] + [row.row_hash for row in tx.payments]
        if changed or link(self.previous_chain, tx.values, children) == tx.chain:
            return
        self.result.add(
            ProblemKind.CHANGED,
            where,
            f"{where} (nr {tx.nr}) was changed after it was written: its stored fields, or "
            "which lines and payments it has, do not give its chain value (or the chain "
            "value of the transaction before it was rewritten)",
        )
