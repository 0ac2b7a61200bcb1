"""Configuration values read from where they are set: the TOML file (with the line of each
key, for messages), ``OMNIPOS_*`` environment variables and text given on the command line,
each checked against its dataclass field (type, choices, limits). ``settings.py`` says which
keys exist (``known``: every dotted key and its field) and builds the :class:`Settings`.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.device_settings import DEVICE_KINDS, check_field

ENV_PREFIX = "OMNIPOS_"
#: A time of day as ``[till] closes_at`` takes it: 00:00 to 23:59.
_CLOCK_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
# Short environment names for the most used keys (the long OMNIPOS_SECTION__KEY form works too).
ENV_ALIASES: dict[str, str] = {
    "OMNIPOS_DB_URL": "database.url",
    "OMNIPOS_DATA_DIR": "paths.data_dir",
}

Known = Mapping[str, dataclasses.Field[Any]]
"""Every dotted configuration key and the dataclass field that holds it."""


def read_file(path: Path, known: Known) -> dict[str, tuple[object, str]]:
    """The values a TOML configuration file sets, by dotted key, each with its source
    (``"file:<path>"``), checked against the key's field.

    Raises:
        ConfigError: The file cannot be read or is not TOML, a key is unknown (with the
            keys known there), or a value is wrong (naming the file and line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    out: dict[str, tuple[object, str]] = {}

    def walk(table: Mapping[str, Any], prefix: tuple[str, ...]) -> None:
        for key, value in table.items():
            dotted = ".".join((*prefix, key))
            if isinstance(value, dict) and dotted not in known:
                if not any(k.startswith(dotted + ".") for k in known):
                    raise ConfigError(_unknown(path, text, prefix, key, known))
                walk(value, (*prefix, key))
                continue
            if dotted not in known:
                raise ConfigError(_unknown(path, text, prefix, key, known))
            where = f"{path}{line_suffix(text, prefix, key)}"
            out[dotted] = (check(dotted, value, known[dotted], where), f"file:{path}")

    walk(data, ())
    return out


def _unknown(
    path: Path, text: str, prefix: tuple[str, ...], key: str, known: Mapping[str, object]
) -> str:
    table = ".".join(prefix)
    start = len(table) + 1 if table else 0  # past "table." (nothing to skip at the top)
    siblings = sorted(
        {k[start:].split(".")[0] for k in known if not table or k.startswith(table + ".")}
    )
    place = f"[{table}]" if table else "the top level"
    return (
        f"{path}{line_suffix(text, prefix, key)}: unknown key {key!r} in {place} "
        f"(known: {', '.join(siblings)})"
    )


def line_suffix(text: str, table: tuple[str, ...], key: str) -> str:
    """`` line N`` where ``key`` is assigned under ``[table]`` (best effort), else ""."""
    current: tuple[str, ...] = ()
    header = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found:
            current = tuple(part.strip().strip('"') for part in found[1].split("."))
            if current == (*table, key):
                return f" line {number}"
            continue
        if current == table and re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", line):
            return f" line {number}"
    return ""


def read_environment(env: Mapping[str, str], known: Known) -> dict[str, tuple[object, str]]:
    """The values ``OMNIPOS_*`` variables set, by dotted key, each with its source
    (``"env:<name>"``).

    Raises:
        ConfigError: A variable names no key, or its value is wrong (naming the variable).
    """
    out: dict[str, tuple[object, str]] = {}
    for name, raw in sorted(env.items()):
        if name in ENV_ALIASES:
            key = ENV_ALIASES[name]
        elif name.startswith(ENV_PREFIX) and "__" in name:
            key = name[len(ENV_PREFIX) :].lower().replace("__", ".")
            if key not in known:
                raise ConfigError(
                    f"environment variable {name}: no configuration key {key!r} "
                    "(use OMNIPOS_SECTION__KEY, for example OMNIPOS_TILL__KEYMAP)"
                )
        else:
            continue
        out[key] = (convert_text(key, raw, f"environment variable {name}", known), f"env:{name}")
    return out


def convert_text(key: str, raw: str, where: str, known: Known) -> object:
    """A value typed as text (environment, option) converted to the key's type and checked.

    Raises:
        ConfigError: No such key, or the text is not a value of its type (naming ``where``).
    """
    if key not in known:
        raise ConfigError(f"{where}: no configuration key {key!r}")
    spec = known[key]
    kind = str(spec.type)
    value: object = raw
    text = raw.strip()
    if kind == "bool":
        lowered = text.lower()
        if lowered in {"1", "true", "yes", "on"}:
            value = True
        elif lowered in {"0", "false", "no", "off"}:
            value = False
        else:
            raise ConfigError(f"{where}: {key} must be true or false, got {raw!r}")
    elif kind == "int":
        try:
            value = int(text, 0)
        except ValueError:
            raise ConfigError(f"{where}: {key} must be a whole number, got {raw!r}") from None
    elif kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ConfigError(f"{where}: {key} must be a number, got {raw!r}") from None
    return check(key, value, spec, where)


def check(key: str, value: object, spec: dataclasses.Field[Any], where: str) -> object:
    """``value`` if it has the field's type and passes its limits.

    Raises:
        ConfigError: Naming the key, the place and what was expected.
    """
    kind = str(spec.type)
    expected: dict[str, Callable[[object], bool]] = {
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        # A table of names to text ([accounting.accounts]).
        "dict[str, str]": lambda v: (
            isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
        ),
    }
    words = {
        "str": "text",
        "bool": "true or false",
        "int": "a whole number",
        "float": "a number",
        "dict[str, str]": 'a table of texts (name = "value")',
    }
    if not expected[kind](value):
        raise ConfigError(
            f"{where}: {key} must be {words[kind]}, got {type(value).__name__} {value!r}"
        )
    if kind == "float":
        value = float(value)  # type: ignore[arg-type]
    choices = spec.metadata.get("choices")
    parts = key.split(".")
    if parts[0] == "devices" and parts[-1] == "kind":
        choices = DEVICE_KINDS[parts[1]]
    if choices is not None and value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ConfigError(f"{where}: {key} must be one of {allowed}, got {value!r}")
    if parts[0] == "devices":
        check_field(key, value, spec, where)
    if spec.metadata.get("clock_time") and value and not _CLOCK_TIME.fullmatch(str(value)):
        raise ConfigError(f'{where}: {key} must be a time of day like "21:00", got {value!r}')
    minimum = spec.metadata.get("minimum")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{where}: {key} must be at least {minimum}, got {value!r}")
    maximum = spec.metadata.get("maximum")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{where}: {key} must be at most {maximum}, got {value!r}")
    return value
