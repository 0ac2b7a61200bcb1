"""What ``omnipos`` prints for a ``PosError`` (on standard error, then exit code 1)."""

from __future__ import annotations

from omnipos_tui.core.errors import PosError
from omnipos_tui.messages import render


def error_lines(exc: PosError) -> list[str]:
    """The ``error: ...`` lines for ``exc`` in English: one per line of its text.

    A coded error is worded by :mod:`omnipos_tui.messages`; a free-text one (a driver's or
    the storage's technical detail) shows its detail, or the kind of trouble when it has
    none.
    """
    from omnipos_tui.services.catalogue.product_csv import (
        CsvImportError,  # only once something failed
    )

    text = render(exc, "en")
    lines = [f"error: {line}" for line in text.splitlines() or [type(exc).__name__]]
    if isinstance(exc, CsvImportError):
        lines.append("error: nothing was imported; fix the file and try again")
    return lines
