"""What ``omnipos`` prints for a ``PosError`` (on standard error, then exit code 1)."""

from __future__ import annotations

from omnipos_tui.core.errors import PosError


def error_lines(exc: PosError) -> list[str]:
    """The ``error: ...`` lines for ``exc``: one per line of its message."""
    from omnipos_tui.services.catalogue.product_csv import (
        CsvImportError,  # only once something failed
    )

    lines = [f"error: {line}" for line in str(exc).splitlines() or [type(exc).__name__]]
    if isinstance(exc, CsvImportError):
        lines.append("error: nothing was imported; fix the file and try again")
    return lines
