"""What the customer display shows, as pure text: two lines of a pole display (2x20).

The till asks for the two lines here and hands them to the ``CustomerDisplay`` port; the
driver only encodes them. Amounts are never cut: when a line is too narrow, the label
gives way first. The labels come in the till's language as :class:`DisplayWords` from the
translation layer (``messages.display.display_words``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.money import Money

#: Characters per line of the usual pole display.
DISPLAY_COLUMNS = 20


@dataclass(frozen=True, slots=True)
class DisplayWords:
    """The labels the display shows, in the till's language: the words are in the
    translation layer (``messages.display.display_words``), not here.

    Attributes:
        welcome: Between customers.
        total: The running total's label.
        to_pay: The amount to pay.
        to_refund: The amount paid out (a refund).
        paid: What the customer gave.
        change: The change.
        thanks: After the sale, first line.
        again: After the sale, second line.
        closed: The till is locked or stopped.
    """

    welcome: str
    total: str
    to_pay: str
    to_refund: str
    paid: str
    change: str
    thanks: str
    again: str
    closed: str


@dataclass(frozen=True, slots=True)
class DisplayText:
    """Two display lines, each exactly ``columns`` characters.

    Attributes:
        top: The first line.
        bottom: The second line.
    """

    top: str
    bottom: str


def check_language(language: str, known: Sequence[str]) -> None:
    """The display's language is one there are words for.

    Raises:
        ConfigError: It is not (naming the ones there are).
    """
    if language not in known:
        raise ConfigError(code="display.bad_language", known=sorted(known), language=language)


def _amount(amount: Money, room: int) -> str:
    """The amount with thousands spaces, or without them when that is what fits. An amount
    that cannot fit at all shows as stars rather than as a wrong number."""
    for text in (amount.format(thousands=True), amount.format()):
        if len(text) <= room:
            return text
    return "*" * room


def pair(label: str, amount: Money, columns: int = DISPLAY_COLUMNS) -> str:
    """``label`` on the left and ``amount`` on the right of one line.

    The label is cut (never the amount) so that at least one space separates them.
    """
    value = _amount(amount, columns)
    room = columns - len(value) - 1
    left = label[:room] if room > 0 else ""
    return (left + " " * columns)[: columns - len(value)] + value


def _fit(text: str, columns: int) -> str:
    return text[:columns].ljust(columns)


def _centre(text: str, columns: int) -> str:
    return text[:columns].center(columns)


def welcome(
    shop_name: str = "", *, words: DisplayWords, columns: int = DISPLAY_COLUMNS
) -> DisplayText:
    """Between customers: a welcome and the shop's name."""
    return DisplayText(_centre(words.welcome, columns), _centre(shop_name, columns))


def selling(
    description: str,
    amount: Money,
    total: Money,
    *,
    words: DisplayWords,
    columns: int = DISPLAY_COLUMNS,
) -> DisplayText:
    """While selling: the last line rung up (its text and amount) and the running total.

    Args:
        description: The last line's text as the customer should read it ("2 x Melk").
        amount: That line's amount (negative for a return or a correction).
        total: The sale's total so far.
        words: The labels in the till's language.
        columns: Characters per line.
    """
    return DisplayText(pair(description, amount, columns), pair(words.total, total, columns))


def amount_due(total: Money, *, words: DisplayWords, columns: int = DISPLAY_COLUMNS) -> DisplayText:
    """At payment: the amount to pay, or to pay out when the sale is a refund."""
    label = words.to_refund if total.ore < 0 else words.to_pay
    return DisplayText(_fit(label, columns), pair("kr", abs(total), columns))


def change_due(
    paid: Money, change: Money, *, words: DisplayWords, columns: int = DISPLAY_COLUMNS
) -> DisplayText:
    """After a cash payment: what the customer gave and the change they get back."""
    return DisplayText(pair(words.paid, paid, columns), pair(words.change, change, columns))


def thank_you(*, words: DisplayWords, columns: int = DISPLAY_COLUMNS) -> DisplayText:
    """When the sale is complete."""
    return DisplayText(_centre(words.thanks, columns), _centre(words.again, columns))


def closed(*, words: DisplayWords, columns: int = DISPLAY_COLUMNS) -> DisplayText:
    """When the till is locked or stopped."""
    return DisplayText(_centre(words.closed, columns), " " * columns)
