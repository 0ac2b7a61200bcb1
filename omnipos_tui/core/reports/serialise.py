"""X/Z reports to and from JSON, as stored whole in the journal (R-21).

Amounts are integer øre, percentages decimal strings, times ISO 8601 UTC, days ISO dates,
lists of rows JSON arrays. Decoding follows the dataclasses' type hints, so a new field in
``core/report_model.py`` needs no change here unless it has a new type.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import JsonObject, JsonValue
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.model import Report

REPORT_FORMAT = 1
"""Version of the JSON layout; stored as ``"format"`` next to the report's fields."""

_T = TypeVar("_T")


def report_to_dict(report: Report) -> JsonObject:
    """The whole report as a JSON object."""
    data = _encode(report)
    assert isinstance(data, dict)
    return {"format": REPORT_FORMAT, **data}


def report_from_dict(data: object) -> Report:
    """Rebuild a report from :func:`report_to_dict` output.

    Raises:
        InvalidInput: Naming the first missing or malformed field ("report.vat[2].basis").
    """
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise InvalidInput(code="report.wrong_format", format=REPORT_FORMAT)
    return _decode(Report, data, "report")


def _encode(value: object) -> JsonValue:
    if isinstance(value, Money):
        return value.ore
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"cannot write {type(value).__name__} to a report")


def _decode(cls: type[_T], data: object, where: str) -> _T:
    if not isinstance(data, dict):
        raise InvalidInput(code="report.field_not_object", where=where, value=data)
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            if f.default is not MISSING or f.default_factory is not MISSING:
                continue  # a field added later (tips): a report made before has its default
            raise InvalidInput(code="report.field_missing", where=f"{where}.{f.name}")
        values[f.name] = _value(hints[f.name], data[f.name], f"{where}.{f.name}")
    return cls(**values)


def _value(hint: Any, raw: object, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return None if raw is None else _value(inner[0], raw, where)
    if origin is tuple:
        if not isinstance(raw, list):
            raise InvalidInput(code="report.field_not_list", where=where, value=raw)
        item = typing.get_args(hint)[0]
        return tuple(_value(item, x, f"{where}[{i}]") for i, x in enumerate(raw))
    try:
        if hint is Money:
            return Money(_typed(raw, int, where))
        if hint is Decimal:
            return Decimal(_typed(raw, str, where))
        if hint is datetime:
            moment = datetime.fromisoformat(_typed(raw, str, where))
            if moment.tzinfo is None:
                raise InvalidInput(code="report.field_no_zone", where=where, value=raw)
            return moment.astimezone(UTC)
        if hint is date:
            return date.fromisoformat(_typed(raw, str, where))
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return hint(_typed(raw, str, where))
        if isinstance(hint, type) and is_dataclass(hint):
            return _decode(hint, raw, where)
        if hint in (int, str):
            return _typed(raw, hint, where)
    except (ValueError, InvalidOperation):
        raise InvalidInput(code="report.field_invalid", where=where, value=raw) from None
    raise TypeError(f"{where}: no reader for {hint!r}")


def _typed(raw: object, kind: type[_T], where: str) -> _T:
    if not isinstance(raw, kind) or (kind is int and isinstance(raw, bool)):
        raise InvalidInput(
            code="report.field_wrong_type", where=where, kind=kind.__name__, value=raw
        )
    return raw
