"""A small ESC/POS decoder for tests: an independent reading of what a printer would print.

It walks the bytes, tracks ``ESC t n`` to pick the codec, collects printed lines with their
style and events (cut, drawer kick, QR, barcode, image, feed), and fails on any command it
does not know, so stray or misplaced bytes cannot hide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: ESC t n table numbers on Epson-compatible printers.
EPSON_TABLES = {0: "cp437", 2: "cp850", 5: "cp865", 16: "cp1252", 19: "cp858"}


class DecodeError(AssertionError):
    """The bytes hold something a receipt printer would not understand."""


@dataclass(frozen=True)
class Line:
    """One printed line and the style it was printed in."""

    text: str
    bold: bool
    double: bool
    align: str


@dataclass
class Decoded:
    """What the bytes print.

    Attributes:
        lines: Printed text lines in order.
        events: Everything in order: ("line", text), ("cut",), ("kick", pin), ("qr", data),
            ("barcode", symbology, data), ("image", width_bytes, height), ("feed", n),
            ("init",), ("codepage", name).
    """

    lines: list[Line] = field(default_factory=list)
    events: list[tuple[object, ...]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All printed text, one line per line."""
        return "\n".join(line.text for line in self.lines)

    def kinds(self) -> list[object]:
        """The event kinds in order."""
        return [event[0] for event in self.events]


_BARCODE_A = {0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "NW7"}
_BARCODE_B = {65 + k: v for k, v in _BARCODE_A.items()} | {72: "CODE93", 73: "CODE128"}


def decode(data: bytes, tables: dict[int, str] | None = None) -> Decoded:
    """Decode ESC/POS bytes.

    Args:
        data: The bytes sent to the printer.
        tables: ``ESC t n`` numbers to Python codecs (Epson's by default).

    Raises:
        DecodeError: An unknown command, an unknown code table or a truncated command.
    """
    tables = tables or EPSON_TABLES
    out = Decoded()
    codec = "cp437"
    bold = False
    double = False
    align = "left"
    pending = bytearray()
    qr_data: bytes | None = None
    i = 0

    def need(count: int) -> bytes:
        if i + count > len(data):
            raise DecodeError(f"truncated command at byte {i}: {data[i - 2 : i + count]!r}")
        return data[i : i + count]

    def flush_line() -> None:
        text = pending.decode(codec)
        out.lines.append(Line(text, bold, double, align))
        out.events.append(("line", text))
        pending.clear()

    while i < len(data):
        byte = data[i]
        i += 1
        if byte == 0x0A:
            flush_line()
        elif byte >= 0x20:
            pending.append(byte)
        elif byte == 0x1B:
            (cmd,) = need(1)
            i += 1
            if cmd == ord("@"):
                codec, bold, double, align = "cp437", False, False, "left"
                out.events.append(("init",))
            elif cmd == ord("t"):
                (n,) = need(1)
                i += 1
                if n not in tables:
                    raise DecodeError(f"unknown code table ESC t {n}")
                codec = tables[n]
                out.events.append(("codepage", codec))
            elif cmd == ord("!"):
                (n,) = need(1)
                i += 1
                double = n & 0x30 == 0x30
                bold = bool(n & 0x08)
            elif cmd == ord("E"):
                (n,) = need(1)
                i += 1
                bold = bool(n & 1)
            elif cmd == ord("a"):
                (n,) = need(1)
                i += 1
                align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}[
                    n
                ]
            elif cmd == ord("d"):
                (n,) = need(1)
                i += 1
                out.events.append(("feed", n))
            elif cmd == ord("p"):
                m, _t1, _t2 = need(3)
                i += 3
                out.events.append(("kick", 2 if m in (0, 48) else 5))
            elif cmd == ord("2"):
                pass
            elif cmd == ord("3"):
                need(1)
                i += 1
            else:
                raise DecodeError(f"unknown command ESC {cmd:#04x} at byte {i - 2}")
        elif byte == 0x1D:
            (cmd,) = need(1)
            i += 1
            if cmd == ord("V"):
                (m,) = need(1)
                i += 1
                if m in (65, 66):
                    need(1)
                    i += 1
                elif m not in (0, 1, 48, 49):
                    raise DecodeError(f"unknown cut mode {m}")
                out.events.append(("cut",))
            elif cmd == ord("!"):
                (n,) = need(1)
                i += 1
                double = n == 0x11
            elif cmd in (ord("h"), ord("w"), ord("H"), ord("f")):
                need(1)
                i += 1
            elif cmd == ord("k"):
                (m,) = need(1)
                i += 1
                if m in _BARCODE_A:
                    end = data.index(b"\x00", i)
                    payload = data[i:end]
                    i = end + 1
                    out.events.append(("barcode", _BARCODE_A[m], payload.decode("ascii")))
                elif m in _BARCODE_B:
                    (n,) = need(1)
                    i += 1
                    payload = need(n)
                    i += n
                    out.events.append(("barcode", _BARCODE_B[m], payload.decode("ascii")))
                else:
                    raise DecodeError(f"unknown barcode type {m}")
            elif cmd == ord("("):
                kind, low, high = need(3)
                i += 3
                body = need(low + high * 256)
                i += low + high * 256
                if kind != ord("k") or body[0:1] != b"1":
                    raise DecodeError(f"unknown GS ( {chr(kind)} function")
                fn = body[1]
                if fn == 80:
                    qr_data = body[3:]
                elif fn == 81:
                    if qr_data is None:
                        raise DecodeError("QR printed before its data was stored")
                    out.events.append(("qr", qr_data.decode("utf-8")))
                    qr_data = None
                elif fn not in (65, 67, 69):
                    raise DecodeError(f"unknown QR function {fn}")
            elif cmd == ord("v"):
                zero, _m, xl, xh, yl, yh = need(6)
                i += 6
                if zero != ord("0"):
                    raise DecodeError("unknown GS v command")
                width, height = xl + xh * 256, yl + yh * 256
                need(width * height)
                i += width * height
                out.events.append(("image", width, height))
            else:
                raise DecodeError(f"unknown command GS {cmd:#04x} at byte {i - 2}")
        else:
            raise DecodeError(f"unknown control byte {byte:#04x} at byte {i - 1}")
    if pending:
        flush_line()
    return out
