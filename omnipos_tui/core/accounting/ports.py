"""The port every accounting system is reached through (Fiken, Tripletex, the file).

An adapter raises :class:`~omnipos_tui.core.errors.DeliveryDeferred` for what passes (a
timeout, 429, a 5xx, an expired token: the row waits and is tried again with backoff) and
:class:`~omnipos_tui.core.errors.DeliveryRejected` with the far end's own message for what
is our fault (a validation error: the row stops as failed until ``accounting retry``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.voucher import Voucher


@dataclass(frozen=True, slots=True)
class SetupProblem:
    """Something ``accounting test`` found missing at the far end.

    Attributes:
        what: "credentials", "account", "vat", "connection".
        key: The account map's key concerned ("sales_25"), or "".
        detail: What is wrong, in the far end's words where it has some.
    """

    what: str
    key: str
    detail: str


class AccountingSystem(Protocol):
    """Books settlement vouchers in one accounting system."""

    name: str

    def find(self, key: str) -> str | None:
        """The far end's id of the voucher booked under ``key``, or None when there is
        none (asked before every send and every retry)."""
        ...

    def post(self, voucher: Voucher) -> str:
        """Book ``voucher``; return the far end's id."""
        ...

    def check(self, accounts: AccountMap) -> list[SetupProblem]:
        """Check the credentials and that every mapped account and VAT code exists and
        is usable there; an empty list when all is well."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
