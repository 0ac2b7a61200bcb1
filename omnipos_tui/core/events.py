"""Domain events: what happened, recorded by the use case inside its unit of work and handled
there, before the commit.

A use case records an event on its unit of work::

    uow.record(SaleCompleted(tx, register_id=tx.register_id, kick_drawer=True))
    ...
    uow.commit()

When the unit commits, every recorded event is published to the :class:`EventBus` the
unit of work was given, in the order recorded (events a handler records are published
after them), and only then is the transaction committed. Handlers therefore run **inside
the same transaction**: what they write (stock moves, outbox rows) commits with the
business data or not at all, and a handler that raises rolls the whole unit back. A unit
that rolls back publishes nothing. Handlers must not talk to the outside world; they write
an outbox row instead (``uow.outbox.add``, see ``core.outbox``), delivered after the commit.

**Registering a handler** happens once, at composition time, in ``bootstrap.build`` (or
in what it calls), on the bus it hands to storage::

    def move_stock(event: SaleCompleted, uow: UnitOfWork) -> None:
        ...

    events.subscribe(SaleCompleted, move_stock)

A handler gets the event and the unit of work; it is called for events of the type it
subscribed to and of its subclasses. Handlers of one type run in the order they were
subscribed. ``subscribe`` returns a function that removes the handler again (for tests).

This module is pure: the events are frozen dataclasses of core values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    # Types only: the till imports this module at start, before it needs any report.
    from omnipos_tui.core.ledger.transaction import Transaction
    from omnipos_tui.core.reports.report import Report
    from omnipos_tui.core.repositories import UnitOfWork


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """The base of every event (subscribe to it to see them all)."""


@dataclass(frozen=True, slots=True)
class SaleCompleted(DomainEvent):
    """A sale (or return, or credit sale) was completed: numbered, signed and stored.

    Attributes:
        transaction: The stored transaction.
        register_id: The register that completed it.
        kick_drawer: The drawer is to be opened (cash moved; see the sale service).
    """

    transaction: Transaction
    register_id: str
    kick_drawer: bool = False


@dataclass(frozen=True, slots=True)
class SaleVoided(DomainEvent):
    """A whole sale was cancelled and stored as a voided receipt.

    Attributes:
        transaction: The stored voided transaction.
        register_id: The register it was voided at.
        approved_by: The manager who approved it.
    """

    transaction: Transaction
    register_id: str
    approved_by: str


@dataclass(frozen=True, slots=True)
class OrderHandedOver(DomainEvent):
    """A prepaid order was handed to its customer at a till, with a delivery receipt.

    Attributes:
        register_id: The register it was handed over at.
        order_no: The order.
        key: The delivery receipt's key (register and journal number: one per hand-over).
        employee: Who handed it over.
        at: When.
        handed: What was handed over: (order line number, quantity in thousandths).
    """

    register_id: str
    order_no: int
    key: str
    employee: str
    at: datetime
    handed: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ZReportClosed(DomainEvent):
    """A Z report closed a register's business day.

    Attributes:
        register_id: The register.
        z_number: The Z report's number at that register.
        business_day: The day it closed.
        report: The report as journaled.
    """

    register_id: str
    z_number: int
    business_day: date
    report: Report


@dataclass(frozen=True, slots=True)
class RecordsChanged(DomainEvent):
    """Stock, orders, customers or the catalogue changed in a unit of work (published by the unit of
    work itself at commit, after every other event and ``before_commit`` action, and only
    when something subscribed to it: the web shop's sync writes its outbox rows here).

    Attributes:
        skus: Products whose balances or reservations changed.
        orders: Orders added or whose status changed.
        customers: Customers added or changed.
        catalogue: Products whose name, price, VAT or active flag changed.
    """

    skus: frozenset[str] = frozenset()
    orders: frozenset[int] = frozenset()
    customers: frozenset[str] = frozenset()
    catalogue: frozenset[str] = frozenset()


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any, "UnitOfWork"], None]


class EventBus:
    """The handlers of each event type (see the module docstring).

    Subscribing is meant for composition time; publishing may happen in any thread.
    """

    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = {}
        self._lock = threading.Lock()

    def subscribe(
        self, event_type: type[E], handler: Callable[[E, UnitOfWork], None]
    ) -> Callable[[], None]:
        """Call ``handler(event, uow)`` inside the unit of work for every ``event_type``
        (and subclass) event recorded there.

        Returns:
            A function that unsubscribes the handler.
        """
        with self._lock:
            self._handlers.setdefault(event_type, []).append(handler)

        def unsubscribe() -> None:
            with self._lock:
                handlers = self._handlers.get(event_type, [])
                if handler in handlers:
                    handlers.remove(handler)

        return unsubscribe

    def handlers_for(self, event: DomainEvent) -> list[Handler]:
        """The handlers ``event`` goes to, in subscription order (its type's first)."""
        with self._lock:
            return [
                handler for kind in type(event).__mro__ for handler in self._handlers.get(kind, ())
            ]

    def publish(self, event: DomainEvent, uow: UnitOfWork) -> None:
        """Run the handlers of ``event`` inside ``uow`` (an error leaves as it is, and the
        unit rolls back)."""
        for handler in self.handlers_for(event):
            handler(event, uow)

    def wants(self, event_type: type[DomainEvent]) -> bool:
        """Whether a handler is subscribed to ``event_type`` (or one of its bases)."""
        with self._lock:
            return any(self._handlers.get(kind) for kind in event_type.__mro__)

    @property
    def empty(self) -> bool:
        """Whether no handler is subscribed (the unit of work then skips publishing)."""
        with self._lock:
            return not any(self._handlers.values())
