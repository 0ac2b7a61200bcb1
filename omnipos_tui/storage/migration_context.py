"""What a migration function is given: the connected database and its engine."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from omnipos_tui.storage.database import engine_of, execute_sql


@dataclass(frozen=True, slots=True)
class MigrationContext:
    """A database inside a migration's transaction.

    Attributes:
        db: The connected database.
    """

    db: peewee.Database

    @property
    def engine(self) -> str:
        """ "sqlite" or "postgresql"."""
        return engine_of(self.db)

    def run(self, *statements: str) -> None:
        """Execute DDL statements in order (no parameters)."""
        for statement in statements:
            execute_sql(self.db, statement)
