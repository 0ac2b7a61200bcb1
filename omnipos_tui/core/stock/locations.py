"""Where stock is: real locations (the shop floor, the back store, any the shop adds) and the
virtual ones goods come from and go to.

A move always goes from one location to another. Virtual locations keep no balance: goods
"in" ``customer`` are sold, "in" ``supplier`` are not ours yet. ``transit`` is virtual in
that nobody can sell from it, but what is in transit is still the shop's: it keeps a
balance and counts in the stock value (:attr:`Location.owned`).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from omnipos_tui.core.errors import InvalidInput


class LocationKind(enum.StrEnum):
    """Whether goods can physically stand in a location."""

    REAL = "real"
    VIRTUAL = "virtual"


SHOP_FLOOR = "butikk"
"""The default selling location of every register."""
BACK_STORE = "lager"
SUPPLIER = "supplier"
CUSTOMER = "customer"
LOSS = "loss"
COUNT_DIFFERENCE = "count-difference"
TRANSIT = "transit"

VIRTUAL_LOCATIONS: tuple[str, ...] = (SUPPLIER, CUSTOMER, LOSS, COUNT_DIFFERENCE, TRANSIT)
"""The virtual locations every shop has."""

STANDARD_LOCATIONS: tuple[tuple[str, str, LocationKind], ...] = (
    (SHOP_FLOOR, "Butikk", LocationKind.REAL),
    (BACK_STORE, "Lager", LocationKind.REAL),
    (SUPPLIER, "Leverandør", LocationKind.VIRTUAL),
    (CUSTOMER, "Kunde", LocationKind.VIRTUAL),
    (LOSS, "Svinn", LocationKind.VIRTUAL),
    (COUNT_DIFFERENCE, "Telleavvik", LocationKind.VIRTUAL),
    (TRANSIT, "Underveis", LocationKind.VIRTUAL),
)
"""The locations a new database starts with: code, name, kind."""

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")


@dataclass(frozen=True, slots=True)
class Location:
    """A place stock is moved from or to.

    Attributes:
        code: Short unique name ("butikk", "lager", "kjeller").
        name: Shown in tables ("Butikk").
        kind: Real or virtual.
    """

    code: str
    name: str
    kind: LocationKind

    @property
    def real(self) -> bool:
        """Goods can stand here and be sold from here."""
        return self.kind is LocationKind.REAL

    @property
    def owned(self) -> bool:
        """Goods here are the shop's (a real location, or in transit between two): they
        keep a balance and count in the stock value."""
        return self.real or self.code == TRANSIT


def location_code(text: str) -> str:
    """A location code as typed, checked: 1-20 lower-case letters, digits or ``-``.

    Raises:
        InvalidInput: It is not such a code.
    """
    code = text.strip().lower()
    if not _CODE.match(code):
        raise InvalidInput(code="stock.bad_location_code", text=text.strip())
    return code
