"""Schema version 1: shop, catalogue (with the name search index), staff, customers and the
append-only master-data change log.

Migrations are frozen in time: they are plain SQL for each engine and never use the current
models, so an old database migrates the same way whenever it is upgraded.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = ("master_data_change",)


def apply(ctx: MigrationContext) -> None:
    """Create the version 1 tables, indexes and the catalogue search index."""
    pg = ctx.engine == "postgresql"
    blob = "BYTEA" if pg else "BLOB"
    auto_pk = "BIGSERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY"
    # "C" collation on PostgreSQL so names order the same way as on SQLite (byte order of
    # the folded text), whatever the server's locale.
    sort_text = 'TEXT COLLATE "C"' if pg else "TEXT"
    ctx.run(
        """CREATE TABLE company (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            org_number TEXT NOT NULL,
            street TEXT NOT NULL,
            postal_code TEXT NOT NULL,
            city TEXT NOT NULL,
            vat_registered BOOLEAN NOT NULL
        )""",
        """CREATE TABLE cash_register (
            register_id TEXT PRIMARY KEY,
            name TEXT NOT NULL
        )""",
        """CREATE TABLE article_group (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            saft_code TEXT NOT NULL
        )""",
        f"""CREATE TABLE product (
            id {auto_pk},
            sku TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            price_ore BIGINT NOT NULL CHECK (price_ore >= 0),
            vat_code TEXT NOT NULL,
            group_code TEXT NOT NULL REFERENCES article_group (code),
            unit TEXT NOT NULL CHECK (unit IN ('piece', 'kg')),
            active BOOLEAN NOT NULL,
            search_text {sort_text} NOT NULL
        )""",
        "CREATE INDEX product_by_name ON product (search_text, sku)",
        """CREATE TABLE product_barcode (
            code TEXT PRIMARY KEY,
            product_id BIGINT NOT NULL REFERENCES product (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL
        )""",
        "CREATE INDEX product_barcode_by_product ON product_barcode (product_id)",
        f"""CREATE TABLE employee (
            number TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'admin')),
            active BOOLEAN NOT NULL,
            pin_salt {blob} NOT NULL,
            pin_digest {blob} NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT
        )""",
        f"""CREATE TABLE customer (
            number TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            phone TEXT NOT NULL,
            email TEXT NOT NULL,
            org_number TEXT NOT NULL,
            street TEXT NOT NULL,
            postal_code TEXT NOT NULL,
            city TEXT NOT NULL,
            search_text {sort_text} NOT NULL
        )""",
        f"""CREATE TABLE master_data_change (
            id {auto_pk},
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            field_name TEXT NOT NULL,
            old_value TEXT NOT NULL,
            new_value TEXT NOT NULL
        )""",
        "CREATE INDEX master_data_change_by_key ON master_data_change (entity, entity_key)",
    )
    if pg:
        # Word-prefix search: the folded name's words as a stored tsvector ('simple' config:
        # no stemming, no stop words) under a GIN index, queried with
        # `search_vector @@ to_tsquery('simple', 'gran:* & orig:*')`. fastupdate off: rows
        # go straight into the index instead of a pending list that slows every search
        # after a big import until the next vacuum.
        ctx.run(
            "ALTER TABLE product ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
            "CREATE INDEX product_name_words ON product USING GIN (search_vector) "
            "WITH (fastupdate = off)",
        )
        return
    # SQLite: an FTS5 index over the folded name, kept in step with `product` by triggers.
    # The application folds ø/æ/å itself (unicode61 does not decompose them); the prefix
    # indexes make one- to three-letter prefix queries cheap.
    ctx.run(
        """CREATE VIRTUAL TABLE product_fts USING fts5(
            search_text, content='product', content_rowid='id',
            tokenize="unicode61 remove_diacritics 2", prefix='1 2 3'
        )""",
        """CREATE TRIGGER product_fts_insert AFTER INSERT ON product BEGIN
            INSERT INTO product_fts (rowid, search_text) VALUES (new.id, new.search_text);
        END""",
        """CREATE TRIGGER product_fts_delete AFTER DELETE ON product BEGIN
            INSERT INTO product_fts (product_fts, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        END""",
        """CREATE TRIGGER product_fts_update AFTER UPDATE OF search_text ON product BEGIN
            INSERT INTO product_fts (product_fts, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
            INSERT INTO product_fts (rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    )
