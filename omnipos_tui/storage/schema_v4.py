"""Schema version 4: name search inside words, for compound words ("melk" finds
"Lettmelk", "sjokolade" finds "Melkesjokolade").

SQLite: a second FTS5 index over the folded name with the trigram tokenizer (a quoted
query word of three or more letters matches anywhere in the name), kept in step with
``product`` by triggers like the word index of version 1, and filled from the existing
rows. PostgreSQL: the pg_trgm extension and a trigram GIN index on the folded name, which
``LIKE '%word%'`` uses; where the extension cannot be created (not installed, or no right
to create it) the index is left out and those searches read the table instead. Frozen in
time like every migration.
"""

from __future__ import annotations

import logging

from omnipos_tui.storage.migration_context import MigrationContext

log = logging.getLogger(__name__)
APPEND_ONLY: tuple[str, ...] = ()


def apply(ctx: MigrationContext) -> None:
    """Create the trigram index of product names."""
    if ctx.engine == "postgresql":
        ctx.try_run(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX product_name_trigrams ON product USING GIN (search_text gin_trgm_ops)",
        )
        return
    ctx.run(
        """CREATE VIRTUAL TABLE product_trigram USING fts5(
            search_text, content='product', content_rowid='id', tokenize='trigram'
        )""",
        """CREATE TRIGGER product_trigram_insert AFTER INSERT ON product BEGIN
            INSERT INTO product_trigram (rowid, search_text) VALUES (new.id, new.search_text);
        END""",
        """CREATE TRIGGER product_trigram_delete AFTER DELETE ON product BEGIN
            INSERT INTO product_trigram (product_trigram, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        END""",
        """CREATE TRIGGER product_trigram_update AFTER UPDATE OF search_text ON product BEGIN
            INSERT INTO product_trigram (product_trigram, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
            INSERT INTO product_trigram (rowid, search_text) VALUES (new.id, new.search_text);
        END""",
        "INSERT INTO product_trigram (product_trigram) VALUES ('rebuild')",
    )
