"""The message that locks the till: the sale (and a card payment left unknown) stays and
comes back at the next log-in."""

from __future__ import annotations

from textual.message import Message


class LockRequested(Message):
    """The cashier locked the till (Ctrl+L); the sale stays."""
