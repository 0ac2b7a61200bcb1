"""Schema version 3: ``signing_key``, the public part of every register's key versions.

Written in the unit of work that starts using a key (``omnipos init``, a rotation, a
register's first sale), so any machine on a shared database can check every register's
signature chain. RSA rows carry the PEM public key; HMAC rows carry no secret (it stays in
the till's data directory and is declared in RF-1348), only a fingerprint that tells
whether a local secret is the right one. Append-only. Frozen in time like every migration.

A database from before this version has no rows: its tills record their existing key
versions ("1", "2"...) at their next signature, and until then the till that has the key
files checks its own chain from them.
"""

from __future__ import annotations

from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY = ("signing_key",)


def apply(ctx: MigrationContext) -> None:
    """Create the ``signing_key`` table."""
    pg = ctx.engine == "postgresql"
    auto_pk = "BIGSERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY"
    ctx.run(
        f"""CREATE TABLE signing_key (
            id {auto_pk},
            register_id TEXT NOT NULL,
            key_version TEXT NOT NULL CHECK (length(key_version) BETWEEN 1 AND 50),
            algorithm TEXT NOT NULL CHECK (algorithm IN ('RSA-SHA1-1024', 'HMAC-SHA1-128')),
            public_pem TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (register_id, key_version)
        )""",
    )
