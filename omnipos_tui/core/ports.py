"""The device ports: what the till asks of hardware, in domain terms.

Each port has a real implementation and a simulated twin in ``drivers/``; both pass the
same contract tests. Calls are blocking and every one ends within its configured timeout
(the till runs them in worker threads). Expected outcomes (a declined card) are values;
faults raise the ``DeviceError`` subclasses named in each docstring.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from omnipos_tui.core.document import Document
from omnipos_tui.core.money import Money

# --- receipt printer --------------------------------------------------------------------


class PrinterState(enum.StrEnum):
    """What the printer says about itself. ``UNKNOWN`` when it did not answer."""

    READY = "ready"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"

    @property
    def can_print(self) -> bool:
        """Whether a job is worth sending (paper low still prints)."""
        return self in (PrinterState.READY, PrinterState.PAPER_LOW)


@runtime_checkable
class ReceiptPrinter(Protocol):
    """A receipt printer.

    Attributes:
        name: The configured name ("receipt", "reports").
        columns: Characters per line in the normal font (32, 42 or 48).
    """

    name: str
    columns: int

    def print_document(self, document: Document) -> None:
        """Print the whole document (and kick the drawer if it asks), or raise.

        Returns only after every byte was written.

        Raises:
            PrinterOffline: The printer cannot be reached or stopped answering.
            PaperOut: The printer has no paper.
            CoverOpen: The printer's cover is open.
        """
        ...

    def status(self) -> PrinterState:
        """Ask the printer for its state; ``UNKNOWN`` when it does not answer. Never raises."""
        ...


# --- cash drawer ------------------------------------------------------------------------


@runtime_checkable
class CashDrawer(Protocol):
    """A cash drawer, kicked through the printer or on its own port."""

    def open(self) -> None:
        """Send the open pulse.

        Raises:
            DrawerError: The pulse could not be sent.
        """
        ...

    def is_open(self) -> bool | None:
        """True or False from the drawer sensor, None when the drawer cannot tell. Never raises."""
        ...


# --- card terminal ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardApproved:
    """The terminal approved the payment.

    Attributes:
        amount: The amount approved (may exceed the request when the customer added a tip).
        transaction_id: The terminal's transaction id (printed on the receipt, R-12).
        masked_card: The card number as the terminal masks it ("************1234"), or "".
        tip: The tip the customer added on the terminal (0 when none).
    """

    amount: Money
    transaction_id: str
    masked_card: str = ""
    tip: Money = field(default_factory=Money.zero)


@dataclass(frozen=True, slots=True)
class CardDeclined:
    """The terminal refused the payment.

    Attributes:
        reason: The terminal's text, shown to the cashier.
    """

    reason: str


@dataclass(frozen=True, slots=True)
class CardCancelled:
    """The payment was cancelled on the terminal or by the till."""

    reason: str = "Avbrutt"


CardResult = CardApproved | CardDeclined | CardCancelled


@runtime_checkable
class CardTerminal(Protocol):
    """A payment terminal.

    Attributes:
        integrated: True when the amount is sent from the till; False for a stand-alone
            terminal where the cashier keys the amount and confirms the result on the till.
    """

    integrated: bool

    def authorize(self, amount: Money, reference: str) -> CardResult:
        """Take a card payment.

        Args:
            amount: The amount to charge (positive).
            reference: Our unique payment reference, recorded before the call.

        Raises:
            TerminalOutcomeUnknown: The terminal stopped answering after it had the amount.
            DeviceTimeout: The terminal did not answer before it had the amount.
            DeviceNotConnected: The terminal's port is missing.
            TerminalError: The link failed in another way.
        """
        ...

    def refund(self, amount: Money, reference: str) -> CardResult:
        """Pay money back to a card. Same contract as :meth:`authorize`."""
        ...


# --- barcode scanner --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scan:
    """One complete barcode read.

    Attributes:
        code: The decoded characters, prefix/suffix stripped.
        at: ``time.monotonic()`` when the terminator arrived.
        symbology: The symbology if the scanner reports it, else "".
    """

    code: str
    at: float
    symbology: str = ""


@runtime_checkable
class BarcodeScanner(Protocol):
    """A barcode scanner delivering whole codes."""

    def scans(self) -> AsyncIterator[Scan]:
        """Scans as they arrive, until :meth:`close`.

        Raises:
            ScannerError: The device cannot be opened at all (a later unplug is retried).
        """
        ...

    def connected(self) -> bool:
        """Whether the device is present now. Never raises."""
        ...

    def close(self) -> None:
        """Stop reading and release the device."""
        ...


# --- customer display -------------------------------------------------------------------


@runtime_checkable
class CustomerDisplay(Protocol):
    """A customer-facing display (a 2x20 pole display).

    Attributes:
        columns: Characters per line (20 on a pole display).
    """

    columns: int

    def show(self, top: str, bottom: str) -> None:
        """Show two lines, each cut or padded to the display's width.

        Raises:
            DisplayError: The display cannot be written.
        """
        ...

    def clear(self) -> None:
        """Blank the display.

        Raises:
            DisplayError: The display cannot be written.
        """
        ...


# --- technician checks ------------------------------------------------------------------


@runtime_checkable
class Probe(Protocol):
    """A device that can be checked without side effects (no paper, no pulse, no payment),
    for ``omnipos doctor`` and ``omnipos hw list``. Every driver has it."""

    def probe(self) -> str:
        """Check the device is reachable and usable.

        Returns:
            A short status text ("printer 'receipt' (serial /dev/ttyUSB0) is ready").

        Raises:
            DeviceError: A subclass saying what is wrong and how to fix it.
            ConfigError: The device's settings cannot be used.
        """
        ...


@runtime_checkable
class PrinterSelfTest(Protocol):
    """A printer that can print its own test page (``omnipos hw printer-test``)."""

    def print_test_page(self) -> None:
        """Print ÆØÅ æøå, the pinned code page's table and a QR code.

        Raises:
            PrinterOffline: The printer cannot be reached or stopped taking data.
            PaperOut: The printer has no paper.
            CoverOpen: The printer's cover is open.
        """
        ...
