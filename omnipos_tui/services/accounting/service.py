"""What ``omnipos accounting`` reads and does: the vouchers' states, retry, a voucher as a
table of postings (before or after sending), the set-up check against the live system, and
the vouchers of a period (for the CSV and SAF-T Financial exports)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.ports import AccountingSystem, SetupProblem
from omnipos_tui.core.accounting.settlement import build_voucher
from omnipos_tui.core.accounting.voucher import (
    SETTLEMENT_KIND,
    Voucher,
)
from omnipos_tui.core.accounting.z_source import source_from_z
from omnipos_tui.core.clock import Clock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.outbox import OutboxRow
from omnipos_tui.core.reports.report import Report, report_from_event
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.shop.company import Company
from omnipos_tui.core.stock.documents import Supplier

PAGE = 500


@dataclass(frozen=True, slots=True)
class VoucherStatus:
    """One queued voucher (``accounting status``).

    Attributes:
        key: ``Z-<register>-<z number>`` (or another source's key).
        day: The voucher's date.
        state: pending, working, done or failed.
        tries: Deliveries begun.
        last_error: The last failure ("" when none).
        remote_id: The far end's id once booked, else None.
    """

    key: str
    day: str
    state: str
    tries: int
    last_error: str
    remote_id: str | None

    def to_dict(self) -> dict[str, object]:
        """The JSON object of ``accounting status --json``."""
        return {
            "key": self.key,
            "date": self.day,
            "state": self.state,
            "tries": self.tries,
            "last_error": self.last_error or None,
            "remote_id": self.remote_id,
        }


@dataclass(frozen=True, slots=True)
class Backlog:
    """The vouchers at a glance (``omnipos doctor``).

    Attributes:
        system: The accounting system ("file", "fiken", "tripletex"; "none").
        booked: Vouchers booked.
        waiting: Vouchers not yet booked (pending or working).
        failed: Vouchers stopped as failed.
        oldest_waiting: The key of the oldest waiting voucher, or "".
        last_error: The most recent failure of a voucher not booked ("" when none), with
            its key.
    """

    system: str
    booked: int
    waiting: int
    failed: int
    oldest_waiting: str = ""
    last_error: str = ""

    @property
    def healthy(self) -> bool:
        """Nothing failed and nothing waiting with an error."""
        return self.failed == 0 and not self.last_error


def _status(row: OutboxRow) -> VoucherStatus:
    day = row.message.payload.get("date")
    return VoucherStatus(
        row.message.key,
        str(day) if day else "",
        row.state.value,
        row.attempts,
        row.last_error,
        row.far_id,
    )


def parse_z_key(key: str) -> tuple[str, int]:
    """``Z-<register>-<z number>`` -> (register, number).

    Raises:
        InvalidInput: ``accounting.no_such_z``: not such a key.
    """
    body = key[2:] if key[:2].upper() == "Z-" else ""
    register, _, number = body.rpartition("-")
    if not register or not number.isdigit():
        raise InvalidInput(code="accounting.no_such_z", key=key)
    return register, int(number)


class AccountingService:
    """The accounting commands' use cases.

    Args:
        units: Opens units of work.
        clock: The time.
        accounts: The effective account map.
        system: Makes the configured accounting system's adapter, or None when
            ``[accounting] kind = "none"``.
        system_name: The configured kind ("none", "file", "fiken", "tripletex").
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        accounts: AccountMap,
        system: Callable[[], AccountingSystem] | None,
        system_name: str = "",
    ) -> None:
        self._units = units
        self._clock = clock
        self.accounts = accounts
        self._system = system
        self.system_name = system_name or ("none" if system is None else "configured")

    def status(self) -> list[VoucherStatus]:
        """Every queued voucher, oldest first."""
        out: list[VoucherStatus] = []
        after = 0
        with self._units(read_only=True) as uow:
            while True:
                rows = uow.outbox.of_kind(SETTLEMENT_KIND, after_id=after, limit=PAGE)
                out.extend(_status(r) for r in rows)
                if len(rows) < PAGE:
                    return out
                after = rows[-1].id

    def backlog(self) -> Backlog:
        """Booked, waiting and failed vouchers, the oldest waiting and the last error."""
        found = self.status()
        waiting = [v for v in found if v.state in ("pending", "working")]
        failed = [v for v in found if v.state == "failed"]
        troubled = [v for v in (*waiting, *failed) if v.last_error]
        return Backlog(
            system=self.system_name,
            booked=sum(1 for v in found if v.state == "done"),
            waiting=len(waiting),
            failed=len(failed),
            oldest_waiting=waiting[0].key if waiting else "",
            last_error=f"{troubled[-1].key}: {troubled[-1].last_error}" if troubled else "",
        )

    def retry(self, key: str | None, *, by: str) -> int:
        """Put failed vouchers (all, or ``key``) back to pending; how many.

        Raises:
            NotFound: ``key`` is not queued.
        """
        with self._units() as uow:
            if key is not None and uow.outbox.get(SETTLEMENT_KIND, key) is None:
                raise NotFound(code="accounting.not_queued", key=key)
            count = uow.outbox.retry(at=self._clock.now(), by=by, key=key, kind=SETTLEMENT_KIND)
            uow.commit()
        return count

    def preview(self, key: str) -> tuple[Voucher, VoucherStatus | None]:
        """The voucher of ``key`` as queued (and its state), or, for a Z report not
        queued (taken before accounting was set up), as it would be built now.

        Raises:
            InvalidInput: ``key`` is not a Z key and not queued.
            NotFound: No such Z report.
        """
        with self._units(read_only=True) as uow:
            row = uow.outbox.get(SETTLEMENT_KIND, key)
            if row is not None:
                return Voucher.from_dict(row.message.payload), _status(row)
            register, number = parse_z_key(key)
            report = _z_report(uow, register, number)
        if report is None:
            raise NotFound(code="accounting.no_such_z", key=key)
        return build_voucher(source_from_z(report), self.accounts), None

    def vouchers(self, start: date, end: date) -> Iterator[Voucher]:
        """The voucher of every Z report of every register whose business day is in
        ``start``..``end`` (inclusive), by register then number, built from the Z's own
        figures with the current account map.

        Raises:
            RuleViolation: ``accounting.bad_period``: ``end`` before ``start``.
        """
        if end < start:
            raise RuleViolation(code="accounting.bad_period", start=start, end=end)
        for report in self.z_reports(start, end):
            yield build_voucher(source_from_z(report), self.accounts)

    def z_reports(self, start: date, end: date) -> Iterator[Report]:
        """The Z reports of every register in the period (see :meth:`vouchers`)."""
        with self._units(read_only=True) as uow:
            registers = [r.register_id for r in uow.shop.registers()]
            for register in registers:
                for report in _z_reports(uow, register):
                    if start <= report.business_day <= end:
                        yield report

    def parties(self) -> tuple[Company, list[Customer], list[Supplier]]:
        """The company, the customer register and the suppliers (for SAF-T Financial).

        Raises:
            RuleViolation: ``shop.not_set_up``.
        """
        with self._units(read_only=True) as uow:
            company = uow.shop.company()
            if company is None:
                raise RuleViolation(code="shop.not_set_up")
            return company, uow.customers.list(), uow.suppliers.all()

    def test(self) -> list[SetupProblem]:
        """Check credentials and the account map against the live system.

        Raises:
            RuleViolation: ``accounting.not_configured``: kind "none".
        """
        if self._system is None:
            raise RuleViolation(code="accounting.not_configured")
        system = self._system()
        try:
            return system.check(self.accounts)
        finally:
            system.close()


def _z_reports(uow: UnitOfWork, register_id: str) -> Iterator[Report]:
    after = 0
    while True:
        page = uow.journal.page(
            register_id, after_seq=after, limit=PAGE, codes=(EventCode.Z_REPORT,)
        )
        for event in page:
            yield report_from_event(event)
        if len(page) < PAGE:
            return
        after = page[-1].seq


def _z_report(uow: UnitOfWork, register_id: str, number: int) -> Report | None:
    for report in _z_reports(uow, register_id):
        if report.report_no == number:
            return report
    return None
