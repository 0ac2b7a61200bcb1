"""Key bindings as data: which key sends which :class:`Command`, with labels in both languages.

The table comes from ``config/keymaps/default.toml``; a shop's own file (``[till] keymap``)
is laid over it and may move keys or relabel commands without code. The footer and the F1
help screen are generated from the same table, so what the screen says is what the keys do.

Key names in the files are Textual's names for named keys (``f9``, ``enter``, ``escape``,
``pageup``, ``ctrl+l``) or the character itself for printable keys (``*``, ``+``, ``/``).
Digits are always number entry and cannot be bound.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.ui.commands import ESSENTIAL_COMMANDS, Command
from omnipos_tui.ui.i18n import LANGUAGES

_NAMED_KEYS: frozenset[str] = frozenset(
    {
        "enter", "escape", "backspace", "delete", "insert", "tab", "space",
        "up", "down", "left", "right", "home", "end", "pageup", "pagedown",
        *(f"f{n}" for n in range(1, 13)),
    }
)  # fmt: skip

# Ctrl+C/Q/S/Z are taken by terminals (interrupt, flow control, suspend); Ctrl+M/I/H/J
# arrive as Enter, Tab, Backspace and newline. Binding them would make the key unreliable.
_RESERVED_CTRL: frozenset[str] = frozenset("cqszmihj")

_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "esc": "escape",
        "return": "enter",
        "del": "delete",
        "ins": "insert",
        "pgup": "pageup",
        "pgdn": "pagedown",
        "page_up": "pageup",
        "page_down": "pagedown",
        "asterisk": "*",
        "plus": "+",
        "minus": "-",
        "slash": "/",
        "comma": ",",
        "full_stop": ".",
        "period": ".",
    }
)

_DISPLAY: Mapping[str, str] = MappingProxyType(
    {
        "enter": "Enter",
        "escape": "Esc",
        "backspace": "Backspace",
        "delete": "Delete",
        "insert": "Insert",
        "tab": "Tab",
        "space": "Mellomrom",
        "up": "↑",
        "down": "↓",
        "left": "←",
        "right": "→",
        "home": "Home",
        "end": "End",
        "pageup": "PgUp",
        "pagedown": "PgDn",
    }
)


def normalise_key(text: str) -> str | None:
    """The canonical name of a key written in a key map file, or None if it is not one.

    Examples: ``"F9"`` -> ``"f9"``, ``"Esc"`` -> ``"escape"``, ``"asterisk"`` -> ``"*"``,
    ``"Ctrl+L"`` -> ``"ctrl+l"``. Digits, reserved Ctrl keys and F13 and above are refused.
    """
    if len(text) == 1:
        if text.isdigit() or not text.isprintable() or text.isspace():
            return None
        return text
    lowered = text.strip().lower()
    lowered = _ALIASES.get(lowered, lowered)
    if lowered in _NAMED_KEYS or len(lowered) == 1:
        return lowered if not lowered.isdigit() else None
    if lowered.startswith("ctrl+"):
        letter = lowered.removeprefix("ctrl+")
        if len(letter) == 1 and "a" <= letter <= "z" and letter not in _RESERVED_CTRL:
            return lowered
    return None


def key_of_event(key: str, character: str | None) -> str:
    """The key map name of a key event from the terminal.

    Args:
        key: Textual's key name (``"f9"``, ``"asterisk"``, ``"ctrl+l"``).
        character: The printable character, if any.
    """
    if key in _NAMED_KEYS or key.startswith("ctrl+"):
        return key
    if character is not None and len(character) == 1 and character.isprintable():
        return character
    return key


def key_display(key: str) -> str:
    """How a key is written on screen: ``"F9"``, ``"Esc"``, ``"↑"``, ``"Ctrl+L"``, ``"*"``."""
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    if key.startswith("ctrl+"):
        return "Ctrl+" + key.removeprefix("ctrl+").upper()
    return _DISPLAY.get(key, key)


@dataclass(frozen=True, slots=True)
class KeyBinding:
    """One command, the keys that send it and how it is named on screen.

    Attributes:
        command: The command.
        keys: Canonical key names, first one shown in the footer and help.
        label: Short name per language ("Kontant"), used in the footer.
        help: One line per language explaining the command, used on the F1 screen.
        footer: Position in the footer (1 = first), or None when not shown there.
    """

    command: Command
    keys: tuple[str, ...]
    label: Mapping[str, str]
    help: Mapping[str, str]
    footer: int | None = None


@dataclass(frozen=True)
class Keymap:
    """The loaded key table.

    Attributes:
        bindings: One binding per command, in command order.
        sources: The files it was read from, base first.
    """

    bindings: tuple[KeyBinding, ...]
    sources: tuple[Path, ...] = ()
    _by_key: Mapping[str, Command] = field(default_factory=dict, repr=False)
    _by_command: Mapping[Command, KeyBinding] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_key: dict[str, Command] = {}
        for binding in self.bindings:
            for key in binding.keys:
                by_key[key] = binding.command
        object.__setattr__(self, "_by_key", MappingProxyType(by_key))
        object.__setattr__(
            self, "_by_command", MappingProxyType({b.command: b for b in self.bindings})
        )

    def command_for(self, key: str) -> Command | None:
        """The command a key sends, or None when the key is not bound."""
        return self._by_key.get(key)

    def binding(self, command: Command) -> KeyBinding:
        """The binding of a command (every command has one, possibly without keys)."""
        return self._by_command[command]

    def key_text(self, command: Command) -> str:
        """The first key of a command as shown on screen, or "" when it has none."""
        keys = self._by_command[command].keys
        return key_display(keys[0]) if keys else ""

    def footer(self, language: str) -> list[tuple[str, str]]:
        """``(key, label)`` pairs for the footer, in footer order."""
        shown = [b for b in self.bindings if b.footer is not None and b.keys]
        shown.sort(key=lambda b: (b.footer or 0, list(Command).index(b.command)))
        return [(key_display(b.keys[0]), b.label[language]) for b in shown]

    def help_rows(self, language: str) -> list[tuple[str, str, str]]:
        """``(keys, label, explanation)`` for every bound command, in file order."""
        return [
            (" ".join(key_display(k) for k in b.keys), b.label[language], b.help[language])
            for b in self.bindings
            if b.keys
        ]


def default_keymap_dir() -> Path:
    """Where the shipped key maps are: ``omnipos_tui/_config/keymaps`` when installed as a
    wheel, else ``config/keymaps`` in the source tree."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_config" / "keymaps"
    return installed if installed.is_dir() else package.parent / "config" / "keymaps"


def keymap_files(name: str, directory: Path | None = None) -> list[Path]:
    """The files for a key map name: always ``default.toml``, then ``<name>.toml`` over it.

    Raises:
        ConfigError: The named file does not exist.
    """
    folder = directory if directory is not None else default_keymap_dir()
    files = [folder / "default.toml"]
    if name != "default":
        if not name.replace("-", "").replace("_", "").isalnum():
            raise ConfigError(f"till.keymap: {name!r} is not a key map name (letters, digits, -)")
        own = folder / f"{name}.toml"
        if not own.is_file():
            raise ConfigError(f"till.keymap: no key map file {own}")
        files.append(own)
    return files


def load_keymap(base: Path, *overrides: Path) -> Keymap:
    """Read the base key map and lay each override file over it, in order.

    The base must describe every command; an override may change any command's ``keys``,
    ``label``, ``help`` or ``footer`` and leaves the rest as it was.

    Raises:
        ConfigError: A file is missing or not TOML, names an unknown command or field,
            uses a key name that is not a key (or a digit or reserved key), binds one key to
            two commands, or leaves Enter, Esc, Backspace or the decimal comma without a key.
            The message names the file and the key.
    """
    table = _read(base)
    drafts: dict[Command, dict[str, object]] = {}
    for command_id, entry in _commands(base, table).items():
        drafts[_command(base, command_id)] = _entry(base, command_id, entry, full=True)
    missing = [c.value for c in Command if c not in drafts]
    if missing:
        raise ConfigError(f"{base}: commands missing from the base key map: {', '.join(missing)}")
    for path in overrides:
        for command_id, entry in _commands(path, _read(path)).items():
            command = _command(path, command_id)
            changes = _entry(path, command_id, entry, full=False)
            merged = drafts[command]
            for name, value in changes.items():
                if name in ("label", "help"):
                    assert isinstance(value, dict)
                    previous = merged[name]
                    assert isinstance(previous, dict)
                    merged[name] = {**previous, **value}
                else:
                    merged[name] = value
    bindings = tuple(_binding(c, drafts[c]) for c in Command)
    _check_conflicts(bindings, (base, *overrides))
    return Keymap(bindings=bindings, sources=(base, *overrides))


def _read(path: Path) -> dict[str, object]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: key map file not found") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the key map file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: the key map file is not UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    for name in data:
        if name not in ("commands", "description"):
            raise ConfigError(f"{path}: {name}: unknown setting (expected [commands.<id>])")
    return data


def _commands(path: Path, table: Mapping[str, object]) -> dict[str, Mapping[str, object]]:
    commands = table.get("commands", {})
    if not isinstance(commands, dict):
        raise ConfigError(f"{path}: commands: must be a table of [commands.<id>] sections")
    for command_id, entry in commands.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: commands.{command_id}: must be a table")
    return commands


def _command(path: Path, command_id: str) -> Command:
    try:
        return Command(command_id)
    except ValueError:
        known = ", ".join(c.value for c in Command)
        raise ConfigError(
            f"{path}: commands.{command_id}: unknown command id {command_id!r} (known: {known})"
        ) from None


def _entry(
    path: Path, command_id: str, entry: Mapping[str, object], *, full: bool
) -> dict[str, object]:
    where = f"{path}: commands.{command_id}"
    result: dict[str, object] = {}
    for name, value in entry.items():
        if name == "keys":
            result["keys"] = _keys(where, value)
        elif name in ("label", "help"):
            result[name] = _texts(f"{where}.{name}", value, full=full)
        elif name == "footer":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where}.footer: must be a position 1, 2, 3 … (got {value!r})")
            result["footer"] = value
        else:
            raise ConfigError(f"{where}.{name}: unknown field (expected keys, label, help, footer)")
    if full:
        for needed in ("keys", "label", "help"):
            if needed not in result:
                raise ConfigError(f"{where}: missing {needed}")
    return result


def _keys(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(f'{where}.keys: must be a list such as ["f9"]')
    keys: list[str] = []
    for index, item in enumerate(value):
        canonical = normalise_key(item) if isinstance(item, str) else None
        if canonical is None:
            raise ConfigError(
                f"{where}.keys[{index}]: {item!r} is not a usable key "
                '(write e.g. "f9", "*", "enter", "pageup", "ctrl+l"; digits, F13+ and '
                "Ctrl+C/Q/S/Z/M/I/H/J are not allowed)"
            )
        if canonical in keys:
            raise ConfigError(f"{where}.keys[{index}]: {item!r} is listed twice")
        keys.append(canonical)
    return tuple(keys)


def _texts(where: str, value: object, *, full: bool) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: must be a table such as {{ nb = "…", en = "…" }}')
    texts: dict[str, str] = {}
    for language, text in value.items():
        if language not in LANGUAGES:
            raise ConfigError(f"{where}.{language}: unknown language (use {', '.join(LANGUAGES)})")
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(f"{where}.{language}: must be a non-empty text")
        texts[language] = text
    if full:
        for language in LANGUAGES:
            if language not in texts:
                raise ConfigError(f"{where}: missing the {language!r} text")
    return texts


def _binding(command: Command, draft: Mapping[str, object]) -> KeyBinding:
    keys = draft["keys"]
    label = draft["label"]
    help_text = draft["help"]
    footer = draft.get("footer")
    assert isinstance(keys, tuple) and isinstance(label, dict) and isinstance(help_text, dict)
    assert footer is None or isinstance(footer, int)
    return KeyBinding(
        command=command,
        keys=keys,
        label=MappingProxyType(dict(label)),
        help=MappingProxyType(dict(help_text)),
        footer=footer,
    )


def _check_conflicts(bindings: Iterable[KeyBinding], sources: tuple[Path, ...]) -> None:
    files = " + ".join(str(p) for p in sources)
    owner: dict[str, Command] = {}
    for binding in bindings:
        for key in binding.keys:
            other = owner.get(key)
            if other is not None:
                raise ConfigError(
                    f"{files}: key {key!r} is bound to both {other.value!r} and "
                    f"{binding.command.value!r}; give one of them another key"
                )
            owner[key] = binding.command
        if not binding.keys and binding.command in ESSENTIAL_COMMANDS:
            raise ConfigError(f"{files}: commands.{binding.command.value}: needs at least one key")
