"""The real :class:`~omnipos_tui.ui.screens.sale.SaleController`: entry-line actions carried
out by the sale services through the :class:`TillSession`.

It adds no rules of its own: it picks the line an action means (the selected one, else the
last), calls the service, and turns the result into the next view and the last-event line.
Enter never moves money (only the tender keys pay); cash that settles the sale completes it
at once (money first, paper after, through :class:`Checkout`); a tender key within the
debounce after a completed sale does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from omnipos_tui.core.errors import InvalidInput, NotFound, PosError, RuleViolation, UnknownCode
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import effective_quantities
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.services.sales import ringing
from omnipos_tui.services.sales.results import CompletedSale
from omnipos_tui.ui.actions import (
    Action,
    Cancel,
    EnterCode,
    SetLineQuantity,
    Simple,
    Tender,
)
from omnipos_tui.ui.actions import TenderKind as TenderKey
from omnipos_tui.ui.checkout import Checkout
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.keymap import Keymap, keymap_files, load_keymap
from omnipos_tui.ui.session import TillSession, quantity_text
from omnipos_tui.ui.views import LastEvent, SaleView

if TYPE_CHECKING:
    # The screens load after the log-in screen is up (see ``ui.wiring``), not with the till.
    from omnipos_tui.ui.screens.sale import DialogOpener, SaleScreen

log = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")


class TillController:
    """Sells, changes quantities, voids lines and takes cash for the session's open sale.

    Args:
        session: The till session (services, employee, sale id).
        checkout: Tenders and completion.
        keymap: The key table, to name keys in refusals; the shipped default when None.
    """

    def __init__(
        self, session: TillSession, checkout: Checkout, *, keymap: Keymap | None = None
    ) -> None:
        self.session = session
        self.checkout = checkout
        self.keymap = keymap if keymap is not None else load_keymap(*keymap_files("default"))

    # --- SaleController -----------------------------------------------------------------

    def start(self, employee: Employee) -> SaleView:
        """Open (or restore after a crash) the employee's sale on this register.

        Raises:
            PosError: The sale cannot be opened.
        """
        session = self.session
        session.employee = employee
        session.paying = False
        session.change = None
        session.payment_message = ("", True)
        sale = session.open_sale()
        session.last_event = None
        if sale.entries or sale.payments:
            started = sale.started_at.astimezone(OSLO).strftime("%H:%M")
            key = "sale.restored"
            if sale.payments and sale.is_paid():
                key = "sale.restored_paid"  # paid, not completed: a tender key completes it
            text = session.translator.text(key, at=started, cash=self.keymap.key_text(Command.CASH))
            session.last_event = LastEvent(text)
            session.paying = bool(sale.payments)
        return session.view(sale)

    def handle(self, action: Action, selected: int | None) -> SaleView | None:
        """Carry out one entry-line action (see the module docstring).

        Raises:
            PosError: Refused; the message is shown on the last-event line.
        """
        session = self.session
        if isinstance(action, Tender) and self.checkout.debouncing:
            return None
        session.change = None
        if isinstance(action, Tender) or (
            isinstance(action, Simple) and action.command is Command.PAY
        ):
            finished = self._complete_if_paid()
            if finished is not None:
                return finished
        if isinstance(action, EnterCode):
            return self._sell(action, selected)
        if isinstance(action, SetLineQuantity):
            sale = self._sale()
            line_no = self._target(sale, selected)
            self._no_open_drawer()
            sale = ringing.change_quantity(
                session.services.sales,
                sale.sale_id,
                line_no,
                action.quantity,
                employee=session.employee_number,
            )
            line = sale.line(line_no)
            text = f"{line.name}  {quantity_text(action.quantity)} ×"
            return self._view(sale, LastEvent(text), selected)
        if isinstance(action, Simple) and action.command is Command.VOID:
            if session.unresolved_scan is not None:
                return self._drop_unknown_scan(selected)
            sale = self._sale()
            line_no = self._target(sale, selected)
            sale = ringing.void_line(
                session.services.sales, sale.sale_id, line_no, employee=session.employee_number
            )
            text = session.translator.text("sale.voided", name=sale.line(line_no).name)
            return self._view(sale, LastEvent(text), None)
        if isinstance(action, Simple) and action.command is Command.PAY:
            self._no_unknown_scan()
            self._something_to_pay()
            session.paying = True
            return self._view(self._sale(), session.last_event, selected)
        if isinstance(action, Cancel):
            if not session.paying:
                return None
            session.paying = False
            session.payment_message = ("", True)
            return self._view(self._sale(), session.last_event, selected)
        if isinstance(action, Tender) and action.kind is TenderKey.CASH:
            self._no_unknown_scan()
            self._something_to_pay()
            return self._cash(action.amount)
        raise RuleViolation(session.translator.text("not_available"))

    # --- dialogs the controller owns (card, other tenders) ---------------------------------

    def open_dialog(self, command: Command, screen: SaleScreen, action: Action) -> bool:
        """Open the card modal (F10) or the other-tender dialog (F11); False for the rest."""
        if not isinstance(action, Tender) or command not in (Command.CARD, Command.OTHER_TENDER):
            return False
        if self.checkout.debouncing:
            return True
        finished = self._complete_if_paid()
        if finished is not None:
            screen.show(finished)
            return True
        self._no_unknown_scan()
        self._something_to_pay()
        session = self.session
        session.change = None
        session.paying = True
        session.payment_message = ("", True)
        from omnipos_tui.ui.screens.other_tender import OtherTenderScreen
        from omnipos_tui.ui.screens.payment import CardPaymentScreen

        if command is Command.CARD:
            self._no_open_drawer()
            screen.app.push_screen(
                CardPaymentScreen(self.checkout, action.amount),
                lambda _changed: self._after_tender(screen),
            )
        else:
            screen.app.push_screen(
                OtherTenderScreen(self.checkout, action.amount),
                lambda _changed: self._after_tender(screen),
            )
        screen.show(self._view(self._sale(), session.last_event, None))
        return True

    def resume_payments(self, screen: SaleScreen) -> None:
        """After log-in: a card payment left pending or unknown (a crash, a lost answer)
        comes back first, in the card modal, until the cashier resolves it."""
        try:
            unsettled = self.checkout.unsettled()
        except PosError as error:
            screen.show_event(LastEvent(error_text(error, self.session.translator), ok=False))
            return
        if not unsettled:
            return
        from omnipos_tui.ui.screens.payment import CardPaymentScreen

        self.session.paying = True
        screen.show(self.session.view())
        screen.app.push_screen(
            CardPaymentScreen(self.checkout, None, resume=unsettled[0]),
            lambda _changed: self._after_tender(screen),
        )

    def _after_tender(self, screen: SaleScreen) -> None:
        """A tender dialog closed: complete the sale if it is paid, show what is now."""
        try:
            completed = self.checkout.finish()
        except PosError as error:
            screen.show(self.session.view())
            screen.show_event(LastEvent(error_text(error, self.session.translator), ok=False))
            return
        if completed is not None:
            self.session.last_event = LastEvent(self._paid_text(completed))
        screen.show(self.session.view())

    # --- the parts ----------------------------------------------------------------------

    def _sell(self, action: EnterCode, selected: int | None) -> SaleView:
        session = self.session
        self._no_open_drawer()
        try:
            result = ringing.add_item(
                session.services.sales,
                session.current_sale_id,
                action.code,
                quantity=action.quantity,
                employee=session.employee_number,
            )
        except UnknownCode as error:
            if action.scanned:
                self._unknown_scan(action.code, error)
            raise
        line = result.line
        quantity = result.sale.quantity_of(line.line_no)
        text = f"{line.name}  {line.unit_price.format(thousands=True)}"
        if quantity != 1 or result.merged:
            text = f"{quantity_text(quantity)} × {text}"
        return self._view(result.sale, LastEvent(text), selected)

    def _cash(self, amount: Money | None) -> SaleView:
        session = self.session
        session.paying = True
        session.payment_message = ("", True)
        self.checkout.pay(TenderKind.CASH, amount)
        completed = self.checkout.finish()
        if completed is None:
            return self._view(self._sale(), session.last_event, None)
        session.last_event = LastEvent(self._paid_text(completed))
        return session.view()

    def _complete_if_paid(self) -> SaleView | None:
        """A sale paid in full but not completed (the database went away or was locked
        between the payment's commit and the completion's, or the till crashed there) is
        completed by the next tender key or ``+``; None when the sale is not paid yet.

        Raises:
            PosError: The completion failed again (the sale stays as it is).
        """
        sale = self._sale()
        if not sale.payments or not sale.is_paid():
            return None
        completed = self.checkout.finish()
        if completed is None:
            return None
        self.session.last_event = LastEvent(self._paid_text(completed))
        return self.session.view()

    def _paid_text(self, completed: CompletedSale) -> str:
        """ "Betalt – takk!", with the change, or what went back to the customer."""
        t = self.session.translator
        tx = completed.transaction
        if tx.total.ore < 0:
            paid_back = -tx.paid()
            return t.text("sale.done_refund", amount=paid_back.format(thousands=True))
        tips = tx.tips()
        if tips.ore:
            return t.text("sale.done_tip", tip=tips.format(thousands=True))
        if completed.change.ore:
            return t.text("sale.done_change", change=completed.change.format(thousands=True))
        return t.text("sale.done")

    def _sale(self) -> Sale:
        return self.session.sale()

    def _view(self, sale: Sale, event: LastEvent | None, selected: int | None) -> SaleView:
        self.session.last_event = event
        return self.session.view(sale, selected=selected)

    def _unknown_scan(self, code: str, error: NotFound) -> None:
        """A scanned code no product has: an employee card is refused (never a user
        switch, TILL-UX §2.11); anything else is remembered to block payment (§2.2).

        Raises:
            RuleViolation: The code is an employee's card.
        """
        session = self.session
        try:
            session.services.staff.get(code)
        except NotFound:
            # Back office reads unknown codes from the till log (TILL-UX §2.2).
            log.warning("unknown barcode scanned at register %s: %s", session.register_id, code)
            session.unknown_scan = (session.current_sale_id, code)
            return
        raise RuleViolation(session.translator.text("sale.employee_card")) from error

    def _no_unknown_scan(self) -> None:
        """TILL-UX §2.2: an unknown scan blocks payment until removed or rung by group."""
        code = self.session.unresolved_scan
        if code is not None:
            raise RuleViolation(
                self.session.translator.text(
                    "sale.unknown_blocks",
                    code=code,
                    void=self.keymap.key_text(Command.VOID),
                    ring=self.keymap.key_text(Command.OPEN_RING),
                )
            )

    def _something_to_pay(self) -> None:
        """A sale with nothing rung, or with every line voided, has nothing to pay: the
        refusal says what to do instead (a voided sale is closed by voiding it whole).

        Raises:
            RuleViolation: Nothing to pay.
        """
        sale = self._sale()
        if sale.payments:
            return
        left = effective_quantities(sale.entries)
        if any(left.get(line.line_no) for line in sale.entries):
            return
        t = self.session.translator
        if not sale.entries:
            raise RuleViolation(t.text("sale.nothing_to_pay"))
        from omnipos_tui.ui.screens.menu import MenuItem

        item = MenuItem.VOID_SALE.value.upper()
        raise RuleViolation(
            t.text("sale.all_voided", menu=self.keymap.key_text(Command.MENU), item=item)
        )

    def _drop_unknown_scan(self, selected: int | None) -> SaleView:
        """``-`` after an unknown scan removes the scan: no line existed, nothing is
        journaled."""
        session = self.session
        code = session.unresolved_scan
        session.unknown_scan = None
        text = session.translator.text("sale.unknown_removed", code=code)
        return self._view(self._sale(), LastEvent(text), selected)

    def _no_open_drawer(self) -> None:
        if self.session.drawer_open:
            raise RuleViolation(self.session.translator.text("drawer.close_first"))

    def _target(self, sale: Sale, selected: int | None) -> int:
        """The line an action means: the selected row's line, else the last live item."""
        lines = sale.lines()
        if selected is not None and 0 <= selected < len(lines):
            return lines[selected].line_no
        left = effective_quantities(sale.entries)
        for line in reversed(sale.entries):
            if line.kind is not LineKind.CORRECTION and left.get(line.line_no):
                return line.line_no
        raise InvalidInput(self.session.translator.text("sale.no_line"))


def make_dialog_opener(
    controller: TillController,
    others: Callable[[Command, TillSession, SaleScreen, Action], bool] | None,
) -> DialogOpener:
    """The sale screen's dialog hook: the controller's own tender dialogs first, then the
    other dialogs' registry (``ui/screens/dialogs.open_dialog``) when there is one."""

    def open_dialog(command: Command, screen: SaleScreen, action: Action) -> bool:
        # Opening a dialog is the next input: the last sale's change leaves the big-total
        # slot (a recalled sale shows its own amount to pay, not "VEKSEL").
        controller.session.change = None
        if controller.open_dialog(command, screen, action):
            return True
        return others is not None and others(command, controller.session, screen, action)

    return open_dialog
