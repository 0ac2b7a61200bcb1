"""The sale screen at 80x24 (TILL-UX B3), drawn from a :class:`SaleView`.

The screen owns only what is the screen's: the entry line and the selected line. Every
action the entry line produces goes to a :class:`SaleController` (the sale services), which
answers with the next :class:`SaleView`. A ``PosError`` from the controller shows on the
last-event line with a tone; nothing is half-done on screen.

Actions that open a dialog (search, price check, return, park, recall, discount, open ring,
no-sale, menu, card and other tenders) are first offered to the :class:`DialogOpener` hook;
what it does not take goes to the controller. While paying, the payment panel replaces the
sale lines (rows 2-15).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from textual.app import ComposeResult
from textual.timer import Timer

from omnipos_tui.core.errors import PosError
from omnipos_tui.core.ports import Scan
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.ui.actions import (
    Action,
    Discount,
    EnterCode,
    Ignored,
    Move,
    MoveSelection,
    OpenRing,
    PriceCheck,
    Rejected,
    ReturnReceipt,
    Search,
    Simple,
    StockInfo,
    Tender,
    TenderKind,
)
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.entry import EntryState
from omnipos_tui.ui.i18n import Translator, error_text
from omnipos_tui.ui.keymap import Keymap
from omnipos_tui.ui.screens.base import TillScreen
from omnipos_tui.ui.screens.lock import LockRequested
from omnipos_tui.ui.screens.payment import PaymentPanel
from omnipos_tui.ui.screens.returns import is_receipt_code
from omnipos_tui.ui.views import HeaderView, LastEvent, SaleView
from omnipos_tui.ui.widgets import (
    EntryLine,
    KeyFooter,
    LastEventLine,
    SaleList,
    StatusHeader,
    TotalsBar,
    WarningBar,
)

log = logging.getLogger(__name__)

__all__ = ["DialogOpener", "LockRequested", "SaleController", "SaleScreen", "dialog_command"]

#: After this long without a move, the selection goes back to "the last line".
SELECTION_TIMEOUT_S = 30.0


class SaleController(Protocol):
    """What the sale screen asks of the sale services (implemented in phase 2)."""

    def start(self, employee: Employee) -> SaleView:
        """The view right after log-in: the employee's open sale restored, or an empty one.

        Raises:
            PosError: The sale cannot be opened (the database is unreachable).
        """
        ...

    def handle(self, action: Action, selected: int | None) -> SaleView | None:
        """Carry out one action from the entry line.

        Args:
            action: What the cashier asked for (never ``Ignored``, ``Rejected`` or a move).
            selected: Index of the selected row, or None (then the last line is meant).

        Returns:
            The view to show next, or None when nothing on screen changes.

        Raises:
            PosError: The action was refused or failed; the message is shown to the cashier.
        """
        ...


class DialogOpener(Protocol):
    """Opens the dialog for a command; the app binds it to the till session
    (``ui/screens/dialogs.py``: ``open_dialog(command, session, screen, action)``)."""

    def __call__(self, command: Command, screen: SaleScreen, action: Action) -> bool:
        """Open the dialog for ``command`` over ``screen``.

        Returns:
            True when a dialog took the action; False leaves it to the controller.
        """
        ...


#: Commands the sale controller carries out itself: the rest go to the dialog hook first.
_TENDER_COMMANDS = {
    TenderKind.CASH: Command.CASH,
    TenderKind.CARD: Command.CARD,
    TenderKind.OTHER: Command.OTHER_TENDER,
}


def dialog_command(action: Action) -> Command | None:
    """The command whose dialog would handle ``action``, or None for the controller's own
    actions (selling, quantities, void, cash, the pay key, Esc). A receipt's barcode
    scanned during a sale offers a return of that receipt (TILL-UX §2.11)."""
    if isinstance(action, EnterCode):
        return Command.RETURN if action.scanned and is_receipt_code(action.code) else None
    if isinstance(action, Search):
        return Command.SEARCH
    if isinstance(action, StockInfo):
        return Command.STOCK_INFO
    if isinstance(action, PriceCheck):
        return Command.PRICE_CHECK
    if isinstance(action, ReturnReceipt):
        return Command.RETURN
    if isinstance(action, OpenRing):
        return Command.OPEN_RING
    if isinstance(action, Discount):
        return Command.DISCOUNT
    if isinstance(action, Tender):
        command = _TENDER_COMMANDS[action.kind]
        return None if command is Command.CASH else command
    if isinstance(action, Simple) and action.command not in (Command.PAY, Command.VOID):
        return action.command
    return None


class SaleScreen(TillScreen):
    """Header, sale lines, totals, last event, entry line, warnings and the key footer."""

    DEFAULT_CSS = """
    SaleScreen { layout: vertical; }
    """

    def __init__(
        self,
        view: SaleView,
        controller: SaleController,
        keymap: Keymap,
        translator: Translator,
        *,
        clock: Callable[[], datetime] | None = None,
        dialogs: DialogOpener | None = None,
    ) -> None:
        """Show a sale.

        Args:
            view: The first view (an empty or restored sale).
            controller: Carries out the cashier's actions.
            keymap: The key table (footer, key names in messages).
            translator: Texts in the till's language.
            clock: Where the header clock reads the time (aware UTC), or None for no clock.
            dialogs: Opens dialogs for the commands the controller does not carry out
                itself; None sends every action to the controller.
        """
        super().__init__()
        self._view = view
        self._controller = controller
        self._dialogs = dialogs
        self._keymap = keymap
        self._t = translator
        # Made here rather than queried on each key: a DOM query per widget per scan would
        # eat into the 16 ms scan-to-screen budget.
        self._header = StatusHeader(translator, clock=clock, id="sale-header")
        self._list = SaleList(translator, id="sale-list")
        self._payment = PaymentPanel(translator, keymap, id="sale-payment")
        self._totals = TotalsBar(translator, id="sale-totals")
        self._last_event = LastEventLine(id="sale-last-event")
        self._entry_line = EntryLine(id="sale-entry")
        self._warning = WarningBar(translator, id="sale-warning")
        self.entry = EntryState(translator, keymap)
        self._selected = view.selected
        self._selection_timer: Timer | None = None

    @property
    def view(self) -> SaleView:
        """The view on screen."""
        return self._view

    @property
    def selected(self) -> int | None:
        """Index of the selected row, or None for "the last line"."""
        return self._selected

    def compose(self) -> ComposeResult:
        """The rows of TILL-UX B3, top to bottom."""
        yield self._header
        yield self._list
        yield self._payment
        yield self._totals
        yield self._last_event
        yield self._entry_line
        yield self._warning
        yield KeyFooter(self._keymap, self._t.language, id="sale-footer")

    def on_mount(self) -> None:
        """Draw the first view."""
        self.show(self._view)

    def show(self, view: SaleView) -> None:
        """Draw a new view (only the parts that changed are redrawn)."""
        self._view = view
        self._selected = view.selected
        self._show_header(view.header, training=view.training)
        paying = view.payment is not None
        if paying != self._payment.display:
            self._payment.display = paying
            self._list.display = not paying
        if view.payment is not None:
            self._payment.show(view.payment, training=view.training)
        else:
            self._list.show(view.rows, self._selected, training=view.training)
        self._totals.show(view.totals)
        self._last_event.show(view.last_event)
        self._warning.show(view.warning, training=view.training)
        self._show_entry()

    def show_status(self, header: HeaderView, warning: str) -> None:
        """New header lights and warning row (device readings), leaving the rest alone."""
        self._view = replace(self._view, header=header, warning=warning)
        self._show_header(header, training=self._view.training)
        self._warning.show(warning, training=self._view.training)

    def _show_header(self, header: HeaderView, *, training: bool) -> None:
        left = self._t.text("header.register", register=header.register)
        if header.cashier:
            left += f" · {header.cashier}"
        if header.receipt_no:
            left += " · " + self._t.text("header.receipt", number=header.receipt_no)
        if header.shop:
            # Last, so a narrow header crops the shop's name before the sale's own facts.
            left += f" · {header.shop}"
        self._header.show(
            left, header.lights, printer_queue=header.printer_queue, training=training
        )

    def _show_entry(self) -> None:
        self._entry_line.show(self.entry.text())

    def show_event(self, event: LastEvent) -> None:
        """Show what just happened on row 19 (a refusal sounds the error tone)."""
        if not event.ok:
            self.app.bell()
        self._last_event.show(event)

    # --- input ----------------------------------------------------------------------

    def command_pressed(self, command: Command) -> None:
        """A bound key: through the entry line, then acted on."""
        self._act(self.entry.press(command))

    def character_typed(self, character: str) -> None:
        """A digit or a letter: through the entry line."""
        self._act(self.entry.type(character))

    def scan_arrived(self, scan: Scan) -> None:
        """A scan goes to the sale (or to a waiting price check or return)."""
        self._act(self.entry.scan(scan.code))

    def _act(self, action: Action | None) -> None:
        if action is None or isinstance(action, Ignored):
            self._show_entry()
            return
        if isinstance(action, Rejected):
            self._refuse(action.message)
        elif isinstance(action, MoveSelection):
            self._move(action.move)
        elif isinstance(action, Simple) and action.command is Command.HELP:
            event = self._last_event.event
            self.till.show_help(note=event.text if event is not None and not event.ok else "")
        elif isinstance(action, Simple) and action.command is Command.LOCK:
            self.entry.clear()
            self.post_message(LockRequested())
        else:
            self._dispatch(action)
        self._show_entry()

    def _dispatch(self, action: Action) -> None:
        command = dialog_command(action)
        if command is not None and self._dialogs is not None:
            try:
                if self._dialogs(command, self, action):
                    return
            except PosError as error:
                log.info("dialog %s refused: %s", command.value, error)
                self._refuse(error_text(error, self._t))
                return
        try:
            view = self._controller.handle(action, self._selected)
        except PosError as error:
            log.info("action %s refused: %s", type(action).__name__, error)
            self._refuse(error_text(error, self._t))
            return
        if view is not None:
            self.show(view)

    def _refuse(self, message: str) -> None:
        self.app.bell()
        # Service messages start in lower case ("ukjent strekkode ..."); the line is a sentence.
        self._last_event.show(LastEvent(message[:1].upper() + message[1:], ok=False))

    def _move(self, move: Move) -> None:
        count = len(self._view.rows)
        if count == 0:
            return
        page = self._list.page
        current = self._selected if self._selected is not None else count - 1
        target = {
            Move.UP: current - 1 if self._selected is not None else count - 1,
            Move.DOWN: current + 1,
            Move.PAGE_UP: current - page,
            Move.PAGE_DOWN: current + page,
            Move.FIRST: 0,
            Move.LAST: count - 1,
        }[move]
        self._select(min(max(target, 0), count - 1))

    def _select(self, index: int | None) -> None:
        self._selected = index
        self._list.show(self._view.rows, index, training=self._view.training)
        if self._selection_timer is not None:
            self._selection_timer.stop()
        self._selection_timer = (
            self.set_timer(SELECTION_TIMEOUT_S, self._selection_timed_out)
            if index is not None
            else None
        )

    def _selection_timed_out(self) -> None:
        self._selection_timer = None
        self._select(None)
