"""Schema version 10: card tips. A payment row gets ``tip``, the tip (øre) the customer
added on the card terminal on top of the payment's amount (0 for every payment before this
version and for every payment that is not a card payment). The column has a default, so
old rows read as "no tip" and nothing else changes; ``transaction_payment`` stays
append-only (an added column keeps its triggers). Our hash chain (migration 6) covers the
tip when it is not 0 (``storage/chain_rows.payment_values``), so the rows chained before
keep their hashes and need no rewrite. Frozen in time like every migration.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY: tuple[str, ...] = ()
ADDED_PAYMENT_COLUMNS = ("tip",)
"""The column this version adds to ``transaction_payment``, after migration 6's."""


def apply(ctx: MigrationContext) -> None:
    """Add the tip column to the payment rows."""
    for column in ADDED_PAYMENT_COLUMNS:
        ctx.run(f"ALTER TABLE transaction_payment ADD COLUMN {column} BIGINT NOT NULL DEFAULT 0")
