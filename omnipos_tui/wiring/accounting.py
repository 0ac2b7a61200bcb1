"""The accounting part of the composition root: the account map from ``[accounting]`` and
``[accounting.accounts]``, and which adapter books the vouchers (``[accounting] kind``:
none, file, fiken, tripletex; tokens from ``secrets.toml``), built on first use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.ports import AccountingSystem
from omnipos_tui.core.errors import ConfigError, StorageError
from omnipos_tui.file_modes import FileAccess
from omnipos_tui.secrets_file import load_secrets
from omnipos_tui.settings import Settings

if TYPE_CHECKING:
    from omnipos_tui.services.accounting.service import AccountingService


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


def export_vouchers(
    service: AccountingService,
    start: date,
    end: date,
    output: Path,
    *,
    form: str,
    today: date,
    files: FileAccess | None = None,
) -> int:
    """Write the settlement vouchers of every Z report in ``start``..``end`` as ``form``
    ("csv": voucher lines; "saft-financial": SAF-T Financial 1.30, or 1.40 for periods
    starting 2027-01-01 or later) with ``files``' mode and group (0600 by default); how
    many vouchers.

    Raises:
        ConfigError: An unknown format.
        StorageError: The file cannot be written.
    """
    from omnipos_tui.integrations.accounting.file import write_csv

    vouchers = service.vouchers(start, end)
    try:
        if form == "csv":
            count = write_csv(vouchers, output)
            (files or FileAccess()).apply(output)
            return count
        if form != "saft-financial":
            raise ConfigError(f"unknown voucher export format {form!r}")
        from omnipos_tui.integrations.accounting.saft_financial import (
            FinancialFile,
            Party,
            write_saft_financial,
        )

        company, customers, suppliers = service.parties()
        listed = list(vouchers)
        data = FinancialFile(
            org_number=company.org_number,
            name=company.name,
            street=company.street,
            postal_code=company.postal_code,
            city=company.city,
            start=start,
            end=end,
            created=today,
            vouchers=listed,
            customers=[
                Party(c.number, c.name, c.org_number, c.street, c.postal_code, c.city)
                for c in customers
            ],
            suppliers=[Party(s.code, s.name, s.org_number) for s in suppliers],
        )
        write_saft_financial(data, output)
        (files or FileAccess()).apply(output)
        return len(listed)
    except OSError as exc:
        raise StorageError(f"cannot write {output}: {exc.strerror or exc}") from None
