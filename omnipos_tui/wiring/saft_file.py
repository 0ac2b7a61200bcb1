"""The SAF-T file writer the export service is given (``omnipos_tui.exports.saft``,
imported on first export: lxml is not loaded before then)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from omnipos_tui import __version__
from omnipos_tui.file_modes import FileAccess
from omnipos_tui.services.ledger.export import SaftSource, WrittenCounts

if TYPE_CHECKING:
    from omnipos_tui.exports.saft import ExportSummary


def write_saft_file(
    target: Path, source: SaftSource, *, files: FileAccess | None = None
) -> WrittenCounts:
    """The export service's file writer: ``omnipos_tui.exports.saft`` into a temporary file
    beside ``target``, renamed into place only when complete, with ``files``' mode and
    group (0600 by default)."""
    from omnipos_tui.exports.saft import ArticleEntry, EmployeeEntry, export_saft_file, write_saft

    def write(out: BinaryIO) -> ExportSummary:
        return write_saft(
            out,
            company=source.company,
            registers=source.registers,
            period_start=source.first_day,
            period_end=source.last_day,
            created_at=source.created_at,
            software_version=__version__,
            vat_rates=source.vat_rates,
            groups=source.groups,
            employees=(EmployeeEntry(e, at) for e, at in source.employees),
            articles=(ArticleEntry(p, on) for p, on in source.articles),
            customers=source.customers,
            event_rows_by_register=source.event_rows,
            transaction_rows_by_register=source.transaction_rows,
            exported_by=source.exported_by,
            described=source.described,
        )

    summary = export_saft_file(target, write, access=files)
    return WrittenCounts(
        summary.registers,
        summary.events,
        summary.transactions,
        summary.transactions_by_register,
    )
