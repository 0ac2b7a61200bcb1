"""What the global options leave for the commands: settings and services, built lazily.

``omnipos config show`` needs settings but no database; every other command builds the
services on first use through :func:`services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from omnipos_tui.settings import Override, Settings, load_settings

if TYPE_CHECKING:
    import typer

    from omnipos_tui.bootstrap import Services
    from omnipos_tui.core.clock import Clock


@dataclass
class CliState:
    """The global options of one ``omnipos`` run.

    Attributes:
        config_file: ``--config``.
        overrides: ``--db-url`` and ``--data-dir`` as settings overrides.
        clock: The services' clock: None for the system clock (a test fixes one).
    """

    config_file: Path | None = None
    overrides: tuple[Override, ...] = ()
    clock: Clock | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _services: Services | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The effective configuration (loaded once).

        Raises:
            ConfigError: The configuration is not valid.
        """
        if self._settings is None:
            self._settings = load_settings(self.config_file, overrides=self.overrides)
        return self._settings

    @property
    def services(self) -> Services:
        """The services (built once).

        Raises:
            ConfigError: The configuration is not valid.
            StorageError: The database URL cannot be used.
        """
        if self._services is None:
            from omnipos_tui.bootstrap import build  # every service: imported when wanted

            self._services = build(self.settings, clock=self.clock)
        return self._services

    def close(self) -> None:
        """Close what was opened."""
        if self._services is not None:
            self._services.close()


def global_overrides(db_url: str | None, data_dir: Path | None) -> tuple[Override, ...]:
    """``--db-url`` and ``--data-dir`` as settings overrides (the options not given: none)."""
    overrides: list[Override] = []
    if db_url is not None:
        overrides.append(Override("database.url", db_url, "--db-url"))
    if data_dir is not None:
        overrides.append(Override("paths.data_dir", str(data_dir), "--data-dir"))
    return tuple(overrides)


def state(ctx: typer.Context) -> CliState:
    """The state the main callback stored on the root context."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def services(ctx: typer.Context) -> Services:
    """The services for this run (see :attr:`CliState.services`)."""
    return state(ctx).services
