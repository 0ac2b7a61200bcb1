"""Schema version 2: the ledger -- completed transactions, the electronic journal, Z reports
and receipt copies (append-only), and the registers' working data: counters, open and
parked sales, card payments in flight.

Money is integer øre (BIGINT); quantities and percentages are decimal text, exactly as
rung; times are fixed-width UTC text (``db_time.time_to_db``); local dates and times are
the Oslo strings that were signed or printed. Frozen in time like every migration: plain
SQL, never the current code.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = (
    "cash_transaction",
    "transaction_line",
    "transaction_payment",
    "journal_event",
    "z_report",
    "receipt_copy",
)


def apply(ctx: MigrationContext) -> None:
    """Create the version 2 tables and indexes."""
    pg = ctx.engine == "postgresql"
    auto_pk = "BIGSERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY"
    ctx.run(
        f"""CREATE TABLE cash_transaction (
            id {auto_pk},
            register_id TEXT NOT NULL,
            nr BIGINT NOT NULL CHECK (nr >= 1),
            trans_id TEXT NOT NULL UNIQUE,
            sale_id TEXT UNIQUE,
            kind TEXT NOT NULL,
            employee TEXT NOT NULL,
            customer TEXT,
            started_at TEXT NOT NULL,
            completed_at TEXT NOT NULL,
            trans_date TEXT NOT NULL,
            trans_time TEXT NOT NULL,
            business_day TEXT NOT NULL,
            total BIGINT NOT NULL,
            total_ex_vat BIGINT NOT NULL,
            rounding BIGINT NOT NULL,
            receipt_series TEXT NOT NULL,
            receipt_number BIGINT NOT NULL CHECK (receipt_number >= 1),
            training BOOLEAN NOT NULL,
            voided BOOLEAN NOT NULL,
            note TEXT NOT NULL,
            signature TEXT NOT NULL,
            key_version TEXT NOT NULL,
            previous_signature TEXT NOT NULL,
            UNIQUE (register_id, nr),
            UNIQUE (register_id, receipt_series, receipt_number)
        )""",
        "CREATE INDEX cash_transaction_by_day ON cash_transaction (register_id, business_day, nr)",
        """CREATE TABLE transaction_line (
            trans_id TEXT NOT NULL REFERENCES cash_transaction (trans_id),
            line_no INTEGER NOT NULL,
            kind TEXT NOT NULL,
            sku TEXT NOT NULL,
            name TEXT NOT NULL,
            group_code TEXT NOT NULL,
            quantity TEXT NOT NULL,
            unit TEXT NOT NULL,
            unit_price BIGINT NOT NULL,
            amount BIGINT NOT NULL,
            vat_code TEXT NOT NULL,
            vat_percent TEXT NOT NULL,
            vat_amount BIGINT NOT NULL,
            discount_amount BIGINT,
            discount_percent TEXT,
            discount_employee TEXT,
            discount_reason TEXT,
            sale_discount_amount BIGINT,
            sale_discount_percent TEXT,
            sale_discount_employee TEXT,
            sale_discount_reason TEXT,
            price_override_reason TEXT NOT NULL,
            approved_by TEXT NOT NULL,
            employee TEXT NOT NULL,
            note TEXT NOT NULL,
            corrects_line INTEGER,
            returns_receipt TEXT,
            returns_line INTEGER,
            returns_trans_id TEXT,
            returns_original_line INTEGER,
            at TEXT NOT NULL,
            PRIMARY KEY (trans_id, line_no)
        )""",
        "CREATE INDEX transaction_line_by_return ON transaction_line (returns_trans_id)",
        """CREATE TABLE transaction_payment (
            trans_id TEXT NOT NULL REFERENCES cash_transaction (trans_id),
            seq INTEGER NOT NULL,
            tender TEXT NOT NULL,
            amount BIGINT NOT NULL,
            reference TEXT NOT NULL,
            terminal_transaction_id TEXT NOT NULL,
            masked_card TEXT NOT NULL,
            employee TEXT NOT NULL,
            tendered BIGINT,
            PRIMARY KEY (trans_id, seq)
        )""",
        f"""CREATE TABLE journal_event (
            id {auto_pk},
            register_id TEXT NOT NULL,
            seq BIGINT NOT NULL CHECK (seq >= 1),
            code TEXT NOT NULL,
            predefined_code TEXT NOT NULL,
            employee TEXT NOT NULL,
            at TEXT NOT NULL,
            event_date TEXT NOT NULL,
            event_time TEXT NOT NULL,
            text TEXT NOT NULL,
            trans_id TEXT,
            training BOOLEAN NOT NULL,
            payload TEXT NOT NULL,
            UNIQUE (register_id, seq)
        )""",
        "CREATE INDEX journal_event_by_transaction ON journal_event (trans_id)",
        "CREATE INDEX journal_event_by_time ON journal_event (register_id, at)",
        """CREATE TABLE z_report (
            register_id TEXT NOT NULL,
            business_day TEXT NOT NULL,
            report_no INTEGER NOT NULL,
            at TEXT NOT NULL,
            last_nr BIGINT,
            last_event_seq BIGINT NOT NULL,
            grand_sales BIGINT NOT NULL,
            grand_returns BIGINT NOT NULL,
            PRIMARY KEY (register_id, business_day),
            UNIQUE (register_id, report_no)
        )""",
        """CREATE TABLE receipt_copy (
            trans_id TEXT PRIMARY KEY REFERENCES cash_transaction (trans_id),
            register_id TEXT NOT NULL,
            at TEXT NOT NULL,
            employee TEXT NOT NULL
        )""",
        # Working data (not registered data): changed in place under the register's lock.
        """CREATE TABLE register_state (
            register_id TEXT PRIMARY KEY,
            last_nr BIGINT NOT NULL DEFAULT 0,
            last_event_seq BIGINT NOT NULL DEFAULT 0,
            last_signature TEXT NOT NULL DEFAULT '0',
            last_sale_id BIGINT NOT NULL DEFAULT 0,
            receipt_numbers TEXT NOT NULL DEFAULT '{}',
            last_x INTEGER NOT NULL DEFAULT 0,
            last_z INTEGER NOT NULL DEFAULT 0,
            training BOOLEAN NOT NULL DEFAULT FALSE,
            employee TEXT,
            logged_in_at TEXT
        )""",
        """CREATE TABLE open_sale (
            sale_id TEXT PRIMARY KEY,
            register_id TEXT NOT NULL,
            employee TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'parked')),
            note TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            return_refs TEXT NOT NULL,
            line_count INTEGER NOT NULL,
            payment_count INTEGER NOT NULL,
            total BIGINT NOT NULL,
            training BOOLEAN NOT NULL,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            held_by_register TEXT
        )""",
        "CREATE INDEX open_sale_by_register ON open_sale (register_id, employee, status)",
        """CREATE TABLE pending_payment (
            reference TEXT PRIMARY KEY,
            sale_id TEXT NOT NULL,
            register_id TEXT NOT NULL,
            tender TEXT NOT NULL,
            amount BIGINT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined',
                'cancelled', 'unknown', 'resolved_paid', 'resolved_unpaid')),
            result TEXT NOT NULL,
            employee TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            resolved_by TEXT NOT NULL
        )""",
        "CREATE INDEX pending_payment_by_sale ON pending_payment (sale_id)",
        "CREATE INDEX pending_payment_by_status ON pending_payment (status, register_id)",
    )
