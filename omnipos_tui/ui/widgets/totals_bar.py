"""Rows 16-18: a rule, then counts, discount and VAT per rate, then the big total."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.views import TotalsView

TOTAL_WIDTH = 30


class TotalsBar(Widget, can_focus=False):
    """The totals. "Å BETALE" (or "Å BETALE TILBAKE" when the shop owes the customer) is
    bold and reversed at the right; after a cash over-tender the same slot shows "VEKSEL"
    until the next input."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"totals-bar--total", "totals-bar--change"}

    DEFAULT_CSS = """
    TotalsBar {
        height: 3;
        border-top: solid $foreground 50%;
    }
    TotalsBar > .totals-bar--total { text-style: bold reverse; }
    TotalsBar > .totals-bar--change { text-style: bold; background: green; color: white; }
    """

    def __init__(self, translator: Translator, *, id: str | None = None) -> None:
        """Start at zero."""
        super().__init__(id=id)
        self._t = translator
        self._totals = TotalsView()

    @property
    def totals(self) -> TotalsView:
        """What is shown."""
        return self._totals

    def show(self, totals: TotalsView) -> None:
        """Draw new totals (only when they changed)."""
        if totals != self._totals:
            self._totals = totals
            self.refresh()

    def summary_text(self) -> str:
        """Row 17: ``Varer 5   Rabatt -5,99   MVA 25 %: 0,40   15 %: 21,21``."""
        t = self._t.text
        totals = self._totals
        parts = [t("totals.items", count=totals.item_count)]
        if totals.discount_text:
            parts.append(t("totals.discount", amount=totals.discount_text))
        if totals.vat:
            rates = "   ".join(f"{rate}: {amount}" for rate, amount in totals.vat)
            parts.append(f"{t('totals.vat')} {rates}")
        return " " + "   ".join(parts)

    def render(self) -> Text:
        """Both rows at the widget's width."""
        width = self.size.width
        totals = self._totals
        if totals.change_text:
            label, amount = self._t.text("totals.change"), totals.change_text
            style = self.get_component_rich_style("totals-bar--change")
        else:
            label = self._t.text("totals.to_refund" if totals.refund else "totals.to_pay")
            amount = totals.total_text
            style = self.get_component_rich_style("totals-bar--total")
        block_width = max(TOTAL_WIDTH, len(label) + len(amount) + 4)
        block = f" {label}{amount:>{block_width - len(label) - 2}} "
        text = Text(self.summary_text()[:width], no_wrap=True, overflow="crop")
        text.append("\n")
        text.append(" " * max(0, width - len(block) - 1))
        text.append(block, style=style)
        return text
