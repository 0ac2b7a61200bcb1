"""X and Z reports of a register (R-28...R-31).

A report covers everything since the register's previous Z report: the transactions after
its last number and the journal events after its own event. The whole report is written
into the journal (13008 X, 13009 Z) in the same unit of work. A Z report closes the
business day: one per register per day, refused while sales are open or parked or a card
payment is unsettled at the register; its grand totals carry on from the previous Z and
are never reset.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from omnipos_tui.core.clock import Clock, business_day, local
from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.events import ZReportClosed
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.ledger.ports import SaleStatus, ZRecord
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.facts import TransactionFacts
from omnipos_tui.core.reports.report import (
    GrandTotals,
    Report,
    ReportKind,
    build_report,
    report_from_event,
    report_payload,
)
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.shop.company import Register
from omnipos_tui.services.ledger.steps import journal, lock_register

PAGE = 1000

# The events an X/Z report counts (``core.reports``: drawer openings without sale, copies,
# pro forma receipts, price look-ups). Only these are read for a report: a busy day has
# thousands of receipt and drawer events that count nowhere. A test checks that a report
# built from all events equals one built from these.
REPORT_EVENTS = (
    EventCode.DRAWER_OPEN_NO_SALE,
    EventCode.COPY_RECEIPT,
    EventCode.PROFORMA_RECEIPT,
    EventCode.PRICE_LOOKUP,
)


@dataclass(frozen=True, slots=True)
class ZOutlook:
    """What a Z report taken now would close, and why it might be too early: the till shows
    it before the cash is counted.

    Attributes:
        business_day: The business day a Z now would close (today, Oslo date).
        taken_at: When today's Z was taken, if it was: a second one is refused.
        closes_at: The shop's closing time when it is still to come today (a Z now is
            taken while the shop is open), else None.
        last_sale_day: The business day of the newest transaction the Z would count, when
            that is an earlier day than ``business_day`` (yesterday's trading, closed as
            today: today's sales could get no Z of their own today), else None.
    """

    business_day: date
    taken_at: datetime | None = None
    closes_at: time | None = None
    last_sale_day: date | None = None

    @property
    def unfinished(self) -> bool:
        """Whether the day looks unfinished (ask before taking the Z)."""
        return self.closes_at is not None or self.last_sale_day is not None


class ReportService:
    """X and Z reports, and reading them back.

    Args:
        units: The unit-of-work factory.
        clock: Where the time comes from.
        closes_at: The shop's closing time (Oslo), for :meth:`z_outlook`; None when not set.
    """

    def __init__(
        self, units: UnitOfWorkFactory, clock: Clock, *, closes_at: time | None = None
    ) -> None:
        self._units = units
        self._clock = clock
        self._closes_at = closes_at

    def z_outlook(self, register_id: str) -> ZOutlook:
        """Whether a Z report now would close a day that looks unfinished, or today's Z is
        taken already (the till says so before the cash count; :meth:`z_report` still
        decides). Reads two rows; writes nothing."""
        now = self._clock.now()
        today = business_day(now)
        with self._units(read_only=True) as uow:
            taken = uow.journal.z_on(register_id, today)
            last_z = uow.journal.last_z(register_id)
            newest = uow.transactions.last(register_id)
        if taken is not None:
            return ZOutlook(today, taken_at=taken.at)
        closes = self._closes_at
        early = closes if closes is not None and local(now).time() < closes else None
        after_nr = 0 if last_z is None else last_z.last_nr or 0
        stale = (
            newest.business_day
            if newest is not None and newest.nr > after_nr and newest.business_day < today
            else None
        )
        return ZOutlook(today, closes_at=early, last_sale_day=stale)

    def x_report(self, register_id: str, *, employee: str) -> Report:
        """The X report of the period since the last Z (no reset), journaled whole (13008).

        Raises:
            RuleViolation: The shop is not set up.
        """
        return self._report(ReportKind.X, register_id, employee, None)

    def z_report(
        self,
        register_id: str,
        *,
        employee: str,
        counted_cash: Mapping[TenderKind, Money] | None = None,
    ) -> Report:
        """The Z report closing the business day, journaled whole (13009).

        Args:
            counted_cash: Money counted per tender; the report shows it against what was
                expected.

        Raises:
            RuleViolation: A Z report was made today already; sales are open or parked or
                a card payment is unsettled at the register; training mode is on; or the
                shop is not set up.
        """
        return self._report(ReportKind.Z, register_id, employee, counted_cash)

    def prepare(self, register_id: str) -> int:
        """Read the transactions an X or Z report of the register would count now into
        the process's cache, so that its first report after a restart need not read
        them (the till runs this in the background once its log-in screen is up). Writes
        nothing; returns how many transactions the period has.
        """
        with self._units(read_only=True) as uow:
            last = uow.journal.last_z(register_id)
            after_nr = 0 if last is None else last.last_nr or 0
            return sum(1 for _ in _all_transactions(uow, register_id, after_nr))

    def _report(
        self,
        kind: ReportKind,
        register_id: str,
        employee: str,
        counted_cash: Mapping[TenderKind, Money] | None,
    ) -> Report:
        with self._units() as uow:
            state = lock_register(uow, register_id)
            now = self._clock.now()
            day = business_day(now)
            if kind is ReportKind.Z:
                self._check_day_can_close(uow, register_id, day, state.training)
            company = uow.shop.company()
            if company is None:
                raise RuleViolation(code="shop.not_set_up")
            register = next(
                (r for r in uow.shop.registers() if r.register_id == register_id),
                Register(register_id, f"Kasse {register_id}"),
            )
            last = uow.journal.last_z(register_id)
            after_nr = 0 if last is None else last.last_nr or 0
            report = build_report(
                kind,
                company=company,
                register=register,
                transactions=_all_transactions(uow, register_id, after_nr),
                events=_all_events(
                    uow,
                    register_id,
                    0 if last is None else last.last_event_seq,
                    codes=REPORT_EVENTS,
                ),
                grand_totals_before=GrandTotals() if last is None else last.grand_totals,
                report_no=(state.last_x if kind is ReportKind.X else state.last_z) + 1,
                at=now,
                employee=employee,
                counted_cash=counted_cash,
                groups=uow.catalogue.groups(),
                business_day=day,
            )
            if kind is ReportKind.X:
                state.last_x += 1
            else:
                state.last_z += 1
            event = journal(
                uow,
                state,
                kind.event_code,
                now,
                employee=employee,
                text=f"{kind.heading} nr {report.report_no}",
                payload=report_payload(report),
                training=False,
            )
            if kind is ReportKind.Z:
                uow.journal.add_z(
                    ZRecord(
                        register_id=register_id,
                        business_day=day,
                        report_no=report.report_no,
                        at=now,
                        last_nr=state.last_nr,
                        last_event_seq=event.seq,
                        grand_totals=report.grand_totals,
                    )
                )
                uow.record(ZReportClosed(register_id, report.report_no, day, report))
            uow.register_states.save(state)
            uow.commit()
        return report

    @staticmethod
    def _check_day_can_close(uow: UnitOfWork, register_id: str, day: date, training: bool) -> None:
        if uow.journal.z_on(register_id, day) is not None:
            raise RuleViolation(code="report.z_taken", register_id=register_id, day=day)
        if training:
            raise RuleViolation(code="report.training_on")
        busy = [
            r
            for r in uow.open_sales.on_register(register_id)
            if r.status is SaleStatus.PARKED or not r.empty
        ]
        if busy:
            parked = sum(1 for r in busy if r.status is SaleStatus.PARKED)
            raise RuleViolation(
                code="report.sales_open",
                open=len(busy) - parked,
                parked=parked,
                register_id=register_id,
            )
        pending = uow.pending_payments.unsettled(register_id)
        if pending:
            raise RuleViolation(
                code="report.cards_unsettled", references=[p.reference for p in pending]
            )

    def reports(self, register_id: str, kind: ReportKind | str, day: date) -> list[Report]:
        """The register's X or Z reports made on a day (Oslo date), in order.

        Raises:
            InvalidInput: ``kind`` is not X or Z, or a stored report is damaged.
        """
        try:
            wanted = ReportKind(str(kind).upper())
        except ValueError:
            raise InvalidInput(code="report.bad_kind", kind=kind) from None
        found = []
        with self._units(read_only=True) as uow:
            for event in _all_events(uow, register_id, 0, codes=(wanted.event_code,)):
                if event.event_date == day.isoformat():
                    found.append(report_from_event(event))
        return found

    def last_z(self, register_id: str) -> Report | None:
        """The register's latest Z report, or None."""
        with self._units(read_only=True) as uow:
            last = uow.journal.last_z(register_id)
            if last is None:
                return None
            events = uow.journal.page(register_id, after_seq=last.last_event_seq - 1, limit=1)
        return report_from_event(events[0]) if events else None


def _all_transactions(
    uow: UnitOfWork, register_id: str, after_nr: int
) -> Iterator[TransactionFacts]:
    while True:
        page = uow.transactions.report_facts(register_id, after_nr=after_nr, limit=PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after_nr = page[-1].nr


def _all_events(
    uow: UnitOfWork,
    register_id: str,
    after_seq: int,
    codes: tuple[EventCode, ...] | None = None,
) -> Iterator[JournalEvent]:
    while True:
        page = uow.journal.page(register_id, after_seq=after_seq, limit=PAGE, codes=codes)
        yield from page
        if len(page) < PAGE:
            return
        after_seq = page[-1].seq
