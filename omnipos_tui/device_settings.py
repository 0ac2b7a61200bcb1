"""The ``[devices.*]`` part of the configuration: which driver each role uses, and the
options each driver kind takes.

A role (``printer``, ``report_printer``, ``drawer``, ``terminal``, ``scanner``,
``display``) picks a driver with ``kind``. Each kind accepts exactly the options its driver
has (:data:`KIND_OPTIONS`, with the kind's own defaults); any other key for that kind stops
start-up with a :class:`~omnipos_tui.core.errors.ConfigError` naming the key, where it was
set and the options the kind does take. ``omnipos_tui/settings.py`` loads the values;
``omnipos_tui/bootstrap.py`` turns them into drivers.

Checks that need the driver library itself (a python-escpos profile name, a logo file)
happen when bootstrap builds the device; ``omnipos doctor`` reports them per device.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from omnipos_tui.core.errors import ConfigError

# Device kinds each role accepts. A new driver kind is one entry here and in KIND_OPTIONS.
_PRINTER_KINDS = (
    "simulated", "escpos-serial", "escpos-network", "escpos-usb", "escpos-file", "none",
)  # fmt: skip
DEVICE_KINDS: dict[str, tuple[str, ...]] = {
    "printer": _PRINTER_KINDS,
    "report_printer": _PRINTER_KINDS,
    "drawer": ("simulated", "printer-kick", "serial", "none"),
    "terminal": ("simulated", "concert", "manual", "none"),
    "scanner": ("simulated", "evdev", "wedge", "none"),
    "display": ("simulated", "serial", "none"),
}

#: The name each printer role has in the print queue and on ``hw printer-test --printer``.
PRINTER_NAMES: dict[str, str] = {"printer": "receipt", "report_printer": "reports"}

#: Words ``terminators`` may hold (keys that end a scan).
SCAN_TERMINATORS = ("enter", "kpenter", "tab")


@dataclass(frozen=True, slots=True)
class KindSpec:
    """The options one driver kind takes.

    Attributes:
        options: The keys besides ``kind``, in the order ``config show`` lists them.
        defaults: This kind's defaults where they differ from the field defaults.
        choices: Allowed values where this kind is stricter than the field.
        required: Keys that must not be empty (checked when the device is built).
    """

    options: tuple[str, ...] = ()
    defaults: Mapping[str, object] = field(default_factory=dict)
    choices: Mapping[str, tuple[object, ...]] = field(default_factory=dict)
    required: tuple[str, ...] = ()


_PRINTER_LOOK = ("columns", "code_page", "profile", "logo")
_PRINTER_CHOICES: dict[str, tuple[object, ...]] = {
    "columns": (32, 42, 48),
    "code_page": ("CP865", "CP858"),
}
_PRINTER_SPECS: dict[str, KindSpec] = {
    "escpos-serial": KindSpec(
        ("port", "baudrate", "rtscts", "timeout_s", "status_timeout_s", *_PRINTER_LOOK,
         "check_status"),
        {"baudrate": 19200, "timeout_s": 5.0, "status_timeout_s": 0.3},
        _PRINTER_CHOICES,
        ("port",),
    ),
    "escpos-network": KindSpec(
        ("host", "tcp_port", "timeout_s", "status_timeout_s", *_PRINTER_LOOK, "check_status"),
        {"timeout_s": 5.0, "status_timeout_s": 0.5},
        _PRINTER_CHOICES,
        ("host",),
    ),
    "escpos-usb": KindSpec(
        ("port", "timeout_s", "status_timeout_s", *_PRINTER_LOOK, "check_status"),
        {"port": "/dev/usb/lp0", "timeout_s": 5.0, "status_timeout_s": 0.5},
        _PRINTER_CHOICES,
        ("port",),
    ),
    "escpos-file": KindSpec(
        ("path", "timeout_s", *_PRINTER_LOOK), {"timeout_s": 5.0}, _PRINTER_CHOICES, ("path",)
    ),
    "simulated": KindSpec(("columns", "code_page", "output"), {}, _PRINTER_CHOICES),
    "none": KindSpec(),
}  # fmt: skip
_DISPLAY_CHOICES: dict[str, tuple[object, ...]] = {
    "code_page": ("CP865", "CP858", "CP850", "CP437"),
}

#: Per role, per kind: the options the driver takes. Keys a kind lacks are refused.
KIND_OPTIONS: dict[str, dict[str, KindSpec]] = {
    "printer": _PRINTER_SPECS,
    "report_printer": _PRINTER_SPECS,
    "drawer": {
        "printer-kick": KindSpec(("drawer_pin", "has_sensor", "open_when_high")),
        "serial": KindSpec(
            ("port", "baudrate", "open_command", "status_command", "open_reply",
             "closed_reply", "timeout_s"),
            {"timeout_s": 1.0},
            required=("port", "open_command"),
        ),
        "simulated": KindSpec(
            ("has_sensor", "auto_close_s"), {"has_sensor": True, "auto_close_s": 3.0}
        ),
        "none": KindSpec(),
    },
    "terminal": {
        "concert": KindSpec(
            ("port", "baudrate", "bytesize", "parity", "pos_number", "currency",
             "ack_timeout_s", "answer_timeout_s", "frame_timeout_s", "max_resends"),
            {"port": "/dev/ttyACM0"},
            required=("port",),
        ),
        "manual": KindSpec(),
        "simulated": KindSpec(("script", "silence_s", "integrated")),
        "none": KindSpec(),
    },
    "scanner": {
        "evdev": KindSpec(
            ("by_id", "device_name", "layout", "terminators", "prefix", "suffix",
             "partial_timeout_s", "grab", "reopen_interval_s"),
        ),
        "wedge": KindSpec(("prefix",)),
        "simulated": KindSpec(("prefix", "suffix")),
        "none": KindSpec(),
    },
    "display": {
        "serial": KindSpec(
            ("port", "baudrate", "columns", "code_page", "timeout_s"),
            {"columns": 20, "timeout_s": 1.0},
            _DISPLAY_CHOICES,
            ("port",),
        ),
        "simulated": KindSpec(("columns", "code_page"), {"columns": 20}, _DISPLAY_CHOICES),
        "none": KindSpec(),
    },
}  # fmt: skip


def _range(low: float, high: float | None = None) -> dict[str, Any]:
    limits: dict[str, Any] = {"minimum": low}
    if high is not None:
        limits["maximum"] = high
    return limits


def _one_of(*allowed: object) -> dict[str, Any]:
    return {"choices": allowed}


_HEX = {"hex": True}


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    """``[devices.<role>]``: one device. ``kind`` picks the driver; the other fields are the
    options of every driver, and each kind accepts only its own (see :data:`KIND_OPTIONS`).

    Attributes:
        kind: The driver (see :data:`DEVICE_KINDS`); "none" means no such device.
        port: Serial port as a pyserial URL or path (``/dev/ttyUSB0``, ``loop://``,
            ``/dev/serial/by-id/...``), or the USB printer device (``/dev/usb/lp0``).
        path: escpos-file: the file the printer bytes are appended to.
        output: Simulated printer: a file that also collects the bytes ("" = memory only).
        host: escpos-network: host name or address.
        tcp_port: escpos-network: TCP port (9100).
        baudrate: Serial speed.
        rtscts: escpos-serial: hardware flow control (leave off: a switched-off printer
            would block).
        timeout_s: Seconds one write (printer: one stalled chunk) may take.
        status_timeout_s: Printer: seconds to wait for each real-time status reply.
        columns: Characters per line: printers 32 (58 mm), 42 or 48 (80 mm); displays 20.
        code_page: Pinned code page: "CP865" (æøå) or "CP858" (also €); displays also take
            "CP850" and "CP437".
        profile: python-escpos printer profile ("default", "TM-T88V", "TM-T20II", ...).
        logo: Printer: picture printed where a receipt has a logo ("" = none).
        check_status: Printer: ask its state before each job and refuse to send into a
            printer that reports paper out, cover open or offline.
        drawer_pin: printer-kick drawer: connector pin, 2 or 5.
        has_sensor: The drawer reports open or closed.
        open_when_high: printer-kick drawer: the switch pulls pin 3 high while open (most
            drawers); false for drawers wired the other way.
        open_command: Serial drawer: hex bytes that open it.
        status_command: Serial drawer: hex bytes asking for the switch ("" = cannot tell).
        open_reply: Serial drawer: hex reply meaning open.
        closed_reply: Serial drawer: hex reply meaning closed.
        auto_close_s: Simulated drawer: seconds after every opening when it shuts itself
            (0 = it stays open until shut, like a drawer left open).
        bytesize: Concert terminal: 8 (USB, 8N1) or 7 (RS-232 set to 7E1).
        parity: Concert terminal: "N", "E" or "O".
        pos_number: Concert terminal: this till's number on the terminal (1-99).
        currency: Concert terminal: ISO 4217 numeric currency ("578" = NOK).
        ack_timeout_s: Concert terminal: seconds to wait for each ACK.
        answer_timeout_s: Concert terminal: seconds the customer has on the terminal.
        frame_timeout_s: Concert terminal: seconds to receive a whole answer frame.
        max_resends: Concert terminal: resends after NAK.
        script: Simulated terminal: outcomes of the next payments
            ("approve decline tip:20,00 silence off"); approve after.
        silence_s: Simulated terminal: how long a "silence" keeps the till waiting.
        integrated: Simulated terminal: false behaves like a stand-alone terminal.
        by_id: evdev scanner: ``/dev/input/by-id/...-event-kbd`` path.
        device_name: evdev scanner: the name ``evtest`` shows, used when ``by_id`` is empty.
        layout: evdev scanner: keyboard layout the scanner emulates, "us" or "no".
        terminators: evdev scanner: keys that end a code ("enter kpenter tab").
        prefix: Scanner: characters sent before each code (stripped).
        suffix: Scanner: characters sent after each code, before the terminator (stripped).
        partial_timeout_s: evdev scanner: silence after which a half code is dropped.
        grab: evdev scanner: take the device exclusively.
        reopen_interval_s: evdev scanner: seconds between tries to reopen it after unplug.
    """

    kind: str = "none"
    port: str = ""
    path: str = ""
    output: str = ""
    host: str = ""
    tcp_port: int = field(default=9100, metadata=_range(1, 65535))
    baudrate: int = field(default=9600, metadata=_range(1))
    rtscts: bool = False
    timeout_s: float = field(default=2.0, metadata=_range(0.01))
    status_timeout_s: float = field(default=0.5, metadata=_range(0.01))
    columns: int = field(default=42, metadata=_range(1, 80))
    code_page: str = "CP865"
    profile: str = "default"
    logo: str = ""
    check_status: bool = True
    drawer_pin: int = field(default=2, metadata=_one_of(2, 5))
    has_sensor: bool = False
    open_when_high: bool = True
    open_command: str = field(default="1B 70 00 19 FA", metadata=_HEX)
    status_command: str = field(default="", metadata=_HEX)
    open_reply: str = field(default="", metadata=_HEX)
    closed_reply: str = field(default="", metadata=_HEX)
    auto_close_s: float = field(default=0.0, metadata=_range(0))
    bytesize: int = field(default=8, metadata=_one_of(7, 8))
    parity: str = field(default="N", metadata=_one_of("N", "E", "O"))
    pos_number: int = field(default=1, metadata=_range(1, 99))
    currency: str = field(default="578", metadata={"pattern": "three digits"})
    ack_timeout_s: float = field(default=2.0, metadata=_range(0.01))
    answer_timeout_s: float = field(default=180.0, metadata=_range(1))
    frame_timeout_s: float = field(default=3.0, metadata=_range(0.01))
    max_resends: int = field(default=3, metadata=_range(0, 10))
    script: str = ""
    silence_s: float = field(default=0.0, metadata=_range(0))
    integrated: bool = True
    by_id: str = ""
    device_name: str = ""
    layout: str = field(default="us", metadata=_one_of("us", "no"))
    terminators: str = "enter kpenter tab"
    prefix: str = ""
    suffix: str = ""
    partial_timeout_s: float = field(default=0.5, metadata=_range(0.01))
    grab: bool = True
    reopen_interval_s: float = field(default=1.0, metadata=_range(0.01))

    def options(self, role: str) -> tuple[str, ...]:
        """The keys besides ``kind`` this device's kind takes in ``role``."""
        return KIND_OPTIONS[role][self.kind].options


def device(role: str, kind: str, **given: Any) -> DeviceSettings:
    """A device of ``kind`` with that kind's defaults, then the ``given`` values."""
    spec = KIND_OPTIONS[role][kind]
    return DeviceSettings(kind=kind, **{**spec.defaults, **given})


@dataclass(frozen=True, slots=True)
class DevicesSettings:
    """``[devices]``: the device roles of a till. The defaults suit a shop box with real
    hardware (``config/default.toml`` spells them out); ``config/simulated.toml`` makes
    every device simulated.

    Attributes:
        printer: The receipt printer ("receipt" in the print queue).
        report_printer: An optional second printer for reports ("reports").
        drawer: The cash drawer.
        terminal: The card terminal.
        scanner: The barcode scanner.
        display: The customer display.
    """

    printer: DeviceSettings = field(
        default_factory=lambda: device("printer", "escpos-serial", port="/dev/ttyUSB0")
    )
    report_printer: DeviceSettings = field(default_factory=lambda: device("report_printer", "none"))
    drawer: DeviceSettings = field(default_factory=lambda: device("drawer", "printer-kick"))
    terminal: DeviceSettings = field(default_factory=lambda: device("terminal", "concert"))
    scanner: DeviceSettings = field(default_factory=lambda: device("scanner", "evdev"))
    display: DeviceSettings = field(default_factory=lambda: device("display", "none"))


def check_field(key: str, value: object, spec: dataclasses.Field[Any], where: str) -> None:
    """Device-specific field checks the generic loader does not know (hex bytes, the
    currency code).

    Raises:
        ConfigError: Naming the key and where it was set.
    """
    if spec.metadata.get("hex") and isinstance(value, str):
        try:
            bytes.fromhex(value.replace(",", " "))
        except ValueError:
            raise ConfigError(
                f'{where}: {key} must be hexadecimal bytes like "1B 70 00 19 FA", got {value!r}'
            ) from None
    if (
        spec.metadata.get("pattern")
        and isinstance(value, str)
        and not (len(value) == 3 and value.isdigit())
    ):
        raise ConfigError(
            f"{where}: {key} must be a three-digit ISO 4217 code (578 = NOK), got {value!r}"
        )


def build_devices(
    given: Mapping[str, Mapping[str, tuple[object, str]]],
    where: Callable[[str, str, str], str],
) -> DevicesSettings:
    """The devices from the values given per role (``{"printer": {"port": (value,
    source)}}``), each on top of its kind's defaults.

    Args:
        given: Per role, the options set in the file, environment or on the command line.
        where: ``where(role, key, source)`` names the place a value was set (file and
            line, or the environment variable) for messages.

    Raises:
        ConfigError: A key the role's kind does not take, or a value outside what the kind
            allows; the message names the key, the place and the kind's options.
    """
    defaults = DevicesSettings()
    roles: dict[str, DeviceSettings] = {}
    for role in DEVICE_KINDS:
        values = dict(given.get(role, {}))
        base: DeviceSettings = getattr(defaults, role)
        kind_value = values.pop("kind", None)
        kind = base.kind if kind_value is None else str(kind_value[0])
        spec = KIND_OPTIONS[role][kind]
        for key, (value, source) in values.items():
            dotted = f"devices.{role}.{key}"
            if key not in spec.options:
                takes = ", ".join(spec.options) or "no options besides kind"
                raise ConfigError(
                    f"{where(role, key, source)}: {dotted} is not an option of {role} kind "
                    f"{kind!r} (it takes: {takes})"
                )
            allowed = spec.choices.get(key)
            if allowed is not None and value not in allowed:
                shown = ", ".join(repr(c) for c in allowed)
                raise ConfigError(
                    f"{where(role, key, source)}: {dotted} must be one of {shown} for "
                    f"{role} kind {kind!r}, got {value!r}"
                )
            if key == "terminators":
                _check_terminators(str(value), dotted, where(role, key, source))
        own: dict[str, Any] = {key: value for key, (value, _) in values.items()}
        if kind == base.kind:
            roles[role] = dataclasses.replace(base, **own)
        else:
            roles[role] = device(role, kind, **own)
    return DevicesSettings(**roles)


def _check_terminators(text: str, key: str, where: str) -> None:
    words = text.split()
    wrong = [word for word in words if word not in SCAN_TERMINATORS]
    if not words or wrong:
        raise ConfigError(
            f"{where}: {key} must name keys from {', '.join(SCAN_TERMINATORS)} "
            f"separated by spaces, got {text!r}"
        )


def missing_required(role: str, settings: DeviceSettings) -> list[str]:
    """The required options of the device's kind that are empty (``by_id`` or
    ``device_name`` for an evdev scanner)."""
    spec = KIND_OPTIONS[role][settings.kind]
    missing = [key for key in spec.required if not getattr(settings, key)]
    if (
        role == "scanner"
        and settings.kind == "evdev"
        and not (settings.by_id or settings.device_name)
    ):
        missing.append("by_id")
    return missing
