"""Schema version 7: stock and purchasing.

The stock ledger (``stock_move``, append-only) and the balances kept beside it in the same
unit of work: ``stock_level`` (on hand and reserved per product and location),
``stock_product`` (owned total and moving average cost per product), ``stock_day`` (sold
and net change per product and business day, so "sold in the last 365 days" reads at most
365 rows). Locations, the register's selling location, reorder rules; suppliers and their
items (master data); purchase orders, goods receipts, transfers and counts, whose rows are
never changed (a status change is a new status row). Quantities are BIGINT thousandths of
the product's unit, money BIGINT øre, times fixed-width UTC text, days ``YYYY-MM-DD``.
Frozen in time like every migration: plain SQL, never the current code.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = (
    "stock_move",
    "purchase_order",
    "purchase_order_line",
    "purchase_order_status",
    "goods_receipt",
    "goods_receipt_line",
    "stock_transfer",
    "stock_transfer_line",
    "stock_transfer_status",
    "stock_count",
    "stock_count_snapshot",
    "stock_count_entry",
    "stock_count_status",
)

_LOCATIONS = (
    ("butikk", "Butikk", "real"),
    ("lager", "Lager", "real"),
    ("supplier", "Leverandør", "virtual"),
    ("customer", "Kunde", "virtual"),
    ("loss", "Svinn", "virtual"),
    ("count-difference", "Telleavvik", "virtual"),
    ("transit", "Underveis", "virtual"),
)


def apply(ctx: MigrationContext) -> None:
    """Create the stock and purchasing tables and the standard locations."""
    pg = ctx.engine == "postgresql"
    auto_pk = "BIGSERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY"
    ctx.run(
        f"""CREATE TABLE stock_location (
            id {auto_pk},
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('real', 'virtual'))
        )""",
        """CREATE TABLE register_location (
            register_id TEXT PRIMARY KEY,
            location_id BIGINT NOT NULL REFERENCES stock_location (id)
        )""",
        f"""CREATE TABLE stock_move (
            id {auto_pk},
            product_id BIGINT NOT NULL REFERENCES product (id),
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            from_location BIGINT NOT NULL REFERENCES stock_location (id),
            to_location BIGINT NOT NULL REFERENCES stock_location (id),
            unit_cost BIGINT NOT NULL CHECK (unit_cost >= 0),
            doc_type TEXT NOT NULL,
            doc_id TEXT NOT NULL,
            doc_line INTEGER NOT NULL,
            employee TEXT NOT NULL,
            register_id TEXT NOT NULL,
            at TEXT NOT NULL,
            negative BOOLEAN NOT NULL,
            reason TEXT NOT NULL,
            CHECK (from_location <> to_location)
        )""",
        "CREATE INDEX stock_move_by_product ON stock_move (product_id, id)",
        "CREATE INDEX stock_move_by_document ON stock_move (doc_type, doc_id)",
        """CREATE TABLE stock_level (
            product_id BIGINT NOT NULL REFERENCES product (id),
            location_id BIGINT NOT NULL REFERENCES stock_location (id),
            on_hand BIGINT NOT NULL DEFAULT 0,
            reserved BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (product_id, location_id)
        )""",
        "CREATE INDEX stock_level_by_location ON stock_level (location_id, product_id)",
        """CREATE TABLE stock_product (
            product_id BIGINT PRIMARY KEY REFERENCES product (id),
            on_hand BIGINT NOT NULL DEFAULT 0,
            average_cost BIGINT NOT NULL DEFAULT 0 CHECK (average_cost >= 0),
            received BIGINT NOT NULL DEFAULT 0,
            received_value BIGINT NOT NULL DEFAULT 0,
            last_receipt BIGINT
        )""",
        """CREATE TABLE stock_day (
            product_id BIGINT NOT NULL REFERENCES product (id),
            day TEXT NOT NULL,
            sold BIGINT NOT NULL DEFAULT 0,
            net BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (product_id, day)
        )""",
        """CREATE TABLE reorder_rule (
            product_id BIGINT NOT NULL REFERENCES product (id),
            location_id BIGINT NOT NULL REFERENCES stock_location (id),
            min_qty BIGINT CHECK (min_qty >= 0),
            max_qty BIGINT CHECK (max_qty >= 0),
            PRIMARY KEY (product_id, location_id)
        )""",
        """CREATE TABLE stock_counter (
            series TEXT PRIMARY KEY,
            last BIGINT NOT NULL
        )""",
        """CREATE TABLE supplier (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            org_number TEXT NOT NULL,
            contact TEXT NOT NULL,
            email TEXT NOT NULL,
            phone TEXT NOT NULL,
            delivery_days TEXT NOT NULL,
            lead_days INTEGER NOT NULL CHECK (lead_days >= 0),
            active BOOLEAN NOT NULL
        )""",
        """CREATE TABLE supplier_item (
            supplier_code TEXT NOT NULL REFERENCES supplier (code),
            product_id BIGINT NOT NULL REFERENCES product (id),
            supplier_sku TEXT NOT NULL,
            pack_size BIGINT NOT NULL CHECK (pack_size > 0),
            cost_price BIGINT NOT NULL CHECK (cost_price >= 0),
            PRIMARY KEY (supplier_code, product_id)
        )""",
        "CREATE INDEX supplier_item_by_product ON supplier_item (product_id)",
        """CREATE TABLE purchase_order (
            number BIGINT PRIMARY KEY,
            supplier_code TEXT NOT NULL REFERENCES supplier (code),
            location_id BIGINT NOT NULL REFERENCES stock_location (id),
            expected TEXT,
            created_at TEXT NOT NULL,
            employee TEXT NOT NULL,
            note TEXT NOT NULL
        )""",
        """CREATE TABLE purchase_order_line (
            order_no BIGINT NOT NULL REFERENCES purchase_order (number),
            line_no INTEGER NOT NULL,
            product_id BIGINT NOT NULL REFERENCES product (id),
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            unit_cost BIGINT NOT NULL CHECK (unit_cost >= 0),
            supplier_sku TEXT NOT NULL,
            PRIMARY KEY (order_no, line_no)
        )""",
        "CREATE INDEX purchase_order_line_by_product ON purchase_order_line (product_id)",
        """CREATE TABLE purchase_order_status (
            order_no BIGINT NOT NULL REFERENCES purchase_order (number),
            seq INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'partly_received',
                'received', 'cancelled')),
            at TEXT NOT NULL,
            employee TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (order_no, seq)
        )""",
        """CREATE TABLE goods_receipt (
            number BIGINT PRIMARY KEY,
            order_no BIGINT REFERENCES purchase_order (number),
            location_id BIGINT NOT NULL REFERENCES stock_location (id),
            delivery_note TEXT NOT NULL,
            at TEXT NOT NULL,
            employee TEXT NOT NULL
        )""",
        "CREATE INDEX goods_receipt_by_order ON goods_receipt (order_no)",
        """CREATE TABLE goods_receipt_line (
            receipt_no BIGINT NOT NULL REFERENCES goods_receipt (number),
            line_no INTEGER NOT NULL,
            product_id BIGINT NOT NULL REFERENCES product (id),
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            unit_cost BIGINT NOT NULL CHECK (unit_cost >= 0),
            order_line INTEGER,
            PRIMARY KEY (receipt_no, line_no)
        )""",
        """CREATE TABLE stock_transfer (
            number BIGINT PRIMARY KEY,
            from_location BIGINT NOT NULL REFERENCES stock_location (id),
            to_location BIGINT NOT NULL REFERENCES stock_location (id),
            two_step BOOLEAN NOT NULL,
            CHECK (from_location <> to_location)
        )""",
        """CREATE TABLE stock_transfer_line (
            transfer_no BIGINT NOT NULL REFERENCES stock_transfer (number),
            line_no INTEGER NOT NULL,
            product_id BIGINT NOT NULL REFERENCES product (id),
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (transfer_no, line_no)
        )""",
        """CREATE TABLE stock_transfer_status (
            transfer_no BIGINT NOT NULL REFERENCES stock_transfer (number),
            status TEXT NOT NULL CHECK (status IN ('done', 'sent', 'received')),
            at TEXT NOT NULL,
            employee TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (transfer_no, status)
        )""",
        """CREATE TABLE stock_count (
            number BIGINT PRIMARY KEY,
            location_id BIGINT NOT NULL REFERENCES stock_location (id),
            group_code TEXT,
            started_at TEXT NOT NULL,
            employee TEXT NOT NULL
        )""",
        """CREATE TABLE stock_count_snapshot (
            count_no BIGINT NOT NULL REFERENCES stock_count (number),
            product_id BIGINT NOT NULL REFERENCES product (id),
            on_hand BIGINT NOT NULL,
            PRIMARY KEY (count_no, product_id)
        )""",
        f"""CREATE TABLE stock_count_entry (
            id {auto_pk},
            count_no BIGINT NOT NULL REFERENCES stock_count (number),
            product_id BIGINT NOT NULL REFERENCES product (id),
            quantity BIGINT NOT NULL,
            at TEXT NOT NULL,
            employee TEXT NOT NULL
        )""",
        "CREATE INDEX stock_count_entry_by_count ON stock_count_entry (count_no, product_id)",
        """CREATE TABLE stock_count_status (
            count_no BIGINT NOT NULL REFERENCES stock_count (number),
            status TEXT NOT NULL CHECK (status IN ('started', 'finished')),
            at TEXT NOT NULL,
            employee TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (count_no, status)
        )""",
    )
    for code, name, kind in _LOCATIONS:
        ctx.run(
            f"INSERT INTO stock_location (code, name, kind) VALUES ('{code}', '{name}', '{kind}')"
        )
