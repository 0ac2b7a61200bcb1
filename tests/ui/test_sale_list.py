"""The sale list's column layout (TILL-UX B3) and its line-API widget."""

from __future__ import annotations

from textual.app import App, ComposeResult

from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.views import SaleRow
from omnipos_tui.ui.widgets.sale_list import SaleList, heads_text, name_width, row_text

MILK = SaleRow(1, "Tine Lettmelk 1 l", "2", "21,90", "43,80")


def test_at_80_columns_the_columns_line_up_under_their_heads() -> None:
    heads = heads_text(Translator("nb"), 80)
    line = row_text(MILK, 80, selected=False, voided_text="(annullert)")
    assert heads == (
        " #  Vare                                           Antall    à-pris       Beløp "
    )
    assert line == (
        " 1  Tine Lettmelk 1 l                                   2     21,90       43,80 "
    )
    for word, value in (("Antall", "2"), ("à-pris", "21,90"), ("Beløp", "43,80")):
        assert heads.index(word) + len(word) == line.index(value) + len(value)


def test_the_selected_line_has_a_marker_before_the_name() -> None:
    line = row_text(MILK, 80, selected=True, voided_text="(annullert)")
    assert line.startswith(" 1 >Tine Lettmelk")


def test_a_note_follows_the_name_and_a_voided_line_says_so() -> None:
    coffee = SaleRow(6, "Kaffe Evergood 250 g", "1", "59,90", "53,91", note="-10 %")
    cola = SaleRow(3, "Coca-Cola 0,5 l", "1", "29,90", "29,90", voided=True)
    assert "Kaffe Evergood 250 g  -10 %" in row_text(coffee, 80, selected=False, voided_text="x")
    voided = row_text(cola, 80, selected=False, voided_text="(annullert)")
    name_cell = voided[4 : 4 + name_width(80)]
    assert name_cell.startswith("Coca-Cola 0,5 l ")
    assert name_cell.endswith(" (annullert)"), "right-aligned in the name column, as in B3"


def test_a_long_name_is_cut_with_an_ellipsis_and_the_amounts_stay() -> None:
    long = SaleRow(12, "Ekstremt langt produktnavn " * 4, "1", "9,90", "9,90")
    line = row_text(long, 80, selected=False, voided_text="")
    assert len(line) == 80
    assert "…" in line
    assert line.endswith("9,90 ")


def test_extra_width_goes_to_the_name() -> None:
    assert name_width(80) == 45
    assert name_width(120) == 85
    assert len(row_text(MILK, 120, selected=False, voided_text="")) == 120


def test_three_digit_line_numbers_keep_the_columns() -> None:
    line = row_text(
        SaleRow(123, "Bærepose", "1", "2,00", "2,00"), 80, selected=True, voided_text=""
    )
    assert line.startswith("123>Bærepose")
    assert len(line) == 80


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SaleList(Translator("nb"))


def rows(count: int) -> list[SaleRow]:
    return [SaleRow(n, f"Vare {n}", "1", "1,00", "1,00") for n in range(1, count + 1)]


def visible(widget: SaleList) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_the_newest_line_is_at_the_bottom_after_the_list_overflows() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 15)) as pilot:
        widget = app.query_one(SaleList)
        widget.show(rows(20), None, training=False)
        await pilot.pause()
        lines = visible(widget)
        assert lines[0].startswith(" #  Vare")
        assert lines[1].startswith(" 7  Vare 7")
        assert lines[-1].startswith("20  Vare 20")


async def test_selecting_the_first_line_scrolls_it_into_view_reversed() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 15)) as pilot:
        widget = app.query_one(SaleList)
        widget.show(rows(20), None, training=False)
        await pilot.pause()
        widget.show(rows(20), 0, training=False)
        await pilot.pause()
        lines = visible(widget)
        assert lines[1].startswith(" 1 >Vare 1")
        assert widget.render_line(1).cell_length == 80
        assert any(segment.style and segment.style.reverse for segment in widget.render_line(1))


async def test_training_replaces_the_heads_with_the_red_bar() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 15)) as pilot:
        widget = app.query_one(SaleList)
        widget.show(rows(2), None, training=True)
        await pilot.pause()
        assert widget.render_line(0).text.strip() == "TRENING – IKKE SALG"


async def test_voided_lines_are_drawn_dim() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 15)) as pilot:
        widget = app.query_one(SaleList)
        widget.show([SaleRow(1, "Cola", "1", "29,90", "29,90", voided=True)], None, training=False)
        await pilot.pause()
        assert all(segment.style and segment.style.dim for segment in widget.render_line(1))
