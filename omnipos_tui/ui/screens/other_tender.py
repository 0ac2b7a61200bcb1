"""F11, the other tenders: ``1`` Vipps, ``2`` gift voucher (then its number), ``3`` the
customer account. The service decides whether the tender fits (a credit sale needs a
customer); a refusal shows in the dialog with a tone.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from omnipos_tui.core.errors import PosError
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.ui.checkout import Checkout
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.base import ScanPolicy, TillScreen


class OtherTenderScreen(TillScreen[bool]):
    """F11: ``1`` Vipps, ``2`` gift voucher (then its number), ``3`` customer account.

    Confirmation dialog: scans are refused with a tone. Dismisses True after a payment.
    """

    scan_policy = ScanPolicy.REFUSE

    DEFAULT_CSS = """
    OtherTenderScreen { align: center middle; background: $background 60%; }
    OtherTenderScreen #other-box {
        width: 64; height: 8; border: heavy $accent; background: $panel; padding: 0 1;
    }
    """

    _CHOICES: ClassVar[dict[str, TenderKind]] = {
        "1": TenderKind.MOBILE,
        "2": TenderKind.VOUCHER,
        "3": TenderKind.ACCOUNT,
    }

    def __init__(self, checkout: Checkout, amount: Money | None) -> None:
        super().__init__()
        self._checkout = checkout
        self._t = checkout.session.translator
        self._amount = amount
        self._tender: TenderKind | None = None
        self._typed = ""
        self._notice = ""
        self._box = Static(id="other-box")

    def compose(self) -> ComposeResult:
        """One framed box."""
        yield self._box

    def on_mount(self) -> None:
        """Show the choices."""
        self._draw()

    def _draw(self) -> None:
        t = self._t.text
        esc = self.till.keymap.key_text(Command.ESCAPE)
        amount = (
            self._amount.format(thousands=True) if self._amount is not None else t("other.rest")
        )
        lines = [t("other.title", amount=amount), ""]
        if self._tender is TenderKind.VOUCHER:
            lines.append(t("other.voucher_number") + " " + self._typed + "_")
        else:
            lines.append(t("other.choices"))
        lines += ["", t("other.hint", esc=esc)]
        if self._notice:
            lines.append(self._notice)
        self._box.update("\n".join(lines))

    def scan_notice(self, text: str) -> None:
        """A refused scan: say so."""
        self._notice = text
        self._draw()

    def command_pressed(self, command: Command) -> None:
        """Esc cancels (or leaves the voucher number); Enter pays the typed voucher."""
        if command is Command.ESCAPE:
            if self._tender is not None:
                self._tender, self._typed = None, ""
            else:
                self.dismiss(False)
                return
        elif command is Command.BACKSPACE:
            self._typed = self._typed[:-1]
        elif command is Command.VOID and self._tender is TenderKind.VOUCHER:
            self._typed += "-"  # the void key is the minus key: voucher numbers have dashes
        elif command is Command.ENTER and self._tender is TenderKind.VOUCHER and self._typed:
            self._pay(TenderKind.VOUCHER, self._typed)
            return
        self._draw()

    def character_typed(self, character: str) -> None:
        """A choice, or a character of the voucher number."""
        if self._tender is TenderKind.VOUCHER:
            self._typed += character
        elif character in self._CHOICES:
            tender = self._CHOICES[character]
            if tender is TenderKind.VOUCHER:
                self._tender = tender
            else:
                self._pay(tender, "")
                return
        self._draw()

    def _pay(self, tender: TenderKind, reference: str) -> None:
        try:
            self._checkout.pay(tender, self._amount, reference)
        except PosError as error:
            self.app.bell()
            self._notice = error_text(error, self._t)
            self._draw()
            return
        self.dismiss(True)
