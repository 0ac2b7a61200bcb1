"""The simulated card terminal: scripted outcomes, no card."""

from __future__ import annotations

import enum
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from omnipos_tui.core.errors import (
    DeviceNotConnected,
    DeviceTimeout,
    InvalidAmount,
    InvalidInput,
    TerminalOutcomeUnknown,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardCancelled, CardDeclined, CardResult


class Outcome(enum.StrEnum):
    """What the simulated customer does."""

    APPROVE = "approve"
    DECLINE = "decline"
    CANCEL = "cancel"
    TIP = "tip"
    #: The terminal took the amount and then went silent: the outcome is unknown.
    SILENCE = "silence"
    #: The terminal does not answer at all: no payment started.
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Scripted:
    """One scripted outcome.

    Attributes:
        outcome: What happens.
        tip: The tip the customer adds (``TIP`` only).
        reason: The decline text (``DECLINE`` only).
    """

    outcome: Outcome
    tip: Money = field(default_factory=Money.zero)
    reason: str = "Avvist av kortutsteder"


def parse_script(text: str) -> list[Scripted]:
    """Outcomes from whitespace-separated words: ``"approve decline tip:20,00 silence off"``.

    Raises:
        InvalidInput: A word is not an outcome, or a tip is not an amount.
    """
    script: list[Scripted] = []
    for word in text.split():
        name, _, value = word.partition(":")
        try:
            outcome = Outcome(name.lower())
        except ValueError as exc:
            known = ", ".join(o.value for o in Outcome)
            raise InvalidInput(f"unknown terminal outcome {name!r} (use {known})") from exc
        tip = Money.parse(value) if outcome is Outcome.TIP else Money.zero()
        if outcome is Outcome.TIP and tip.ore <= 0:
            raise InvalidInput(f"tip in {word!r} must be positive, for example tip:20,00")
        script.append(Scripted(outcome, tip))
    return script


@dataclass(frozen=True, slots=True)
class SimulatedTransaction:
    """One call the simulated terminal answered.

    Attributes:
        kind: "purchase" or "refund".
        amount: The amount asked for.
        reference: The till's reference.
        outcome: What the script said.
        result: What the till was told (None when it got an exception).
    """

    kind: str
    amount: Money
    reference: str
    outcome: Outcome
    result: CardResult | None


class SimulatedCardTerminal:
    """A terminal that answers from a script (approve when the script runs out).

    Args:
        script: Outcomes for the next calls, in order.
        default: The outcome once the script is used up.
        masked_card: What approvals report as the card.
        silence_seconds: How long a silent terminal keeps the till waiting before the
            timeout (0 in tests; a few seconds in the demo).
        integrated: False to behave like a stand-alone terminal in the demo.

    Attributes:
        transactions: Every call, in order.
    """

    def __init__(
        self,
        script: Iterable[Scripted] = (),
        *,
        default: Outcome = Outcome.APPROVE,
        masked_card: str = "************1234",
        silence_seconds: float = 0.0,
        integrated: bool = True,
    ) -> None:
        self.integrated = integrated
        self.default = default
        self.masked_card = masked_card
        self.silence_seconds = silence_seconds
        self.transactions: list[SimulatedTransaction] = []
        self._script: deque[Scripted] = deque(script)
        self._counter = 0
        self._plugged = True
        self._lock = threading.Lock()
        self._wake = threading.Event()

    # --- what tests and the demo do to it ---------------------------------------------

    def push(self, outcome: Outcome, *, tip: Money | None = None, reason: str = "") -> None:
        """Script the next outcome."""
        with self._lock:
            self._script.append(
                Scripted(outcome, tip or Money.zero(), reason or "Avvist av kortutsteder")
            )

    def unplug(self) -> None:
        """Pull the cable: calls raise ``DeviceNotConnected``."""
        self._plugged = False

    def plug(self) -> None:
        """Put the cable back."""
        self._plugged = True

    # --- the port ----------------------------------------------------------------------

    def authorize(self, amount: Money, reference: str) -> CardResult:
        """Take a payment as the script says (see the port for the errors)."""
        return self._transact("purchase", amount, reference)

    def refund(self, amount: Money, reference: str) -> CardResult:
        """Refund as the script says (see the port for the errors)."""
        return self._transact("refund", amount, reference)

    def probe(self) -> str:
        """Whether the simulated cable is in.

        Raises:
            DeviceNotConnected: Unplugged.
        """
        if not self._plugged:
            raise DeviceNotConnected("simulated card terminal is unplugged")
        return "simulated card terminal"

    def next_outcome(self) -> Outcome:
        """The outcome the next call will get, without using it up."""
        with self._lock:
            return self._script[0].outcome if self._script else self.default

    def decide(self, kind: str, amount: Money, reference: str) -> tuple[Outcome, CardResult | None]:
        """The next scripted outcome and the result it gives (None for silence and off).

        Used by :meth:`authorize` and by the Concert V2 simulator server.
        """
        with self._lock:
            scripted = self._script.popleft() if self._script else Scripted(self.default)
            self._counter += 1
            transaction_id = f"SIM{self._counter:07d}"
        outcome = scripted.outcome
        result: CardResult | None
        if outcome is Outcome.APPROVE or (outcome is Outcome.TIP and kind == "refund"):
            result = CardApproved(amount, transaction_id, self.masked_card)
        elif outcome is Outcome.TIP:
            result = CardApproved(
                amount + scripted.tip, transaction_id, self.masked_card, scripted.tip
            )
        elif outcome is Outcome.DECLINE:
            result = CardDeclined(scripted.reason)
        elif outcome is Outcome.CANCEL:
            result = CardCancelled("Avbrutt på terminalen")
        else:
            result = None
        with self._lock:
            self.transactions.append(SimulatedTransaction(kind, amount, reference, outcome, result))
        return outcome, result

    def _transact(self, kind: str, amount: Money, reference: str) -> CardResult:
        if amount.ore <= 0:
            raise InvalidAmount(f"card amount must be positive, not {amount}")
        if not self._plugged:
            raise DeviceNotConnected("simulated card terminal is unplugged")
        outcome, result = self.decide(kind, amount, reference)
        if result is not None:
            return result
        # A silent terminal keeps the till waiting until its timeout, then the till knows
        # nothing more than the real driver would.
        self._wake.wait(self.silence_seconds)
        if outcome is Outcome.OFF:
            raise DeviceTimeout("simulated card terminal did not answer (switched off)")
        raise TerminalOutcomeUnknown(
            "the simulated card terminal went silent after the amount was sent: look at the "
            "terminal to see whether the payment went through"
        )
