"""Row 0: who and where on the left, the status lights and the clock on the right."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from omnipos_tui.core.clock import local
from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.views import Light, LightState, all_lights

#: The colour of each light state: green, red, yellow, grey.
LIGHT_COLOURS: Mapping[LightState, str] = MappingProxyType(
    {
        LightState.OK: "bold green",
        LightState.FAULT: "bold red",
        LightState.WARNING: "bold yellow",
        LightState.OFF: "grey50",
    }
)


class StatusHeader(Widget, can_focus=False):
    """The header line. Call :meth:`show` when the text or a light changes.

    The clock is read from an injected function (aware UTC, shown in Oslo time), so tests
    and snapshots freeze it.
    """

    DEFAULT_CSS = """
    StatusHeader {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(
        self,
        translator: Translator,
        *,
        clock: Callable[[], datetime] | None = None,
        long_labels: bool = False,
        id: str | None = None,
    ) -> None:
        """Set up the header.

        Args:
            translator: For the light labels.
            clock: Where the time comes from, or None to show no clock (log-in screen).
            long_labels: "SKRIVER" instead of "SKR" (the log-in screen has room).
            id: The widget id.
        """
        super().__init__(id=id)
        self._t = translator
        self._clock = clock
        self._size_key = "long" if long_labels else "short"
        self._left = ""
        self._lights: Mapping[Light, LightState] = all_lights()
        self._printer_queue = 0
        self._training = False

    def on_mount(self) -> None:
        """Tick the clock."""
        if self._clock is not None:
            self.set_interval(5, self.refresh)

    def show(
        self,
        left: str,
        lights: Mapping[Light, LightState],
        *,
        printer_queue: int = 0,
        training: bool = False,
    ) -> None:
        """New left text, light states, reprint-queue count and training mode."""
        state = (left, dict(lights), printer_queue, training)
        if state == (self._left, dict(self._lights), self._printer_queue, self._training):
            return
        self._left = left
        self._lights = lights
        self._printer_queue = printer_queue
        self._training = training
        self.refresh()

    def lights_text(self) -> Text:
        """``SKR● SKUFF● KORT● SKAN● DB●`` with each dot in its colour, after a red
        ``TRENING`` in training mode."""
        text = Text()
        if self._training:
            text.append(self._t.text("header.training"), style="bold white on red")
            text.append(" ")
        for index, light in enumerate(Light):
            if index:
                text.append(" ")
            text.append(self._t.text(f"light.{light.value}.{self._size_key}"))
            state = self._lights.get(light, LightState.OFF)
            text.append("●", style=LIGHT_COLOURS[state])
            if light is Light.PRINTER and self._printer_queue:
                text.append(str(self._printer_queue), style=LIGHT_COLOURS[LightState.FAULT])
        return text

    def render(self) -> Text:
        """The whole line at the widget's width."""
        width = self.size.width
        right = self.lights_text()
        if self._clock is not None:
            right.append("   " + local(self._clock()).strftime("%H:%M"))
        right.append(" ")
        room = max(0, width - right.cell_len - 1)
        left = self._left if cell_len(self._left) <= room else self._left[: max(0, room - 1)] + "…"
        line = Text(left)
        line.pad_right(max(1, width - cell_len(left) - right.cell_len))
        line.append_text(right)
        return line
