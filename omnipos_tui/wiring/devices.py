"""The till's devices, built from ``settings.devices``: which driver each role gets.

The drivers (python-escpos, Pillow, qrcode, pyserial, evdev, the terminal library) are
imported where they are first needed, not at the top: the till shows its log-in screen
without them and builds its devices in a worker afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import ConfigError, InvalidInput
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import (
    BarcodeScanner,
    CardCancelled,
    CardResult,
    CardTerminal,
    CashDrawer,
    CustomerDisplay,
    ReceiptPrinter,
)
from omnipos_tui.core.printing import PrintSpool
from omnipos_tui.device_settings import PRINTER_NAMES, DeviceSettings, missing_required
from omnipos_tui.settings import Settings
from omnipos_tui.wiring.lazy import Lazy

if TYPE_CHECKING:
    from drivers.printer import PrinterTransport
    from omnipos_tui.services.shop.hardware import DeviceInfo

T = TypeVar("T")


#: What the till supplies for a stand-alone terminal: (kind "purchase"/"refund", amount,
#: payment reference) -> the outcome the cashier confirms.
CardConfirm = Callable[[str, Money, str], CardResult]


@dataclass(frozen=True, slots=True)
class Devices:
    """The till's devices, built from ``settings.devices``. Nothing is opened here: each
    driver opens its port on first use (and after a fault, again).

    A device whose settings cannot be used is a
    :class:`~omnipos_tui.services.shop.hardware.MisconfiguredDevice` that raises the
    ``ConfigError`` wherever it is used.

    Attributes:
        printers: The printers by name: "receipt", and "reports" when configured.
        drawer: The cash drawer, or None.
        terminal: The card terminal, or None.
        scanner: The scanner, or None (kind "none", or "wedge": the till reads the keys).
        display: The customer display, or None.
        listing: Every role with its kind and port, for ``omnipos hw list``.
    """

    printers: Mapping[str, ReceiptPrinter]
    drawer: CashDrawer | None
    terminal: CardTerminal | None
    scanner: BarcodeScanner | None
    display: CustomerDisplay | None
    listing: tuple[DeviceInfo, ...]
    _queue: Lazy[PrintSpool]
    _closers: tuple[Callable[[], None], ...] = ()

    @property
    def print_queue(self) -> PrintSpool:
        """The persistent print queue over ``<data_dir>/spool`` feeding :attr:`printers`
        (the folder is created on first use).

        Raises:
            InvalidInput: The spool folder cannot be created.
        """
        return self._queue()

    def device(self, role: str) -> object | None:
        """The driver of a role ("printer", "report_printer", "drawer", ...), or None."""
        if role in PRINTER_NAMES:
            return self.printers.get(PRINTER_NAMES[role])
        if role in {"drawer", "terminal", "scanner", "display"}:
            device: object | None = getattr(self, role)
            return device
        return None

    def close(self) -> None:
        """Stop the print queue's retry thread and release the scanner and display."""
        if self._queue.built:
            self._queue().stop()
        for close in self._closers:
            close()


def build_devices(
    settings: Settings, *, clock: Clock | None = None, confirm_card: CardConfirm | None = None
) -> Devices:
    """The drivers for ``settings.devices`` (none of them opened yet).

    Args:
        settings: The effective configuration.
        clock: For the print queue's job times.
        confirm_card: The till's dialog for a stand-alone (``manual``) terminal; without it
            a manual payment comes back cancelled.

    A device whose own settings cannot be used does not stop the others: it becomes a
    ``MisconfiguredDevice`` (see :class:`Devices`).
    """
    from drivers.display import SerialPoleDisplay
    from drivers.printer import PrintQueue
    from omnipos_tui.services.shop.hardware import ROLES, DeviceInfo

    config = settings.devices
    listing = tuple(
        DeviceInfo(role, PRINTER_NAMES.get(role, role), d.kind, _where(role, d))
        for role in ROLES
        for d in (getattr(config, role),)
    )
    printers: dict[str, ReceiptPrinter] = {}
    for role, name in PRINTER_NAMES.items():
        made = _make(settings, role, partial(_printer, name, getattr(config, role), config.drawer))
        if made is not None:
            printers[name] = made
    receipt = printers.get("receipt")
    drawer = _make(settings, "drawer", lambda: _drawer(settings, receipt))
    terminal = _make(settings, "terminal", lambda: _terminal(settings, confirm_card))
    scanner = _make(settings, "scanner", lambda: _scanner(config.scanner))
    display = _make(settings, "display", lambda: _display(config.display))
    closers: list[Callable[[], None]] = []
    if scanner is not None:
        closers.append(scanner.close)
    if isinstance(display, SerialPoleDisplay):
        closers.append(display.close)
    spool = settings.data_dir / "spool"
    return Devices(
        printers=printers,
        drawer=drawer,
        terminal=terminal,
        scanner=scanner,
        display=display,
        listing=listing,
        _queue=Lazy(lambda: PrintQueue(spool, printers, clock=clock)),
        _closers=tuple(closers),
    )


def _make(settings: Settings, role: str, build_one: Callable[[], T | None]) -> T | None:
    """``build_one()``, or a stand-in that reports why it could not be built (naming the
    configuration file and the device's table)."""
    from omnipos_tui.services.shop.hardware import MisconfiguredDevice

    device = getattr(settings.devices, role)
    if device.kind == "none":
        return None
    place = settings.config_file or "the built-in defaults (no configuration file)"
    missing = missing_required(role, device)
    try:
        if missing:
            raise ConfigError(_missing_message(missing[0]))
        return build_one()
    except ConfigError as exc:
        problem = ConfigError(f"{place}: [devices.{role}] kind {device.kind!r}: {exc}")
        stand_in: Any = MisconfiguredDevice(role, problem, name=PRINTER_NAMES.get(role, ""))
        return cast("T", stand_in)


def _missing_message(key: str) -> str:
    hint = {
        "by_id": ' = "/dev/input/by-id/usb-...-event-kbd" (see ls /dev/input/by-id/), or '
        'device_name = "the name evtest shows"',
        "port": ' = "/dev/ttyUSB0" (see ls /dev/serial/by-id/)',
        "host": ' = "192.168.1.50" (the printer\'s address)',
        "path": ' = "/path/to/receipts.bin"',
    }.get(key, "")
    return f"{key} is needed; set {key}{hint}"


def _where(role: str, device: DeviceSettings) -> str:
    """Where a device is reached, for listings."""
    kind = device.kind
    if kind == "escpos-network":
        return f"{device.host}:{device.tcp_port}"
    if kind == "escpos-file":
        return device.path
    if kind == "printer-kick":
        return f"printer 'receipt' pin {device.drawer_pin}"
    if kind == "evdev":
        return device.by_id or (f"name {device.device_name!r}" if device.device_name else "")
    if kind == "simulated":
        return device.output if role in PRINTER_NAMES and device.output else "simulated"
    fixed = {"manual": "stand-alone", "wedge": "keyboard", "none": ""}
    return fixed.get(kind, device.port)


def _printer(name: str, device: DeviceSettings, drawer: DeviceSettings) -> ReceiptPrinter:
    from drivers.printer import (
        EscposReceiptPrinter,
        FileTransport,
        NetworkTransport,
        SerialTransport,
        SimulatedReceiptPrinter,
    )

    pin = drawer.drawer_pin if drawer.kind == "printer-kick" and name == "receipt" else 2
    if device.kind == "simulated":
        output = Path(device.output).expanduser() if device.output else None
        return SimulatedReceiptPrinter(
            name, columns=device.columns, code_page=device.code_page, drawer_pin=pin, output=output
        )
    transport: PrinterTransport
    if device.kind == "escpos-serial":
        transport = SerialTransport(
            device.port,
            baudrate=device.baudrate,
            rtscts=device.rtscts,
            timeout=device.timeout_s,
            status_timeout=device.status_timeout_s,
        )
    elif device.kind == "escpos-network":
        transport = NetworkTransport(
            device.host,
            device.tcp_port,
            timeout=device.timeout_s,
            status_timeout=device.status_timeout_s,
        )
    elif device.kind == "escpos-usb":
        transport = FileTransport(
            Path(device.port), timeout=device.timeout_s, status_timeout=device.status_timeout_s
        )
    else:
        transport = FileTransport(Path(device.path).expanduser(), timeout=device.timeout_s)
    return EscposReceiptPrinter(
        name,
        transport,
        columns=device.columns,
        code_page=device.code_page,
        profile=device.profile,
        drawer_pin=pin,
        logo=Path(device.logo).expanduser() if device.logo else None,
        check_status=device.check_status,
        drawer_open_when_high=drawer.open_when_high,
    )


def _drawer(settings: Settings, printer: ReceiptPrinter | None) -> CashDrawer:
    from drivers.drawer import (
        PrinterKickedDrawer,
        SerialCashDrawer,
        SimulatedCashDrawer,
        parse_hex,
    )
    from drivers.printer import EscposReceiptPrinter, SimulatedReceiptPrinter
    from omnipos_tui.services.shop.hardware import MisconfiguredDevice

    device = settings.devices.drawer
    if device.kind == "simulated":
        return SimulatedCashDrawer(has_sensor=device.has_sensor, auto_close_s=device.auto_close_s)
    if device.kind == "serial":
        status = parse_hex(device.status_command, "devices.drawer.status_command")
        return SerialCashDrawer(
            device.port,
            baudrate=device.baudrate,
            open_command=parse_hex(device.open_command, "devices.drawer.open_command"),
            status_command=status or None,
            open_reply=parse_hex(device.open_reply, "devices.drawer.open_reply"),
            closed_reply=parse_hex(device.closed_reply, "devices.drawer.closed_reply"),
            timeout=device.timeout_s,
        )
    if isinstance(printer, MisconfiguredDevice):
        raise ConfigError(
            "the receipt printer it is kicked through cannot be used; fix [devices.printer] first"
        )
    if not isinstance(printer, EscposReceiptPrinter | SimulatedReceiptPrinter):
        raise ConfigError(
            "the drawer is kicked through the receipt printer, but [devices.printer] kind is 'none'"
        )
    return PrinterKickedDrawer(printer, pin=device.drawer_pin, has_sensor=device.has_sensor)


def _terminal(settings: Settings, confirm: CardConfirm | None) -> CardTerminal:
    from drivers.terminal import (
        ConcertCardTerminal,
        ManualCardTerminal,
        SimulatedCardTerminal,
        parse_script,
    )

    device = settings.devices.terminal
    if device.kind == "concert":
        return ConcertCardTerminal(
            device.port,
            baudrate=device.baudrate,
            bytesize=device.bytesize,
            parity=device.parity,
            pos_number=device.pos_number,
            currency=device.currency,
            ack_timeout=device.ack_timeout_s,
            answer_timeout=device.answer_timeout_s,
            frame_timeout=device.frame_timeout_s,
            max_resends=device.max_resends,
        )
    if device.kind == "manual":
        ask = confirm or _nobody_confirms
        return ManualCardTerminal(lambda r: ask(r.kind.value, r.amount, r.reference))
    try:
        script = parse_script(device.script)
    except InvalidInput as exc:
        raise ConfigError(f"script: {exc}") from exc
    return SimulatedCardTerminal(
        script, silence_seconds=device.silence_s, integrated=device.integrated
    )


def _nobody_confirms(kind: str, amount: Money, reference: str) -> CardResult:
    """A stand-alone terminal with no till dialog to ask: nothing was confirmed."""
    return CardCancelled("Ingen bekreftelse fra kassen")


def _scanner(device: DeviceSettings) -> BarcodeScanner | None:
    from drivers.scanner import EvdevScanner, SimulatedScanner

    if device.kind == "wedge":
        return None
    if device.kind == "simulated":
        return SimulatedScanner(prefix=device.prefix, suffix=device.suffix)
    return EvdevScanner(
        device.by_id or device.device_name,
        layout=device.layout,
        terminators=tuple(device.terminators.split()),
        prefix=device.prefix,
        suffix=device.suffix,
        partial_timeout=device.partial_timeout_s,
        grab=device.grab,
        reopen_interval=device.reopen_interval_s,
    )


def _display(device: DeviceSettings) -> CustomerDisplay:
    from drivers.display import SerialPoleDisplay, SimulatedCustomerDisplay

    if device.kind == "simulated":
        return SimulatedCustomerDisplay(columns=device.columns, code_page=device.code_page)
    return SerialPoleDisplay(
        device.port,
        baudrate=device.baudrate,
        columns=device.columns,
        code_page=device.code_page,
        timeout=device.timeout_s,
    )
