"""Recognising a text file saved in a wide Unicode encoding (UTF-16 or UTF-32), which the
imports do not read: Excel's "Unicode text" and some Windows tools write them.

UTF-32's byte order marks begin with UTF-16's (``FF FE 00 00`` starts with ``FF FE``), so
UTF-32 is checked first; without a mark, the zero bytes between ASCII letters give the
encoding away.
"""

from __future__ import annotations

__all__ = ["wide_encoding"]

_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def wide_encoding(data: bytes) -> str | None:
    """ "UTF-32" or "UTF-16" when ``data`` looks like text in that encoding, else None.

    >>> wide_encoding("sku".encode("utf-32")), wide_encoding("sku".encode("utf-16"))
    ('UTF-32', 'UTF-16')
    >>> wide_encoding("sku;name".encode("utf-16-be")), wide_encoding(b"sku;name")
    ('UTF-16', None)
    """
    for mark, name in _MARKS:
        if data.startswith(mark):
            return name
    head = data[:64]
    if len(head) >= 8 and head.count(0) * 2 >= len(head):
        quads = [head[i : i + 4] for i in range(0, len(head) - 3, 4)]
        if all(q[1:] == b"\x00\x00\x00" or q[:3] == b"\x00\x00\x00" for q in quads):
            return "UTF-32"
        return "UTF-16"
    return None
