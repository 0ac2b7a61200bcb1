"""Exporting the electronic journal as SAF-T Cash Register (R-26), and journaling it (13020).

:class:`ExportService` gathers what one file holds -- company, registers, VAT codes,
article groups, employees, articles, customers, and each register's journal events and
cash transactions of the period as streams of stored rows from the :class:`JournalSource`
(or, for a big export, the :class:`ExportRowSource`) -- into a
:class:`SaftSource`, and hands it to a :data:`SaftFileWriter`. The writer (wired in
``bootstrap`` from ``omnipos_tui.exports``: services never import the XML code) writes to a
temporary file beside the target and renames it only when complete, so a failed export
leaves nothing half-written. Only after the file is in place is the export itself written
to each exported register's journal (event EXPORT, PredefinedBasicID 13020).

Entry dates: the database does not keep when an employee or a product was first
registered, so ``dateOfEntry`` of employees and articles is the first day of the exported
period (never later than anything in the file refers to them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.clock import OSLO, Clock, local
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput, NotFound, ReadOnlyDatabase, RuleViolation
from omnipos_tui.core.ledger.ports import RowPage
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.core.vat import RATES, VatRate
from omnipos_tui.services.ledger.export_sources import ExportRows, ExportRowSource, JournalSource
from omnipos_tui.services.ledger.steps import unknown_register

MAX_PERIOD_DAYS = 3660
"""Ten years: more than the five-year retention period; guards against typos in dates."""


@dataclass(frozen=True, slots=True)
class SaftSource:
    """Everything one SAF-T Cash Register file holds, as core records and streams.

    Attributes:
        company: The seller.
        registers: The registers exported, in order.
        first_day: First business day of the period.
        last_day: Last business day of the period.
        created_at: When the export is made (aware UTC).
        vat_rates: Every VAT code.
        groups: Every article group.
        employees: Every employee with the time they were registered.
        articles: Every product with the day it was registered (streamed).
        customers: Every customer (streamed).
        event_rows: A register's journal events of the period as pages of stored rows, in
            ``seq`` order.
        transaction_rows: A register's transactions of the period as pages of stored
            rows, in ``nr`` order.
        exported_by: Employee number of who exports, or "".
        described: The registers' records described by the reader's helper process from
            the rows it reads, for the writer to write (None: the writer describes them).
    """

    company: Company
    registers: tuple[Register, ...]
    first_day: date
    last_day: date
    created_at: datetime
    vat_rates: tuple[VatRate, ...]
    groups: tuple[ArticleGroup, ...]
    employees: tuple[tuple[Employee, datetime], ...]
    articles: Iterable[tuple[Product, date]]
    customers: Iterable[Customer]
    event_rows: Callable[[str], Iterable[list[tuple[Any, ...]]]]
    transaction_rows: Callable[[str], Iterable[RowPage]]
    exported_by: str = ""
    described: ExportRows | None = None


@dataclass(frozen=True, slots=True)
class WrittenCounts:
    """What the writer put in the file.

    Attributes:
        registers: Cash registers.
        events: Journal events (all registers).
        transactions: Cash transactions (all registers, training included).
        transactions_by_register: The same per register (None: the export counts them
            as it hands them out).
    """

    registers: int
    events: int
    transactions: int
    transactions_by_register: Mapping[str, int] | None = None


SaftFileWriter = Callable[[Path, SaftSource], WrittenCounts]
"""Writes a complete file at the path (temporary file and rename) or nothing.

Raises ``InvalidInput`` when the data cannot make a valid file and ``StorageError`` when
the file cannot be written."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A finished export.

    Attributes:
        path: The file written.
        first_day: First day of the period.
        last_day: Last day of the period.
        registers: The registers exported.
        events: Journal events in the file.
        transactions: Cash transactions in the file.
        created_at: When the export was made (aware UTC; in the file in Oslo time).
        journaled: Whether the export is in the journal (not when the database is
            read-only here, e.g. a copy on a read-only medium).
    """

    path: Path
    first_day: date
    last_day: date
    registers: tuple[str, ...]
    events: int
    transactions: int
    created_at: datetime
    journaled: bool = True


def saft_file_name(org_number: str, created_at: datetime) -> str:
    """Skatteetaten's naming: ``SAF-T Cash Register_<orgnr>_<yyyymmddhhmmss>.xml`` (Oslo)."""
    return f"SAF-T Cash Register_{org_number}_{local(created_at):%Y%m%d%H%M%S}.xml"


def day_start(day: date) -> datetime:
    """Midnight in Oslo at the start of a day, as aware UTC (DST-correct)."""
    return datetime.combine(day, time(0), tzinfo=OSLO).astimezone(UTC)


class ExportService:
    """The SAF-T Cash Register export use case."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        journal: JournalSource,
        write_file: SaftFileWriter,
        rows: ExportRowSource | None = None,
    ) -> None:
        """Wire the export.

        Args:
            units: Opens units of work (master data are read in one read-only unit).
            clock: Gives the creation time.
            journal: Streams events and transactions, and journals the export.
            write_file: Writes the file completely or not at all.
            rows: Reads a big export's rows ahead of the writer (None: every export
                reads them page by page through ``journal``).
        """
        self._units = units
        self._clock = clock
        self._journal = journal
        self._write_file = write_file
        self._rows = rows

    def export_saft(
        self,
        target: Path,
        *,
        first_day: date,
        last_day: date,
        register_id: str | None = None,
        employee: str = "",
    ) -> ExportResult:
        """Export a period of the journal to a SAF-T Cash Register file.

        Args:
            target: The file to write, or an existing directory to write
                ``SAF-T Cash Register_<orgnr>_<yyyymmddhhmmss>.xml`` into.
            first_day: First business day (Oslo) of the period.
            last_day: Last business day of the period (inclusive).
            register_id: Export only this register (default: every register).
            employee: Who exports (``userID`` and the journal event), or "" for the admin
                command line.

        Returns:
            Where the file went and what it holds.

        Raises:
            InvalidInput: The period is backwards or too long, or the data cannot make a
                valid file (nothing is written then).
            NotFound: No such register or employee.
            RuleViolation: The shop is not initialised.
            StorageError: The file cannot be written, or the rows cannot be read.
        """
        if last_day < first_day:
            raise InvalidInput(code="export.backwards", last_day=last_day, first_day=first_day)
        if (last_day - first_day).days >= MAX_PERIOD_DAYS:
            raise InvalidInput(
                code="export.too_long",
                first_day=first_day,
                last_day=last_day,
                maximum=MAX_PERIOD_DAYS,
            )
        created_at = self._clock.now()
        with self._units(read_only=True) as uow:
            company = uow.shop.company()
            if company is None:
                raise RuleViolation(code="shop.not_initialised")
            registers = tuple(uow.shop.registers())
            groups = tuple(uow.catalogue.groups())
            staff = uow.staff.list(include_inactive=True)
        if employee and employee not in {person.number for person in staff}:
            raise NotFound(code="staff.unknown_employee", number=employee)
        if register_id is not None:
            wanted = tuple(r for r in registers if r.register_id == register_id)
            if not wanted:
                raise unknown_register(register_id, registers)
            registers = wanted
        path = (
            target / saft_file_name(company.org_number, created_at) if target.is_dir() else target
        )
        entered = day_start(first_day)
        since, until = entered, day_start(last_day + timedelta(days=1))
        journal = self._journal
        counted: dict[str, int] = {}

        ahead = (
            self._rows.open(
                [r.register_id for r in registers],
                first_day=first_day,
                last_day=last_day,
                since=since,
                until=until,
            )
            if self._rows is not None
            else None
        )

        def transaction_rows(rid: str) -> Iterator[RowPage]:
            counted[rid] = 0
            pages = (
                ahead.transaction_rows(rid)
                if ahead is not None
                else journal.transaction_rows(rid, first_day=first_day, last_day=last_day)
            )
            for page in pages:
                counted[rid] += len(page.headers)
                yield page

        def event_rows(rid: str) -> Iterator[list[tuple[Any, ...]]]:
            if ahead is not None:
                return ahead.event_rows(rid)
            return journal.event_rows(rid, since=since, until=until)

        source = SaftSource(
            company=company,
            registers=registers,
            first_day=first_day,
            last_day=last_day,
            created_at=created_at,
            vat_rates=RATES,
            groups=groups,
            employees=tuple((person, entered) for person in staff),
            articles=((product, first_day) for product in self._products()),
            customers=self._customers(),
            event_rows=event_rows,
            transaction_rows=transaction_rows,
            exported_by=employee,
            described=ahead if ahead is not None and ahead.describes else None,
        )
        try:
            written = self._write_file(path, source)
        finally:
            if ahead is not None:
                ahead.close()
        journaled = True
        try:
            for register in registers:
                journal.record_export(
                    register.register_id,
                    first_day,
                    last_day,
                    path.name,
                    (written.transactions_by_register or counted).get(register.register_id, 0),
                    employee=employee,
                )
        except ReadOnlyDatabase:
            journaled = False  # a copy on a read-only medium: the file is all there is to do
        return ExportResult(
            path=path,
            first_day=first_day,
            last_day=last_day,
            registers=tuple(r.register_id for r in registers),
            events=written.events,
            transactions=written.transactions,
            created_at=created_at,
            journaled=journaled,
        )

    def default_file_name(self) -> str:
        """The file name an export made now gets when given a directory.

        Raises:
            RuleViolation: The shop is not initialised.
        """
        with self._units(read_only=True) as uow:
            company = uow.shop.company()
        if company is None:
            raise RuleViolation(code="shop.not_initialised")
        return saft_file_name(company.org_number, self._clock.now())

    def _products(self) -> Iterator[Product]:
        """Every product, streamed inside its own read-only unit of work."""
        with self._units(read_only=True) as uow:
            yield from uow.catalogue.iter_products()

    def _customers(self) -> Iterator[Customer]:
        """Every customer, read when the writer reaches them."""
        with self._units(read_only=True) as uow:
            yield from uow.customers.list()
