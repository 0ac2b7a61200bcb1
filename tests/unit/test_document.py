"""The document model keeps to what receipt code pages can print."""

from __future__ import annotations

from omnipos_tui.core.document import Align, Document, Rule, TextLine, printable


def test_printable_replaces_characters_missing_from_cp865() -> None:
    assert printable("Foreløpig kvittering – IKKJE «KOPI» 10 €") == (
        'Foreløpig kvittering - IKKJE "KOPI" 10 EUR'
    )


def test_printable_keeps_norwegian_letters() -> None:
    assert printable("ÆØÅ æøå") == "ÆØÅ æøå"


def test_text_preview_aligns_within_the_paper_width() -> None:
    doc = Document(
        "t",
        columns=10,
        items=(
            TextLine("ab", align=Align.RIGHT),
            Rule(),
            TextLine("KOPI", double=True, align=Align.CENTER),
        ),
    )
    assert doc.text().splitlines() == ["        ab", "----------", " KOPI"]
