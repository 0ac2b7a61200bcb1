"""Queueing a settlement voucher in the settling commit, and delivering it exactly once.

:func:`z_settlement_queuer` is subscribed to :class:`~omnipos_tui.core.events.ZReportClosed`
in ``bootstrap``: inside the Z report's unit of work it builds the voucher from the Z's own
figures, refuses it when it does not balance (the difference named; the Z is not closed),
and writes the outbox row ``accounting.settlement`` / ``Z-<register>-<z number>`` with the
voucher as its payload, in the same commit. Any other source (a day of web orders) calls
:func:`queue_voucher` with its own voucher the same way.

:class:`SettlementHandler` is the outbox handler the worker delivers those rows with:
before every send and every retry it asks the accounting system whether the key is booked
already (a crash after the far end answered and before we recorded it is found there, and
recorded as booked, not sent again).
"""

from __future__ import annotations

from collections.abc import Callable

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.ports import AccountingSystem
from omnipos_tui.core.accounting.settlement import build_voucher
from omnipos_tui.core.accounting.voucher import (
    SETTLEMENT_KIND,
    Voucher,
    require_balanced,
)
from omnipos_tui.core.accounting.z_source import source_from_z
from omnipos_tui.core.errors import DeliveryRejected, InvalidInput
from omnipos_tui.core.events import ZReportClosed
from omnipos_tui.core.outbox import OutboxMessage
from omnipos_tui.core.repositories import UnitOfWork


def queue_voucher(uow: UnitOfWork, voucher: Voucher) -> None:
    """Write ``voucher``'s outbox row in ``uow`` (the settling commit).

    Raises:
        RuleViolation: ``accounting.unbalanced`` (nothing written), or the key is queued
            already.
    """
    require_balanced(voucher)
    uow.outbox.add(OutboxMessage(SETTLEMENT_KIND, voucher.key, voucher.to_dict()))


def z_settlement_queuer(accounts: AccountMap) -> Callable[[ZReportClosed, UnitOfWork], None]:
    """The ``ZReportClosed`` handler that queues the Z's voucher (see the module)."""

    def queue_z_settlement(event: ZReportClosed, uow: UnitOfWork) -> None:
        queue_voucher(uow, build_voucher(source_from_z(event.report), accounts))

    return queue_z_settlement


class SettlementHandler:
    """Delivers ``accounting.settlement`` rows to an accounting system.

    Args:
        system: Makes the accounting system's adapter (on first delivery; kept).
    """

    kind = SETTLEMENT_KIND

    def __init__(self, system: Callable[[], AccountingSystem]) -> None:
        self._make = system
        self._system: AccountingSystem | None = None

    @property
    def system(self) -> AccountingSystem:
        """The adapter (built on first use)."""
        if self._system is None:
            self._system = self._make()
        return self._system

    def handle(self, message: OutboxMessage) -> str | None:
        """Book the voucher unless the far end has it already; the far end's id."""
        try:
            voucher = Voucher.from_dict(message.payload)
        except InvalidInput as error:
            raise DeliveryRejected(f"{message.key}: {error}") from error
        system = self.system
        booked = system.find(voucher.key)
        if booked is not None:
            return booked
        return system.post(voucher)
