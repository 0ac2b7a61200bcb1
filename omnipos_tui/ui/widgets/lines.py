"""One-line widgets: the last-event line (row 19), the entry line (20), the warning bar (21)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.views import LastEvent


class LastEventLine(Widget, can_focus=False):
    """What just happened: a green ✓ for a sale, a red ✗ with the reason for a refusal."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"last-event--ok", "last-event--error"}

    DEFAULT_CSS = """
    LastEventLine { height: 1; }
    LastEventLine > .last-event--ok { color: green; text-style: bold; }
    LastEventLine > .last-event--error { color: red; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        """Start blank."""
        super().__init__(id=id)
        self._event: LastEvent | None = None

    @property
    def event(self) -> LastEvent | None:
        """What is shown."""
        return self._event

    def show(self, event: LastEvent | None) -> None:
        """Show an event, or blank the line with None."""
        if event != self._event:
            self._event = event
            self.refresh()

    def render(self) -> Text:
        """`` ✓ text`` or `` ✗ text``."""
        if self._event is None:
            return Text("")
        ok = self._event.ok
        style = self.get_component_rich_style("last-event--ok" if ok else "last-event--error")
        return Text(f" {'✓' if ok else '✗'} {self._event.text}", style=style, no_wrap=True)


class EntryLine(Widget, can_focus=False):
    """The entry line: ``> 3 × _``, the text of an :class:`~omnipos_tui.ui.entry.EntryState`."""

    DEFAULT_CSS = """
    EntryLine { height: 1; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        """Start with an empty entry."""
        super().__init__(id=id)
        self._text = "_"

    @property
    def text(self) -> str:
        """What is shown after the prompt."""
        return self._text

    def show(self, text: str) -> None:
        """Show the entry state's text."""
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        """`` > `` and the text."""
        return Text(f" > {self._text}", no_wrap=True)


class WarningBar(Widget, can_focus=False):
    """Row 21: standing warnings (print queue, drawer open), or the red training bar."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"warning-bar--warning", "warning-bar--training"}

    DEFAULT_CSS = """
    WarningBar { height: 1; }
    WarningBar > .warning-bar--warning { background: yellow; color: black; text-style: bold; }
    WarningBar > .warning-bar--training { background: darkred; color: white; text-style: bold; }
    """

    def __init__(self, translator: Translator, *, id: str | None = None) -> None:
        """Start blank."""
        super().__init__(id=id)
        self._t = translator
        self._warning = ""
        self._training = False

    def show(self, warning: str, *, training: bool) -> None:
        """Show a warning (or "" for none) and whether training mode is on."""
        if (warning, training) != (self._warning, self._training):
            self._warning, self._training = warning, training
            self.refresh()

    def render(self) -> Text:
        """The bar across the whole width, or nothing."""
        width = self.size.width
        parts = [self._t.text("training.bar")] if self._training else []
        if self._warning:
            parts.append(self._warning)
        if not parts:
            return Text("")
        kind = "warning-bar--training" if self._training else "warning-bar--warning"
        line = "  ·  ".join(parts)
        text = line.center(width) if self._training else f" {line}".ljust(width)
        return Text(text, style=self.get_component_rich_style(kind), no_wrap=True)
