"""The till app and :func:`build_app`, the one factory the entry point and the tests use.

The app only composes screens and routes input: keys (through the wedge detector when a
keyboard-wedge scanner is configured) and scans go to the screen on top; a scan arriving
while a dialog that does not want barcodes is open waits in a visible queue and is applied
when the dialog closes (TILL-UX §2.1). Every scan and Enter is timed to the next refresh.

The till is left only from the lock screen: its menu key asks "Avslutte kassen?" and ``1``
quits (Ctrl+Q and Ctrl+C do nothing).
"""

from __future__ import annotations

import importlib
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import App
from textual.binding import BindingType
from textual.timer import Timer

from omnipos_tui import startup
from omnipos_tui.core.clock import SystemClock
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import Translator, error_text
from omnipos_tui.ui.keymap import Keymap, key_of_event, keymap_files, load_keymap
from omnipos_tui.ui.latency import LatencyProbe
from omnipos_tui.ui.screens.base import ScanPolicy, TillScreen
from omnipos_tui.ui.screens.lock import LockRequested
from omnipos_tui.ui.screens.login import Authenticate, EmployeeLoggedIn, LoginScreen
from omnipos_tui.ui.views import HeaderView, Locked, LoginInfo
from omnipos_tui.ui.wedge import TypedKey, WedgeDetector, WedgeOutput

if TYPE_CHECKING:
    from omnipos_tui.ui.screens.sale import DialogOpener, SaleController, SaleScreen

#: The screens the till shows after the log-in screen: imported once the log-in screen is
#: up, one a loop turn, before the device channels start (:meth:`OmniposTill._load_screens`),
#: so start-up does not wait for them; the first use imports whatever is not loaded yet.
#: Not in a thread: imports in two threads at once (the device worker imports the drivers)
#: can deadlock on Python's module locks and leave a half-imported module.
LATER_SCREENS = (
    "omnipos_tui.ui.screens.sale",
    "omnipos_tui.ui.screens.dialogs",
    "omnipos_tui.ui.screens.help",
    "omnipos_tui.ui.screens.quit",
)

#: More scans than this waiting behind a dialog sound the error tone (they stay queued).
SCAN_QUEUE_LIMIT = 20
#: Held wedge keys are released as typing only after the app itself has routed no key for
#: this long. Key times are stamped when the keys arrive; a loop that is behind (a burst
#: arrived while it rang up a scan) must not take its own delay for a pause in the scan.
WEDGE_QUIET_S = 0.1


class OmniposTill(App[None], inherit_bindings=False):
    """The till. Build it with :func:`build_app`.

    Attributes:
        keymap: The key table every screen uses.
        translator: The till's language.
        latency: Scan/Enter-to-screen samples.
        employee: Who is logged in, or None.
    """

    TITLE = "OmniPOS"
    ENABLE_COMMAND_PALETTE = False
    # No Ctrl+Q / Ctrl+C: a cashier must not be able to drop the till to a shell by accident.
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(
        self,
        *,
        keymap: Keymap,
        translator: Translator,
        clock: Callable[[], datetime],
        authenticate: Authenticate,
        login_info: Callable[[], LoginInfo],
        sale: SaleController,
        wedge: WedgeDetector | None,
        dialogs: DialogOpener | None = None,
        on_start: Callable[[OmniposTill], None] | None = None,
        on_sale_screen: Callable[[SaleScreen], None] | None = None,
    ) -> None:
        """Use :func:`build_app`."""
        super().__init__()
        self.keymap = keymap
        self.translator = translator
        self.latency = LatencyProbe()
        self.employee: Employee | None = None
        #: Whether the first log-in moves everything alive into the collector's permanent
        #: generation (``startup.freeze_heap``). Set by ``omnipos till``; off for tests,
        #: which build many apps in one process.
        self.freeze_heap_at_log_in = False
        #: Whether the garbage collector, paused while the till started, is turned back on
        #: once the log-in screen is drawn. Set by ``omnipos till``.
        self.collector_paused_until_shown = False
        self._heap_frozen = False
        self._screens_loaded = False
        self._clock = clock
        self._authenticate = authenticate
        self._login_info = login_info
        self._sale = sale
        self._wedge = wedge
        self._dialogs = dialogs
        self._on_start = on_start
        self._on_sale_screen = on_sale_screen
        self._wedge_timer: Timer | None = None
        self._last_routed = 0.0
        self._scan_queue: deque[Scan] = deque()

    def on_mount(self) -> None:
        """Start at the log-in screen (and the device channels, when there are any)."""
        self.push_screen(self._login_screen())
        # After the first refresh: loading the other screens and building the devices (and
        # importing their drivers) must not delay the log-in screen.
        self.call_after_refresh(self._log_in_screen_shown)

    def _log_in_screen_shown(self) -> None:
        if self.collector_paused_until_shown:
            startup.resume_collector()
        self._load_screens(LATER_SCREENS)

    def _load_screens(self, names: tuple[str, ...]) -> None:
        """Import the next of the later screens, then (all in) start the device channels."""
        if names:
            _import(names[0])
            self.call_later(self._load_screens, names[1:])
            return
        self._screens_loaded = True
        if self._on_start is not None:
            self._on_start(self)

    def _login_screen(self, locked: Locked | None = None) -> LoginScreen:
        return LoginScreen(
            self._login_info(), self._authenticate, self.keymap, self.translator, locked=locked
        )

    # --- screens ----------------------------------------------------------------------

    @on(EmployeeLoggedIn)
    def _logged_in(self, message: EmployeeLoggedIn) -> None:
        try:
            view = self._sale.start(message.employee)
        except PosError as error:
            if isinstance(self.screen, LoginScreen):
                self.screen.show_error(error_text(error, self.translator))
            return
        from omnipos_tui.ui.screens.sale import SaleScreen

        self.employee = message.employee
        screen = SaleScreen(
            view, self._sale, self.keymap, self.translator, clock=self._clock, dialogs=self._dialogs
        )
        self.switch_screen(screen)
        if self._on_sale_screen is not None:
            self.call_after_refresh(self._on_sale_screen, screen)
        if self.freeze_heap_at_log_in and not self._heap_frozen:
            self.call_after_refresh(self._freeze_heap)

    def _freeze_heap(self) -> None:
        """Once, after the first log-in is on screen and the later screens are loaded
        (``startup.freeze_heap`` says why)."""
        if not self._screens_loaded:
            self.set_timer(0.05, self._freeze_heap)  # the screens still loading go in too
            return
        self._heap_frozen = True
        startup.freeze_heap()

    @on(LockRequested)
    def _locked(self, message: LockRequested) -> None:
        employee = self.employee
        self.employee = None
        locked = None
        if employee is not None and not message.logged_out:
            cashier = f"{employee.first_name} ({employee.number})"
            locked = Locked(employee.number, cashier, self._clock())
        self.switch_screen(self._login_screen(locked))

    @property
    def sale_screen(self) -> SaleScreen | None:
        """The sale screen when it is in the stack (under a dialog, maybe), else None."""
        from omnipos_tui.ui.screens.sale import SaleScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, SaleScreen):
                return screen
        return None

    def show_status(self, header: HeaderView, warning: str) -> None:
        """New device readings: the sale screen's header lights and warning row."""
        screen = self.sale_screen
        if screen is not None and screen.is_mounted:
            screen.show_status(header, warning)

    def ask_to_quit(self) -> None:
        """The lock screen's menu key: "Avslutte kassen?"; ``1`` ends the program."""

        from omnipos_tui.ui.screens.quit import QuitScreen

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        self.push_screen(QuitScreen(), answered)

    def show_help(self, *, note: str = "") -> None:
        """Open the F1 key list over the current screen."""
        from omnipos_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.keymap, self.translator, note=note))

    # --- input ------------------------------------------------------------------------

    @property
    def queued_scans(self) -> int:
        """Scans waiting for a dialog to close."""
        return len(self._scan_queue)

    def route_key(self, key: str, character: str | None, at: float) -> None:
        """A key from the terminal (``at`` is its monotonic time)."""
        if self._wedge is None:
            self._deliver(TypedKey(key, character, at))
            return
        for output in self._wedge.key(key, character, at):
            self._deliver(output)
        self._last_routed = time.monotonic()
        self._arm_wedge_timer()

    def deliver_scan(self, scan: Scan) -> None:
        """A scan from the scanner port (evdev or serial), never through the keyboard."""
        self._deliver(scan)

    def drain_scans(self) -> None:
        """Apply queued scans while the screen on top takes scans."""
        while self._scan_queue:
            screen = self.screen
            if not isinstance(screen, TillScreen) or not screen.accepts_scans:
                return
            self._deliver(self._scan_queue.popleft())

    def _deliver(self, output: WedgeOutput) -> None:
        screen = self.screen
        if not isinstance(screen, TillScreen):
            return
        if isinstance(output, Scan):
            if screen.scan_policy is ScanPolicy.REFUSE:
                self.bell()
                screen.scan_notice(self.translator.text("scan.finish_dialog"))
                return
            if screen.scan_policy is ScanPolicy.QUEUE:
                self._scan_queue.append(output)
                notice = self.translator.text("scan.queued", count=len(self._scan_queue))
                if len(self._scan_queue) > SCAN_QUEUE_LIMIT:
                    self.bell()
                    notice += " – " + self.translator.text("scan.queue_full")
                screen.scan_notice(notice)
                return
            screen.scan_arrived(output)
            self.call_after_refresh(self.latency.record, output.at)
            return
        if isinstance(screen, LoginScreen) and (
            self.keymap.command_for(key_of_event(output.key, output.character)) is Command.MENU
        ):
            self.ask_to_quit()
            return
        screen.key_pressed(output.key, output.character)
        if output.key == "enter":
            self.call_after_refresh(self.latency.record, output.at)

    def _arm_wedge_timer(self) -> None:
        if self._wedge_timer is not None:
            self._wedge_timer.stop()
            self._wedge_timer = None
        deadline = self._wedge.deadline() if self._wedge is not None else None
        if deadline is not None:
            now = time.monotonic()
            delay = max(deadline - now, self._last_routed + WEDGE_QUIET_S - now, 0.0)
            self._wedge_timer = self.set_timer(delay, self._wedge_timeout)

    def _wedge_timeout(self) -> None:
        self._wedge_timer = None
        if self._wedge is None:
            return
        now = time.monotonic()
        if now - self._last_routed < WEDGE_QUIET_S:
            self._arm_wedge_timer()
            return
        for output in self._wedge.flush(now):
            self._deliver(output)
        self._arm_wedge_timer()


def _import(name: str) -> None:
    importlib.import_module(name)


def build_app(
    *,
    authenticate: Authenticate,
    login_info: Callable[[], LoginInfo],
    sale: SaleController,
    language: str = "nb",
    keymap: Keymap | None = None,
    clock: Callable[[], datetime] | None = None,
    wedge: WedgeDetector | None = None,
    dialogs: DialogOpener | None = None,
    on_start: Callable[[OmniposTill], None] | None = None,
    on_sale_screen: Callable[[SaleScreen], None] | None = None,
) -> OmniposTill:
    """Compose the till.

    Args:
        authenticate: ``authenticate(number, pin) -> Employee`` (the staff service).
        login_info: What the log-in screen shows, read each time it opens.
        sale: The sale controller (the sale services).
        language: ``"nb"`` (default) or ``"en"``.
        keymap: The key table; the shipped default when None.
        clock: Where the header clock reads the time (aware UTC); the system clock if None.
        wedge: A detector when the scanner is a keyboard wedge; None when scans come from
            the scanner port only.
        dialogs: The sale screen's dialog hook (search, price check, card, ...).
        on_start: Called once the app runs (starts the scanner channel and device readings).
        on_sale_screen: Called with each new sale screen after log-in (resumes a card
            payment left pending by a crash).

    Raises:
        ConfigError: The language is unknown or the default key map is broken.
    """
    keys = keymap if keymap is not None else load_keymap(*keymap_files("default"))
    return OmniposTill(
        keymap=keys,
        translator=Translator(language, keys),
        clock=clock if clock is not None else SystemClock().now,
        authenticate=authenticate,
        login_info=login_info,
        sale=sale,
        wedge=wedge,
        dialogs=dialogs,
        on_start=on_start,
        on_sale_screen=on_sale_screen,
    )
