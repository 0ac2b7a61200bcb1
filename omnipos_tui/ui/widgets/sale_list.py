"""The sale list: a line-API widget drawing :class:`SaleRow` view models (TILL-UX B3).

It is a ``ScrollView`` whose ``render_line`` returns one cached ``Strip`` per line, so adding
a line redraws only what changed: the scan-to-screen budget (16 ms) is out of reach for a
``DataTable`` or a ``Static`` holding a Rich grid (HARDWARE.md, Textual section).

Line 0 is the column heads (or the red training bar); below them the rows, newest at the
bottom, auto-scrolled; the selected line has ``>`` and is reversed; voided lines are dim.
At 80 columns the name gets 45 cells; extra width goes to the name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.views import SaleRow

NO_WIDTH = 2
QTY_WIDTH = 8
PRICE_WIDTH = 10
AMOUNT_WIDTH = 12
MIN_NAME_WIDTH = 12
_FIXED = NO_WIDTH + 2 + QTY_WIDTH + PRICE_WIDTH + AMOUNT_WIDTH + 1
_CACHE_LIMIT = 512


def name_width(width: int) -> int:
    """Cells for the name column at a given widget width (45 at 80 columns)."""
    return max(MIN_NAME_WIDTH, width - _FIXED)


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells with an ellipsis, or pad it with spaces."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…"
    return set_cell_size(text, width)


def row_text(row: SaleRow, width: int, *, selected: bool, voided_text: str) -> str:
    """One sale line laid out in columns, exactly ``width`` cells (at least the minimum)."""
    names = name_width(width)
    number = f"{row.no:>{NO_WIDTH}}"
    marker = ">" if selected else " "
    gap = "" if len(number) > NO_WIDTH else " "
    name = f"{row.name}  {row.note}" if row.note else row.name
    if row.voided:
        suffix = f" {voided_text}"
        name = _fit(name, max(1, names - cell_len(suffix))) + suffix
    text = (
        f"{number}{gap}{marker}{_fit(name, names)}"
        f"{row.qty_text:>{QTY_WIDTH}}{row.unit_price_text:>{PRICE_WIDTH}}"
        f"{row.amount_text:>{AMOUNT_WIDTH}} "
    )
    return set_cell_size(text, max(width, _FIXED + MIN_NAME_WIDTH))


def heads_text(translator: Translator, width: int) -> str:
    """The column heads line."""
    t = translator.text
    names = name_width(width)
    text = (
        f"{t('list.no'):>{NO_WIDTH}}  {_fit(t('list.item'), names)}"
        f"{t('list.quantity'):>{QTY_WIDTH}}{t('list.unit_price'):>{PRICE_WIDTH}}"
        f"{t('list.amount'):>{AMOUNT_WIDTH}} "
    )
    return set_cell_size(text, max(width, _FIXED + MIN_NAME_WIDTH))


class SaleList(ScrollView, can_focus=False):
    """The sale lines with sticky column heads; call :meth:`show` with new rows."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sale-list--heads",
        "sale-list--selected",
        "sale-list--voided",
        "sale-list--training",
    }

    DEFAULT_CSS = """
    SaleList {
        height: 1fr;
        overflow: hidden hidden;
        scrollbar-size: 0 0;
    }
    SaleList > .sale-list--heads { text-style: bold; }
    SaleList > .sale-list--selected { text-style: reverse; }
    SaleList > .sale-list--voided { text-style: dim; }
    SaleList > .sale-list--training { background: darkred; color: white; text-style: bold; }
    """

    def __init__(self, translator: Translator, *, id: str | None = None) -> None:
        """Start empty.

        Args:
            translator: For the column heads, "(annullert)" and the training bar.
            id: The widget id.
        """
        super().__init__(id=id)
        self._t = translator
        self._rows: tuple[SaleRow, ...] = ()
        self._selected: int | None = None
        self._training = False
        self._cache: dict[tuple[SaleRow, int, bool], Strip] = {}
        self._styles: dict[str, Style] = {}

    @property
    def rows(self) -> tuple[SaleRow, ...]:
        """The rows shown."""
        return self._rows

    @property
    def selected(self) -> int | None:
        """Index of the selected row, or None."""
        return self._selected

    @property
    def first_visible(self) -> int:
        """Index of the topmost row on screen."""
        return int(self.scroll_offset.y)

    @property
    def page(self) -> int:
        """How many rows fit below the heads."""
        return max(1, self.size.height - 1)

    def show(self, rows: Sequence[SaleRow], selected: int | None, *, training: bool) -> None:
        """Draw new rows; scrolls so the selected (else the newest) row is on screen.

        Only lines whose row or selection changed are redrawn.
        """
        old_rows, old_selected = self._rows, self._selected
        self._rows = tuple(rows)
        self._selected = selected if selected is not None and 0 <= selected < len(rows) else None
        if training != self._training:
            self._training = training
            self.refresh(Region(0, 0, self.size.width, 1))
        self._set_virtual_size()
        self._scroll_into_view()
        top = self.first_visible
        for index in range(max(len(old_rows), len(self._rows))):
            before = old_rows[index] if index < len(old_rows) else None
            after = self._rows[index] if index < len(self._rows) else None
            if before != after or (index in (old_selected, self._selected)):
                line = index + 1 - top
                if 1 <= line < self.size.height:
                    self.refresh(Region(0, line, self.size.width, 1))

    def _set_virtual_size(self) -> None:
        # Without a layout pass: assigning virtual_size would re-arrange (and repaint) the
        # whole screen on every new line; this widget has no children or scrollbars, and
        # the lines that changed are refreshed one by one.
        self.set_reactive(ScrollView.virtual_size, Size(self.size.width, len(self._rows) + 1))

    def _scroll_into_view(self) -> None:
        page = self.page
        target = self._selected if self._selected is not None else len(self._rows) - 1
        top = self.first_visible
        if self._selected is None:
            top = max(0, len(self._rows) - page)
        elif target < top:
            top = target
        elif target >= top + page:
            top = target - page + 1
        if top != self.first_visible:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)

    def on_resize(self) -> None:
        """Keep the virtual size at the new width and the target row on screen."""
        self._cache.clear()
        self._set_virtual_size()
        self._scroll_into_view()

    def notify_style_update(self) -> None:
        """Styles changed (theme, CSS): cached lines are stale."""
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        """The base style, or the base plus a component's partial style; cached, because
        working a style out walks the DOM and would cost more than drawing the line."""
        style = self._styles.get(name)
        if style is None:
            base = self.rich_style
            if name == "base":
                style = base
            elif name == "sale-list--training":
                style = self.get_component_rich_style(name)
            else:
                style = base + self.get_component_rich_style(name, partial=True)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: heads on line 0, then the rows from the scroll offset."""
        width = self.size.width
        if y == 0:
            if self._training:
                style = self._style("sale-list--training")
                return Strip([Segment(self._t.text("training.bar").center(width), style)], width)
            style = self._style("sale-list--heads")
            return Strip([Segment(heads_text(self._t, width), style)]).crop(0, width)
        index = y - 1 + self.first_visible
        if index >= len(self._rows):
            return Strip.blank(width, self._style("base"))
        row = self._rows[index]
        selected = index == self._selected
        key = (row, width, selected)
        strip = self._cache.get(key)
        if strip is None:
            style = self._style("sale-list--voided" if row.voided else "base")
            if selected:
                style += self._style("sale-list--selected")
            text = row_text(row, width, selected=selected, voided_text=self._t.text("list.voided"))
            strip = Strip([Segment(text, style)]).crop(0, width)
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = strip
        return strip
