"""The simulated receipt printer: the real renderer, no paper."""

from __future__ import annotations

import threading
from pathlib import Path

from drivers.printer.render import EscposRenderer, kick_bytes
from drivers.printer.status import describe_state
from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import CoverOpen, PaperOut, PrinterOffline
from omnipos_tui.core.ports import PrinterState


class SimulatedReceiptPrinter:
    """A receipt printer that keeps what it printed, byte for byte.

    It renders through the same :class:`EscposRenderer` as the real printer, so its
    ``printed_bytes`` are exactly what a real one would get. Tests and the demo can switch
    it offline, out of paper or cover open; it then refuses jobs like a real printer.

    Args:
        name: The configured name.
        columns: Characters per line (32, 42 or 48).
        code_page: "CP865" or "CP858".
        drawer_pin: Drawer connector pin, 2 or 5.
        output: Optional file that collects every job's bytes (for looking at a layout).

    Attributes:
        documents: Every document printed, in order.
        printed_bytes: The bytes of each printed document (or test page).
        drawer_kicks: How many times the drawer was kicked (by a document or directly).
        drawer_is_open: The simulated drawer switch, opened by a kick.
    """

    def __init__(
        self,
        name: str = "receipt",
        *,
        columns: int = 42,
        code_page: str = "CP865",
        drawer_pin: int = 2,
        output: Path | None = None,
    ) -> None:
        self.name = name
        self.columns = columns
        self.renderer = EscposRenderer(columns=columns, code_page=code_page, drawer_pin=drawer_pin)
        self.output = output
        self.documents: list[Document] = []
        self.printed_bytes: list[bytes] = []
        self.drawer_kicks = 0
        self.drawer_is_open = False
        self._state = PrinterState.READY
        self._lock = threading.Lock()

    # --- what tests and the demo do to it ---------------------------------------------

    def set_state(self, state: PrinterState) -> None:
        """Make the printer report ``state`` and behave accordingly."""
        with self._lock:
            self._state = state

    def go_offline(self) -> None:
        """Switch the printer off (jobs raise ``PrinterOffline``)."""
        self.set_state(PrinterState.OFFLINE)

    def run_out_of_paper(self) -> None:
        """Empty the paper roll (jobs raise ``PaperOut``)."""
        self.set_state(PrinterState.PAPER_OUT)

    def open_cover(self) -> None:
        """Open the cover (jobs raise ``CoverOpen``)."""
        self.set_state(PrinterState.COVER_OPEN)

    def restore(self) -> None:
        """Back to ready."""
        self.set_state(PrinterState.READY)

    def close_drawer(self) -> None:
        """Push the drawer shut (the switch reads closed)."""
        with self._lock:
            self.drawer_is_open = False

    # --- the port ----------------------------------------------------------------------

    def print_document(self, document: Document) -> None:
        """Keep the document and its bytes, or raise as the state says (see the port).

        Raises:
            PrinterOffline: Switched offline.
            PaperOut: Out of paper.
            CoverOpen: Cover open.
        """
        data = self.renderer.render(document)
        with self._lock:
            self._refuse_unless_ready()
            self._keep(data)
            self.documents.append(document)
            if document.kick_drawer:
                self.drawer_kicks += 1
                self.drawer_is_open = True

    def print_test_page(self) -> None:
        """Keep a test page's bytes (see ``EscposReceiptPrinter.print_test_page``).

        Raises:
            PrinterOffline: Switched offline.
            PaperOut: Out of paper.
            CoverOpen: Cover open.
        """
        data = self.renderer.test_page(f"Test {self.name}")
        with self._lock:
            self._refuse_unless_ready()
            self._keep(data)

    def status(self) -> PrinterState:
        """The state it was set to. Never raises."""
        with self._lock:
            return self._state

    def probe(self) -> str:
        """The state in words, like the real printer's probe.

        Raises:
            PrinterOffline: Switched offline.
            PaperOut: Out of paper.
            CoverOpen: Cover open.
        """
        return describe_state(self.name, "simulated", self.status())

    def kick_drawer(self, pin: int | None = None) -> None:
        """Open the simulated drawer.

        Raises:
            PrinterOffline: Switched offline (a real printer would not pass the pulse on).
            ConfigError: ``pin`` is neither 2 nor 5.
        """
        if pin is not None:
            kick_bytes(pin)
        with self._lock:
            if self._state is PrinterState.OFFLINE:
                raise PrinterOffline(f"printer {self.name!r} is offline")
            self.drawer_kicks += 1
            self.drawer_is_open = True

    def drawer_sensor(self) -> bool | None:
        """The simulated drawer switch; None while offline (no status reply). Never raises."""
        with self._lock:
            if self._state is PrinterState.OFFLINE:
                return None
            return self.drawer_is_open

    def _refuse_unless_ready(self) -> None:
        if self._state is PrinterState.OFFLINE:
            raise PrinterOffline(f"printer {self.name!r} is offline")
        if self._state is PrinterState.PAPER_OUT:
            raise PaperOut(f"printer {self.name!r} is out of paper")
        if self._state is PrinterState.COVER_OPEN:
            raise CoverOpen(f"printer {self.name!r} has its cover open")

    def _keep(self, data: bytes) -> None:
        if self.output is not None:
            try:
                with self.output.open("ab") as fh:
                    fh.write(data)
            except OSError as exc:
                raise PrinterOffline(
                    f"simulated printer cannot write {self.output}: {exc}"
                ) from exc
        self.printed_bytes.append(data)
