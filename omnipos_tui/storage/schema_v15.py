"""Schema version 15: the web shop's links and sync state.

``webshop_product`` links a product (our SKU) to the shop's product id, with what was last
pushed; ``webshop_customer`` links a customer to the shop's customer, both sides unique
(one register: matched by e-mail, then phone, linked once); ``webshop_state`` holds the
sync's cursors and each direction's last success and last error; ``webshop_problem`` keeps
what the owner must be told (an unknown SKU, a refused order), append-only. Web orders
themselves are rows of the order register (``customer_order``, channel "web", unique per
channel and the shop's id: migration 14). Frozen in time like every migration.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = ("webshop_problem",)


def apply(ctx: MigrationContext) -> None:
    """Create the web shop's tables."""
    auto_pk = "BIGSERIAL PRIMARY KEY" if ctx.engine == "postgresql" else "INTEGER PRIMARY KEY"
    ctx.run(
        """CREATE TABLE webshop_product (
            sku TEXT PRIMARY KEY REFERENCES product (sku),
            external_id TEXT NOT NULL UNIQUE,
            linked_at TEXT NOT NULL,
            pushed_qty BIGINT,
            pushed_at TEXT
        )""",
        """CREATE TABLE webshop_customer (
            customer_number TEXT PRIMARY KEY REFERENCES customer (number),
            external_id TEXT NOT NULL UNIQUE,
            linked_at TEXT NOT NULL
        )""",
        """CREATE TABLE webshop_state (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        f"""CREATE TABLE webshop_problem (
            id {auto_pk},
            at TEXT NOT NULL,
            text TEXT NOT NULL
        )""",
    )
