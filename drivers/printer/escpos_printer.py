"""The real receipt printer: ESC/POS bytes from :class:`EscposRenderer` over a transport."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from drivers.printer import status as rt
from drivers.printer.render import EscposRenderer, kick_bytes
from drivers.printer.transports import PrinterTransport
from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import CoverOpen, PaperOut, PosError, PrinterOffline
from omnipos_tui.core.ports import PrinterState

log = logging.getLogger(__name__)


class EscposReceiptPrinter:
    """An ESC/POS receipt printer (Epson TM series and compatibles).

    Implements :class:`~omnipos_tui.core.ports.ReceiptPrinter`; it can also kick a drawer on
    its connector and read the drawer switch (see ``drivers.drawer.PrinterKickedDrawer``).

    Args:
        name: The configured name ("receipt", "reports").
        transport: Where the bytes go (``SerialTransport``, ``NetworkTransport``,
            ``FileTransport``).
        columns: Characters per line in font A: 32 (58 mm), 42 or 48 (80 mm).
        code_page: "CP865" (default) or "CP858" (has €). Never auto.
        profile: python-escpos profile name ("default", "TM-T88V", "TM-T20II", ...).
        drawer_pin: Drawer connector pin, 2 or 5.
        logo: Picture printed where a document has a ``Logo`` item.
        check_status: Ask the printer's state before each job and refuse to send into a
            printer that reports paper out, cover open or offline.
        drawer_open_when_high: How the drawer switch is wired (see ``status.drawer_open``).

    Raises:
        ConfigError: A setting is not valid (columns, code page, profile, pin, logo).
    """

    def __init__(
        self,
        name: str,
        transport: PrinterTransport,
        *,
        columns: int = 42,
        code_page: str = "CP865",
        profile: str = "default",
        drawer_pin: int = 2,
        logo: Path | None = None,
        check_status: bool = True,
        drawer_open_when_high: bool = True,
    ) -> None:
        self.name = name
        self.columns = columns
        self.transport = transport
        self.renderer = EscposRenderer(
            columns=columns, code_page=code_page, profile=profile, drawer_pin=drawer_pin, logo=logo
        )
        self.check_status = check_status
        self.drawer_open_when_high = drawer_open_when_high
        # One job at a time per printer: the queue's retry thread and the till may both send.
        self._lock = threading.Lock()

    def print_document(self, document: Document) -> None:
        """Render and send the whole document (see the port).

        Raises:
            PrinterOffline: The printer cannot be reached or stopped taking data.
            PaperOut: The printer reports no paper.
            CoverOpen: The printer reports its cover open.
        """
        data = self.renderer.render(document)
        self._send(data, document.title)

    def print_test_page(self) -> None:
        """Print ÆØÅ æøå, the pinned code page's table and a QR code.

        Raises:
            PrinterOffline: The printer cannot be reached or stopped taking data.
            PaperOut: The printer reports no paper.
            CoverOpen: The printer reports its cover open.
        """
        self._send(self.renderer.test_page(f"Test {self.name}"), "test page")

    def _send(self, data: bytes, title: str) -> None:
        with self._lock:
            if self.check_status:
                state = self._query_state()
                if state is PrinterState.PAPER_OUT:
                    raise PaperOut(f"printer {self.name!r} is out of paper")
                if state is PrinterState.COVER_OPEN:
                    raise CoverOpen(f"printer {self.name!r} has its cover open")
                if state is PrinterState.OFFLINE:
                    raise PrinterOffline(f"printer {self.name!r} reports itself offline")
            log.info("printing %r on %s (%d bytes)", title, self.name, len(data))
            self.transport.send(data)

    def status(self) -> PrinterState:
        """The printer's state from ``DLE EOT``; ``UNKNOWN`` when it does not answer.

        ``OFFLINE`` when it cannot be reached at all. Never raises.
        """
        with self._lock:
            try:
                return self._query_state()
            except PosError as exc:
                log.info("printer %s status: %s", self.name, exc)
                return PrinterState.OFFLINE

    def probe(self) -> str:
        """A cheap check for ``omnipos doctor`` and ``hw list`` (no paper used).

        Returns:
            The state in words.

        Raises:
            PrinterOffline: The printer cannot be reached or says it is offline.
            PaperOut: No paper.
            CoverOpen: The cover is open.
        """
        with self._lock:
            state = self._query_state()
        return rt.describe_state(self.name, self.transport.description, state)

    def _query_state(self) -> PrinterState:
        """The state from ``DLE EOT``; raises ``PrinterOffline`` when unreachable."""
        replies = self.transport.query([rt.PRINTER_STATUS, rt.OFFLINE_CAUSE, rt.PAPER_SENSOR])
        replies += [b""] * (3 - len(replies))
        return rt.printer_state(replies[0], replies[1], replies[2])

    def kick_drawer(self, pin: int | None = None) -> None:
        """Send the drawer pulse on the configured pin (or ``pin``).

        Raises:
            PrinterOffline: The printer cannot be reached.
            ConfigError: ``pin`` is neither 2 nor 5.
        """
        data = self.renderer.kick if pin is None else kick_bytes(pin)
        with self._lock:
            self.transport.send(data)

    def drawer_sensor(self) -> bool | None:
        """The drawer switch from ``DLE EOT 1``; None when the printer does not tell.

        Never raises.
        """
        with self._lock:
            try:
                replies = self.transport.query([rt.PRINTER_STATUS])
            except PosError as exc:
                log.info("printer %s drawer status: %s", self.name, exc)
                return None
        if not replies:
            return None
        return rt.drawer_open(replies[0], open_when_high=self.drawer_open_when_high)
