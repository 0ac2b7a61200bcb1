"""Key codes to characters for a scanner in keyboard mode: US (the safe scanner setting)
and Norwegian.

Codes are the Linux input event codes (``linux/input-event-codes.h``), a stable kernel ABI,
so decoding needs no evdev import; a test checks them against ``evdev.ecodes``.
"""

from __future__ import annotations

from omnipos_tui.core.errors import ConfigError

EV_SYN = 0
EV_KEY = 1
EV_MSC = 4

KEY_1 = 2
KEY_0 = 11
KEY_MINUS = 12
KEY_EQUAL = 13
KEY_TAB = 15
KEY_Q = 16
KEY_E = 18
KEY_LEFTBRACE = 26
KEY_RIGHTBRACE = 27
KEY_ENTER = 28
KEY_A = 30
KEY_SEMICOLON = 39
KEY_APOSTROPHE = 40
KEY_GRAVE = 41
KEY_LEFTSHIFT = 42
KEY_BACKSLASH = 43
KEY_Z = 44
KEY_COMMA = 51
KEY_DOT = 52
KEY_SLASH = 53
KEY_RIGHTSHIFT = 54
KEY_KPASTERISK = 55
KEY_SPACE = 57
KEY_KP7 = 71
KEY_KPMINUS = 74
KEY_KPPLUS = 78
KEY_KP0 = 82
KEY_KPDOT = 83
KEY_102ND = 86
KEY_KPENTER = 96
KEY_KPSLASH = 98
KEY_RIGHTALT = 100

SHIFTS = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
ALTGR = KEY_RIGHTALT

#: Terminator names accepted in configuration.
TERMINATORS = {"enter": KEY_ENTER, "kpenter": KEY_KPENTER, "tab": KEY_TAB}

_LETTER_ROWS = ((KEY_Q, "qwertyuiop"), (KEY_A, "asdfghjkl"), (KEY_Z, "zxcvbnm"))

# Keypad keys send the same characters on every layout (NumLock on, as scanners assume).
_KEYPAD = {
    KEY_KP7: "7",
    KEY_KP7 + 1: "8",
    KEY_KP7 + 2: "9",
    KEY_KPMINUS: "-",
    KEY_KP7 + 4: "4",
    KEY_KP7 + 5: "5",
    KEY_KP7 + 6: "6",
    KEY_KPPLUS: "+",
    KEY_KP7 + 8: "1",
    KEY_KP7 + 9: "2",
    KEY_KP7 + 10: "3",
    KEY_KP0: "0",
    KEY_KPDOT: ".",
    KEY_KPASTERISK: "*",
    KEY_KPSLASH: "/",
}


def _common() -> dict[int, tuple[str, str]]:
    keys: dict[int, tuple[str, str]] = {}
    for first, letters in _LETTER_ROWS:
        for offset, letter in enumerate(letters):
            keys[first + offset] = (letter, letter.upper())
    keys[KEY_SPACE] = (" ", " ")
    keys.update({code: (char, char) for code, char in _KEYPAD.items()})
    return keys


def _us() -> dict[int, tuple[str, str]]:
    keys = _common()
    for offset, (plain, shifted) in enumerate(zip("1234567890", "!@#$%^&*()", strict=True)):
        keys[KEY_1 + offset] = (plain, shifted)
    keys.update(
        {
            KEY_MINUS: ("-", "_"),
            KEY_EQUAL: ("=", "+"),
            KEY_LEFTBRACE: ("[", "{"),
            KEY_RIGHTBRACE: ("]", "}"),
            KEY_SEMICOLON: (";", ":"),
            KEY_APOSTROPHE: ("'", '"'),
            KEY_GRAVE: ("`", "~"),
            KEY_BACKSLASH: ("\\", "|"),
            KEY_COMMA: (",", "<"),
            KEY_DOT: (".", ">"),
            KEY_SLASH: ("/", "?"),
            KEY_102ND: ("\\", "|"),
        }
    )
    return keys


def _norwegian() -> dict[int, tuple[str, str]]:
    keys = _common()
    for offset, (plain, shifted) in enumerate(zip("1234567890", '!"#¤%&/()=', strict=True)):
        keys[KEY_1 + offset] = (plain, shifted)
    keys.update(
        {
            KEY_MINUS: ("+", "?"),
            KEY_EQUAL: ("\\", "`"),
            KEY_LEFTBRACE: ("å", "Å"),
            KEY_RIGHTBRACE: ("¨", "^"),
            KEY_SEMICOLON: ("ø", "Ø"),
            KEY_APOSTROPHE: ("æ", "Æ"),
            KEY_GRAVE: ("|", "§"),
            KEY_BACKSLASH: ("'", "*"),
            KEY_COMMA: (",", ";"),
            KEY_DOT: (".", ":"),
            KEY_SLASH: ("-", "_"),
            KEY_102ND: ("<", ">"),
        }
    )
    return keys


_NORWEGIAN_ALTGR = {
    KEY_1 + 1: "@",
    KEY_1 + 2: "£",
    KEY_1 + 3: "$",
    KEY_1 + 6: "{",
    KEY_1 + 7: "[",
    KEY_1 + 8: "]",
    KEY_0: "}",
    KEY_E: "€",
}


class Layout:
    """One keyboard layout.

    Attributes:
        name: "us" or "no".
    """

    def __init__(
        self, name: str, keys: dict[int, tuple[str, str]], altgr: dict[int, str] | None = None
    ) -> None:
        self.name = name
        self._keys = keys
        self._altgr = altgr or {}

    def char(self, code: int, *, shift: bool, altgr: bool) -> str | None:
        """The character a key gives, or None for keys that type nothing."""
        if altgr:
            return self._altgr.get(code)
        pair = self._keys.get(code)
        if pair is None:
            return None
        return pair[1] if shift else pair[0]


LAYOUTS = {
    "us": Layout("us", _us()),
    "no": Layout("no", _norwegian(), _NORWEGIAN_ALTGR),
}


def layout(name: str) -> Layout:
    """A layout by name: "us" (default on scanners) or "no" (Norwegian, also "nb").

    Raises:
        ConfigError: Unknown layout.
    """
    key = {"nb": "no", "nor": "no", "norwegian": "no", "en": "us"}.get(name.lower(), name.lower())
    if key not in LAYOUTS:
        raise ConfigError(f"scanner layout must be 'us' or 'no', not {name!r}")
    return LAYOUTS[key]


def terminator_codes(names: tuple[str, ...] | list[str]) -> frozenset[int]:
    """Key codes for terminator names ("enter", "kpenter", "tab").

    Raises:
        ConfigError: An unknown name, or none at all.
    """
    if not names:
        raise ConfigError("scanner needs at least one terminator: enter, kpenter or tab")
    codes = set()
    for name in names:
        if name.lower() not in TERMINATORS:
            raise ConfigError(f"scanner terminator must be enter, kpenter or tab, not {name!r}")
        codes.add(TERMINATORS[name.lower()])
    return frozenset(codes)
