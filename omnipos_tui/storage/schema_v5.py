"""Schema version 5: the transactional outbox (``outbox``), its history
(``outbox_history``, append-only) and the workers' heartbeats (``outbox_worker``).

``outbox`` holds one row per message, unique on (kind, key); its state changes in place
but a row is never deleted (a trigger refuses DELETE, and TRUNCATE on PostgreSQL). Every
state change after the row was written is kept in ``outbox_history``. ``owner`` is the
register whose till delivers the row (device rows) or "" for any worker; a partial index
of the waiting rows by (owner, id) serves both the till's and the workers' look-ups.
Frozen in time like every migration.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = ("outbox_history",)
#: Tables whose rows may change but are never deleted.
KEEP_ROWS = ("outbox",)


def apply(ctx: MigrationContext) -> None:
    """Create the three tables and their indexes."""
    pg = ctx.engine == "postgresql"
    auto_pk = "BIGSERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY"
    ctx.run(
        f"""CREATE TABLE outbox (
            id {auto_pk},
            kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
            key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
            owner TEXT NOT NULL DEFAULT '',
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'working', 'done', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            available_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            claimed_by TEXT NOT NULL DEFAULT '',
            claimed_until TEXT,
            last_error TEXT NOT NULL DEFAULT '',
            far_id TEXT,
            UNIQUE (kind, key)
        )""",
        # Only the rows still waiting, in the order they are delivered: the till's and
        # the workers' look-ups stay as fast after a million delivered rows as on day one.
        "CREATE INDEX outbox_waiting ON outbox (owner, id) WHERE state IN ('pending', 'working')",
        "CREATE INDEX outbox_key ON outbox (key)",
        f"""CREATE TABLE outbox_history (
            id {auto_pk},
            outbox_id BIGINT NOT NULL REFERENCES outbox (id),
            at TEXT NOT NULL,
            state TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            actor TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX outbox_history_row ON outbox_history (outbox_id, id)",
        """CREATE TABLE outbox_worker (
            worker TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            stopped_at TEXT
        )""",
    )
