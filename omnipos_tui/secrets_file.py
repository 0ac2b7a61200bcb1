"""Credentials: ``secrets.toml`` in the data directory, never the configuration or the
database (INTEGRATIONS.md §1).

The file has the configuration's sections (``[accounting]``, ``[webshop]``,
``[carriers.bring]``) with the keys each integration reads (``token``; ``consumer_token``,
``employee_token``; ...). It must be readable by its owner only (mode 0600 or stricter): a
looser file is refused with the command that fixes it. ``OMNIPOS_SECRETS`` names another
file. A missing file is an empty one (an integration then says which key it needs).
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from omnipos_tui.core.errors import ConfigError

FILE_NAME = "secrets.toml"
ENV_NAME = "OMNIPOS_SECRETS"
KNOWN_KEYS: tuple[tuple[str, str], ...] = (
    ("accounting", "token"),
    ("accounting", "consumer_token"),
    ("accounting", "employee_token"),
    ("webshop", "consumer_key"),
    ("webshop", "consumer_secret"),
    ("webshop", "username"),
    ("webshop", "password"),
    ("carriers.bring", "api_uid"),
    ("carriers.bring", "api_key"),
)
"""The credentials the integrations read (INTEGRATIONS.md §1), for ``config show``."""


@dataclass(frozen=True, slots=True)
class Secrets:
    """The credentials read, by section.

    Attributes:
        path: The file they came from.
        sections: Dotted section ("accounting", "carriers.bring") -> key -> value.
    """

    path: Path
    sections: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, section: str, key: str) -> str:
        """A value, or "" when it is not set."""
        return self.sections.get(section, {}).get(key, "")

    def require(self, section: str, key: str, why: str) -> str:
        """A value that must be set.

        Raises:
            ConfigError: Naming the file, the section and the key.
        """
        value = self.get(section, key)
        if not value:
            raise ConfigError(f"{self.path}: [{section}] {key} is not set ({why})")
        return value

    def is_set(self, section: str, key: str) -> bool:
        """Whether a value is set (what ``config show`` may print)."""
        return bool(self.get(section, key))


def secrets_path(data_dir: Path, environ: Mapping[str, str] | None = None) -> Path:
    """``$OMNIPOS_SECRETS``, else ``secrets.toml`` in the data directory."""
    env = os.environ if environ is None else environ
    named = env.get(ENV_NAME, "")
    return Path(named).expanduser() if named else data_dir / FILE_NAME


def load_secrets(data_dir: Path, environ: Mapping[str, str] | None = None) -> Secrets:
    """Read the credentials.

    Raises:
        ConfigError: The file is readable by others than its owner, is not TOML, or has a
            value that is not text.
    """
    path = secrets_path(data_dir, environ)
    try:
        info = path.stat()
    except FileNotFoundError:
        return Secrets(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the secrets file: {exc.strerror}") from None
    loose = stat.S_IMODE(info.st_mode) & 0o077
    if loose:
        raise ConfigError(
            f"{path}: the secrets file is readable by others (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); run: chmod 600 {path}"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the secrets file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    sections: dict[str, Mapping[str, str]] = {}

    def walk(table: Mapping[str, object], prefix: str) -> None:
        values: dict[str, str] = {}
        for key, value in table.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(value, name)
            elif not prefix:
                raise ConfigError(f"{path}: {key} must be in a section such as [accounting]")
            elif isinstance(value, str):
                values[key] = value
            else:
                raise ConfigError(f"{path}: [{prefix}] {key} must be text (in quotes)")
        if values:
            sections[prefix] = MappingProxyType(values)

    walk(data, "")
    return Secrets(path, MappingProxyType(sections))
