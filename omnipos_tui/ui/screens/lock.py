"""The message that locks the till: the sale (and a card payment left unknown) stays and
comes back at the next log-in. A lock shows the log-in screen as a *lock* screen (who
locked it, when, and that the sale waits); a log-out shows the plain log-in screen."""

from __future__ import annotations

from textual.message import Message


class LockRequested(Message):
    """The cashier locked the till (Ctrl+L), or logged out (``logged_out``); the sale
    stays either way."""

    def __init__(self, *, logged_out: bool = False) -> None:
        super().__init__()
        self.logged_out = logged_out
