"""Schema version 16: an order's payment state as it changes after the order was made.

A web order imported as paid at pick-up may be paid in the shop later (then it is
prepaid: handed over with a delivery receipt, never sold again at the till).
``customer_order`` is append-only, so each change is a row of
``customer_order_payment`` (append-only too: the history is kept); the newest row is the
order's payment state, else the one it was made with. Frozen in time like every
migration.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = ("customer_order_payment",)


def apply(ctx: MigrationContext) -> None:
    """Create the payment history of orders."""
    ctx.run(
        """CREATE TABLE customer_order_payment (
            order_no BIGINT NOT NULL REFERENCES customer_order (number),
            seq INTEGER NOT NULL,
            payment TEXT NOT NULL CHECK (payment IN ('prepaid', 'pay_at_pickup', 'on_account')),
            at TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (order_no, seq)
        )""",
    )
