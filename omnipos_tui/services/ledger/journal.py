"""Reading the electronic journal and the transactions, checking the signature chains, and
journaling exports.

Events and transactions are streamed page by page, each page in its own short read-only
unit of work, so a year of data goes to a SAF-T file in flat memory and no long read
transaction holds up the tills (registered data is append-only, so pages fit together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from omnipos_tui.core.clock import OSLO, Clock
from omnipos_tui.core.ledger.chain import (
    ChainAnchors,
    ChainCheck,
    StoredEvent,
    StoredTransaction,
)
from omnipos_tui.core.ledger.chain_check import check_chains
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent, export_payload
from omnipos_tui.core.ledger.ports import RowPage
from omnipos_tui.core.ledger.signature import ChainResult, VerifierLookup, verify_chain
from omnipos_tui.core.ledger.transaction import LineKind, Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.core.shop.company import Register
from omnipos_tui.services.ledger.steps import journal, lock_register, unknown_register

PAGE = 1000

Moment = datetime | date
"""A point in time, or a business day (from its start in Oslo)."""


def _start(moment: Moment | None) -> datetime | None:
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(), tzinfo=OSLO).astimezone(UTC)


def _end(moment: Moment | None) -> datetime | None:
    if moment is None or isinstance(moment, datetime):
        return moment
    return _start(moment + timedelta(days=1))


def consistency_problem(tx: Transaction) -> str | None:
    """What does not add up in a stored transaction, or None.

    The signature covers the totals; this check ties the lines and payments to them, so
    a changed line or payment amount is found too.
    """
    lines = tx.lines
    if Money.sum([ln.amount for ln in lines]) != tx.total and lines:
        return f"its lines add up to {Money.sum([ln.amount for ln in lines])}, not {tx.total}"
    if lines and Money.sum([ln.net for ln in lines]) != tx.total_ex_vat:
        return f"its lines' amounts excluding VAT do not add up to {tx.total_ex_vat}"
    if not tx.voided and tx.paid() != tx.total + tx.rounding:
        return f"its payments ({tx.paid()}) do not settle {tx.total + tx.rounding}"
    for line in lines:
        if line.kind is LineKind.CORRECTION and line.corrects_line is None:
            return f"line {line.line_no} is a correction of nothing"
    return None


class JournalService:
    """The journal, the transactions and the chains, read back."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        verifiers: Callable[[str], VerifierLookup],
    ) -> None:
        """Build the service.

        Args:
            units: Opens units of work.
            clock: Where the time comes from.
            verifiers: The key versions of a register (``KeyService.verifiers``): a
                verifier, not available here (an HMAC secret elsewhere), or unknown.
        """
        self._units = units
        self._clock = clock
        self._verifiers = verifiers

    def registers(self) -> list[Register]:
        """Every register of the shop."""
        with self._units(read_only=True) as uow:
            return uow.shop.registers()

    def _register_ids(self, register_id: str | None) -> list[str]:
        """The one register asked for (checked), or every register of the shop.

        Raises:
            NotFound: The shop has no such register.
        """
        if register_id is not None:
            self.check_register(register_id)
            return [register_id]
        return [r.register_id for r in self.registers()]

    def check_register(self, register_id: str) -> None:
        """Refuse a register the shop does not have (one whose rows are in the journal
        counts: its chain can still be checked).

        Raises:
            NotFound: No such register; the error names the known ones.
        """
        with self._units(read_only=True) as uow:
            registers = uow.shop.registers()
            if register_id in {r.register_id for r in registers}:
                return
            if register_id in set(uow.journal.chained_registers()):
                return
        raise unknown_register(register_id, registers)

    def events(
        self,
        register_id: str | None = None,
        *,
        since: Moment | None = None,
        until: Moment | None = None,
        codes: Iterable[EventCode] | None = None,
        limit: int | None = None,
    ) -> Iterator[JournalEvent]:
        """Journal events in ``seq`` order, register by register (all when None).

        Args:
            since: From this time, or from the start of this business day.
            until: Before this time, or to the end of this business day.
            codes: Only these codes.
            limit: At most this many events in all.
        """
        wanted = None if codes is None else tuple(codes)
        left = limit
        for register in self._register_ids(register_id):
            after = 0
            while left is None or left > 0:
                size = PAGE if left is None else min(PAGE, left)
                with self._units(read_only=True) as uow:
                    page = uow.journal.page(
                        register,
                        after_seq=after,
                        limit=size,
                        since=_start(since),
                        until=_end(until),
                        codes=wanted,
                    )
                yield from page
                if left is not None:
                    left -= len(page)
                if len(page) < size:
                    break
                after = page[-1].seq

    def newest_events(
        self,
        count: int,
        register_id: str | None = None,
        *,
        since: Moment | None = None,
        until: Moment | None = None,
        codes: Iterable[EventCode] | None = None,
    ) -> list[JournalEvent]:
        """The ``count`` newest events (by time; all registers when None), oldest first.

        Args:
            since: From this time, or from the start of this business day.
            until: Before this time, or to the end of this business day.
            codes: Only these codes.
        """
        wanted = None if codes is None else tuple(codes)
        found: list[JournalEvent] = []
        registers = self._register_ids(register_id)
        with self._units(read_only=True) as uow:
            for register in registers:
                found += uow.journal.page(
                    register,
                    limit=count,
                    since=_start(since),
                    until=_end(until),
                    codes=wanted,
                    newest=True,
                )
        found.sort(key=lambda e: (e.at, e.register_id, e.seq))
        return found[-count:] if count > 0 else []

    def transactions(
        self,
        register_id: str | None = None,
        *,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> Iterator[Transaction]:
        """Transactions of business days ``first_day``..``last_day`` (inclusive), streamed
        in ``nr`` order, register by register (all when None)."""
        for register in self._register_ids(register_id):
            after = 0
            while True:
                with self._units(read_only=True) as uow:
                    page = uow.transactions.page(
                        register,
                        after_nr=after,
                        limit=PAGE,
                        first_day=first_day,
                        last_day=last_day,
                    )
                yield from page
                if len(page) < PAGE:
                    break
                after = page[-1].nr

    def event_rows(
        self,
        register_id: str,
        *,
        since: Moment | None = None,
        until: Moment | None = None,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """A register's journal events as pages of plain stored rows (their columns:
        ``storage/export_rows.py``), in ``seq`` order: what the SAF-T export writes from,
        without building ``JournalEvent`` records."""
        after = 0
        while True:
            with self._units(read_only=True) as uow:
                rows = uow.journal.export_rows(
                    register_id, after_seq=after, limit=PAGE, since=_start(since), until=_end(until)
                )
            if rows:
                yield rows
            if len(rows) < PAGE:
                break
            after = int(rows[-1][0])

    def transaction_rows(
        self, register_id: str, *, first_day: date | None = None, last_day: date | None = None
    ) -> Iterator[RowPage]:
        """A register's transactions of business days ``first_day``..``last_day`` as pages
        of plain stored rows (``storage/export_rows.py``), in ``nr`` order: what the SAF-T
        export writes from, without building ``Transaction`` records."""
        after = 0
        while True:
            with self._units(read_only=True) as uow:
                page = uow.transactions.export_rows(
                    register_id,
                    after_nr=after,
                    limit=PAGE,
                    first_day=first_day,
                    last_day=last_day,
                )
            if page.headers:
                yield page
            if len(page.headers) < PAGE:
                break
            after = int(page.headers[-1][0])

    def verify(self, register_id: str | None = None) -> list[ChainResult]:
        """Check every signature, number and chain link of one register (or every
        register), and that each transaction's lines and payments add up to its signed
        totals. Each result names the first broken transaction, if any, or where the
        check stopped because a key is not available here (``ChainResult.unchecked``: an
        HMAC register checked away from its till)."""
        return [
            verify_chain(
                register,
                self.transactions(register),
                self._verifiers(register),
                check=consistency_problem,
            )
            for register in self._register_ids(register_id)
        ]

    def check_chains(self, register_id: str | None = None) -> list[ChainCheck]:
        """Check our hash chain (``core/ledger/chain.py``) of one register, or of every
        register the shop lists or any row names: every stored field of every journal
        event and transaction against the chain, numbers without gaps, and the chains'
        ends against the register's state and every Z report. Needs no key: it runs the
        same on any machine. Each result names what was found and where."""
        if register_id is None:
            with self._units(read_only=True) as uow:
                listed = {r.register_id for r in uow.shop.registers()}
                registers = sorted(listed | set(uow.journal.chained_registers()))
        else:
            registers = self._register_ids(register_id)
        return [self._check_register(register) for register in registers]

    def _check_register(self, register_id: str) -> ChainCheck:
        def anchors() -> ChainAnchors:
            with self._units(read_only=True) as uow:
                return uow.journal.chain_anchors(register_id)

        return check_chains(
            register_id,
            anchors,
            self._chained_events(register_id),
            self._chained_transactions(register_id),
        )

    def _chained_events(self, register_id: str) -> Iterator[list[StoredEvent]]:
        after = 0
        while True:
            with self._units(read_only=True) as uow:
                page = uow.journal.chain_rows(register_id, after_seq=after, limit=PAGE)
            if page:
                yield page
            if len(page) < PAGE:
                return
            after = page[-1].seq

    def _chained_transactions(self, register_id: str) -> Iterator[list[StoredTransaction]]:
        after = 0
        size = PAGE // 2
        while True:
            with self._units(read_only=True) as uow:
                page = uow.transactions.chain_rows(register_id, after_nr=after, limit=size)
            if page:
                yield page
            if len(page) < size:
                return
            after = page[-1].nr

    def record_export(
        self,
        register_id: str,
        first_day: date,
        last_day: date,
        file_name: str,
        transactions: int,
        *,
        employee: str = "",
    ) -> None:
        """Journal an export of the journal to a file (13020)."""
        with self._units() as uow:
            state = lock_register(uow, register_id)
            journal(
                uow,
                state,
                EventCode.EXPORT,
                self._clock.now(),
                employee=employee,
                text=f"SAF-T eksport {first_day.isoformat()}..{last_day.isoformat()}: {file_name}",
                payload=export_payload(
                    first_day.isoformat(), last_day.isoformat(), file_name, transactions
                ),
                training=False,
            )
            uow.register_states.save(state)
            uow.commit()
