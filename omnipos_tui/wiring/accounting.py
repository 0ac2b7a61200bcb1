"""The accounting part of the composition root: the account map from ``[accounting]`` and
``[accounting.accounts]``, and which adapter books the vouchers (``[accounting] kind``:
none, file, fiken, tripletex; tokens from ``secrets.toml``), built on first use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.ports import AccountingSystem
from omnipos_tui.core.accounting.voucher import Voucher
from omnipos_tui.core.errors import ConfigError, StorageError
from omnipos_tui.secrets_file import load_secrets
from omnipos_tui.settings import Settings


def account_map(settings: Settings) -> AccountMap:
    """The effective account map (defaults overlaid with the shop's table).

    Raises:
        ConfigError: A value that is not an account number.
    """
    section = settings.accounting
    return AccountMap.from_table(
        section.accounts,
        gift_voucher_group=section.gift_voucher_group,
        deposit_group=section.deposit_group,
    )


def voucher_directory(settings: Settings) -> Path:
    """The file adapter's folder."""
    named = settings.accounting.directory
    return Path(named).expanduser() if named else settings.data_dir / "accounting"


def accounting_system(settings: Settings) -> Callable[[], AccountingSystem] | None:
    """Makes the configured adapter (nothing is read or connected until called), or None
    for ``kind = "none"``."""
    kind = settings.accounting.kind
    if kind == "none":
        return None
    if kind == "file":
        return lambda: _file(settings)
    if kind == "fiken":
        return lambda: _fiken(settings)
    return lambda: _tripletex(settings)


def _file(settings: Settings) -> AccountingSystem:
    from omnipos_tui.integrations.accounting.file import FileAccounting

    return FileAccounting(voucher_directory(settings))


def _fiken(settings: Settings) -> AccountingSystem:
    from omnipos_tui.integrations.accounting.fiken import FikenAccounting

    secrets = load_secrets(settings.data_dir)
    section = settings.accounting
    if not section.fiken_company:
        raise ConfigError("[accounting] fiken_company is not set (the company slug in Fiken)")
    return FikenAccounting(
        token=secrets.require("accounting", "token", "your Fiken API token"),
        company=section.fiken_company,
        accounts=account_map(settings),
        base_url=section.fiken_url,
        timeout_s=float(section.timeout_s),
    )


def _tripletex(settings: Settings) -> AccountingSystem:
    from omnipos_tui.integrations.accounting.tripletex import TripletexAccounting

    secrets = load_secrets(settings.data_dir)
    section = settings.accounting
    return TripletexAccounting(
        consumer_token=secrets.require("accounting", "consumer_token", "Tripletex consumer token"),
        employee_token=secrets.require("accounting", "employee_token", "Tripletex employee token"),
        base_url=section.tripletex_url,
        timeout_s=float(section.timeout_s),
    )


def export_vouchers(vouchers: Iterable[Voucher], output: Path, form: str) -> int:
    """Write a period's vouchers as ``form`` ("csv"); how many.

    Raises:
        ConfigError: An unknown format.
        StorageError: The file cannot be written.
    """
    from omnipos_tui.integrations.accounting.file import write_csv

    if form != "csv":
        raise ConfigError(f"unknown voucher export format {form!r}")
    try:
        return write_csv(vouchers, output)
    except OSError as exc:
        raise StorageError(f"cannot write {output}: {exc.strerror or exc}") from None
