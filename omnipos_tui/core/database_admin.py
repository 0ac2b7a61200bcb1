"""Administration of the database itself, as the services see it: migrations, checks and
backups (:class:`DatabaseAdmin`, implemented by ``storage.store.Store``) and what a check
finds (:class:`DatabaseReport`, ``omnipos db check``). The repositories and the unit of
work are in ``core/repositories.py``, which imports these names too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DatabaseReport:
    """What ``omnipos db check`` reports.

    Attributes:
        engine: "sqlite" or "postgresql".
        location: The SQLite file, or the PostgreSQL URL without its password.
        schema_version: The version stored in the database (0 = never migrated).
        latest_version: The version this OmniPOS expects.
        integrity: "ok", the problems SQLite's ``integrity_check`` found, or "not available".
        append_only: For each table that must be append-only, the trigger kinds present
            ("update", "delete").
    """

    engine: str
    location: str
    schema_version: int
    latest_version: int
    integrity: str
    append_only: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def missing_triggers(self) -> list[str]:
        """``table: kind`` for every append-only trigger that is not there."""
        return [
            f"{table}: {kind}"
            for table, kinds in sorted(self.append_only.items())
            for kind in ("update", "delete")
            if kind not in kinds
        ]

    @property
    def ok(self) -> bool:
        """Migrated to the latest version, integrity ok, every trigger present."""
        return (
            self.schema_version == self.latest_version
            and self.integrity in {"ok", "not available"}
            and not self.missing_triggers
        )


class DatabaseAdmin(Protocol):
    """Administration of the database itself (migrations, checks, backups)."""

    engine: str
    location: str

    def schema_version(self) -> int:
        """The stored schema version (0 when never migrated).

        Raises:
            DatabaseUnavailable: The database does not answer.
        """
        ...

    def latest_version(self) -> int:
        """The schema version this OmniPOS expects."""
        ...

    def migrate(self) -> list[int]:
        """Apply the missing migrations, one transaction each; re-create append-only triggers.

        Returns:
            The versions applied (empty when already up to date).

        Raises:
            StorageError: A migration failed (that migration is rolled back).
        """
        ...

    def check(self) -> DatabaseReport:
        """Schema version, integrity and append-only triggers."""
        ...

    def backup(self, target: Path) -> None:
        """Copy the database to ``target`` while it is in use (SQLite online backup).

        Raises:
            StorageError: Not possible on this engine (PostgreSQL: use pg_dump) or the file
                cannot be written.
        """
        ...
