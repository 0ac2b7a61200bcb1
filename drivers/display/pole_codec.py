"""The ESC/POS customer-display command set (Epson DM-D and compatible 2x20 pole displays),
as pure functions from text to bytes."""

from __future__ import annotations

from omnipos_tui.core.document import printable
from omnipos_tui.core.errors import ConfigError

ESC_INIT = b"\x1b@"
CLEAR = b"\x0c"
OVERWRITE_MODE = b"\x1f\x01"
CURSOR_OFF = b"\x1fC\x00"

#: ``ESC t n`` table numbers (the printer numbering, which DM-D displays share).
TABLES = {"CP437": 0, "CP850": 2, "CP865": 5, "CP858": 19}
_CODECS = {"CP437": "cp437", "CP850": "cp850", "CP865": "cp865", "CP858": "cp858"}


def check_code_page(code_page: str) -> str:
    """The code page name in upper case.

    Raises:
        ConfigError: Not one the display supports here.
    """
    name = code_page.upper()
    if name not in TABLES:
        raise ConfigError(
            f"display code page must be one of {', '.join(TABLES)}, not {code_page!r}"
        )
    return name


def init_bytes(code_page: str = "CP865") -> bytes:
    """Reset, overwrite mode, cursor off and the code table pinned."""
    name = check_code_page(code_page)
    return ESC_INIT + OVERWRITE_MODE + CURSOR_OFF + b"\x1bt" + bytes([TABLES[name]])


def move_to(column: int, row: int) -> bytes:
    """``US $ x y``: cursor to column and row, both counted from 1."""
    return b"\x1f$" + bytes([column, row])


def fit(text: str, columns: int, code_page: str = "CP865") -> str:
    """One line as the display will show it: safe characters, cut or padded to ``columns``."""
    name = check_code_page(code_page)
    line = "".join(ch if ch == "€" and name == "CP858" else printable(ch) for ch in text)
    line = line.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return line[:columns].ljust(columns)


def encode_line(text: str, columns: int, code_page: str = "CP865") -> bytes:
    """A fitted line in the display's code page; characters it lacks become ``?``."""
    name = check_code_page(code_page)
    return fit(text, columns, name).encode(_CODECS[name], errors="replace")


def show_bytes(top: str, bottom: str, columns: int = 20, code_page: str = "CP865") -> bytes:
    """Both lines written in place (no clear, so the display does not flicker)."""
    return (
        move_to(1, 1)
        + encode_line(top, columns, code_page)
        + move_to(1, 2)
        + encode_line(bottom, columns, code_page)
    )
