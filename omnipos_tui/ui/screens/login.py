"""The log-in (lock) screen: employee number and PIN, or an employee card scan (TILL-UX B3).

After a lock (Ctrl+L, F12 lock) it is the *lock* screen: a banner says who locked the till,
when, and that the sale waits; the number field holds the locker's number and the PIN field
is active, so the cashier types the PIN and goes on (Esc lets someone else log in). After a
log-out it is the plain log-in screen.

The fields are drawn by the screen itself (no ``Input`` widgets), so a scan can never be
typed into them. Checking the PIN (scrypt, a database read) runs in a worker thread; the
screen calls the ``authenticate`` function it was given and shows its refusals inline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from omnipos_tui.core.clock import local
from omnipos_tui.core.errors import AuthenticationError, EmployeeLocked, PosError
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import Translator, error_text
from omnipos_tui.ui.keymap import Keymap
from omnipos_tui.ui.screens.base import TillScreen
from omnipos_tui.ui.views import Locked, LoginInfo
from omnipos_tui.ui.widgets import StatusHeader

log = logging.getLogger(__name__)

NUMBER_LENGTH = 10
PIN_LENGTH = 8
#: A scanned employee card may carry a longer code than a typed number.
CARD_LENGTH = 20

Authenticate = Callable[[str, str], Employee]
"""``authenticate(number, pin) -> Employee``; raises ``AuthenticationError`` (wrong number or
PIN), ``EmployeeLocked`` (too many wrong PINs) or another ``PosError``."""


class EmployeeLoggedIn(Message):
    """An employee's number and PIN were accepted."""

    def __init__(self, employee: Employee) -> None:
        super().__init__()
        self.employee = employee


class LoginScreen(TillScreen):
    """Employee number, masked PIN, inline errors and the till's state."""

    DEFAULT_CSS = """
    LoginScreen { layout: vertical; }
    LoginScreen #login-body { height: 1fr; align: center middle; }
    LoginScreen Center { height: auto; }
    LoginScreen #login-fields { width: auto; height: 2; }
    LoginScreen #login-error { width: auto; height: 2; color: red; text-style: bold; }
    LoginScreen #login-info { width: auto; height: 2; }
    LoginScreen #login-warning { width: auto; height: auto; background: yellow; color: black; }
    LoginScreen #login-gap { width: 1; height: 1; }
    LoginScreen #login-locked {
        width: auto; height: 1; background: $warning; color: $text; text-style: bold;
    }
    LoginScreen #login-hint { height: 1; background: $panel; }
    """

    def __init__(
        self,
        info: LoginInfo,
        authenticate: Authenticate,
        keymap: Keymap,
        translator: Translator,
        *,
        locked: Locked | None = None,
    ) -> None:
        """Set up an empty form (or the lock screen of ``locked``).

        Args:
            info: Register, shop, counts and days to show.
            authenticate: Checks a number and PIN (called in a worker thread).
            keymap: To name Enter and Esc in the hint.
            translator: Texts in the till's language.
            locked: Who locked the till, or None for the plain log-in screen.
        """
        super().__init__()
        self._info = info
        self._authenticate = authenticate
        self._keymap = keymap
        self._t = translator
        self.locked = locked
        self.number = locked.number if locked is not None else ""
        self.pin = ""
        self.on_pin = locked is not None
        self.error = ""
        self.checking = False

    # --- drawing --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, the fields, the error line, the till's state and the hint."""
        yield StatusHeader(self._t, long_labels=True, id="login-header")
        with Vertical(id="login-body"):
            if self.locked is not None:
                with Center():
                    yield Static(Text(f" {self.banner_text()} "), id="login-locked")
                with Center():
                    yield Static("", id="login-gap")
            with Center():
                yield Static(id="login-fields")
            with Center():
                yield Static(id="login-error")
            with Center():
                yield Static(self._info_text(), id="login-info")
            if self._info.warning:
                with Center():
                    yield Static(f" {self._info.warning} ", id="login-warning")
        yield Static(self.hint_text(), id="login-hint")

    def banner_text(self) -> str:
        """The lock screen's banner: who locked the till, when, and that the sale waits."""
        locked = self.locked
        if locked is None:
            return ""
        at = local(locked.at).strftime("%H:%M")
        return self._t.text("lock.banner", cashier=locked.cashier, at=at)

    def hint_text(self) -> str:
        """The bottom row: how to log in, or (locked) how to unlock."""
        enter = self._keymap.key_text(Command.ENTER)
        esc = self._keymap.key_text(Command.ESCAPE)
        if self.locked is not None:
            return self._t.text("lock.hint", cashier=self.locked.cashier, enter=enter, esc=esc)
        return self._t.text("login.hint", enter=enter, esc=esc)

    def on_mount(self) -> None:
        """Fill the header and the fields."""
        left = f"OmniPOS · {self._t.text('header.register', register=self._info.register)}"
        if self.locked is not None:
            left += " · " + self._t.text("lock.header")
        header = self.query_one(StatusHeader)
        if self._info.shop:
            left += f" · {self._info.shop}"
        header.show(left, self._info.lights)
        self._redraw()

    def _info_text(self) -> str:
        t = self._t.text
        info = self._info
        last_z = (
            t("login.last_z", when=local(info.last_z).strftime("%d.%m.%Y %H:%M"))
            if info.last_z is not None
            else t("login.no_z")
        )
        first = f"{t('login.parked', count=info.parked)}     "
        first += t("login.unprinted", count=info.unprinted)
        second = f"{t('login.day', day=info.business_day.strftime('%d.%m.%Y'))}   {last_z}"
        return f"{first}\n{second.ljust(len(first))}"

    def _redraw(self) -> None:
        t = self._t.text
        number_label, pin_label = t("login.number"), t("login.pin")
        width = max(len(number_label), len(pin_label)) + 2
        fields = Text()
        for index, (label, value, active) in enumerate(
            (
                (number_label, self.number, not self.on_pin),
                (pin_label, "*" * len(self.pin), self.on_pin),
            )
        ):
            if index:
                fields.append("\n")
            fields.append(label.ljust(width))
            fields.append("[")
            shown = (value + ("_" if active and not self.checking else "")).ljust(NUMBER_LENGTH)
            fields.append(shown, style="reverse" if active else "")
            fields.append("]")
        self.query_one("#login-fields", Static).update(fields)
        error = t("login.checking") if self.checking else self.error
        self.query_one("#login-error", Static).update(Text(error))

    def show_error(self, text: str) -> None:
        """Show a refusal under the fields (and clear the PIN)."""
        self.error, self.pin, self.checking = text, "", False
        self.app.bell()
        self._redraw()

    # --- input ----------------------------------------------------------------------

    def character_typed(self, character: str) -> None:
        """Digits go into the active field; anything else is refused with a tone."""
        if self.checking:
            return
        if not character.isdigit():
            self.app.bell()
            return
        if self.on_pin:
            if len(self.pin) < PIN_LENGTH:
                self.pin += character
        elif len(self.number) < NUMBER_LENGTH:
            self.number += character
        self.error = ""
        self._redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter = next field or log in, Esc = clear, Backspace, arrows switch field, F1."""
        if command is Command.HELP:
            self.till.show_help()
            return
        if self.checking:
            return
        if command is Command.ENTER:
            self._enter()
        elif command is Command.ESCAPE:
            self.number, self.pin, self.on_pin, self.error = "", "", False, ""
        elif command is Command.BACKSPACE:
            if self.on_pin:
                self.pin = self.pin[:-1]
            else:
                self.number = self.number[:-1]
        elif command in (Command.UP, Command.DOWN):
            self.on_pin = command is Command.DOWN
        self._redraw()

    def scan_arrived(self, scan: Scan) -> None:
        """An employee card fills the number; the PIN comes next."""
        if self.checking:
            return
        self.number = scan.code[:CARD_LENGTH]
        self.pin, self.on_pin, self.error = "", True, ""
        self._redraw()

    def _enter(self) -> None:
        if not self.on_pin:
            if not self.number:
                self.error = self._t.text("login.need_number")
            else:
                self.on_pin, self.error = True, ""
            return
        if not self.number:
            self.on_pin, self.error = False, self._t.text("login.need_number")
        elif not self.pin:
            self.error = self._t.text("login.need_pin")
        else:
            self.checking, self.error = True, ""
            self.run_worker(
                partial(self._authenticate, self.number, self.pin),
                name="login",
                thread=True,
                exit_on_error=False,
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The PIN check finished: go on to the sale, or say why not."""
        worker = event.worker
        if worker.name != "login" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.checking = False
        if event.state is WorkerState.SUCCESS:
            employee = worker.result
            assert isinstance(employee, Employee)
            self.pin = ""
            self.post_message(EmployeeLoggedIn(employee))
            return
        error = worker.error
        if isinstance(error, EmployeeLocked):
            minutes = max(1, -(-error.seconds_left // 60))
            self.error = self._t.text("login.locked", minutes=minutes)
        elif isinstance(error, AuthenticationError):
            self.error = self._t.text("login.failed")
        elif isinstance(error, PosError):
            self.error = self._t.text("login.error", reason=error_text(error, self._t))
        else:
            log.error("log-in check failed unexpectedly", exc_info=error)
            self.error = self._t.text("login.error", reason=type(error).__name__)
        self.pin = ""
        self.app.bell()
        self._redraw()
