"""Turns an error or a message into words: :func:`render`, and the English ``str()``."""

from __future__ import annotations

import enum
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from omnipos_tui.core import errors
from omnipos_tui.core.errors import Message, PosError, bare
from omnipos_tui.messages.catalogue import LEADS, TEXTS, VALUES

#: The languages there are texts for; the first is the till's default.
LANGUAGES: tuple[str, ...] = ("nb", "en")

#: ``keys(command_id)``: how the key that sends a till command is shown ("F6").
KeyNames = Callable[[str], str]

_INDEX = {"nb": 0, "en": 1}


def render(item: PosError | Message, language: str = "en", keys: KeyNames | None = None) -> str:
    """The words for an error or a message.

    Args:
        item: A coded error or message (its template is filled in), or a free-text error
            (its class's lead in ``language``, then the technical detail).
        language: ``"nb"`` or ``"en"`` (anything else reads as English).
        keys: Names the key of a till command; None where there is no key map.

    Returns:
        The text. Never raises: a code without a text, or a template that does not fit its
        parameters, comes out as the code and its parameters.
    """
    index = _INDEX.get(language, 1)
    if isinstance(item, Message):
        return _fill(item.code, item.params, index, keys)
    if item.code is not None:
        return _fill(item.code, item.params, index, keys)
    detail = item.detail
    named = lead(type(item), language)
    if index == 1:  # the English detail says it all; the lead only stands in for none
        return detail or named
    if named and detail:
        return f"{named}: {detail}"
    return named or detail


def lead(cls: type[PosError], language: str = "nb") -> str:
    """What kind of trouble a free-text error's class is, in ``language`` ("" if none).

    The nearest class in the error's ancestry with a lead names it (a ``PrinterOffline``
    says "Kvitteringsskriveren svarer ikke", an unknown ``DeviceError`` subclass "Feil på
    en enhet").
    """
    for ancestor in cls.__mro__:
        texts = LEADS.get(ancestor.__name__)
        if texts is not None:
            return texts[_INDEX.get(language, 1)]
    return ""


def install() -> None:
    """Make ``str()`` of coded errors and messages their English text."""
    errors.use_texts(_english)


def _english(code: str, params: Mapping[str, object]) -> str:
    return _fill(code, params, 1, None)


def _fill(code: str, params: Mapping[str, object], index: int, keys: KeyNames | None) -> str:
    texts = TEXTS.get(code)
    if texts is None:
        return bare(code, params)
    try:
        return _Formatter(index, keys).vformat(texts[index], (), params)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return bare(code, params)


class _Formatter(string.Formatter):
    """``str.format`` with the values worded for one language and ``{key.<command>}``."""

    def __init__(self, index: int, keys: KeyNames | None) -> None:
        super().__init__()
        self._index = index
        self._keys = keys

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if field_name.startswith("key."):
            command = field_name.removeprefix("key.")
            return (_Key(self._keys(command) if self._keys else f"‹{command}›"), field_name)
        return super().get_field(field_name, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Key):
            return value.name
        if format_spec == "lines" and isinstance(value, list | tuple):
            return "\n".join(self._word(item) for item in value)
        if format_spec:
            return format(value, format_spec)
        return self._word(value)

    def _word(self, value: object) -> str:
        language = LANGUAGES[self._index]
        if isinstance(value, PosError | Message):
            return render(value, language, self._keys)
        if isinstance(value, enum.Enum):
            texts = VALUES.get(f"{type(value).__name__}.{value.value}")
            return texts[self._index] if texts else str(value.value)
        if isinstance(value, Decimal | float) and not isinstance(value, bool):
            text = str(value)
            return text.replace(".", ",") if language == "nb" else text
        if isinstance(value, list | tuple | set | frozenset):
            return ", ".join(self._word(item) for item in _ordered(value))
        return str(value)


class _Key:
    """A key's name, told apart from a parameter by :meth:`_Formatter.format_field`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def _ordered(values: Iterable[object]) -> list[object]:
    if isinstance(values, set | frozenset):
        return sorted(values, key=str)
    return list(values)
