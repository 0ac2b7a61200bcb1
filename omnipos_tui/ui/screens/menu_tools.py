"""The small screens behind the F12 menu: a receipt number (copy receipt), an amount and a
reason (cash in/out), the print queue (reprint the original) and hardware status.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work

from omnipos_tui.core.errors import PosError
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import Scan
from omnipos_tui.services.sales import receipts
from omnipos_tui.services.shop.hardware import DeviceCheck
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.entry import MAX_AMOUNT_DIGITS
from omnipos_tui.ui.i18n import TEXTS, error_text
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen, PickList
from omnipos_tui.ui.session import TillSession

MAX_TEXT = 60


class ReceiptNumberScreen(DialogScreen[str | None]):
    """Which receipt (typed or scanned; Enter alone = the last one); None on Esc."""

    scan_policy = ScanPolicy.ACCEPT  # the receipt's barcode

    def __init__(self, session: TillSession, title: str, last: str | None) -> None:
        """Ask for a receipt number, offering ``last``."""
        super().__init__(session, title)
        self.last = last
        self.typed = ""

    def body(self) -> RenderableType:
        """The question."""
        return "\n" + self.t("input.receipt", enter=self.key(Command.ENTER), last=self.last or "–")

    def entry_text(self) -> str:
        """The number typed."""
        return f"> {self.typed}_"

    def hint(self) -> str:
        """Type or scan, Enter, Esc."""
        return self.t(
            "input.receipt_hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE)
        )

    def scan_arrived(self, scan: Scan) -> None:
        """The receipt's barcode is its number."""
        self.dismiss(scan.code.strip())

    def character_typed(self, character: str) -> None:
        """Digits and the dash of "1-123"."""
        if (character.isdigit() or character == "-") and len(self.typed) < 20:
            self.typed += character
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter takes the number (or the last receipt); Esc clears, then cancels."""
        if command is Command.ENTER:
            chosen = self.typed or self.last
            if chosen:
                self.dismiss(chosen)
            else:
                self.say(self.t("menu.no_receipt"))
            return
        if command is Command.VOID:  # the numpad minus types the dash of "1-123"
            self.character_typed("-")
            return
        if command is Command.BACKSPACE:
            self.typed = self.typed[:-1]
        elif command is Command.ESCAPE:
            if not self.typed:
                self.dismiss(None)
                return
            self.typed = ""
        self.redraw()


@dataclass(frozen=True, slots=True)
class CashMovement:
    """An amount put in or taken out, and why."""

    amount: Money
    reason: str


class CashMovementScreen(DialogScreen[CashMovement | None]):
    """Amount, then reason; None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, title: str) -> None:
        """Ask for the amount first."""
        super().__init__(session, title)
        self.amount = ""
        self.reason = ""
        self.on_reason = False

    def body(self) -> RenderableType:
        """The two fields."""
        table = Table.grid(padding=(0, 2))
        table.add_row("", "")
        table.add_row(self.t("input.amount"), self.amount + ("" if self.on_reason else "_"))
        table.add_row(self.t("input.reason"), self.reason + ("_" if self.on_reason else ""))
        return table

    def hint(self) -> str:
        """Amount, Enter, reason, Enter."""
        return self.t(
            "input.amount_hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE)
        )

    def character_typed(self, character: str) -> None:
        """Digits build the amount; then any character builds the reason."""
        if self.on_reason:
            if len(self.reason) < MAX_TEXT:
                self.reason += character
        elif character.isdigit():
            whole, comma, decimals = self.amount.partition(",")
            if (comma and len(decimals) < 2) or (not comma and len(whole) < MAX_AMOUNT_DIGITS):
                self.amount += character
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """Enter moves on and finishes; comma; Backspace; Esc steps back, then cancels."""
        if command is Command.DECIMAL:
            if self.on_reason:
                self.character_typed(",")
            elif "," not in self.amount:
                self.amount = (self.amount or "0") + ","
        elif command is Command.BACKSPACE:
            if self.on_reason and self.reason:
                self.reason = self.reason[:-1]
            elif self.on_reason:
                self.on_reason = False
            else:
                self.amount = self.amount[:-1]
        elif command is Command.ENTER:
            self._enter()
            return
        elif command is Command.ESCAPE:
            if self.on_reason:
                self.on_reason, self.reason = False, ""
            elif self.amount:
                self.amount = ""
            else:
                self.dismiss(None)
                return
        self.redraw()

    def _enter(self) -> None:
        amount = Money.parse(self.amount.rstrip(",")) if self.amount else Money.zero()
        if amount.ore <= 0:
            self.say(self.t("entry.zero_amount"))
        elif not self.on_reason:
            self.on_reason = True
            self.clear_message()
        elif not self.reason.strip():
            self.say(self.t("input.need_reason"))
        else:
            self.dismiss(CashMovement(amount, self.reason.strip()))
        self.redraw()


def unprinted_receipt(title: str) -> str | None:
    """The receipt id a print job's title names ("Salgskvittering 1-123" -> "1-123"), or
    None for a job that is no original receipt (a copy, a report)."""
    words = title.split()
    if len(words) < 2 or words[-1] == "KOPI" or "-" not in words[-1]:
        return None
    return words[-1]


class PrintQueueScreen(DialogScreen[None]):
    """Documents not yet printed; Enter prints the selected one again as the original;
    ``-`` twice discards it (an original receipt that will never print is journaled
    13030 first, R-5 "if never printed")."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession) -> None:
        """Read the queue."""
        super().__init__(session, session.translator.text("queue.title"))
        queue = session.devices.print_queue
        self.queue = queue
        self.jobs = PickList(queue.pending())
        self.discarding: str | None = None

    def body(self) -> RenderableType:
        """Title, status and last error of each job."""
        if not self.jobs.items:
            return "\n" + self.t("queue.empty")
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("queue.job"), ratio=2, no_wrap=True)
        table.add_column(self.t("queue.status"), width=12)
        table.add_column(self.t("queue.error"), ratio=2, no_wrap=True)
        start, page = self.jobs.window()
        for offset, job in enumerate(page, start):
            style = "reverse" if offset == self.jobs.index else ""
            table.add_row(job.title, str(job.status), job.last_error, style=style)
        return table

    def hint(self) -> str:
        """Enter prints again; - discards; Esc closes."""
        return self.t(
            "queue.hint",
            enter=self.key(Command.ENTER),
            void=self.key(Command.VOID),
            esc=self.key(Command.ESCAPE),
        )

    def command_pressed(self, command: Command) -> None:
        """Moves; Enter retries the selected job; ``-`` asks, ``-`` again discards; Esc
        closes."""
        current = self.jobs.current
        if command is not Command.VOID:
            self.discarding = None
        if self.jobs.move(command):
            self.clear_message()
            self.redraw()
        elif command is Command.ENTER and current is not None:
            self._retry(current.id, current.title)
        elif command is Command.VOID and current is not None:
            if self.discarding == current.id:
                self.discarding = None
                self._discard(current.id, current.title)
            else:
                self.discarding = current.id
                self.say(
                    self.t("queue.discard_ask", title=current.title, void=self.key(Command.VOID))
                )
        elif command is Command.ESCAPE:
            self.dismiss(None)

    @work(exclusive=True, group="reprint")
    async def _discard(self, job_id: str, title: str) -> None:
        session = self.session
        queue = self.queue
        receipt = unprinted_receipt(title)
        try:
            # Journal first: if that fails, the job is still in the queue and nothing
            # changed; a receipt is never dropped without its 13030.
            if receipt is not None:
                employee = session.employee_number
                await session.run_blocking(
                    lambda: receipts.receipt_not_printed(
                        session.services.sales, receipt, employee=employee
                    )
                )
            await session.run_blocking(lambda: queue.discard(job_id))
        except PosError as error:
            self.say(error_text(error, session.translator))
            return
        pending = await session.run_blocking(queue.pending)
        self.jobs.replace(pending)
        session.printer_queue = len(pending)
        self.say(self.t("queue.discarded", title=title), ok=True)
        self.redraw()

    @work(exclusive=True, group="reprint")
    async def _retry(self, job_id: str, title: str) -> None:
        queue = self.queue
        try:
            job = await self.session.run_blocking(lambda: queue.retry(job_id))
        except PosError as error:
            self.say(error_text(error, self.session.translator))
            return
        pending = await self.session.run_blocking(queue.pending)
        self.jobs.replace(pending)
        self.session.printer_queue = len(pending)
        if job.status.value == "done":
            self.say(self.t("queue.printed", title=title), ok=True)
        else:
            self.say(self.t("queue.still", error=job.last_error))
        self.redraw()


class HardwareScreen(DialogScreen[None]):
    """Every configured device and whether it answers (checked in a worker)."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession) -> None:
        """Check the devices once the screen is up."""
        super().__init__(session, session.translator.text("hardware.title"))
        self.checks: list[DeviceCheck] | None = None

    def on_mount(self) -> None:
        """Draw, then check."""
        super().on_mount()
        self._check()

    def body(self) -> RenderableType:
        """Role, kind, port and state per device."""
        if self.checks is None:
            return "\n" + self.t("hardware.checking")
        table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
        table.add_column(self.t("hardware.device"), width=18, no_wrap=True)
        table.add_column(self.t("hardware.kind"), width=14, no_wrap=True)
        table.add_column(self.t("hardware.port"), width=14, no_wrap=True)
        table.add_column(self.t("hardware.state"), ratio=1)
        for check in self.checks:
            shown = self.session.translator.message(check.state)
            state = Text(("● " if check.ok else "✗ ") + shown, "green" if check.ok else "red")
            info = check.device
            table.add_row(
                self._shown("hardware.name.", info.name),
                self._shown("hardware.value.", info.kind),
                self._shown("hardware.value.", info.where),
                state,
            )
        return table

    def _shown(self, prefix: str, value: str) -> str:
        """A role, printer name or kind in the till's language when it is one of ours (a
        port, host or a name the shop chose stays as set up)."""
        return self.t(prefix + value) if prefix + value in TEXTS else value

    def hint(self) -> str:
        """Enter checks again; Esc closes."""
        return self.t("hardware.hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE))

    def command_pressed(self, command: Command) -> None:
        """Enter checks again; Esc closes."""
        if command is Command.ENTER:
            self.checks = None
            self.redraw()
            self._check()
        elif command is Command.ESCAPE:
            self.dismiss(None)

    @work(exclusive=True, group="hardware")
    async def _check(self) -> None:
        hardware = self.session.services.hardware
        try:
            self.checks = await self.session.run_blocking(hardware.check)
        except PosError as error:
            self.checks = []
            self.say(error_text(error, self.session.translator))
        self.redraw()
