"""The file adapter: each settlement voucher as a CSV file of voucher lines, for any
accounting system that imports files (and for the accountant).

One file per voucher, ``<key>.csv`` in the folder (``[accounting] directory``, default
``accounting/`` in the data directory), written to a temporary name and renamed: a file
that is there is whole, and a voucher whose file is there is booked (the duplicate check).
Columns: ``voucher;date;line;account;debit;credit;vat_code;description;customer``, amounts
in kroner with a decimal point (``1234.50``), semicolon-separated, UTF-8.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.ports import SetupProblem
from omnipos_tui.core.accounting.voucher import Voucher
from omnipos_tui.core.errors import DeliveryDeferred
from omnipos_tui.core.spreadsheet import safe_cell
from omnipos_tui.temp_files import hold

HEADER = (
    "voucher", "date", "line", "account", "debit", "credit", "vat_code", "description",
    "customer",
)  # fmt: skip


def kroner(ore: int) -> str:
    """Øre as kroner with two decimals and a point ("1234.50", "-0.40")."""
    sign = "-" if ore < 0 else ""
    whole, part = divmod(abs(ore), 100)
    return f"{sign}{whole}.{part:02d}"


def voucher_csv(voucher: Voucher) -> str:
    """The voucher's lines as CSV text (with the header)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    for n, line in enumerate(voucher.lines, 1):
        row = (
            voucher.key,
            voucher.day.isoformat(),
            n,
            line.account,
            kroner(line.debit),
            kroner(line.credit),
            line.vat_code or "",
            line.description,
            line.customer or "",
        )
        writer.writerow(safe_cell(cell) for cell in row)
    return out.getvalue()


class FileAccounting:
    """:class:`~omnipos_tui.core.accounting.ports.AccountingSystem` writing CSV files.

    Args:
        directory: The folder (made when missing).
    """

    name = "file"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_of(self, key: str) -> Path:
        """The file of the voucher ``key``."""
        return self.directory / f"{key}.csv"

    def find(self, key: str) -> str | None:
        """The file's name when the voucher is written already."""
        path = self.path_of(key)
        return path.name if path.is_file() else None

    def post(self, voucher: Voucher) -> str:
        """Write the voucher's file (whole or not at all); its name.

        Raises:
            DeliveryDeferred: The folder cannot be written (a full disk, a permission):
                tried again later.
        """
        path = self.path_of(voucher.key)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # Readable by the shop's user only, like the database (vouchers are books).
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(voucher_csv(voucher))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise DeliveryDeferred(f"cannot write {path}: {exc.strerror or exc}") from None
        return path.name

    def check(self, accounts: AccountMap) -> list[SetupProblem]:
        """Whether the folder can be written (the account map is the shop's own)."""
        del accounts
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            probe = self.directory / f".probe.{os.getpid()}"
            probe.write_text("", encoding="utf-8")
            probe.unlink()
        except OSError as exc:
            return [SetupProblem("connection", "", f"cannot write {self.directory}: {exc}")]
        return []

    def close(self) -> None:
        """Nothing to release."""


def write_csv(vouchers: Iterable[Voucher], path: Path) -> int:
    """Every voucher's lines into one CSV file (one header), written to a temporary name
    and renamed (nothing half-written stays); how many vouchers.

    Raises:
        OSError: The file cannot be written.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    count = 0
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            hold(handle.fileno())  # ours while we write: the next run sweeps it if we die
            for voucher in vouchers:
                text = voucher_csv(voucher)
                handle.write(text if count == 0 else text.split("\n", 1)[1])
                count += 1
            if count == 0:
                handle.write(";".join(HEADER) + "\n")
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return count
