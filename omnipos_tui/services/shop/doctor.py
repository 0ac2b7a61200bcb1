"""``omnipos doctor``: everything a technician checks first, each finding with its fix.

The checks run in the order a technician would work: the database (reachable, migrated,
intact, append-only triggers), the signature chain, the signing keys, the outbox (a worker
not running, a backlog, failed messages), every device, the free disk and the clock. A
check that cannot run because an earlier one failed says so rather than failing twice. The
configuration itself is checked by the front end before any of this can be built.

Its parts are in modules of their own: the database (``doctor_database.py``), the server
(``doctor_server.py``), files at rest (``doctor_files.py``) and the findings
(``findings.py``); their words are in :mod:`omnipos_tui.messages.doctor`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import Message, NotFound, PosError, SigningKeyError, StorageError
from omnipos_tui.core.repositories import DatabaseAdmin
from omnipos_tui.services.accounting.service import Backlog
from omnipos_tui.services.ledger.journal import JournalService
from omnipos_tui.services.ledger.keys import KeyService
from omnipos_tui.services.outbox.health import outbox_notes
from omnipos_tui.services.outbox.worker import OutboxStatus
from omnipos_tui.services.shop.doctor_database import database_findings
from omnipos_tui.services.shop.doctor_files import AtRest, at_rest_findings
from omnipos_tui.services.shop.findings import Finding, Level, as_found
from omnipos_tui.services.shop.hardware import HardwareService

__all__ = ["DoctorService", "Finding", "Level"]

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
        report = yield from database_findings(self._database)
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

    # --- the register and its signatures ------------------------------------------------

    def _register_findings(self) -> Generator[Finding, None, bool]:
        """The till refuses to start as a register the shop does not have."""
        try:
            self._journal.check_register(self._register_id)
        except NotFound:
            known = [r.register_id for r in self._journal.registers()]
            yield Finding(
                Level.FAIL,
                Message("doctor.topic.till_start"),
                Message(
                    "doctor.register.unknown",
                    register=self._register_id,
                    known=known or Message("doctor.none"),
                ),
                Message("doctor.register.unknown_fix", register=self._register_id),
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
                Message("doctor.topic.signature_chains"),
                Message("doctor.signatures.unchecked", error=exc),
                Message("doctor.signatures.unchecked_fix"),
            )
            return
        for result in results:
            topic = Message("doctor.topic.signature_chain", register=result.register_id)
            broken = result.broken
            if result.unchecked and broken is not None:
                yield Finding(
                    Level.WARN,
                    topic,
                    Message(
                        "doctor.signatures.partly", checked=result.checked, detail=broken.detail
                    ),
                    Message("doctor.signatures.partly_fix"),
                )
            elif broken is not None:
                yield Finding(
                    Level.FAIL,
                    topic,
                    Message(
                        "doctor.signatures.broken",
                        nr=broken.nr,
                        trans_id=broken.trans_id,
                        detail=broken.detail,
                    ),
                    Message("doctor.stop_and_verify"),
                )
            elif result.checked == 0:
                yield Finding(Level.OK, topic, Message("doctor.signatures.none_yet"))
            else:
                yield Finding(
                    Level.OK,
                    topic,
                    Message("doctor.signatures.ok", checked=result.checked, last_nr=result.last_nr),
                )

    # --- the outbox and accounting ------------------------------------------------------

    def _outbox_findings(self) -> Iterator[Finding]:
        if self._outbox is None:
            return
        topic = Message("doctor.topic.outbox")
        try:
            status = self._outbox()
        except StorageError as exc:
            yield Finding(
                Level.FAIL,
                topic,
                Message("doctor.cannot_be_read", error=exc),
                Message("doctor.fix_database"),
            )
            return
        for note in outbox_notes(status):
            yield Finding(Level.WARN if note.warn else Level.OK, topic, note.text, note.fix)

    def _accounting_findings(self) -> Iterator[Finding]:
        if self._accounting is None:
            return
        topic = Message("doctor.topic.accounting")
        try:
            backlog = self._accounting()
        except StorageError as exc:
            yield Finding(
                Level.FAIL,
                topic,
                Message("doctor.cannot_be_read", error=exc),
                Message("doctor.fix_database"),
            )
            return
        oldest, last_error = backlog.oldest_waiting, backlog.last_error
        text = Message(
            "doctor.accounting.backlog",
            system=backlog.system,
            booked=backlog.booked,
            waiting=backlog.waiting,
            oldest=Message("doctor.accounting.oldest", when=oldest) if oldest else "",
            failed=backlog.failed,
            last_error=Message("doctor.accounting.last_error", error=last_error)
            if last_error
            else "",
        )
        if backlog.healthy:
            yield Finding(Level.OK, topic, text)
            return
        fix = (
            Message("doctor.accounting.retry_fix")
            if backlog.failed
            else Message("doctor.accounting.waiting_fix")
        )
        yield Finding(Level.WARN, topic, text, fix)

    # --- signing keys -------------------------------------------------------------------

    def _key_findings(self) -> Iterator[Finding]:
        topic = Message("doctor.topic.signing_key")
        try:
            versions = self._keys.versions()
            if not versions:
                yield Finding(
                    Level.FAIL,
                    topic,
                    Message("doctor.key.missing", folder=self._data_dir / "keys"),
                    Message("doctor.key.missing_fix"),
                )
                return
            algorithm = self._keys.algorithm
        except SigningKeyError as exc:
            yield Finding(Level.FAIL, topic, as_found(exc), Message("doctor.key.unreadable_fix"))
            return
        yield Finding(
            Level.OK, topic, Message("doctor.key.ok", version=versions[-1], algorithm=algorithm)
        )

    # --- devices ------------------------------------------------------------------------

    def _device_findings(self) -> Iterator[Finding]:
        try:
            checks = self._hardware.check()
        except PosError as exc:
            yield Finding(
                Level.FAIL,
                Message("doctor.topic.devices"),
                as_found(exc),
                Message("doctor.devices.fix"),
            )
            return
        for check in checks:
            info = check.device
            where = Message("doctor.where", where=info.where)
            place = where if info.where and info.where != info.kind else ""
            topic = (
                Message("doctor.topic.printer", name=info.name, kind=info.kind, where=place)
                if info.role.endswith("printer")
                else Message(
                    "doctor.topic.device",
                    role=info.role.replace("_", " "),
                    kind=info.kind,
                    where=place,
                )
            )
            if check.ok:
                yield Finding(Level.OK, topic, as_found(check.state))
            else:
                yield Finding(
                    Level.FAIL, topic, as_found(check.state), _device_fix(info.role, info.kind)
                )

    # --- disk and clock -----------------------------------------------------------------

    def _disk_findings(self) -> Iterator[Finding]:
        folder = self._data_dir
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        free = shutil.disk_usage(folder).free
        topic = Message("doctor.topic.disk")
        shown = Message("doctor.disk.free", gb=Decimal(f"{free / 1024**3:.1f}"), folder=folder)
        if free < DISK_FAIL_BYTES:
            yield Finding(Level.FAIL, topic, shown, Message("doctor.disk.fail_fix"))
        elif free < DISK_WARN_BYTES:
            yield Finding(Level.WARN, topic, shown, Message("doctor.disk.warn_fix"))
        else:
            yield Finding(Level.OK, topic, shown)
        if self._data_dir.exists() and not os.access(self._data_dir, os.W_OK):
            yield Finding(
                Level.FAIL,
                Message("doctor.topic.data_dir"),
                Message("doctor.data_dir.read_only", folder=self._data_dir),
                Message("doctor.data_dir.read_only_fix", folder=self._data_dir),
            )

    def _clock_findings(self, has_journal: bool) -> Iterator[Finding]:
        try:
            zone = ZoneInfo(LOCAL_ZONE)
        except ZoneInfoNotFoundError:
            yield Finding(
                Level.FAIL,
                Message("doctor.topic.time_zone"),
                Message("doctor.zone.missing", zone=LOCAL_ZONE),
                Message("doctor.zone.missing_fix"),
            )
            return
        now = self._clock.now()
        local = now.astimezone(zone)
        yield Finding(
            Level.OK,
            Message("doctor.topic.time_zone"),
            Message("doctor.zone.ok", zone=LOCAL_ZONE, offset=local.strftime("%z")),
        )
        topic = Message("doctor.topic.clock")
        if now < EARLIEST_PLAUSIBLE:
            yield Finding(
                Level.FAIL,
                topic,
                Message("doctor.clock.not_set", now=local),
                Message("doctor.clock.not_set_fix"),
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
                    topic,
                    Message("doctor.clock.went_back", now=local, later=later.at.astimezone(zone)),
                    Message("doctor.clock.went_back_fix"),
                )
                return
        yield Finding(Level.OK, topic, Message("doctor.clock.ok", now=local, zone=LOCAL_ZONE))


def _device_fix(role: str, kind: str) -> Message:
    """The usual fix for a device that does not answer."""
    if kind == "simulated":
        return Message("doctor.device.simulated_fix")
    if kind.startswith("escpos") or kind in {"serial", "concert"}:
        return Message("doctor.device.serial_fix", role=role)
    if kind == "evdev":
        return Message("doctor.device.evdev_fix")
    return Message("doctor.device.other_fix", role=role)
