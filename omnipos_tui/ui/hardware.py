"""The till's device channels: the scanner worker, the header lights measured from the
devices, and paper after money (print, drawer kick, customer display) in worker threads.

Nothing here blocks the screen: every device call runs in a thread (``TillSession.run_blocking``
or a thread worker) and its result reaches the screen on the app's loop. A failed print
never undoes a sale: the receipt stays in the persistent print queue (the header's SKR light
turns red with the count) and prints later as the original, not a copy.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from omnipos_tui.core.errors import DeviceError, PosError
from omnipos_tui.core.ports import PrinterState, Scan
from omnipos_tui.core.sales import display_text
from omnipos_tui.services.sales.results import CompletedSale
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.session import TillSession
from omnipos_tui.ui.views import Light, LightState

if TYPE_CHECKING:
    from omnipos_tui.ui.app import OmniposTill

log = logging.getLogger(__name__)

R = TypeVar("R")

#: Seconds between two readings of the devices' state for the header lights.
POLL_INTERVAL_S = 2.0
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
    """

    lights: dict[Light, LightState]
    printer: PrinterState | None
    queued: int
    drawer_open: bool | None


class TillHardware:
    """The device side of a running till.

    Args:
        session: The till session (devices, services, translator).
        poll_interval: Seconds between device readings; 0 reads only on demand.
    """

    def __init__(self, session: TillSession, *, poll_interval: float = POLL_INTERVAL_S) -> None:
        self.session = session
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
        """Receipts left in the queue (this run or an earlier one) print when the printer is
        back, as originals."""
        session = self.session

        def start() -> None:
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
            await self.refresh()
            if self.poll_interval <= 0:
                return
            await asyncio.sleep(self.poll_interval)

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
        try:
            session.services.register.status(session.register_id)
            lights[Light.DATABASE] = LightState.OK
        except PosError:
            lights[Light.DATABASE] = LightState.FAULT
        return DeviceReading(lights, state, queued, drawer_open)

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
        """The sale is committed: print, kick the drawer and thank the customer in a
        thread; the screen is told when the lights change. Never raises."""
        if self._app is None:
            self.paper(completed)
            return
        app = self._app

        async def work() -> None:
            await self.session.run_blocking(lambda: self.paper(completed))
            await self.refresh()

        app.run_worker(work(), group="paper", exit_on_error=False)

    def paper(self, completed: CompletedSale) -> None:
        """Print the documents through the queue, kick the drawer, update the display
        (blocking). Each step's fault is logged and shown; none undoes the sale."""
        session = self.session
        try:
            devices = session.devices
        except PosError as error:
            log.warning("devices: %s", error)
            return
        printer = devices.printers.get(RECEIPT_PRINTER)
        for document in completed.documents:
            if printer is None:
                break
            try:
                # The drawer is kicked below through its own port, once, even when the
                # receipt cannot be printed; a reprint from the queue must not kick it.
                job = devices.print_queue.submit(
                    RECEIPT_PRINTER, replace(document, kick_drawer=False)
                )
            except PosError as error:
                log.warning("receipt %s not queued: %s", completed.receipt_id, error)
                continue
            if job.last_error:
                log.warning("receipt %s waits: %s", completed.receipt_id, job.last_error)
        self._drawer_problem = ""
        if completed.kick_drawer and devices.drawer is not None:
            try:
                devices.drawer.open()
            except PosError as error:
                log.warning("drawer kick failed: %s", error)
                self._drawer_problem = session.translator.text(
                    "warning.drawer_failed", reason=error_text(error, session.translator)
                )
        if devices.display is not None:
            paid = completed.transaction.total
            language, columns = session.translator.language, devices.display.columns
            text = (
                display_text.change_due(paid, completed.change, language=language, columns=columns)
                if completed.change.ore
                else display_text.thank_you(language=language, columns=columns)
            )
            try:
                devices.display.show(text.top, text.bottom)
            except DeviceError as error:
                log.warning("customer display: %s", error)


def _safe(read: Callable[[], R], fallback: R) -> R:
    """A device reading that must not stop the others."""
    try:
        return read()
    except Exception as error:  # noqa: BLE001 - a driver fault must never reach the screen
        log.warning("device reading failed: %s", error)
        return fallback
