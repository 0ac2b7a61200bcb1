"""Schema version 14: customer orders and shipments.

The order register for every channel: ``customer_order`` (one row per order; the channel's
own id unique per channel, so the web shop imports each order once), its lines, the events
of each line (reserved, released, picked, put back, delivered, cancelled: a line's figures
are their sums) and its status history; parcels (``shipment``), what went in each, and what
the carrier said (its events kept as they came, and the normalised picture whenever it
changed). All of these are append-only. Two small tables change in place and are derived:
``customer_order_state`` (each order's current status, so open orders and a status filter
never read the history) and ``shipment_check`` (when a parcel was last asked about and when
to ask next). ``order_sale`` links a till sale to the order it carries for a pick-up.

Also an index of the till's transactions by customer (``customers show`` lists purchases).
Quantities are BIGINT thousandths, money BIGINT øre, times fixed-width UTC text, days
``YYYY-MM-DD``. Frozen in time like every migration: plain SQL, never the current code.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = (
    "customer_order",
    "customer_order_line",
    "customer_order_event",
    "customer_order_status",
    "shipment",
    "shipment_line",
    "shipment_tracking",
    "shipment_event",
    "order_sale",
)


def apply(ctx: MigrationContext) -> None:
    """Create the order and shipment tables."""
    pg = ctx.engine == "postgresql"
    auto_pk = "BIGSERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY"
    statuses = (
        "'open', 'reserved', 'picked', 'packed', 'shipped', 'delivered', 'picked_up', 'cancelled'"
    )
    ctx.run(
        """CREATE TABLE customer_order (
            number BIGINT PRIMARY KEY,
            channel TEXT NOT NULL,
            external_id TEXT,
            customer_number TEXT NOT NULL REFERENCES customer (number),
            delivery TEXT NOT NULL CHECK (delivery IN ('pickup', 'ship')),
            payment TEXT NOT NULL CHECK (payment IN ('prepaid', 'pay_at_pickup', 'on_account')),
            ship_name TEXT NOT NULL,
            street TEXT NOT NULL,
            postal_code TEXT NOT NULL,
            city TEXT NOT NULL,
            country TEXT NOT NULL,
            promised TEXT,
            created_at TEXT NOT NULL,
            employee TEXT NOT NULL,
            register_id TEXT NOT NULL,
            note TEXT NOT NULL,
            UNIQUE (channel, external_id)
        )""",
        "CREATE INDEX customer_order_by_customer ON customer_order (customer_number, number)",
        """CREATE TABLE customer_order_line (
            order_no BIGINT NOT NULL REFERENCES customer_order (number),
            line_no INTEGER NOT NULL CHECK (line_no >= 1),
            product_id BIGINT NOT NULL REFERENCES product (id),
            name TEXT NOT NULL,
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
            location_id BIGINT NOT NULL REFERENCES stock_location (id),
            PRIMARY KEY (order_no, line_no)
        )""",
        f"""CREATE TABLE customer_order_event (
            id {auto_pk},
            order_no BIGINT NOT NULL,
            line_no INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reserve', 'release', 'pick', 'unpick',
                'deliver', 'cancel')),
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            location_id BIGINT REFERENCES stock_location (id),
            shipment_id BIGINT,
            at TEXT NOT NULL,
            employee TEXT NOT NULL,
            FOREIGN KEY (order_no, line_no) REFERENCES customer_order_line (order_no, line_no)
        )""",
        "CREATE INDEX customer_order_event_by_line ON customer_order_event (order_no, line_no)",
        f"""CREATE TABLE customer_order_status (
            order_no BIGINT NOT NULL REFERENCES customer_order (number),
            seq INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ({statuses})),
            at TEXT NOT NULL,
            employee TEXT NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (order_no, seq)
        )""",
        f"""CREATE TABLE customer_order_state (
            order_no BIGINT PRIMARY KEY REFERENCES customer_order (number),
            status TEXT NOT NULL CHECK (status IN ({statuses})),
            finished BOOLEAN NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX customer_order_state_by_status ON customer_order_state (status, order_no)",
        "CREATE INDEX customer_order_state_open ON customer_order_state (finished, order_no)",
        f"""CREATE TABLE shipment (
            id {auto_pk},
            order_no BIGINT NOT NULL REFERENCES customer_order (number),
            carrier TEXT NOT NULL,
            service TEXT NOT NULL,
            tracking_number TEXT NOT NULL,
            booked_at TEXT NOT NULL,
            employee TEXT NOT NULL,
            UNIQUE (carrier, tracking_number)
        )""",
        "CREATE INDEX shipment_by_order ON shipment (order_no)",
        """CREATE TABLE shipment_line (
            shipment_id BIGINT NOT NULL REFERENCES shipment (id),
            line_no INTEGER NOT NULL,
            quantity BIGINT NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (shipment_id, line_no)
        )""",
        """CREATE TABLE shipment_tracking (
            shipment_id BIGINT NOT NULL REFERENCES shipment (id),
            seq INTEGER NOT NULL,
            found BOOLEAN NOT NULL,
            status TEXT NOT NULL,
            raw_status TEXT NOT NULL,
            description TEXT NOT NULL,
            estimated_date TEXT,
            window_start TEXT NOT NULL,
            window_end TEXT NOT NULL,
            delivered_at TEXT,
            pickup_code TEXT NOT NULL,
            shelf TEXT NOT NULL,
            pickup_point TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (shipment_id, seq)
        )""",
        f"""CREATE TABLE shipment_event (
            id {auto_pk},
            shipment_id BIGINT NOT NULL REFERENCES shipment (id),
            at TEXT NOT NULL,
            status TEXT NOT NULL,
            raw_status TEXT NOT NULL,
            description TEXT NOT NULL,
            place TEXT NOT NULL,
            UNIQUE (shipment_id, at, raw_status, description)
        )""",
        """CREATE TABLE shipment_check (
            shipment_id BIGINT PRIMARY KEY REFERENCES shipment (id),
            fetched_at TEXT,
            error TEXT NOT NULL,
            next_at TEXT
        )""",
        "CREATE INDEX shipment_check_due ON shipment_check (next_at)",
        """CREATE TABLE order_sale (
            sale_id TEXT NOT NULL,
            sale_line INTEGER NOT NULL,
            order_no BIGINT NOT NULL REFERENCES customer_order (number),
            order_line INTEGER NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (sale_id, sale_line)
        )""",
        "CREATE INDEX order_sale_by_order ON order_sale (order_no)",
        "CREATE INDEX cash_transaction_by_customer ON cash_transaction (customer, completed_at)",
    )
