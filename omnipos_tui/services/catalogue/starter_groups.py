"""The article groups a new shop starts with: Norwegian names mapped to SAF-T 04xxx codes."""

from __future__ import annotations

from omnipos_tui.core.catalogue.products import ArticleGroup

# Group code, name, SAF-T PredefinedBasicID-04 code, VAT percent ("outside" = outside the act).
STARTER_GROUPS: tuple[tuple[str, str, str, str], ...] = (
    ("10", "Mat og meieri", "04006", "15"),
    ("11", "Frukt og grønt", "04006", "15"),
    ("12", "Brød og bakst", "04006", "15"),
    ("20", "Drikke (brus)", "04011", "15"),
    ("21", "Kaffe og te", "04012", "15"),
    ("30", "Godteri og snacks", "04006", "15"),
    ("40", "Tobakk", "04013", "25"),
    ("50", "Aviser og blader", "04014", "0"),
    ("60", "Husholdning", "04003", "25"),
    ("70", "Billetter og transport", "04014", "12"),
    ("80", "Bæreposer", "04003", "25"),
    ("90", "Pant", "04999", "outside"),
)


def starter_groups() -> list[ArticleGroup]:
    """The twelve starter groups (change them with ``omnipos products group-set``)."""
    return [ArticleGroup(code, name, saft) for code, name, saft, _ in STARTER_GROUPS]
