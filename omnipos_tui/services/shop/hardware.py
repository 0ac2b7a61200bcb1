"""Technician use cases on the devices: list and probe them, print a test page, open the
drawer without a sale (journaled), take a test card payment, listen to the scanner, and
serve a simulated Concert V2 terminal.

Everything here speaks the ports of ``omnipos_tui.core.ports`` (plus :class:`Probe` and
:class:`PrinterSelfTest`); ``omnipos_tui/bootstrap.py`` builds the drivers and hands them
over as a :class:`DeviceSet`. A device whose settings could not be turned into a driver is
a :class:`MisconfiguredDevice` (``misconfigured.py``): it raises the configuration error
wherever it is used, so the problem shows up in ``omnipos doctor``, ``omnipos hw list`` and
the till instead of the device silently missing.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import (
    InvalidAmount,
    Message,
    NotFound,
    PosError,
    RuleViolation,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import (
    BarcodeScanner,
    CardResult,
    CardTerminal,
    CashDrawer,
    CustomerDisplay,
    PrinterSelfTest,
    Probe,
    ReceiptPrinter,
    Scan,
)
from omnipos_tui.services.sales.register import RegisterService
from omnipos_tui.services.shop.misconfigured import MisconfiguredDevice
from omnipos_tui.services.staff.service import StaffService

__all__ = [
    "ROLES",
    "DeviceCheck",
    "DeviceInfo",
    "DeviceSet",
    "HardwareService",
    "MisconfiguredDevice",
    "TerminalSimulatorRunner",
]

#: The roles in the order they are listed.
ROLES = ("printer", "report_printer", "drawer", "terminal", "scanner", "display")


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """One configured device, as ``omnipos hw list`` shows it.

    Attributes:
        role: "printer", "report_printer", "drawer", "terminal", "scanner" or "display".
        name: The printer's name in the print queue ("receipt", "reports"); else the role.
        kind: The configured driver kind ("escpos-serial", "simulated", "none", ...).
        where: The port, host, file or device it is reached through ("" when none).
    """

    role: str
    name: str
    kind: str
    where: str


@dataclass(frozen=True, slots=True)
class DeviceCheck:
    """The live status of one device.

    Attributes:
        device: Which device.
        ok: True when it answered (or needs nothing: kind "none", a keyboard wedge).
        state: What to show: a message ("device.ready" with the probe's own technical
            description as ``detail``), or the error with its fix. ``str()`` is English.
    """

    device: DeviceInfo
    ok: bool
    state: Message | PosError

    @property
    def text(self) -> str:
        """The state in English (``omnipos hw list``, the doctor)."""
        return str(self.state)


class DeviceSet(Protocol):
    """The devices bootstrap built (``bootstrap.Devices``)."""

    @property
    def listing(self) -> Sequence[DeviceInfo]:
        """Every role with its kind and port, in :data:`ROLES` order."""
        ...

    @property
    def printers(self) -> Mapping[str, ReceiptPrinter]:
        """The printers by name ("receipt", "reports")."""
        ...

    @property
    def drawer(self) -> CashDrawer | None:
        """The cash drawer, or None."""
        ...

    @property
    def terminal(self) -> CardTerminal | None:
        """The card terminal, or None."""
        ...

    @property
    def scanner(self) -> BarcodeScanner | None:
        """The scanner, or None (none, or a keyboard wedge read by the till)."""
        ...

    @property
    def display(self) -> CustomerDisplay | None:
        """The customer display, or None."""
        ...

    def device(self, role: str) -> object | None:
        """The driver of a role, or None when the role has none."""
        ...


class TerminalSimulatorRunner(Protocol):
    """Serves a simulated Concert V2 terminal (``drivers.terminal.run_terminal_simulator``)."""

    def __call__(
        self,
        port: str | None,
        *,
        script: str = "",
        answer_delay: float = 0.0,
        on_ready: Callable[[str], None] = ...,
        stop: threading.Event | None = None,
    ) -> None:
        """Serve until ``stop`` is set or KeyboardInterrupt.

        Raises:
            InvalidInput: The script is not valid.
            DeviceNotConnected: The port cannot be opened.
        """
        ...


class HardwareService:
    """The technician commands (``omnipos hw ...``) and the device part of the doctor.

    Args:
        devices: Returns the devices, built on first call (nothing is opened before).
        register: Journals a drawer opening without a sale.
        staff: Checks the PIN of the person opening the drawer.
        clock: For payment references of test payments.
        register_id: This till's register.
        simulator: Serves a simulated Concert V2 terminal.
    """

    def __init__(
        self,
        devices: Callable[[], DeviceSet],
        *,
        register: RegisterService,
        staff: StaffService,
        clock: Clock,
        register_id: str,
        simulator: TerminalSimulatorRunner,
    ) -> None:
        self._devices = devices
        self._register = register
        self._staff = staff
        self._clock = clock
        self._register_id = register_id
        self._simulator = simulator

    def configured(self) -> list[DeviceInfo]:
        """Every device role with its kind and port (kind "none" included)."""
        return list(self._devices().listing)

    def check(self) -> list[DeviceCheck]:
        """Probe every configured device (no paper, no pulse, no payment). Never raises for
        a device fault: it is in the result with its fix."""
        devices = self._devices()
        return [self._check(info, devices.device(info.role)) for info in devices.listing]

    @staticmethod
    def _check(info: DeviceInfo, driver: object | None) -> DeviceCheck:
        if info.kind == "none":
            return DeviceCheck(info, True, Message("device.not_configured"))
        if driver is None:
            kind = Message("device.wedge") if info.kind == "wedge" else Message("device.no_driver")
            return DeviceCheck(info, True, kind)
        if not isinstance(driver, Probe):
            return DeviceCheck(info, True, Message("device.no_status_check"))
        try:
            return DeviceCheck(info, True, Message("device.ready", detail=driver.probe()))
        except PosError as exc:
            return DeviceCheck(info, False, exc)

    def print_test_page(self, printer: str | None = None) -> str:
        """Print the test page (ÆØÅ æøå, the code table, a QR) on a printer.

        Args:
            printer: The printer's name; the receipt printer when None.

        Returns:
            The name of the printer used.

        Raises:
            NotFound: No such printer is configured.
            PrinterOffline: The printer cannot be reached or stopped taking data.
            PaperOut: The printer has no paper.
            CoverOpen: The printer's cover is open.
            ConfigError: The printer's settings cannot be used.
        """
        printers = self._devices().printers
        name = printer or "receipt"
        target = printers.get(name)
        if target is None and not printers:
            raise NotFound(code="hardware.no_printers", name=name)
        if target is None:
            raise NotFound(code="hardware.unknown_printer", name=name, configured=sorted(printers))
        if not isinstance(target, PrinterSelfTest):
            raise NotFound(code="hardware.no_test_page", name=name)
        target.print_test_page()
        return name

    def open_drawer(self, reason: str, *, employee: str, pin: str) -> bool | None:
        """Open the drawer without a sale: the opening is journaled (13005, with the
        reason) first, then the drawer is kicked.

        Args:
            reason: Why (required; it is printed on the X and Z reports).
            employee: The employee's number.
            pin: Their PIN.

        Returns:
            Whether the drawer reports itself open afterwards (None: it cannot tell).

        Raises:
            NotFound: No drawer is configured.
            InvalidInput: No reason.
            AuthenticationError: Wrong number or PIN.
            ApprovalRequired: A manager is required ([till] no_sale_requires_manager).
            DrawerError: The pulse could not be sent (the opening is journaled already).
        """
        drawer = self._devices().drawer
        if drawer is None:
            raise NotFound(code="hardware.no_drawer")
        self._staff.authenticate(employee, pin)
        self._register.no_sale(self._register_id, reason, employee=employee)
        drawer.open()
        return drawer.is_open()

    def test_terminal(self, amount: Money) -> CardResult:
        """Take a real test payment of ``amount`` on the card terminal.

        Returns:
            The terminal's answer: approved (with its transaction id), declined, cancelled.

        Raises:
            NotFound: No terminal is configured.
            RuleViolation: The terminal is stand-alone (kind "manual"): the till cannot send
                it an amount.
            InvalidAmount: The amount is not positive.
            TerminalOutcomeUnknown: The terminal stopped answering after it had the amount.
            DeviceTimeout: The terminal did not answer.
            DeviceNotConnected: The terminal's port is missing.
            TerminalError: The link failed in another way.
        """
        terminal = self._devices().terminal
        if terminal is None:
            raise NotFound(code="hardware.no_terminal")
        if not terminal.integrated:
            raise RuleViolation(code="hardware.stand_alone_terminal")
        if amount.ore <= 0:
            raise InvalidAmount(code="hardware.test_amount_not_positive", amount=amount)
        reference = "TEST-" + self._clock.now().strftime("%Y%m%d%H%M%S")
        return terminal.authorize(amount, reference)

    def scans(self) -> AsyncIterator[Scan]:
        """The scanner's scans as they arrive (until the scanner is closed).

        Raises:
            NotFound: No scanner, or a keyboard-wedge scanner (its codes arrive as typing
                in the till, not here).
            ScannerError: The scanner cannot be opened.
        """
        devices = self._devices()
        scanner = devices.scanner
        if scanner is None:
            kind = next((d.kind for d in devices.listing if d.role == "scanner"), "none")
            if kind == "wedge":
                raise NotFound(code="hardware.wedge_scanner")
            raise NotFound(code="hardware.no_scanner")
        return scanner.scans()

    def stop_scanner(self) -> None:
        """Stop :meth:`scans` and release the scanner (safe from any thread)."""
        scanner = self._devices().scanner
        if scanner is not None:
            scanner.close()

    def serve_terminal_simulator(
        self,
        port: str | None,
        *,
        script: str = "",
        on_ready: Callable[[str], None],
        stop: threading.Event | None = None,
    ) -> None:
        """Serve a simulated Concert V2 terminal on ``port`` (None or "pty": a new
        pseudo-terminal) until ``stop`` is set or KeyboardInterrupt.

        Args:
            port: A serial port, or None / "pty".
            script: Outcomes of the next payments ("approve decline tip:20,00 silence").
            on_ready: Called with the path clients open.
            stop: Ends serving when set.

        Raises:
            InvalidInput: The script is not valid.
            DeviceNotConnected: The port cannot be opened.
        """
        self._simulator(port, script=script, on_ready=on_ready, stop=stop)
