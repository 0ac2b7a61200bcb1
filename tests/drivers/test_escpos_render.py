"""The ESC/POS bytes of a fixed sample receipt, read back by an independent decoder."""

from __future__ import annotations

from pathlib import Path

import pytest
from escpos_decoder import DecodeError, decode

from drivers.printer.render import EscposRenderer, kick_bytes
from omnipos_tui.core.document import (
    Align,
    Barcode,
    Cut,
    Document,
    Feed,
    Logo,
    QrCode,
    Rule,
    TextLine,
    printable,
)
from omnipos_tui.core.errors import ConfigError

SAMPLE = Document(
    title="Salgskvittering 1042",
    columns=42,
    items=(
        TextLine("Bakeriet på Hjørnet AS", bold=True, align=Align.CENTER),
        TextLine("Org.nr 923 609 016 MVA", align=Align.CENTER),
        TextLine("KOPI", double=True, align=Align.CENTER),
        Rule(),
        TextLine("Blåbærsyltetøy 450 g              49,90"),
        TextLine("Rømme 18 % – «ekte»               24,50"),
        TextLine("Æbleskiver ÆØÅ æøå                55,50"),
        Rule("="),
        TextLine("SUM                       129,90", bold=True, double=False),
        TextLine("Total", double=True, align=Align.RIGHT),
        TextLine("Gavekort 10 €", align=Align.LEFT),
        TextLine("Spørsmål? Ring oss", align=Align.CENTER),
        Feed(1),
        Barcode("7038010009457"),
        QrCode("https://example.no/k/1042", size=5),
        Cut(),
    ),
    kick_drawer=True,
)


def printed_texts(document: Document, *, euro: bool = False) -> list[str]:
    out: list[str] = []
    for item in document.items:
        if isinstance(item, TextLine):
            text = item.text
            if euro:
                out.append("".join(ch if ch == "€" else printable(ch) for ch in text))
            else:
                out.append(printable(text))
    return out


def test_sample_receipt_prints_norwegian_letters_right_in_cp865() -> None:
    decoded = decode(EscposRenderer().render(SAMPLE))

    texts = [line.text for line in decoded.lines if line.text.strip("-= ")]
    assert texts == printed_texts(SAMPLE)
    assert "Blåbærsyltetøy 450 g              49,90" in texts
    assert "Æbleskiver ÆØÅ æøå                55,50" in texts
    assert ("codepage", "cp865") in decoded.events


def test_sample_receipt_has_no_question_mark_that_was_not_in_the_text() -> None:
    decoded = decode(EscposRenderer().render(SAMPLE))

    source = "\n".join(printed_texts(SAMPLE))
    assert decoded.text.count("?") == source.count("?") == 1


def test_euro_sign_becomes_eur_in_cp865_and_prints_itself_in_cp858() -> None:
    in_865 = decode(EscposRenderer(code_page="CP865").render(SAMPLE))
    in_858 = decode(EscposRenderer(code_page="CP858").render(SAMPLE))

    assert "Gavekort 10 EUR" in in_865.text
    assert "Gavekort 10 €" in in_858.text
    assert "Blåbærsyltetøy" in in_858.text
    assert in_858.text.count("?") == 1


def test_cut_comes_after_the_last_item_and_the_drawer_kick_after_the_cut() -> None:
    decoded = decode(EscposRenderer(drawer_pin=5).render(SAMPLE))

    kinds = decoded.kinds()
    assert kinds[:2] == ["init", "codepage"]
    assert kinds[-2:] == ["cut", "kick"]
    assert decoded.events[-1] == ("kick", 5)
    assert kinds.count("cut") == 1
    assert kinds.count("kick") == 1


def test_a_document_without_kick_never_opens_the_drawer() -> None:
    document = Document("Rapport", 42, (TextLine("X-rapport"), Cut()), kick_drawer=False)

    assert "kick" not in decode(EscposRenderer().render(document)).kinds()


def test_qr_code_uses_the_printers_own_engine_with_the_exact_data() -> None:
    decoded = decode(EscposRenderer().render(SAMPLE))

    assert ("qr", "https://example.no/k/1042") in decoded.events
    assert "image" not in decoded.kinds()


def test_ean13_barcode_is_printed_by_the_printer_and_nothing_reaches_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    decoded = decode(EscposRenderer().render(SAMPLE))

    assert ("barcode", "EAN13", "7038010009457") in decoded.events
    captured = capsys.readouterr()
    assert captured.out == ""


def test_a_barcode_the_printer_would_reject_is_printed_as_readable_digits() -> None:
    document = Document("x", 42, (Barcode("70380100094"),))

    decoded = decode(EscposRenderer().render(document))

    assert "barcode" not in decoded.kinds()
    assert decoded.lines[0].text == "70380100094"


def test_bold_double_and_alignment_reach_the_line_they_belong_to() -> None:
    decoded = decode(EscposRenderer().render(SAMPLE))
    by_text = {line.text: line for line in decoded.lines}

    assert by_text["Bakeriet på Hjørnet AS"].bold
    assert by_text["Bakeriet på Hjørnet AS"].align == "center"
    assert by_text["KOPI"].double and by_text["KOPI"].align == "center"
    assert by_text["Total"].double and by_text["Total"].align == "right"
    assert not by_text["Blåbærsyltetøy 450 g              49,90"].bold
    assert not by_text["Blåbærsyltetøy 450 g              49,90"].double
    assert by_text["SUM                       129,90"].bold


def test_rules_fill_exactly_the_paper_width() -> None:
    for columns in (32, 42, 48):
        document = Document("x", columns, (Rule(), Rule("=")))
        decoded = decode(EscposRenderer(columns=columns).render(document))
        assert [line.text for line in decoded.lines] == ["-" * columns, "=" * columns]


def test_a_58mm_clone_profile_gets_its_own_table_number_for_cp865() -> None:
    data = EscposRenderer(columns=32, profile="POS-5890").render(SAMPLE)

    decoded = decode(data, tables={58: "cp865"})
    assert "Blåbærsyltetøy 450 g              49,90" in decoded.text
    # That printer has no QR engine: the code is sent as a picture.
    assert "image" in decoded.kinds()


def test_logo_prints_where_the_document_asks_and_only_when_configured(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "logo.png"
    Image.new("RGB", (100, 40), "black").save(path)
    document = Document("x", 42, (Logo(), TextLine("Butikken")))

    with_logo = decode(EscposRenderer(profile="TM-T88V", logo=path).render(document))
    without = decode(EscposRenderer().render(document))

    assert with_logo.kinds()[2] == "image"
    assert "image" not in without.kinds()


def test_test_page_shows_norwegian_letters_and_a_qr_code() -> None:
    decoded = decode(EscposRenderer().test_page())

    assert "ÆØÅ æøå" in decoded.text
    assert "qr" in decoded.kinds()
    assert decoded.kinds()[-1] == "cut"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"code_page": "AUTO"}, "code page"),
        ({"code_page": "CP437"}, "code page"),
        ({"columns": 40}, "columns"),
        ({"drawer_pin": 3}, "pin"),
        ({"profile": "NO-SUCH-PRINTER"}, "profile"),
    ],
)
def test_invalid_printer_settings_are_refused_with_the_setting_named(
    kwargs: dict[str, object], words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        EscposRenderer(**kwargs)  # type: ignore[arg-type]


def test_an_unreadable_logo_is_a_configuration_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    path.write_text("not a picture")

    with pytest.raises(ConfigError, match=r"logo\.png"):
        EscposRenderer(logo=path)


def test_kick_bytes_match_the_epson_drawer_pulse() -> None:
    assert kick_bytes(2) == b"\x1bp\x00\x32\x32"
    assert kick_bytes(5) == b"\x1bp\x01\x32\x32"


def test_the_decoder_refuses_unknown_commands() -> None:
    with pytest.raises(DecodeError):
        decode(b"\x1b@\x1bZabc")
    with pytest.raises(DecodeError):
        decode(b"\x1bt\x63")
