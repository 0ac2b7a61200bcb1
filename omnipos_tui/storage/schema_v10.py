"""Schema version 10: card tips. A payment row gets ``tip``, the tip (øre) the customer
added on the card terminal on top of the payment's amount (0 for every payment before this
version and for every payment that is not a card payment). The column has a default, so
old rows read as "no tip" and nothing else changes; ``transaction_payment`` stays
append-only (an added column keeps its triggers). Frozen in time like every migration.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY: tuple[str, ...] = ()


def apply(ctx: MigrationContext) -> None:
    """Add the tip column to the payment rows."""
    ctx.run("ALTER TABLE transaction_payment ADD COLUMN tip BIGINT NOT NULL DEFAULT 0")
