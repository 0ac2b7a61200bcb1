"""Manager override in place (TILL-UX B4, rule 8): a modal that names the action and takes
a manager's number and PIN (or a manager card scan and the PIN). It approves exactly the one
action it was opened for: it hands the manager's number back, and the opener repeats that
action once with ``approved_by``; the service journals both ids. The cashier stays logged
in; Esc cancels; wrong PINs count and lock like a log-in (the staff service journals them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rich.console import RenderableType
from rich.table import Table
from textual import work
from textual.app import App

from omnipos_tui.core.errors import (
    ApprovalRequired,
    AuthenticationError,
    EmployeeLocked,
    PermissionDenied,
    PosError,
)
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen
from omnipos_tui.ui.session import TillSession

T = TypeVar("T")

log = logging.getLogger(__name__)

MAX_FIELD = 14


class OverrideScreen(DialogScreen[str | None]):
    """ "Krever godkjenning: <action>": manager number + PIN; dismisses with the manager's
    number, or None when cancelled."""

    scan_policy = ScanPolicy.ACCEPT  # a manager card fills the number

    def __init__(self, session: TillSession, action: str) -> None:
        """Ask for approval of ``action`` (in words the cashier understands)."""
        super().__init__(session, session.translator.text("override.title", action=action))
        self.action = action
        self.number = ""
        self.pin = ""
        self.on_pin = False
        self.checking = False

    def body(self) -> RenderableType:
        """The two fields."""
        table = Table.grid(padding=(0, 2))
        table.add_row("", "")
        table.add_row(self.t("override.action"), self.action)
        table.add_row("", "")
        number = self.number + ("" if self.on_pin else "_")
        table.add_row(self.t("login.number"), f"[{number:<{MAX_FIELD}}]")
        pin = "*" * len(self.pin) + ("_" if self.on_pin else "")
        table.add_row(self.t("login.pin"), f"[{pin:<{MAX_FIELD}}]")
        return table

    def hint(self) -> str:
        """Enter moves on and approves; Esc clears, then cancels."""
        return self.t("override.hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """Digits go into the current field."""
        if self.checking or not character.isdigit():
            return
        if self.on_pin:
            self.pin = (self.pin + character)[:MAX_FIELD]
        else:
            self.number = (self.number + character)[:MAX_FIELD]
        self.redraw()

    def scan_arrived(self, scan: Scan) -> None:
        """A manager card: its code is the number; the PIN is asked next."""
        if self.checking:
            return
        self.number, self.pin, self.on_pin = scan.code.strip(), "", True
        self.clear_message()
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter, Esc and Backspace work the two fields."""
        if self.checking:
            return
        if command is Command.ESCAPE:
            self._escape()
        elif command is Command.BACKSPACE:
            if self.on_pin and self.pin:
                self.pin = self.pin[:-1]
            elif self.on_pin:
                self.on_pin = False
            else:
                self.number = self.number[:-1]
        elif command is Command.ENTER:
            self._enter()
        self.redraw()

    def _escape(self) -> None:
        if self.pin:
            self.pin = ""
        elif self.on_pin or self.number:
            self.number, self.on_pin = "", False
        else:
            self.dismiss(None)

    def _enter(self) -> None:
        if not self.number:
            self.say(self.t("login.need_number"))
        elif not self.on_pin:
            self.on_pin = True
        elif not self.pin:
            self.say(self.t("login.need_pin"))
        else:
            self.checking = True
            self.say(self.t("login.checking"), ok=True)
            self._approve(self.number, self.pin)

    @work(exclusive=True, group="override")
    async def _approve(self, number: str, pin: str) -> None:
        session = self.session
        register, cashier, action = session.services.register, session.employee_number, self.action

        def approve() -> Employee:
            return register.approve(
                session.register_id, number, pin, employee=cashier, action=action
            )

        try:
            manager = await session.run_blocking(approve)
        except EmployeeLocked as error:
            self._failed(self.t("login.locked", minutes=max(1, -(-error.seconds_left // 60))))
            return
        except PermissionDenied:
            self._failed(self.t("override.not_manager", number=number))
            return
        except AuthenticationError:
            self._failed(self.t("override.failed"))
            return
        except PosError as error:
            self._failed(error_text(error, self.session.translator))
            return
        self.dismiss(manager.number)

    def _failed(self, text: str) -> None:
        # The staff service counts the wrong PIN (and locks after five); the log keeps who
        # tried to approve what.
        log.warning("approval of %r refused for employee %s: %s", self.action, self.number, text)
        self.checking = False
        self.pin = ""
        self.say(text)
        self.redraw()


def with_approval(
    app: App[Any],
    session: TillSession,
    attempt: Callable[[str | None], T],
    *,
    done: Callable[[T], None],
    fail: Callable[[str], None],
) -> None:
    """Try ``attempt(None)``; if the service asks for a manager, open the override and try
    once more with the approving manager's number.

    Args:
        app: The till (to open the override modal).
        session: The till session.
        attempt: Carries out the action; called with ``approved_by``.
        done: Gets the result when the action went through.
        fail: Gets the message when it was refused or the override was cancelled.
    """
    try:
        result = attempt(None)
    except ApprovalRequired as needed:

        def approved(manager: str | None) -> None:
            if manager is None:
                fail(session.translator.text("override.cancelled"))
                return
            try:
                again = attempt(manager)
            except PosError as error:
                fail(error_text(error, session.translator))
                return
            done(again)

        app.push_screen(
            OverrideScreen(session, session.translator.message(needed.action)), approved
        )
        return
    except PosError as error:
        fail(error_text(error, session.translator))
        return
    done(result)
