"""Administration of the database itself, as the services see it: migrations, checks and
backups (:class:`DatabaseAdmin`, implemented by ``storage.store.Store``) and what a check
finds (:class:`DatabaseReport`, ``omnipos db check``). The repositories and the unit of
work are in ``core/repositories.py``, which imports these names too.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from omnipos_tui.core.ledger.chain import ChainCheck


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
            ("update", "delete", and on SQLite "replace": ``INSERT OR REPLACE`` refused).
        chains: Our hash chain checked, register by register (``core/ledger/chain.py``).
        chains_checked: Whether the chains could be checked (False before schema 6).
        access: What the connection's role may do to the append-only tables, in a
            sentence (PostgreSQL: owner or superuser can disable their triggers).
    """

    engine: str
    location: str
    schema_version: int
    latest_version: int
    integrity: str
    append_only: dict[str, frozenset[str]] = field(default_factory=dict)
    chains: tuple[ChainCheck, ...] = ()
    chains_checked: bool = False
    access: str = ""

    @property
    def trigger_kinds(self) -> tuple[str, ...]:
        """The trigger kinds every append-only table must have on this engine."""
        if self.engine == "sqlite":
            return ("update", "delete", "replace")
        return ("update", "delete")

    @property
    def missing_triggers(self) -> list[str]:
        """``table: kind`` for every append-only trigger that is not there."""
        return [
            f"{table}: {kind}"
            for table, kinds in sorted(self.append_only.items())
            for kind in self.trigger_kinds
            if kind not in kinds
        ]

    @property
    def ok(self) -> bool:
        """Migrated to the latest version, integrity ok, every trigger present, every
        register's hash chain whole."""
        return (
            self.schema_version == self.latest_version
            and self.integrity in {"ok", "not available"}
            and not self.missing_triggers
            and all(check.ok for check in self.chains)
        )


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    """One health check of the database connection (the till's DB light).

    Attributes:
        ok: The server answered ``SELECT 1``.
        detail: Why not (technical English), "" when ok.
        refused: The server answered but refuses this till (user, password, database).
        round_trip_ms: How long the check took.
        reconnects: How many times this process connected again after a failure or loss.
        engine: "sqlite" or "postgresql" ("" when unknown).
    """

    ok: bool
    detail: str = ""
    refused: bool = False
    round_trip_ms: float = 0.0
    reconnects: int = 0
    engine: str = ""


@dataclass(frozen=True, slots=True)
class RoleSetup:
    """What ``omnipos db roles`` did.

    Attributes:
        owner: The owner role (migrations).
        till: The till role (the tills connect as it).
        schema: The schema whose tables it handed over and granted.
        tables: How many tables were granted.
        created: The roles it created (the others existed).
    """

    owner: str
    till: str
    schema: str
    tables: int
    created: tuple[str, ...]


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

    def older_schema(self) -> AbstractContextManager[None]:
        """Within it, units of work open on a schema older than this code (not on a newer
        one): for the admin's PIN check before a migration. Only the company and the
        employee tables, the same in every schema version, may be used inside."""
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
        """Schema version, integrity, append-only triggers, hash chains, role."""
        ...

    def health(self) -> DatabaseHealth:
        """Whether the server answers now (reconnecting when the pause after a failed
        connect has run out). Never raises."""
        ...

    def server_limits(self) -> dict[str, str]:
        """PostgreSQL's version and this session's time limits (empty for SQLite).

        Raises:
            DatabaseUnavailable: The database does not answer.
        """
        ...

    def setup_roles(
        self,
        owner: str,
        till: str,
        *,
        owner_password: str | None = None,
        till_password: str | None = None,
    ) -> RoleSetup:
        """Create the PostgreSQL owner and till roles and grant them (``db roles``).

        Raises:
            InvalidInput: A name is not usable, or the till role has too many rights.
            StorageError: Not PostgreSQL, not migrated, or the connected role may not.
        """
        ...

    def backup(self, target: Path) -> None:
        """Copy the database to ``target`` while it is in use (SQLite online backup).

        Raises:
            StorageError: Not possible on this engine (PostgreSQL: use pg_dump) or the file
                cannot be written.
        """
        ...
