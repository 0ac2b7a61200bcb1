"""Paying: the payment panel (rows 2-15 of the sale screen), the card modal and the other
tenders (TILL-UX B3, §2.5-2.7).

The panel is a widget of the sale screen, so a scan before any tender still adds to the sale.
The card modal queues scans (the terminal has the amount) and cannot be closed by Enter; it
shows waiting, declined, cancelled or unknown. An unknown outcome stays until the cashier
says what the terminal's own journal shows: ``1`` paid, ``2`` not paid (a manager approves),
F5 reads the state again. When the terminal answered but the database did not take the
answer (a server restart, a cut connection), the modal shows it *held*: the till records it
by itself as soon as the database answers (every :data:`HELD_RETRY_S`; F5 tries at once),
and the payment cannot be taken a second time meanwhile. The other tenders (F11) are in
``other_tender.py``.
"""

from __future__ import annotations

import asyncio
import logging

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from omnipos_tui.core.errors import ApprovalRequired, PosError
from omnipos_tui.core.ledger.ports import PendingPayment
from omnipos_tui.core.money import Money
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.ui.checkout import CardOutcome, CardStage, Checkout
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import Translator, error_text
from omnipos_tui.ui.keymap import Keymap
from omnipos_tui.ui.screens.base import ScanPolicy, TillScreen
from omnipos_tui.ui.screens.lock import LockRequested
from omnipos_tui.ui.views import PaymentView

log = logging.getLogger(__name__)

_LEFT = 34
#: Seconds between two tries to record a held terminal answer.
HELD_RETRY_S = 1.0


class PaymentPanel(Widget, can_focus=False):
    """Total, remaining, cash rounded and the tenders taken; hints for the tender keys."""

    DEFAULT_CSS = """
    PaymentPanel { height: 1fr; display: none; }
    """

    def __init__(self, translator: Translator, keymap: Keymap, *, id: str | None = None) -> None:
        """Start empty (hidden until the sale screen shows a payment view)."""
        super().__init__(id=id)
        self._t = translator
        self._keymap = keymap
        self._view: PaymentView | None = None
        self._training = False

    @property
    def view(self) -> PaymentView | None:
        """What is shown."""
        return self._view

    def show(self, view: PaymentView, *, training: bool) -> None:
        """Draw a payment view (only when it changed)."""
        if (view, training) != (self._view, self._training):
            self._view, self._training = view, training
            self.refresh()

    def lines(self) -> list[tuple[str, str]]:
        """``(text, style)`` per row: the panel as plain text (also for tests)."""
        view = self._view
        if view is None:
            return []
        t = self._t.text
        key = self._keymap.key_text
        total, remaining = (
            ("pay.total_refund", "pay.remaining_refund")
            if view.refund
            else ("pay.total", "pay.remaining")
        )
        left = [
            f" {t(total):<18}{view.total_text:>12}",
            f" {t(remaining):<18}{view.remaining_text:>12}",
            f" {t('pay.cash_rounded'):<18}{view.cash_text:>12}",
        ]
        right = [t("pay.paid")] + [f"  {p}" for p in view.paid]
        hints = t(
            "pay.keys",
            cash=key(Command.CASH),
            card=key(Command.CARD),
            other=key(Command.OTHER_TENDER),
            esc=key(Command.ESCAPE),
        )
        rows: list[tuple[str, str]] = []
        rows.append(("", "bold red") if not self._training else (t("training.bar"), "reverse"))
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else ""
            b = right[index] if index < len(right) else ""
            rows.append((f"{a:<{_LEFT}}{b}", ""))
        rows.append(("", ""))
        rows.append((" " + hints, ""))
        rows.append((" " + t("pay.how", cash=key(Command.CASH), card=key(Command.CARD)), "dim"))
        if view.message:
            rows.append(("", ""))
            rows.append((" " + view.message, "bold green" if view.message_ok else "bold red"))
        if view.printer_warning:
            rows.append((" " + view.printer_warning, "bold yellow"))
        return rows

    def render(self) -> Text:
        """The panel's rows."""
        text = Text(no_wrap=True, overflow="crop")
        for index, (line, style) in enumerate(self.lines()):
            if index:
                text.append("\n")
            text.append(line, style=style or None)
        return text


class CardPaymentScreen(TillScreen[bool]):
    """ "Kortbetaling …": one card payment from pending record to the terminal's answer.

    Dismisses with True when something may have changed (always, once it closes).

    Args:
        checkout: The session's checkout.
        amount: The amount typed before F10, or None for all that remains.
        resume: A payment left pending or unknown (after a crash): shown as unknown.
    """

    scan_policy = ScanPolicy.QUEUE

    DEFAULT_CSS = """
    CardPaymentScreen { align: center middle; background: $background 60%; }
    CardPaymentScreen #card-box {
        width: 74; height: 9; border: heavy $accent; background: $panel; padding: 0 1;
    }
    """

    def __init__(
        self, checkout: Checkout, amount: Money | None, *, resume: PendingPayment | None = None
    ) -> None:
        super().__init__()
        self._checkout = checkout
        self._t = checkout.session.translator
        self._amount = amount
        self._pending = resume
        self._stage = CardStage.UNKNOWN if resume is not None else CardStage.WAITING
        self._detail = ""
        self._notice = ""
        self._asking = False
        self._manager: list[str] = []
        self._typed = ""
        self._box = Static(id="card-box")

    @property
    def stage(self) -> CardStage:
        """Where the payment is."""
        return self._stage

    def compose(self) -> ComposeResult:
        """One framed box."""
        yield self._box

    def on_mount(self) -> None:
        """Start the payment (or show the resumed one)."""
        self._draw()
        if self._pending is None:
            self.run_worker(self._pay(), exclusive=True, group="card")

    async def _pay(self) -> None:
        session = self._checkout.session
        try:
            pending = await session.run_blocking(lambda: self._checkout.begin_card(self._amount))
        except PosError as error:
            self._settle(CardOutcome(CardStage.FAILED, "", error_text(error, self._t)))
            return
        self._pending = pending
        self._draw()
        try:
            outcome = await session.run_blocking(lambda: self._checkout.authorize(pending))
        except PosError as error:
            log.warning("card payment %s: %s", pending.reference, error)
            outcome = CardOutcome(CardStage.UNKNOWN, pending.reference, error_text(error, self._t))
        self._settle(outcome)

    def _settle(self, outcome: CardOutcome) -> None:
        self._stage, self._detail = outcome.stage, outcome.text
        if outcome.stage is CardStage.APPROVED:
            self.dismiss(True)
            return
        if outcome.stage is CardStage.HELD:
            self._draw()
            self.run_worker(self._retry_held(outcome.reference), exclusive=True, group="held")
            return
        if outcome.stage is not CardStage.UNKNOWN:
            self.app.bell()
        self._draw()

    # --- drawing ------------------------------------------------------------------------

    def _draw(self) -> None:
        t = self._t.text
        key = self.till.keymap.key_text
        amount = (
            abs(self._pending.amount)
            if self._pending is not None
            else self._amount or self._checkout.session.sale().remaining()
        )
        lines = [t("card.title", amount=amount.format(thousands=True)), ""]
        status = t(f"card.{self._stage.value}", reason=self._detail)
        lines.append(t("card.status", status=status))
        queued = self.till.queued_scans
        if queued:
            lines[-1] += "    " + t("scan.queued", count=queued)
        lines.append("")
        if self._stage is CardStage.WAITING:
            lines.append(t("card.hint_waiting", esc=key(Command.ESCAPE)))
        elif self._stage is CardStage.HELD:
            lines.append(t("card.hint_held", check=key(Command.PARK)))
        elif self._stage is CardStage.UNKNOWN:
            lines.append(t("card.hint_unknown", check=key(Command.PARK)))
            if self._asking:
                field = "card.manager_pin" if self._manager else "card.manager_number"
                shown = "*" * len(self._typed) if self._manager else self._typed
                lines.append(t(field) + " " + shown + "_")
        else:
            lines.append(t("card.hint_done", esc=key(Command.ESCAPE)))
        if self._notice:
            lines.append(self._notice)
        self._box.update("\n".join(lines))

    def scan_notice(self, text: str) -> None:
        """A scan waits in the queue: show the count."""
        self._draw()

    # --- keys ---------------------------------------------------------------------------

    def command_pressed(self, command: Command) -> None:
        """Esc closes a finished payment (asks for a cancel on the terminal while waiting);
        F5 reads an unknown payment's state again; Enter moves no money."""
        stage = self._stage
        if stage is CardStage.HELD:
            if command is Command.PARK and self._pending is not None:
                reference = self._pending.reference
                self.run_worker(self._record_held(reference), group="card")
            self._draw()
            return
        if command is Command.ESCAPE:
            if stage is CardStage.WAITING:
                self._notice = self._t.text("card.cancel_on_terminal")
            elif stage is CardStage.UNKNOWN:
                self._asking, self._manager, self._typed, self._notice = False, [], "", ""
            else:
                self.dismiss(True)
                return
        elif command is Command.LOCK and stage is CardStage.UNKNOWN:
            # During an outage the cashier may leave the till locked; the payment stays
            # unknown and comes back first at the next log-in.
            self.dismiss(False)
            self.app.post_message(LockRequested())
            return
        elif command is Command.PARK and stage is CardStage.UNKNOWN and self._pending:
            reference = self._pending.reference
            self.run_worker(self._check(reference), exclusive=True, group="card")
        elif command is Command.ENTER and self._asking and self._typed:
            self._manager.append(self._typed)
            self._typed = ""
            if len(self._manager) == 2:
                self.run_worker(self._unpaid(*self._manager), exclusive=True, group="card")
                self._asking, self._manager = False, []
        elif command is Command.BACKSPACE:
            self._typed = self._typed[:-1]
        self._draw()

    def character_typed(self, character: str) -> None:
        """In the unknown state: ``1`` the terminal shows it paid, ``2`` it did not (then a
        manager's number and PIN unless the cashier is a manager)."""
        if self._stage is not CardStage.UNKNOWN or self._pending is None:
            return
        if self._asking:
            if character.isdigit():
                self._typed += character
        elif character == "1":
            self.run_worker(self._resolve(paid=True), exclusive=True, group="card")
        elif character == "2":
            employee = self._checkout.session.employee
            if employee is not None and employee.role in (Role.MANAGER, Role.ADMIN):
                self.run_worker(self._resolve(paid=False), exclusive=True, group="card")
            else:
                self._asking, self._typed, self._manager = True, "", []
                self._notice = self._t.text("card.manager_needed")
        self._draw()

    async def _retry_held(self, reference: str) -> None:
        """Record the held answer as soon as the database takes it."""
        while self._stage is CardStage.HELD:
            await asyncio.sleep(HELD_RETRY_S)
            await self._record_held(reference)

    async def _record_held(self, reference: str) -> None:
        session = self._checkout.session
        try:
            outcome = await session.run_blocking(lambda: self._checkout.record_held(reference))
        except PosError as error:
            outcome = CardOutcome(CardStage.HELD, reference, error_text(error, self._t))
        if outcome.stage is CardStage.HELD:
            self._detail = outcome.text
            self._draw()
            return
        self._settle(outcome)

    async def _check(self, reference: str) -> None:
        session = self._checkout.session
        try:
            outcome = await session.run_blocking(lambda: self._checkout.status_of(reference))
        except PosError as error:
            self._notice = error_text(error, self._t)
            self._draw()
            return
        if outcome.stage is CardStage.UNKNOWN:
            self._notice = self._t.text("card.still_unknown")
        else:  # settled elsewhere meanwhile (another till, a restart)
            self._notice = ""
        self._settle(outcome)

    async def _resolve(self, *, paid: bool, approved_by: str | None = None) -> None:
        assert self._pending is not None
        reference = self._pending.reference
        session = self._checkout.session
        try:
            await session.run_blocking(
                lambda: self._checkout.resolve(reference, paid=paid, approved_by=approved_by)
            )
        except ApprovalRequired:
            self._notice = self._t.text("card.manager_needed")
            self._draw()
            return
        except PosError as error:
            self.app.bell()
            self._notice = error_text(error, self._t)
            self._draw()
            return
        session.payment_message = (
            self._t.text("card.resolved_paid" if paid else "card.resolved_unpaid"),
            paid,
        )
        self.dismiss(True)

    async def _unpaid(self, number: str, pin: str) -> None:
        session = self._checkout.session
        try:
            manager = await session.run_blocking(
                lambda: session.services.staff.approve(number, pin)
            )
        except PosError as error:
            self.app.bell()
            self._notice = error_text(error, self._t)
            self._draw()
            return
        await self._resolve(paid=False, approved_by=manager.number)
