"""The till's device channels: the scanner worker, the header lights measured from the
devices, and the state of paper after money.

Paper after money is not the screen's job: the sale's own commit queued its receipt, drawer
kick and customer display as outbox rows, and :class:`~omnipos_tui.services.sales.paper.TillPaper`
delivers them (right after the commit, and at start for whatever a crash left). The till
only asks it to deliver, in a thread, and shows what came of it: a failed print never
undoes a sale, the receipt stays in the persistent print queue (the header's SKR light
turns red with the count) and prints later as the original, not a copy; a drawer that did
not open is named on the warning row.

The DB light is the database's health check (``DatabaseAdmin.health``: one ``SELECT 1``,
reconnecting when the server is back): red while it does not answer, with the reason on
the warning row in the till's language; the open sale stays as it is, and the first check
that succeeds turns it green again (readings come every :data:`DOWN_POLL_INTERVAL_S` while
it is red).

Nothing here blocks the screen: every device call runs in a thread (``TillSession.run_blocking``
or a thread worker) and its result reaches the screen on the app's loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from omnipos_tui.core.database_admin import DatabaseHealth
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.outbox import DeliveryReport
from omnipos_tui.core.ports import PrinterState, Scan
from omnipos_tui.services.sales.paper import DRAWER, TillPaper
from omnipos_tui.services.sales.results import CompletedSale
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.session import TillSession
from omnipos_tui.ui.views import Light, LightState

if TYPE_CHECKING:
    from omnipos_tui.services.orders.pickup import HandOver
    from omnipos_tui.ui.app import OmniposTill

log = logging.getLogger(__name__)

R = TypeVar("R")

#: Seconds between two readings of the devices' state for the header lights.
POLL_INTERVAL_S = 2.0
#: Seconds between two readings while the database does not answer.
DOWN_POLL_INTERVAL_S = 1.0
#: Seconds between retries of receipts waiting in the print queue.
PRINT_RETRY_S = 5.0
RECEIPT_PRINTER = "receipt"


@dataclass(frozen=True, slots=True)
class DeviceReading:
    """One reading of the devices for the header.

    Attributes:
        lights: The state of each light measured.
        printer: The receipt printer's state, or None without a printer.
        queued: Receipts waiting in the print queue.
        drawer_open: The drawer sensor says open (None: no sensor or no drawer).
        database: The database's health check (None: not read).
    """

    lights: dict[Light, LightState]
    printer: PrinterState | None
    queued: int
    drawer_open: bool | None
    database: DatabaseHealth | None = None


class TillHardware:
    """The device side of a running till.

    Args:
        session: The till session (devices, services, translator).
        paper: Delivers the register's receipts, drawer kicks and display texts.
        poll_interval: Seconds between device readings; 0 reads only on demand.
    """

    def __init__(
        self, session: TillSession, paper: TillPaper, *, poll_interval: float = POLL_INTERVAL_S
    ) -> None:
        self.session = session
        self.paper = paper
        self.poll_interval = poll_interval
        self._app: OmniposTill | None = None
        self._drawer_problem = ""
        self.on_change: Callable[[], None] | None = None

    def attach(self, app: OmniposTill) -> None:
        """Start the scanner channel and the light readings inside ``app``."""
        self._app = app
        app.run_worker(self._read_scanner(app), group="scanner", exit_on_error=False)
        app.run_worker(self._poll(), group="devices", exit_on_error=False)
        app.run_worker(self._start_print_queue(), group="paper", exit_on_error=False)

    async def _start_print_queue(self) -> None:
        """Paper a crash left undelivered is delivered now (receipts as originals); receipts
        left in the queue (this run or an earlier one) print when the printer is back."""
        session = self.session

        def start() -> None:
            try:
                self.paper.recover()
            except PosError as error:
                log.warning("paper left from before: %s", error)
            devices = session.devices
            if devices.printers:
                devices.print_queue.start(PRINT_RETRY_S)

        try:
            await session.run_blocking(start)
        except PosError as error:
            log.warning("print queue: %s", error)

    # --- scanner ------------------------------------------------------------------------

    async def _read_scanner(self, app: OmniposTill) -> None:
        """Scans from the scanner port go to the app, one by one, in order."""
        try:
            scanner = await self.session.run_blocking(lambda: self.session.devices.scanner)
        except PosError as error:
            log.warning("scanner: %s", error)
            self._set({Light.SCANNER: LightState.FAULT})
            return
        if scanner is None:
            return
        try:
            async for scan in scanner.scans():
                app.deliver_scan(Scan(scan.code, scan.at, scan.symbology))
        except PosError as error:
            log.warning("scanner stopped: %s", error)
            self._set({Light.SCANNER: LightState.FAULT})

    # --- lights -------------------------------------------------------------------------

    async def _poll(self) -> None:
        while True:
            reading = await self.refresh()
            if self.poll_interval <= 0:
                return
            down = reading.database is not None and not reading.database.ok
            await asyncio.sleep(
                min(self.poll_interval, DOWN_POLL_INTERVAL_S) if down else self.poll_interval
            )

    async def refresh(self) -> DeviceReading:
        """Read the devices now (in a thread) and update the header."""
        reading = await self.session.run_blocking(self.read)
        self._apply(reading)
        return reading

    def read(self) -> DeviceReading:
        """Ask every device for its state (blocking; device calls never raise here)."""
        session = self.session
        lights: dict[Light, LightState] = {}
        try:
            devices = session.devices
        except PosError as error:
            log.warning("devices: %s", error)
            return DeviceReading(dict.fromkeys(Light, LightState.FAULT), None, 0, None)
        printer = devices.printers.get(RECEIPT_PRINTER)
        state: PrinterState | None = None
        queued = 0
        if printer is not None:
            state = _safe(printer.status, PrinterState.UNKNOWN)
            try:
                queued = len(devices.print_queue.pending(RECEIPT_PRINTER))
            except PosError as error:
                log.warning("print queue: %s", error)
            if queued or not state.can_print:
                lights[Light.PRINTER] = LightState.FAULT
            elif state is PrinterState.PAPER_LOW:
                lights[Light.PRINTER] = LightState.WARNING
            else:
                lights[Light.PRINTER] = LightState.OK
        drawer_open: bool | None = None
        if devices.drawer is not None:
            drawer_open = _safe(devices.drawer.is_open, None)
            lights[Light.DRAWER] = (
                LightState.WARNING
                if drawer_open or self._drawer_problem
                else LightState.OK
                if drawer_open is False
                else LightState.OFF
            )
        if devices.terminal is not None:
            lights[Light.TERMINAL] = LightState.OK
        if devices.scanner is not None:
            ok = _safe(devices.scanner.connected, False)
            lights[Light.SCANNER] = LightState.OK if ok else LightState.FAULT
        health = session.services.database.health()
        if not health.ok:
            log.warning("database: %s", health.detail)
        lights[Light.DATABASE] = LightState.OK if health.ok else LightState.FAULT
        return DeviceReading(lights, state, queued, drawer_open, health)

    def _apply(self, reading: DeviceReading) -> None:
        session = self.session
        t = session.translator
        session.set_lights(reading.lights)
        session.printer_queue = reading.queued
        session.drawer_open = bool(reading.drawer_open)
        state = reading.printer
        session.printer_warning = (
            t.text("pay.printer", state=state.value)
            if state is not None and state is not PrinterState.READY
            else ""
        )
        warnings = []
        health = reading.database
        if health is not None and not health.ok:
            warnings.append(
                t.text("warning.database_refused" if health.refused else "warning.database_down")
            )
        drawer = session.drawer_warning(bool(reading.drawer_open))
        if drawer:
            warnings.append(drawer)
        if self._drawer_problem:
            warnings.append(self._drawer_problem)
        if reading.queued:
            warnings.append(t.text("warning.print_queue", count=reading.queued))
        session.warning = "  ·  ".join(warnings)
        self._changed()

    def _set(self, lights: dict[Light, LightState]) -> None:
        self.session.set_lights(lights)
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # --- paper after money --------------------------------------------------------------

    def after_sale(self, completed: CompletedSale) -> None:
        """The sale is committed with its paper queued: have it delivered in a thread, then
        show the state (lights, a drawer that did not open). Never raises."""
        if self._app is None:
            self.deliver(completed)
            return
        app = self._app

        async def work() -> None:
            await self.session.run_blocking(lambda: self.deliver(completed))
            await self.refresh()

        app.run_worker(work(), group="paper", exit_on_error=False)

    def after_paper(self, done: CompletedSale | HandOver) -> None:
        """A commit queued paper: a sale (completed or voided) or a prepaid order handed
        over. Delivered in a thread as :meth:`after_sale`; never raises."""
        if isinstance(done, CompletedSale):
            self.after_sale(done)
            return
        handed = done

        def deliver() -> DeliveryReport:
            return self._delivered(
                handed.key, lambda: self.paper.deliver_handed_over(handed.key, handed.document)
            )

        if self._app is None:
            deliver()
            return

        async def work() -> None:
            await self.session.run_blocking(deliver)
            await self.refresh()

        self._app.run_worker(work(), group="paper", exit_on_error=False)

    def deliver(self, completed: CompletedSale | None = None) -> DeliveryReport:
        """Deliver the register's paper (blocking) and remember what the screen must say
        about it. A fault is logged and shown; none undoes the sale."""
        what = completed.receipt_id if completed is not None else None
        return self._delivered(what, lambda: self.paper.deliver(completed))

    def _delivered(self, what: str | None, deliver: Callable[[], DeliveryReport]) -> DeliveryReport:
        try:
            report = deliver()
        except PosError as error:
            log.warning("paper of %s waits: %s", what, error)
            return DeliveryReport()
        self._drawer_problem = ""
        for failure in report.errors:
            log.warning("%s %s: %s", failure.kind, failure.key, failure.error)
            if failure.kind == DRAWER:
                t = self.session.translator
                self._drawer_problem = t.text(
                    "warning.drawer_failed", reason=error_text(failure.error, t)
                )
        return report


def _safe(read: Callable[[], R], fallback: R) -> R:
    """A device reading that must not stop the others."""
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - a driver fault must never reach the screen
        log.warning("device reading failed: %s", error)
        return fallback
