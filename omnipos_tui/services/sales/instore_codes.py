"""In-store EAN-13 codes (GS1 prefix 2x) with the weight or the price in the code.

A scale or a price label prints ``2P AAAAA VVVVV C``: the prefix ``2P``, a five-digit
article number, a five-digit value and the EAN check digit. Which prefixes carry a weight
and which a price is a shop convention; OmniPOS uses the common Norwegian one:

- ``23`` and ``24``: the value is the weight in grams (a product sold per kg);
- ``20``-``22`` and ``25``-``29``: the value is the price in øre (max 999,99).

The article is found as a product whose barcode is the code with the value zeroed (the
"template"), else as the SKU/PLU ``AAAAA`` (with or without leading zeros).

The check digit is ``product_fields.ean_check_digit`` (held equal to python-stdnum's by a
test): importing stdnum takes longer than the rest of the sale services together (it
loads pydoc and ssl), and the till's start must not wait for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from omnipos_tui.core.money import Money
from omnipos_tui.services.catalogue.product_fields import ean_check_digit

WEIGHT_PREFIXES = frozenset({"23", "24"})


@dataclass(frozen=True, slots=True)
class InStoreCode:
    """A decoded in-store code.

    Attributes:
        code: The scanned code.
        article: The five-digit article number.
        template: The code with the value part zeroed (and its check digit recomputed).
        weight: The weight in kg, for weight codes.
        price: The price, for price codes.
    """

    code: str
    article: str
    template: str
    weight: Decimal | None
    price: Money | None

    @property
    def skus(self) -> tuple[str, ...]:
        """The SKUs the article may be stored under ("00123" and "123")."""
        short = self.article.lstrip("0") or "0"
        return (self.article,) if short == self.article else (self.article, short)


def decode(code: str) -> InStoreCode | None:
    """The in-store code in ``code``, or None when it is not one (not 13 digits starting
    with 2, or a wrong check digit)."""
    if len(code) != 13 or not (code.isascii() and code.isdigit()) or code[0] != "2":
        return None
    if code[-1] != ean_check_digit(code[:-1]):
        return None
    prefix, article, value = code[:2], code[2:7], int(code[7:12])
    body = f"{code[:7]}00000"
    template = body + ean_check_digit(body)
    if prefix in WEIGHT_PREFIXES:
        return InStoreCode(code, article, template, Decimal(value) / 1000, None)
    return InStoreCode(code, article, template, None, Money(value))
