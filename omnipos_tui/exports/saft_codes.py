"""Our own SAF-T codes (``basicID``) and what they mean in Skatteetaten's code lists.

SAF-T Cash Register lets every system use its own codes for transaction types, line types,
payment types, discount types, article groups and events, declared once in
``company/basics`` with their ``basicType`` and, where Skatteetaten keeps a list, the
``predefinedBasicID`` they map to. ``basicID`` must be unique across all basic types (the
XSD keys it alone), so each family below has its own spelling.

Event codes are :class:`~omnipos_tui.core.ledger.journal.EventCode` values as they are; article
groups use the shop's own group codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EVENT_CODES
from omnipos_tui.core.ledger.transaction import (
    SAFT_PAYMENT_TYPES,
    SAFT_TRANSACTION_TYPES,
    LineKind,
    TenderKind,
    TransactionKind,
)

# basicType values (Skatteetaten code list "BasicType").
ARTICLE_GROUP = "04"
LINE_TYPE = "05"
DISCOUNT_TYPE = "08"
RAISE_TYPE = "10"
TRANSACTION_TYPE = "11"
PAYMENT_TYPE = "12"
EVENT_TYPE = "13"


@dataclass(frozen=True, slots=True)
class Basic:
    """One ``company/basics/basic`` entry.

    Attributes:
        basic_type: The basicType ("04", "11"...).
        basic_id: Our own code.
        predefined: The PredefinedBasicID it maps to, or "" when the type has no list.
        description: Norwegian description (``basicDesc``).
    """

    basic_type: str
    basic_id: str
    predefined: str
    description: str


TRANSACTION_CODES: dict[TransactionKind, tuple[str, str]] = {
    TransactionKind.SALE: ("KONTANTSALG", "Kontantsalg"),
    TransactionKind.RETURN: ("RETUR", "Retur med utbetaling til kunde"),
    TransactionKind.SALE_AND_RETURN: ("SALGOGRETUR", "Kontantsalg og retur på samme kvittering"),
    TransactionKind.CREDIT_SALE: ("KREDITTSALG", "Kredittsalg med utleveringskvittering"),
    TransactionKind.CASH_IN: ("INNSKUDD", "Innskudd av kontanter i kassen"),
    TransactionKind.CASH_OUT: ("UTTAK", "Uttak av kontanter fra kassen"),
    TransactionKind.OPENING_FLOAT: ("VEKSELKASSE", "Inngående vekselkasse"),
}
"""Transaction kind -> (our basicID, description); the predefined code is the kind's own."""

LINE_CODES: dict[LineKind, tuple[str, str]] = {
    LineKind.ITEM: ("SALGSLINJE", "Salgslinje"),
    LineKind.RETURN: ("RETURLINJE", "Returlinje"),
    LineKind.CORRECTION: ("KORRLINJE", "Korreksjon (annullert eller redusert linje)"),
}
"""Line kind -> (our basicID, description). BasicType 05 has no predefined list."""

PAYMENT_CODES: dict[TenderKind, tuple[str, str]] = {
    TenderKind.CASH: ("KONTANT", "Kontant"),
    TenderKind.CARD: ("BANKKORT", "Bankkort"),
    TenderKind.MOBILE: ("VIPPS", "Vipps (mobilbetaling)"),
    TenderKind.VOUCHER: ("GAVEKORT", "Gavekort"),
    TenderKind.ACCOUNT: ("KUNDEKONTO", "Kreditt på kundekonto"),
}
"""Tender -> (our basicID, description); the predefined code is the tender's own."""

LINE_DISCOUNT = "LINJERABATT"
"""Discount type of a discount given on one line at the till (percent, amount or new price)."""
SALE_DISCOUNT = "KVITTERINGSRABATT"
"""Discount type of a line's share of a discount given on the whole sale."""

DISCOUNT_CODES: dict[str, str] = {
    LINE_DISCOUNT: "Rabatt på varelinje gitt i kassen",
    SALE_DISCOUNT: "Andel av rabatt på hele kvitteringen",
}

TIP = "DRIKS"
"""Raise type (basicType 10) of a tip the customer added on the card terminal: a
transaction's ``raise`` with the employee it is owed to; predefined code 10001 (tip)."""

RAISE_CODES: dict[str, tuple[str, str]] = {
    TIP: ("10001", "Driks lagt til av kunden på kortterminalen"),
}
"""Raise type -> (predefined code, description)."""


def fixed_basics() -> list[Basic]:
    """Every code of ours that does not depend on the shop's data, in basicType order."""
    out = [Basic(LINE_TYPE, code, "", desc) for code, desc in LINE_CODES.values()]
    out += [Basic(DISCOUNT_TYPE, code, "", desc) for code, desc in DISCOUNT_CODES.items()]
    out += [Basic(RAISE_TYPE, code, pre, desc) for code, (pre, desc) in RAISE_CODES.items()]
    out += [
        Basic(TRANSACTION_TYPE, code, SAFT_TRANSACTION_TYPES[kind], desc)
        for kind, (code, desc) in TRANSACTION_CODES.items()
    ]
    out += [
        Basic(PAYMENT_TYPE, code, SAFT_PAYMENT_TYPES[tender], desc)
        for tender, (code, desc) in PAYMENT_CODES.items()
    ]
    out += [
        Basic(EVENT_TYPE, code.value, predefined, desc)
        for code, (predefined, desc) in EVENT_CODES.items()
    ]
    return out


def all_basics(groups: Iterable[ArticleGroup]) -> Iterator[Basic]:
    """The article groups (basicType 04) followed by :func:`fixed_basics`.

    Raises:
        InvalidInput: An article group code is empty, longer than 35 characters, used
            twice, or equal to one of our fixed codes (``basicID`` must be unique).
    """
    fixed = fixed_basics()
    taken = {basic.basic_id for basic in fixed}
    for group in groups:
        if not 0 < len(group.code) <= 35:
            raise InvalidInput(f"article group {group.code!r}: the code must be 1-35 characters")
        if group.code in taken:
            raise InvalidInput(
                f"article group {group.code!r}: the code is already used by another "
                "SAF-T code; give the group another code"
            )
        taken.add(group.code)
        yield Basic(ARTICLE_GROUP, group.code, group.saft_code, group.name or group.code)
    yield from fixed
