"""Schema version 20: a customer can be deactivated.

``customer.active`` (true for every customer there already): a deactivated customer is kept
for history, the books and SAF-T, but is no longer found by a search and cannot be put on a
new sale or order. Frozen in time like every migration. (Numbered 20 to leave 16-19 to the
migrations other branches were writing at the same time; they apply by version recorded.)
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY: tuple[str, ...] = ()


def apply(ctx: MigrationContext) -> None:
    """Add ``customer.active``."""
    true = "TRUE" if ctx.engine == "postgresql" else "1"
    ctx.run(f"ALTER TABLE customer ADD COLUMN active BOOLEAN NOT NULL DEFAULT {true}")
