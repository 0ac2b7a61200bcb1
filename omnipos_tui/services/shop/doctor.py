"""``omnipos doctor``: everything a technician checks first, each finding with its fix.

The checks run in the order a technician would work: the database (reachable, migrated,
intact, append-only triggers), the signature chain, the signing keys, the outbox (a worker
not running, a backlog, failed messages), every device, the free disk and the clock. A
check that cannot run because an earlier one failed says so rather than failing twice. The
configuration itself is checked by the front end before any of this can be built.

Why this module is over 400 lines: :class:`DoctorService` is one ordered run in which later
checks use what earlier ones found (the database report, whether there is a journal, a
register that is set up); its separable parts are in their own modules already (files at
rest: ``doctor_files.py``, the server: ``doctor_server.py``, the findings:
``findings.py``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import NotFound, PosError, SigningKeyError, StorageError
from omnipos_tui.core.repositories import DatabaseAdmin, DatabaseReport
from omnipos_tui.services.accounting.service import Backlog
from omnipos_tui.services.ledger.journal import JournalService
from omnipos_tui.services.ledger.keys import KeyService
from omnipos_tui.services.outbox.health import outbox_notes
from omnipos_tui.services.outbox.worker import OutboxStatus
from omnipos_tui.services.shop.doctor_files import AtRest, at_rest_findings
from omnipos_tui.services.shop.doctor_server import role_finding, server_findings
from omnipos_tui.services.shop.findings import Finding, Level

__all__ = ["DoctorService", "Finding", "Level"]
from omnipos_tui.services.shop.hardware import HardwareService

#: Less free space than this in the data directory is a failure (the database and the
#: print spool must be able to grow during the day).
DISK_FAIL_BYTES = 100 * 1024 * 1024
#: Less than this is a warning.
DISK_WARN_BYTES = 1024 * 1024 * 1024
#: A system clock before this cannot be right (the software did not exist yet).
EARLIEST_PLAUSIBLE = datetime(2025, 1, 1, tzinfo=UTC)
#: Journal entries this far after the system clock mean the clock went back.
CLOCK_SLACK = timedelta(minutes=5)
LOCAL_ZONE = "Europe/Oslo"


class DoctorService:
    """Runs the checks.

    Args:
        database: Migrations and checks of the database.
        journal: Reads the journal and verifies the signature chain.
        keys: The signing keys.
        hardware: The configured devices.
        clock: The system clock being checked.
        data_dir: The data directory (database, keys, print spool).
        register_id: This till's register (checked to be set up; every register's chains
            are verified).
        outbox: Reads the outbox's status (None: not checked).
        at_rest: File modes and PIN hash cost (None: not checked).
        accounting: Reads the settlement vouchers' backlog (None: no accounting system).
        webshop: The web shop sync's findings (None: no web shop).
    """

    def __init__(
        self,
        *,
        database: DatabaseAdmin,
        journal: JournalService,
        keys: KeyService,
        hardware: HardwareService,
        clock: Clock,
        data_dir: Path,
        register_id: str,
        outbox: Callable[[], OutboxStatus] | None = None,
        at_rest: AtRest | None = None,
        accounting: Callable[[], Backlog] | None = None,
        webshop: Callable[[], Iterable[Finding]] | None = None,
    ) -> None:
        self._database = database
        self._journal = journal
        self._keys = keys
        self._hardware = hardware
        self._clock = clock
        self._data_dir = data_dir
        self._register_id = register_id
        self._outbox = outbox
        self._at_rest = at_rest
        self._accounting = accounting
        self._webshop = webshop

    def run(self) -> Iterator[Finding]:
        """Every finding, as each check completes (so a slow device does not hide the
        rest)."""
        report = yield from self._database_findings()
        known = True
        if report is not None and report.schema_version > 0:
            known = yield from self._register_findings()
            yield from self._chain_findings()
        yield from self._key_findings()
        if self._at_rest is not None:
            yield from at_rest_findings(self._at_rest)
        if report is not None and report.ok:
            yield from self._outbox_findings()
            yield from self._accounting_findings()
            if self._webshop is not None:
                yield from self._webshop()
        yield from self._device_findings()
        yield from self._disk_findings()
        yield from self._clock_findings(known and report is not None and report.schema_version > 0)

    # --- database -----------------------------------------------------------------------

    def _database_findings(self) -> Generator[Finding, None, DatabaseReport | None]:
        where = f"{self._database.engine} {self._database.location}"
        if self._database.engine == "postgresql":
            reachable = yield from server_findings(self._database)
            if not reachable:
                return None
        try:
            report = self._database.check()
        except StorageError as exc:
            yield Finding(
                Level.FAIL,
                "database",
                f"{where} cannot be used: {exc}",
                "check the database URL (OMNIPOS_DB_URL or [database] url) and that the "
                "server is running and reachable",
            )
            return None
        if report.schema_version == 0:
            yield Finding(
                Level.FAIL,
                "database",
                f"{where} is not set up ({report.integrity})"
                if report.integrity != "ok"
                else f"{where} is not set up",
                "run 'omnipos init' (or 'omnipos init --demo' for the demo shop)",
            )
            return report
        if report.schema_version < report.latest_version:
            yield Finding(
                Level.FAIL,
                "database",
                f"{where} is at schema version {report.schema_version}; this OmniPOS needs "
                f"{report.latest_version}",
                "back it up ('omnipos db backup FILE'), then run 'omnipos db migrate'",
            )
        elif report.schema_version > report.latest_version:
            yield Finding(
                Level.FAIL,
                "database",
                f"{where} is at schema version {report.schema_version}, newer than this "
                f"OmniPOS ({report.latest_version})",
                "install the OmniPOS version that created it",
            )
        else:
            yield Finding(
                Level.OK, "database", f"{where} reachable, schema version {report.schema_version}"
            )
        if report.engine == "postgresql" and report.access:
            yield role_finding(report.access)
        if report.integrity not in {"ok", "not available"}:
            yield Finding(
                Level.FAIL,
                "database integrity",
                report.integrity,
                "stop selling, copy the data directory aside and restore the last backup",
            )
        missing = report.missing_triggers
        if missing:
            yield Finding(
                Level.FAIL,
                "append-only triggers",
                f"missing: {', '.join(missing)} (journal rows could be changed or deleted)",
                "run 'omnipos db migrate' to re-create them, then 'omnipos journal verify'",
            )
        else:
            tables = ", ".join(sorted(report.append_only)) or "none yet"
            yield Finding(Level.OK, "append-only triggers", f"present on {tables}")
        for chain in report.chains:
            topic = f"hash chain (register {chain.register_id})"
            if chain.ok:
                yield Finding(
                    Level.OK,
                    topic,
                    f"{chain.events} journal events and {chain.transactions} transactions whole",
                )
                continue
            first = chain.problems[0]
            more = len(chain.problems) + chain.more - 1
            yield Finding(
                Level.FAIL,
                topic,
                f"{first.where}: {first.detail}" + (f" (and {more} more)" if more else ""),
                "stop selling and run 'omnipos journal verify'; keep the database as it is "
                "and contact support (the journal must not be edited)",
            )
        return report

    def _register_findings(self) -> Generator[Finding, None, bool]:
        """The till refuses to start as a register the shop does not have."""
        try:
            self._journal.check_register(self._register_id)
        except NotFound:
            known = ", ".join(r.register_id for r in self._journal.registers()) or "none"
            yield Finding(
                Level.FAIL,
                "till start",
                f"this till is register {self._register_id}, which the shop does not have "
                f"(known: {known})",
                f"omnipos registers add {self._register_id} NAME, or set shop.register_id "
                "to a known register",
            )
            return False
        return True

    def _chain_findings(self) -> Iterator[Finding]:
        """Every register's signatures (another till's on a shared database too)."""
        try:
            results = self._journal.verify()
        except (SigningKeyError, StorageError) as exc:
            yield Finding(
                Level.FAIL,
                "signature chains",
                f"cannot be checked: {exc}",
                "fix the problem named above",
            )
            return
        for result in results:
            topic = f"signature chain (register {result.register_id})"
            if result.unchecked and result.broken is not None:
                yield Finding(
                    Level.WARN,
                    topic,
                    f"{result.checked} signed transactions verify, then not checked: "
                    f"{result.broken.detail}",
                    "run 'omnipos journal verify' where the key is",
                )
            elif result.broken is not None:
                yield Finding(
                    Level.FAIL,
                    topic,
                    f"broken at transaction {result.broken.nr} ({result.broken.trans_id}): "
                    f"{result.broken.detail}",
                    "stop selling and run 'omnipos journal verify'; keep the database as it "
                    "is and contact support (the journal must not be edited)",
                )
            elif result.checked == 0:
                yield Finding(Level.OK, topic, "no signed transactions yet")
            else:
                yield Finding(
                    Level.OK,
                    topic,
                    f"{result.checked} signed transactions verify (last number {result.last_nr})",
                )

    # --- signing keys -------------------------------------------------------------------

    def _outbox_findings(self) -> Iterator[Finding]:
        if self._outbox is None:
            return
        try:
            status = self._outbox()
        except StorageError as exc:
            yield Finding(Level.FAIL, "outbox", f"cannot be read: {exc}", "fix the database")
            return
        for note in outbox_notes(status):
            yield Finding(Level.WARN if note.warn else Level.OK, "outbox", note.text, note.fix)

    def _accounting_findings(self) -> Iterator[Finding]:
        if self._accounting is None:
            return
        try:
            backlog = self._accounting()
        except StorageError as exc:
            yield Finding(Level.FAIL, "accounting", f"cannot be read: {exc}", "fix the database")
            return
        text = (
            f"{backlog.system}: {backlog.booked} voucher(s) booked, {backlog.waiting} waiting"
            + (f" (oldest {backlog.oldest_waiting})" if backlog.oldest_waiting else "")
            + f", {backlog.failed} failed"
            + (f"; last error {backlog.last_error}" if backlog.last_error else "")
        )
        if backlog.healthy:
            yield Finding(Level.OK, "accounting", text)
            return
        fix = (
            "fix the cause, then: omnipos accounting retry"
            if backlog.failed
            else "the worker tries again by itself: omnipos accounting status"
        )
        yield Finding(Level.WARN, "accounting", text, fix)

    def _key_findings(self) -> Iterator[Finding]:
        try:
            versions = self._keys.versions()
            if not versions:
                yield Finding(
                    Level.FAIL,
                    "signing key",
                    f"no signing key in {self._data_dir / 'keys'}",
                    "run 'omnipos init' (it creates the key)",
                )
                return
            algorithm = self._keys.algorithm
        except SigningKeyError as exc:
            yield Finding(
                Level.FAIL, "signing key", str(exc), "make the key readable by the till user only"
            )
            return
        yield Finding(
            Level.OK,
            "signing key",
            f"version {versions[-1]} ({algorithm}), readable by the owner only",
        )

    # --- devices ------------------------------------------------------------------------

    def _device_findings(self) -> Iterator[Finding]:
        try:
            checks = self._hardware.check()
        except PosError as exc:
            yield Finding(Level.FAIL, "devices", str(exc), "fix the [devices] settings")
            return
        for check in checks:
            info = check.device
            label = f"{info.role.replace('_', ' ')}"
            if info.role.endswith("printer"):
                label = f"printer {info.name!r}"
            where = f", {info.where}" if info.where and info.where != info.kind else ""
            topic = f"{label} ({info.kind}{where})"
            if check.ok:
                yield Finding(Level.OK, topic, check.text)
            else:
                yield Finding(Level.FAIL, topic, check.text, _device_fix(info.role, info.kind))

    # --- disk and clock -----------------------------------------------------------------

    def _disk_findings(self) -> Iterator[Finding]:
        folder = self._data_dir
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        free = shutil.disk_usage(folder).free
        shown = f"{free / 1024**3:.1f} GB free in {folder}"
        if free < DISK_FAIL_BYTES:
            yield Finding(
                Level.FAIL, "disk", shown, "free space now: the journal and spool must grow"
            )
        elif free < DISK_WARN_BYTES:
            yield Finding(Level.WARN, "disk", shown, "free some space soon (old backups, logs)")
        else:
            yield Finding(Level.OK, "disk", shown)
        if self._data_dir.exists() and not os.access(self._data_dir, os.W_OK):
            yield Finding(
                Level.FAIL,
                "data directory",
                f"{self._data_dir} is not writable by this user",
                f"run OmniPOS as the owner of {self._data_dir} (or fix its owner with chown)",
            )

    def _clock_findings(self, has_journal: bool) -> Iterator[Finding]:
        try:
            zone = ZoneInfo(LOCAL_ZONE)
        except ZoneInfoNotFoundError:
            yield Finding(
                Level.FAIL,
                "time zone",
                f"{LOCAL_ZONE} is not available (no time zone database)",
                "install it: 'sudo apt install tzdata' (or 'pip install tzdata')",
            )
            return
        now = self._clock.now()
        local = now.astimezone(zone)
        yield Finding(
            Level.OK, "time zone", f"{LOCAL_ZONE} available (UTC{local.strftime('%z')} now)"
        )
        if now < EARLIEST_PLAUSIBLE:
            yield Finding(
                Level.FAIL,
                "clock",
                f"the system clock says {local:%Y-%m-%d %H:%M}: it is not set",
                "set it: 'sudo timedatectl set-ntp true' (or 'sudo date -s ...')",
            )
            return
        if has_journal:
            later = next(
                iter(self._journal.events(self._register_id, since=now + CLOCK_SLACK, limit=1)),
                None,
            )
            if later is not None:
                yield Finding(
                    Level.FAIL,
                    "clock",
                    f"the system clock says {local:%Y-%m-%d %H:%M}, but the journal already "
                    f"has entries from {later.at.astimezone(zone):%Y-%m-%d %H:%M}: the clock "
                    "went back",
                    "correct the clock ('sudo timedatectl set-ntp true') before selling",
                )
                return
        yield Finding(Level.OK, "clock", f"{local:%Y-%m-%d %H:%M} {LOCAL_ZONE}")


def _device_fix(role: str, kind: str) -> str:
    """The usual fix for a device that does not answer."""
    if kind == "simulated":
        return "the simulated device was switched off; restart the till"
    if kind.startswith("escpos") or kind in {"serial", "concert"}:
        return (
            f"check the cable and power, then the port in [devices.{role}] "
            "(ls /dev/serial/by-id/ lists serial devices); 'omnipos hw list' re-checks"
        )
    if kind == "evdev":
        return (
            "check the scanner is plugged in and [devices.scanner] by_id/device_name "
            "(ls /dev/input/by-id/); 'omnipos hw list' re-checks"
        )
    return f"check [devices.{role}] and the device; 'omnipos hw list' re-checks"
