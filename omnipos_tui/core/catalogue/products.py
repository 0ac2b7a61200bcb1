"""What the shop sells: article groups and products."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from omnipos_tui.core.money import Money
from omnipos_tui.core.vat import VatRate


class Unit(enum.StrEnum):
    """How a product is counted."""

    PIECE = "piece"
    KG = "kg"


# SAF-T PredefinedBasicID-04 article groups (basicType 04).
SAFT_ARTICLE_GROUPS: dict[str, str] = {
    "04001": "Uttak av behandlingsarbeid",
    "04002": "Behandlingsarbeid",
    "04003": "Varesalg",
    "04004": "Uttak av varer",
    "04005": "Serveringsavgift",
    "04006": "Mat",
    "04007": "Øl",
    "04008": "Vin",
    "04009": "Brennevin",
    "04010": "Rusbrus/Cider",
    "04011": "Mineralvann (brus)",
    "04012": "Annen drikke (te, kaffe etc)",
    "04013": "Tobakk",
    "04014": "Andre varer",
    "04015": "Inngangspenger",
    "04016": "Inngangspenger fri adgang",
    "04017": "Garderobeavgift",
    "04018": "Garderobeavgift fri garderobe",
    "04019": "Helfullpensjon",
    "04020": "Halvpensjon",
    "04021": "Overnatting med frokost",
    "04999": "Øvrige",
}


@dataclass(frozen=True, slots=True)
class ArticleGroup:
    """A main group (hovudgruppe) used on X/Z reports and in SAF-T.

    Attributes:
        code: Our own group code (``artGroupID``), for example "10".
        name: Shown on reports and the till ("Meieri").
        saft_code: The PredefinedBasicID-04 code it maps to ("04006").
    """

    code: str
    name: str
    saft_code: str


@dataclass(frozen=True, slots=True)
class Product:
    """A sellable product.

    Attributes:
        sku: The article number (SKU/PLU), unique, used as ``artID`` in SAF-T.
        name: Name on screen and receipt.
        price: Shelf price including VAT, per piece or per kg.
        vat: The VAT rate.
        group: The article group code.
        unit: Piece or kg (weighed).
        barcodes: EAN-13/EAN-8/UPC-A codes that ring this product up.
        active: Inactive products cannot be sold but stay for history.
    """

    sku: str
    name: str
    price: Money
    vat: VatRate
    group: str
    unit: Unit = Unit.PIECE
    barcodes: tuple[str, ...] = field(default=())
    active: bool = True
