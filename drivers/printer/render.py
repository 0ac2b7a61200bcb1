"""ESC/POS rendering of a :class:`~omnipos_tui.core.document.Document`: pure, no I/O.

python-escpos supplies the command set through its ``Dummy`` printer, which records bytes
instead of sending them. Two of its defaults are wrong for a till and are avoided here:
the code page is pinned (``ESC t n``; left on auto it switches tables per character and
prints ø as Turkish on many clones), and barcodes are built from its constants instead of
``barcode()``, which prints a line to stdout over the till's screen.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import qrcode  # type: ignore[import-untyped]
from escpos import constants
from escpos.capabilities import get_profile
from escpos.exceptions import Error as EscposError
from escpos.image import EscposImage
from escpos.printer import Dummy
from PIL import Image, UnidentifiedImageError

from omnipos_tui.core.document import (
    Align,
    Barcode,
    Cut,
    Document,
    Feed,
    Logo,
    QrCode,
    Rule,
    TextLine,
    printable,
)
from omnipos_tui.core.errors import ConfigError

log = logging.getLogger(__name__)

#: Code pages a Norwegian receipt may be pinned to: both have æøåÆØÅ; only CP858 has €.
CODE_PAGES = ("CP865", "CP858")
#: Paper widths in characters of font A: 58 mm paper has 32, 80 mm has 42 or 48.
COLUMNS = (32, 42, 48)
DRAWER_PINS = (2, 5)

_ALIGN = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}
_BARCODE_LENGTHS = {"EAN13": (12, 13), "EAN8": (7, 8)}


def kick_bytes(pin: int) -> bytes:
    """The drawer pulse ``ESC p m t1 t2`` for connector pin 2 or 5.

    Raises:
        ConfigError: The pin is neither 2 nor 5.
    """
    if pin == 2:
        return bytes(constants.CD_KICK_2)
    if pin == 5:
        return bytes(constants.CD_KICK_5)
    raise ConfigError(f"drawer pin must be 2 or 5, not {pin}")


def load_profile(name: str) -> Any:
    """A python-escpos printer profile by name ("default", "TM-T88V", "TM-T20II", ...).

    Raises:
        ConfigError: No profile has that name.
    """
    try:
        return get_profile(name)
    except (EscposError, LookupError, ValueError) as exc:
        raise ConfigError(
            f"unknown printer profile {name!r}; use 'default' or a model name such as 'TM-T88V'"
        ) from exc


class EscposRenderer:
    """Turns documents into ESC/POS bytes for one configured printer.

    Args:
        columns: Characters per line in font A (32, 42 or 48).
        code_page: "CP865" (default) or "CP858" (when € must print).
        profile: python-escpos profile name; decides cutter, QR and barcode support.
        drawer_pin: Connector pin the drawer hangs on (2 or 5).
        logo: A picture printed where a document has a ``Logo`` item; none when unset.

    Raises:
        ConfigError: A value is not one a receipt printer supports, or the logo cannot be read.
    """

    def __init__(
        self,
        *,
        columns: int = 42,
        code_page: str = "CP865",
        profile: str = "default",
        drawer_pin: int = 2,
        logo: Path | None = None,
    ) -> None:
        if columns not in COLUMNS:
            raise ConfigError(f"printer columns must be 32, 42 or 48, not {columns}")
        code_page = code_page.upper()
        if code_page not in CODE_PAGES:
            raise ConfigError(
                f"printer code page must be CP865 or CP858 (for €), not {code_page!r}; "
                f"'auto' prints Norwegian letters wrong on many printers"
            )
        self.columns = columns
        self.code_page = code_page
        self.profile_name = profile
        self.drawer_pin = drawer_pin
        self._kick = kick_bytes(drawer_pin)
        self._profile = load_profile(profile)
        if code_page not in self._profile.get_code_pages():
            raise ConfigError(
                f"printer profile {profile!r} has no code page {code_page}; choose another "
                f"profile or code page"
            )
        self._logo = self._render_logo(logo) if logo is not None else b""

    @property
    def kick(self) -> bytes:
        """The drawer pulse for the configured pin."""
        return self._kick

    def render(self, document: Document) -> bytes:
        """The whole document as bytes, starting with ``ESC @`` and the pinned code page."""
        printer = self._new_dummy()
        style = _Style(printer)
        for item in document.items:
            if isinstance(item, TextLine):
                style.apply(align=_ALIGN[item.align], bold=item.bold, double=item.double)
                printer.text(self._text(item.text) + "\n")
            elif isinstance(item, Rule):
                style.apply()
                printer.text(self._text(item.char * self.columns)[: self.columns] + "\n")
            elif isinstance(item, Feed):
                style.apply()
                printer.text("\n" * max(item.lines, 0))
            elif isinstance(item, Barcode):
                style.apply(align="center")
                self._barcode(printer, item)
            elif isinstance(item, QrCode):
                style.apply(align="center")
                self._qr(printer, item.data, item.size)
            elif isinstance(item, Logo):
                if self._logo:
                    style.apply()
                    printer._raw(self._logo)
            elif isinstance(item, Cut):
                style.apply()
                printer.cut()
        style.apply()
        if document.kick_drawer:
            printer._raw(self._kick)
        return bytes(printer.output)

    def test_page(self, title: str = "Testutskrift") -> bytes:
        """A page showing ÆØÅ æøå and every character of the pinned code page (for
        ``omnipos hw printer-test``)."""
        printer = self._new_dummy()
        printer.set(align="center", bold=True, double_width=True, double_height=True)
        printer.text(self._text(title) + "\n")
        printer.set(align="left", bold=False, normal_textsize=True)
        printer.text(f"Kodeside {self.code_page}, {self.columns} tegn\n")
        printer.text("ÆØÅ æøå" + (" €" if self.code_page == "CP858" else "") + "\n")
        printer.text("-" * self.columns + "\n")
        for row in range(0x80, 0x100, 16):
            printer._raw(f"{row:02X} ".encode("ascii") + bytes(range(row, row + 16)) + b"\n")
        printer.set(align="center")
        self._qr(printer, "OmniPOS printer test", 4)
        printer.set(align="left")
        printer.cut()
        return bytes(printer.output)

    # --- helpers -------------------------------------------------------------------------

    def _new_dummy(self) -> Any:
        """A recording printer that starts with ``ESC @`` and the pinned ``ESC t n``."""
        printer = Dummy(profile=self.profile_name)
        printer._raw(constants.HW_INIT)
        # ESC @ resets the table to 0; force_encoding sends ESC t n right away (the number
        # comes from the profile: CP865 is 5 on Epson, 58 on many 58 mm clones) and stops
        # the per-character guessing.
        printer.charcode(self.code_page)
        return printer

    def _text(self, text: str) -> str:
        if self.code_page == "CP858":
            return "".join(ch if ch == "€" else printable(ch) for ch in text)
        return printable(text)

    def _barcode(self, printer: Any, item: Barcode) -> None:
        symbology = item.symbology.upper().replace("-", "")
        data = item.data
        lengths = _BARCODE_LENGTHS.get(symbology)
        valid = symbology == "CODE128" and 0 < len(data) <= 60 and data.isascii()
        if lengths is not None:
            valid = data.isdigit() and len(data) in lengths
        if not valid:
            # A barcode the printer would reject still leaves its digits readable.
            log.warning("cannot print %s barcode %r; printing it as text", symbology, data)
            printer.text(self._text(data) + "\n")
            return
        use_b = self._profile.supports("barcodeB")
        if not use_b and symbology == "CODE128":
            printer.text(self._text(data) + "\n")
            return
        if symbology == "CODE128" and not data.startswith("{"):
            data = "{B" + data
        printer._raw(constants.BARCODE_HEIGHT + bytes([64]))
        printer._raw(constants.BARCODE_WIDTH + bytes([2 if self.columns == 32 else 3]))
        printer._raw(constants.BARCODE_FONT_A)
        printer._raw(constants.BARCODE_TXT_BLW)
        types = constants.BARCODE_TYPE_B if use_b else constants.BARCODE_TYPE_A
        printer._raw(types[symbology])
        payload = data.encode("ascii")
        if use_b:
            printer._raw(bytes([len(payload)]) + payload)
        else:
            printer._raw(payload + constants.NUL)
        printer.text("\n")

    def _qr(self, printer: Any, data: str, size: int) -> None:
        size = min(max(size, 1), 16)
        if self._profile.supports("qrCode"):
            printer.qr(data, native=True, size=size)
        else:
            # No QR engine in this printer: send the code as a picture instead.
            code = qrcode.QRCode(box_size=size, border=1)
            code.add_data(data)
            code.make(fit=True)
            printer._raw(self._raster(code.make_image().get_image().convert("1")))
        printer.text("\n")

    def _raster(self, picture: Image.Image) -> bytes:
        """``GS v 0`` raster bytes, centred when the profile knows the paper's pixel width.

        python-escpos's ``image()`` prints a notice to stdout for profiles without a pixel
        width, which would scribble over the till; this builds the same bytes quietly.
        """
        image = EscposImage(picture)
        pixels = self._profile.profile_data.get("media", {}).get("width", {}).get("pixels")
        if isinstance(pixels, int):
            if image.width > pixels:
                picture = picture.copy()
                picture.thumbnail((pixels, pixels * 4))
                image = EscposImage(picture)
            image.center(pixels)
        header = (
            constants.GS
            + b"v0\x00"
            + image.width_bytes.to_bytes(2, "little")
            + image.height.to_bytes(2, "little")
        )
        return bytes(header + image.to_raster_format())

    def _render_logo(self, path: Path) -> bytes:
        try:
            with Image.open(path) as picture:
                picture.load()
                return self._raster(picture.convert("RGB"))
        except (OSError, ValueError, UnidentifiedImageError) as exc:
            raise ConfigError(f"printer logo {path} cannot be read: {exc}") from exc


class _Style:
    """Sends ``ESC a``, ``ESC E`` and ``ESC !`` only when the style really changes."""

    def __init__(self, printer: Any) -> None:
        self._printer = printer
        self._align = "left"
        self._bold = False
        self._double = False

    def apply(self, *, align: str = "left", bold: bool = False, double: bool = False) -> None:
        if double != self._double:
            if double:
                self._printer.set(double_width=True, double_height=True)
            else:
                self._printer.set(normal_textsize=True)
            self._double = double
            # ESC ! also clears emphasis on Epson printers: send bold again below.
            self._bold = not bold
        if bold != self._bold:
            self._printer.set(bold=bold)
            self._bold = bold
        if align != self._align:
            self._printer.set(align=align)
            self._align = align
