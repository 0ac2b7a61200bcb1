"""Typed, validated configuration: TOML file, ``OMNIPOS_*`` environment, command-line options.

Precedence, highest first: a command-line option, an ``OMNIPOS_*`` environment variable, the
configuration file, the defaults written in the dataclasses below (``config/default.toml``
spells out the same values). The file is ``--config`` or ``OMNIPOS_CONFIG``, else
``config.toml`` in the platform's configuration directory when it exists, else none.

Every key can be set from the environment as ``OMNIPOS_<SECTION>__<KEY>`` (devices:
``OMNIPOS_DEVICES__PRINTER__PORT``); two short forms exist because they are used the most:
``OMNIPOS_DB_URL`` (``database.url``) and ``OMNIPOS_DATA_DIR`` (``paths.data_dir``).

An unknown key or a wrong type raises :class:`~omnipos_tui.core.errors.ConfigError` naming the
key, the file and (when it can be found) the line (reading and checking the values:
``settings_sources.py``). The loaded :class:`Settings` remembers where every value came
from, for ``omnipos config show``.

Why this module is over 400 lines: the sections are one typed tree (:class:`Settings`) that
the loader reads by walking its own field types (``_field_types``, ``_section_type``,
``_leaves``, ``_build``); each section class is short, and moving them elsewhere would have
this module import them all back to walk them. The reading and checking of values is in
``settings_sources.py`` and the device sections in ``device_settings.py`` already.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import platformdirs

from omnipos_tui.device_settings import DeviceSettings, DevicesSettings, build_devices
from omnipos_tui.settings_sources import (
    convert_text,
    line_suffix,
    read_environment,
    read_file,
)


def _choices(*allowed: object) -> dict[str, Any]:
    return {"choices": allowed}


def _at_least(minimum: int | float) -> dict[str, Any]:
    return {"minimum": minimum}


@dataclass(frozen=True, slots=True)
class ShopSettings:
    """``[shop]``: which till this is and the language it speaks.

    Attributes:
        register_id: The register (till) this machine is, as created by ``omnipos init``.
        language: "nb" (Norwegian bokmål) or "en" for the till, receipts and reports.
    """

    register_id: str = "1"
    language: str = field(default="nb", metadata=_choices("nb", "en"))


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    """``[database]``.

    Attributes:
        url: ``postgresql://user@host/db`` for a shared database; empty means the SQLite file
            ``omnipos.sqlite3`` in the data directory.
    """

    url: str = ""


@dataclass(frozen=True, slots=True)
class PathSettings:
    """``[paths]``.

    Attributes:
        data_dir: Database, signing keys, print spool and logs. Empty means the platform's
            user data directory (``~/.local/share/omnipos`` on Linux).
    """

    data_dir: str = ""


@dataclass(frozen=True, slots=True)
class SigningSettings:
    """``[signing]``.

    Attributes:
        algorithm: "rsa-sha1" (1024-bit key, the default) or "hmac-sha1".
    """

    algorithm: str = field(default="rsa-sha1", metadata=_choices("rsa-sha1", "hmac-sha1"))


@dataclass(frozen=True, slots=True)
class TillSettings:
    """``[till]``: behaviour of the full-screen till.

    Attributes:
        keymap: Name of the key map in ``config/keymaps/`` (without ``.toml``).
        merge_identical_scans: Scanning the same product again raises the quantity instead
            of adding a new line.
        drawer_in_training: Open the cash drawer for training receipts.
        discount_limit_percent: Largest discount a cashier may give without a manager.
        no_sale_requires_manager: Opening the drawer without a sale needs a manager.
        wedge_max_gap_ms: Largest gap between keys of a keyboard-wedge scan.
        post_sale_debounce_ms: Keys ignored this long after a sale completes.
        drawer_open_warning_s: A drawer left open this long gets the standing warning
            "Lukk kassaskuffen" on row 21 (TILL-UX §2.4).
        closes_at: When the shop closes ("21:00", Oslo time; "" = not set): a Z report
            taken earlier in the day asks first, since it closes the business day.
    """

    keymap: str = "default"
    merge_identical_scans: bool = False
    drawer_in_training: bool = False
    discount_limit_percent: int = field(default=10, metadata={"minimum": 0, "maximum": 100})
    no_sale_requires_manager: bool = True
    wedge_max_gap_ms: int = field(default=30, metadata=_at_least(1))
    post_sale_debounce_ms: int = field(default=500, metadata=_at_least(0))
    drawer_open_warning_s: int = field(default=30, metadata=_at_least(1))
    closes_at: str = field(default="", metadata={"clock_time": True})


@dataclass(frozen=True, slots=True)
class CarrierSettings:
    """``[carriers]``: tracking of the parcels of customer orders. The Mybring user and API
    key are in ``secrets.toml`` (``[carriers.bring] api_uid``, ``api_key``), never here.

    Attributes:
        bring: "api" asks Bring's Tracking API; "simulated" plays realistic Bring event
            sequences without the network (the demo); "off" never asks (parcels keep the
            status typed or last fetched).
        bring_url: Bring's API address.
        client_url: Sent to Bring as ``X-Bring-Client-URL`` (the shop's web address).
        timeout_s: Seconds to wait for a carrier's answer.
        refresh_minutes: How often the worker asks about an open parcel.
    """

    bring: str = field(default="api", metadata=_choices("api", "simulated", "off"))
    bring_url: str = "https://api.bring.com"
    client_url: str = "https://omnipos.invalid"
    timeout_s: int = field(default=10, metadata={"minimum": 1, "maximum": 120})
    refresh_minutes: int = field(default=30, metadata={"minimum": 5, "maximum": 1440})


@dataclass(frozen=True, slots=True)
class WebshopSettings:
    """``[webshop]``: the web shop that shares the stock, customers and orders. The consumer
    key and secret (WooCommerce) or user name and password (django-oscar) are in
    ``secrets.toml`` (``[webshop]``), never here.

    Attributes:
        kind: "none", "woocommerce" or "oscar".
        url: The shop's address.
        buffer: Units of every product kept back from the shop (it is offered
            ``available - buffer``, never below 0).
        poll_seconds: How often the worker pulls orders and customers.
        timeout_s: Seconds to wait for the shop's answer.
        webhook_port: The port ``omnipos worker`` receives the shop's webhooks on (0: no
            webhooks; WooCommerce only; the secret is ``webhook_secret`` in secrets.toml).
            A webhook only wakes the puller.
        webhook_host: The address it listens on (behind the shop's HTTPS reverse proxy).
    """

    kind: str = field(default="none", metadata=_choices("none", "woocommerce", "oscar"))
    url: str = ""
    buffer: int = field(default=0, metadata={"minimum": 0, "maximum": 100000})
    poll_seconds: int = field(default=10, metadata={"minimum": 1, "maximum": 3600})
    timeout_s: int = field(default=10, metadata={"minimum": 1, "maximum": 120})
    webhook_port: int = field(default=0, metadata={"minimum": 0, "maximum": 65535})
    webhook_host: str = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class AccountingSettings:
    """``[accounting]``: where the settlement vouchers (one per Z report) are booked. The
    tokens are in ``secrets.toml`` (``[accounting] token`` for Fiken; ``consumer_token``
    and ``employee_token`` for Tripletex), never here.

    Attributes:
        kind: "none" (no vouchers queued), "file" (CSV files in ``directory``), "fiken"
            or "tripletex".
        directory: The file adapter's folder ("" = ``accounting`` in the data directory).
        fiken_company: Fiken's company slug (``/companies/{slug}``).
        fiken_url: Fiken's API address.
        tripletex_url: Tripletex's API address.
        timeout_s: Seconds to wait for the accounting system's answer.
        gift_voucher_group: The article group whose sales are gift vouchers sold (booked
            as a liability); "" = none.
        deposit_group: The article group of deposits on customer orders (a liability).
        accounts: ``[accounting.accounts]``: the account map's keys the shop sets (the
            rest keep their NS 4102 defaults, ``core/accounting/accounts.py``).
    """

    kind: str = field(default="none", metadata=_choices("none", "file", "fiken", "tripletex"))
    directory: str = ""
    fiken_company: str = ""
    fiken_url: str = "https://api.fiken.no/api/v2"
    tripletex_url: str = "https://tripletex.no/v2"
    timeout_s: int = field(default=30, metadata={"minimum": 1, "maximum": 300})
    gift_voucher_group: str = ""
    deposit_group: str = ""
    accounts: dict[str, str] = field(default_factory=dict, metadata={"table": True})


@dataclass(frozen=True, slots=True)
class SecuritySettings:
    """``[security]``: who may read the files OmniPOS writes, and how long new PINs are.

    Attributes:
        file_group: A system group that may read the database, its backups and exports
            (they are made mode 0640 and given to that group); "" = only the user OmniPOS
            runs as (mode 0600).
        pin_min_digits: The fewest digits a new PIN may have (4-8). 6 makes an offline
            guess of every PIN from a stolen copy of the database take days instead of an
            hour; PINs set earlier keep working (give everyone a new one).
    """

    file_group: str = ""
    pin_min_digits: int = field(default=4, metadata={"minimum": 4, "maximum": 8})


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective configuration.

    Attributes:
        shop: ``[shop]``.
        database: ``[database]``.
        paths: ``[paths]``.
        signing: ``[signing]``.
        till: ``[till]``.
        devices: ``[devices.*]``.
        carriers: ``[carriers]``.
        webshop: ``[webshop]``.
        accounting: ``[accounting]``.
        security: ``[security]``.
        config_file: The file that was read, or None.
        sources: Where each dotted key's value came from: "default", "file:PATH",
            "env:NAME" or "option:--NAME".
    """

    shop: ShopSettings = ShopSettings()
    database: DatabaseSettings = DatabaseSettings()
    paths: PathSettings = PathSettings()
    signing: SigningSettings = SigningSettings()
    till: TillSettings = TillSettings()
    devices: DevicesSettings = field(default_factory=DevicesSettings)
    carriers: CarrierSettings = CarrierSettings()
    webshop: WebshopSettings = WebshopSettings()
    accounting: AccountingSettings = field(default_factory=AccountingSettings)
    security: SecuritySettings = SecuritySettings()
    config_file: Path | None = None
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def data_dir(self) -> Path:
        """The data directory: the configured one, else the platform's user data directory."""
        if self.paths.data_dir:
            return Path(self.paths.data_dir).expanduser()
        return Path(platformdirs.user_data_dir("omnipos"))

    @property
    def database_url(self) -> str:
        """The database URL; the SQLite file in the data directory when none is configured."""
        return self.database.url or f"sqlite:///{self.data_dir / 'omnipos.sqlite3'}"

    def effective(self) -> list[tuple[str, object, str]]:
        """Every key with its value and where it came from, in file order."""
        return [(key, value, self.sources.get(key, "default")) for key, value in _leaves(self)]


@dataclass(frozen=True, slots=True)
class Override:
    """A value given on the command line.

    Attributes:
        key: Dotted key, for example "database.url".
        value: The text typed.
        option: The option's name for ``config show`` ("--db-url").
    """

    key: str
    value: str
    option: str


_SECTIONS = (
    "shop", "database", "paths", "signing", "till", "devices", "carriers", "accounting",
    "webshop", "security",
)  # fmt: skip


def default_config_file() -> Path:
    """Where the configuration is looked for when neither ``--config`` nor
    ``OMNIPOS_CONFIG`` names a file (used only if it exists)."""
    return Path(platformdirs.user_config_dir("omnipos")) / "config.toml"


def load_settings(
    config_file: Path | None = None,
    *,
    overrides: tuple[Override, ...] = (),
    environ: Mapping[str, str] | None = None,
    fallback_file: Path | None = None,
) -> Settings:
    """Load the effective configuration.

    Args:
        config_file: ``--config``; else ``OMNIPOS_CONFIG``; else ``fallback_file``.
        overrides: Values from command-line options (highest precedence).
        environ: The environment (``os.environ`` when None).
        fallback_file: Read when no file is named and it exists; defaults to
            :func:`default_config_file`.

    Raises:
        ConfigError: The file is missing or not TOML, a key is unknown, or a value has the
            wrong type or is out of range. The message names the key and where it was set.
    """
    env = os.environ if environ is None else environ
    values: dict[str, tuple[object, str]] = {}
    path = config_file
    if path is None and env.get("OMNIPOS_CONFIG"):
        path = Path(env["OMNIPOS_CONFIG"])
    if path is None:
        candidate = fallback_file if fallback_file is not None else default_config_file()
        path = candidate if candidate.is_file() else None
    known = _field_types()
    if path is not None:
        values.update(read_file(path, known))
    values.update(read_environment(env, known))
    for item in overrides:
        values[item.key] = (convert_text(item.key, item.value, f"option {item.option}", known),
                            f"option:{item.option}")  # fmt: skip
    return _build(values, path)


@functools.cache
def _field_types() -> dict[str, dataclasses.Field[Any]]:
    """Every dotted key and its dataclass field."""
    out: dict[str, dataclasses.Field[Any]] = {}
    for section in dataclasses.fields(Settings):
        if section.name not in _SECTIONS:
            continue
        if section.name == "devices":
            for role in dataclasses.fields(DevicesSettings):
                for opt in dataclasses.fields(DeviceSettings):
                    out[f"devices.{role.name}.{opt.name}"] = opt
            continue
        for item in dataclasses.fields(_section_type(section.name)):
            out[f"{section.name}.{item.name}"] = item
    return out


def _section_type(name: str) -> type[Any]:
    kinds: dict[str, type[Any]] = {
        "shop": ShopSettings,
        "database": DatabaseSettings,
        "paths": PathSettings,
        "signing": SigningSettings,
        "till": TillSettings,
        "carriers": CarrierSettings,
        "webshop": WebshopSettings,
        "accounting": AccountingSettings,
        "security": SecuritySettings,
    }
    return kinds[name]


def _leaves(settings: Settings) -> Iterator[tuple[str, object]]:
    for key in _field_types():
        parts = key.split(".")
        # Only the options of the kind each device has (see device_settings).
        if (
            parts[0] == "devices"
            and parts[2] != "kind"
            and parts[2] not in getattr(settings.devices, parts[1]).options(parts[1])
        ):
            continue
        obj: object = settings
        for part in key.split("."):
            obj = getattr(obj, part)
        yield key, obj


def _build(values: Mapping[str, tuple[object, str]], path: Path | None) -> Settings:
    sections: dict[str, Any] = {}
    for name in _SECTIONS:
        if name == "devices":
            continue
        kwargs = {k.split(".")[1]: v for k, (v, _) in values.items() if k.startswith(name + ".")}
        sections[name] = _section_type(name)(**kwargs)
    given: dict[str, dict[str, tuple[object, str]]] = {}
    for key, item in values.items():
        parts = key.split(".")
        if parts[0] == "devices":
            given.setdefault(parts[1], {})[parts[2]] = item
    devices = build_devices(given, functools.partial(_device_where, path))
    sources = MappingProxyType({key: source for key, (_, source) in values.items()})
    return Settings(**sections, devices=devices, config_file=path, sources=sources)


def _device_where(path: Path | None, role: str, key: str, source: str) -> str:
    """Where a device option was set, for messages: the file and line, or the variable."""
    if source.startswith("file:") and path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = ""
        return f"{path}{line_suffix(text, ('devices', role), key)}"
    kind, _, name = source.partition(":")
    return {"env": f"environment variable {name}", "option": f"option {name}"}.get(kind, source)
