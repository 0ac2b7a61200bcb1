"""The stand-alone card terminal: the cashier keys the amount and confirms on the till."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from omnipos_tui.core.errors import InvalidAmount
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardResult


class ManualKind(enum.StrEnum):
    """What the cashier is asked to do on the terminal."""

    PURCHASE = "purchase"
    REFUND = "refund"


@dataclass(frozen=True, slots=True)
class ManualCardRequest:
    """What the till shows the cashier.

    Attributes:
        kind: Purchase or refund.
        amount: The amount to key on the terminal.
        reference: Our payment reference.
    """

    kind: ManualKind
    amount: Money
    reference: str


#: Supplied by the UI: shows the request, waits for the cashier and returns the outcome.
Confirm = Callable[[ManualCardRequest], CardResult]


class ManualCardTerminal:
    """A card terminal not connected to the till (``integrated = False``).

    The till shows the amount; the cashier keys it on the terminal and tells the till what
    happened. The receipt then carries «IKKJE KVITTERING FOR KJØP» for the terminal's slip
    (R-17); that is the receipt layout's job, told by ``integrated``.

    Args:
        confirm: The UI's dialog. It returns ``CardApproved`` (with the amount the terminal
            took and, if the cashier typed it, the terminal's transaction id),
            ``CardDeclined`` or ``CardCancelled``. It may block while the cashier decides;
            no device I/O happens here.
    """

    integrated = False

    def __init__(self, confirm: Confirm) -> None:
        self._confirm = confirm

    def authorize(self, amount: Money, reference: str) -> CardResult:
        """Ask the cashier to take ``amount`` on the terminal.

        Raises:
            InvalidAmount: The amount is not positive.
        """
        return self._ask(ManualKind.PURCHASE, amount, reference)

    def refund(self, amount: Money, reference: str) -> CardResult:
        """Ask the cashier to refund ``amount`` on the terminal.

        Raises:
            InvalidAmount: The amount is not positive.
        """
        return self._ask(ManualKind.REFUND, amount, reference)

    def probe(self) -> str:
        """Nothing to reach: always fine."""
        return "stand-alone terminal (the cashier confirms each payment)"

    def _ask(self, kind: ManualKind, amount: Money, reference: str) -> CardResult:
        if amount.ore <= 0:
            raise InvalidAmount(f"card amount must be positive, not {amount}")
        result = self._confirm(ManualCardRequest(kind, amount, reference))
        if isinstance(result, CardApproved) and result.amount.ore <= 0:
            # A confirmation with no money is not an approval.
            return CardCancelled("Ingen beløp bekreftet")
        return result
