"""What a migration function is given: the connected database and its engine."""

from __future__ import annotations

from dataclasses import dataclass

import peewee

from omnipos_tui.storage.database import engine_of, execute_sql, is_library_error


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

    def try_run(self, *statements: str) -> bool:
        """Execute statements that may be refused (an optional extension) in a savepoint:
        True when all ran, False when the database refused one (nothing of them stays)."""
        try:
            with self.db.atomic():
                self.run(*statements)
        except Exception as exc:
            if is_library_error(exc):
                return False
            raise
        return True
