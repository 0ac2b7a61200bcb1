"""Documents as JSON, so a queued print job survives a restart. Pure functions."""

from __future__ import annotations

import json
from typing import Any

from omnipos_tui.core.document import (
    Align,
    Barcode,
    Cut,
    Document,
    Feed,
    Item,
    Logo,
    QrCode,
    Rule,
    TextLine,
)
from omnipos_tui.core.errors import InvalidInput

FORMAT = 1


def _item_to_dict(item: Item) -> dict[str, Any]:
    if isinstance(item, TextLine):
        return {
            "type": "text",
            "text": item.text,
            "bold": item.bold,
            "double": item.double,
            "align": item.align.value,
        }
    if isinstance(item, Rule):
        return {"type": "rule", "char": item.char}
    if isinstance(item, Barcode):
        return {"type": "barcode", "data": item.data, "symbology": item.symbology}
    if isinstance(item, QrCode):
        return {"type": "qr", "data": item.data, "size": item.size}
    if isinstance(item, Feed):
        return {"type": "feed", "lines": item.lines}
    if isinstance(item, Logo):
        return {"type": "logo"}
    return {"type": "cut"}


def document_to_dict(document: Document) -> dict[str, Any]:
    """A JSON-ready dict of the document."""
    return {
        "format": FORMAT,
        "title": document.title,
        "columns": document.columns,
        "kick_drawer": document.kick_drawer,
        "items": [_item_to_dict(item) for item in document.items],
    }


def document_to_json(document: Document) -> str:
    """The document as a JSON text (UTF-8 safe, ASCII-escaped)."""
    return json.dumps(document_to_dict(document), sort_keys=True)


def _get(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidInput(f"{where}: {key!r} must be {kind.__name__}, found {value!r}")
    return value


def _item_from_dict(data: Any, where: str) -> Item:
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: an item must be an object, found {data!r}")
    kind = data.get("type")
    if kind == "text":
        align = _get(data, "align", str, where)
        if align not in {a.value for a in Align}:
            raise InvalidInput(f"{where}: unknown alignment {align!r}")
        return TextLine(
            text=_get(data, "text", str, where),
            bold=_get(data, "bold", bool, where),
            double=_get(data, "double", bool, where),
            align=Align(align),
        )
    if kind == "rule":
        return Rule(char=_get(data, "char", str, where))
    if kind == "barcode":
        return Barcode(
            data=_get(data, "data", str, where), symbology=_get(data, "symbology", str, where)
        )
    if kind == "qr":
        return QrCode(data=_get(data, "data", str, where), size=_get(data, "size", int, where))
    if kind == "feed":
        return Feed(lines=_get(data, "lines", int, where))
    if kind == "logo":
        return Logo()
    if kind == "cut":
        return Cut()
    raise InvalidInput(f"{where}: unknown item type {kind!r}")


def document_from_dict(data: Any, where: str = "document") -> Document:
    """The document back from :func:`document_to_dict`.

    Raises:
        InvalidInput: The data is not a document of a known format; the message says where.
    """
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: not a document object")
    if data.get("format") != FORMAT:
        raise InvalidInput(f"{where}: unknown document format {data.get('format')!r}")
    items = data.get("items")
    if not isinstance(items, list):
        raise InvalidInput(f"{where}: 'items' must be a list")
    return Document(
        title=_get(data, "title", str, where),
        columns=_get(data, "columns", int, where),
        kick_drawer=_get(data, "kick_drawer", bool, where),
        items=tuple(_item_from_dict(item, f"{where}, item {n}") for n, item in enumerate(items, 1)),
    )


def document_from_json(text: str, where: str = "document") -> Document:
    """The document back from :func:`document_to_json`.

    Raises:
        InvalidInput: The text is not JSON or not a document; the message says where.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: not valid JSON ({exc})") from exc
    return document_from_dict(data, where)
