"""The base of every till screen: keys arrive through the app's router, not Textual bindings.

Textual would deliver a key to the focused widget; the till has no focusable widgets and
takes every key at the screen, hands it to the app (which separates wedge scans from typing
and measures latency), and gets it back as :meth:`TillScreen.key_pressed` or
:meth:`TillScreen.scan_arrived`. Subclasses override ``command_pressed``,
``character_typed`` and ``scan_arrived``; they must not define ``on_key`` or
``on_screen_resume`` again (Textual calls every handler in the class hierarchy, so a second
one would run twice).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, ClassVar, Generic, cast

from textual import events
from textual.screen import Screen
from typing_extensions import TypeVar

from omnipos_tui.core.ports import Scan
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.keymap import key_of_event

if TYPE_CHECKING:
    from omnipos_tui.ui.app import OmniposTill


class ScanPolicy(enum.Enum):
    """What happens to a scan while a screen is on top (TILL-UX §2.1)."""

    ACCEPT = "accept"
    """The screen takes it (sale, log-in, and dialogs that ask for a barcode)."""
    QUEUE = "queue"
    """It waits, visibly, until a screen that accepts scans is on top again (help, menus)."""
    REFUSE = "refuse"
    """It is refused with a tone and "Fullfør dialogen først" (confirmation dialogs)."""


#: What a screen hands back through ``dismiss(...)``; most till screens return nothing.
ResultT = TypeVar("ResultT", default=None)


class TillScreen(Screen[ResultT], Generic[ResultT], inherit_bindings=False):
    """A full-screen till page driven by the key map.

    A dialog that returns a value names its type (``TillScreen[Product | None]``) and
    hands it back with ``dismiss(value)``; a bare ``TillScreen`` returns None.
    """

    scan_policy: ClassVar[ScanPolicy] = ScanPolicy.ACCEPT

    @property
    def accepts_scans(self) -> bool:
        """Whether a scan goes to this screen now."""
        return self.scan_policy is ScanPolicy.ACCEPT

    @property
    def till(self) -> OmniposTill:
        """The running till app."""
        return cast("OmniposTill", self.app)

    def on_key(self, event: events.Key) -> None:
        """Every key goes to the app's router first."""
        event.stop()
        event.prevent_default()
        self.till.route_key(event.key, event.character, event.time)

    def on_screen_resume(self) -> None:
        """Coming back on top: apply scans that were queued while a dialog was open."""
        if self.accepts_scans:
            self.till.drain_scans()

    def key_pressed(self, key: str, character: str | None) -> None:
        """A typed key: a bound command, or a printable character."""
        name = key_of_event(key, character)
        command = self.till.keymap.command_for(name)
        if command is not None:
            self.command_pressed(command)
        elif character is not None and len(character) == 1 and character.isprintable():
            self.character_typed(character)

    def command_pressed(self, command: Command) -> None:
        """A key bound to a command was pressed."""

    def character_typed(self, character: str) -> None:
        """A printable key that is not bound to a command (digits, letters)."""

    def scan_arrived(self, scan: Scan) -> None:
        """A whole scan arrived for this screen."""

    def scan_notice(self, text: str) -> None:
        """A scan was queued or refused while this screen is on top: show ``text``."""
