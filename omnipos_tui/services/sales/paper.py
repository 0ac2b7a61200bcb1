"""Paper after money, through the outbox: a completed sale's receipt, drawer kick and
customer display are queued by the sale's own commit and delivered by its till.

**Queued with the money.** The till that owns a register's devices subscribes
:func:`paper_subscriber` to :class:`~omnipos_tui.core.events.SaleCompleted` (``bootstrap``
does it when the till starts, see ``Services.own_devices``). Inside the unit of work that
completes a sale at that register it writes up to three outbox rows with one INSERT:
``device.receipt``, ``device.drawer`` (only when the drawer is to open) and
``device.display``, each keyed by the receipt id. The same till queues the receipt of a
voided sale (:class:`~omnipos_tui.core.events.SaleVoided`: ``device.receipt`` only) and the
delivery receipt of a prepaid order handed over at it
(:class:`~omnipos_tui.core.events.OrderHandedOver`: ``device.delivery``, keyed by the
hand-over) in the commit of the void or the hand-over. A process that owns no devices (the
admin command line, the demo seeder, a worker) queues no paper.

**Delivered by the till, and only by it.** Device rows belong to the register in their
payload (``core.outbox``): the till delivers them right after the commit
(:meth:`TillPaper.deliver`, in a worker thread; the screen only shows the state it
returns) and, after a crash, when it starts again (:meth:`TillPaper.recover`). A worker on
another machine never takes them: it could not reach the printer, and a receipt must not
come out of a printer at another till.

**Exactly one original.** The receipt handler submits the document to the print spool with
the row's key as the job's idempotency key: after a crash between the commit and the
print, the restarted till finds the row pending and submits it (the receipt prints once);
if the job had reached the spool already, no second job is made; a job cut off while
being sent waits for the cashier as ``INTERRUPTED`` (printed or not, only the cashier can
tell). The drawer and the display are not worth doing late: a row found more than
:data:`LATE_AFTER` after its sale (a restart) is settled without kicking the drawer
(journaled already as opened; the cashier opens it with the no-sale key if needed) or
greeting a customer who has gone. A fault of the drawer or the display fails the row at
once (a drawer that opens by itself minutes later is worse than none); the screen shows
it. The print handlers (the receipt, the delivery receipt) are in
:mod:`~omnipos_tui.services.sales.paper_print`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import DeliveryRejected, DeviceError, PosError
from omnipos_tui.core.events import OrderHandedOver, SaleCompleted, SaleVoided
from omnipos_tui.core.money import Money
from omnipos_tui.core.outbox import DeliveryReport, OutboxMessage
from omnipos_tui.core.ports import CashDrawer, CustomerDisplay
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales import display_text
from omnipos_tui.services.ledger.steps import receipt_key
from omnipos_tui.services.outbox.dispatcher import OutboxDispatcher
from omnipos_tui.services.sales.paper_print import (
    DELIVERY,
    RECEIPT,
    DeliveryHandler,
    DocumentHandler,
    ReceiptHandler,
)
from omnipos_tui.services.sales.results import CompletedSale

__all__ = [
    "DELIVERY",
    "DISPLAY",
    "DRAWER",
    "LATE_AFTER",
    "PASS",
    "RECEIPT",
    "DeliveryHandler",
    "DisplayHandler",
    "DocumentHandler",
    "DrawerHandler",
    "PaperPlan",
    "ReceiptHandler",
    "TillPaper",
    "delivery_messages",
    "delivery_subscriber",
    "paper_messages",
    "paper_subscriber",
    "void_messages",
    "void_subscriber",
]

log = logging.getLogger(__name__)

DRAWER = "device.drawer"
DISPLAY = "device.display"
#: A drawer kick or display greeting found this long after its sale is not done.
LATE_AFTER = timedelta(seconds=30)
#: Device rows delivered per pass (each pass stores its outcomes in one commit).
PASS = 100


@dataclass(frozen=True, slots=True)
class PaperPlan:
    """Which paper a completed sale at the register queues (from its configured devices).

    Attributes:
        register_id: The register whose till owns the devices.
        receipt: A receipt printer is configured.
        drawer: A cash drawer is configured.
        display: A customer display is configured.
        printer: The print spool's name of the receipt printer.
    """

    register_id: str
    receipt: bool
    drawer: bool
    display: bool
    printer: str = "receipt"


def paper_messages(event: SaleCompleted, plan: PaperPlan) -> list[OutboxMessage]:
    """The device rows of a completed sale (none for another register's sale)."""
    if event.register_id != plan.register_id:
        return []
    tx = event.transaction
    key = receipt_key(tx)
    base: dict[str, object] = {"register_id": plan.register_id, "receipt_id": key}
    at = tx.completed_at.isoformat()
    messages: list[OutboxMessage] = []
    if plan.receipt:
        messages.append(OutboxMessage(RECEIPT, key, {**base, "printer": plan.printer}))
    if plan.drawer and event.kick_drawer:
        messages.append(OutboxMessage(DRAWER, key, {**base, "at": at}))
    if plan.display:
        payload = {**base, "at": at, "total": tx.total.ore, "change": tx.change().ore}
        messages.append(OutboxMessage(DISPLAY, key, payload))
    return messages


def void_messages(event: SaleVoided, plan: PaperPlan) -> list[OutboxMessage]:
    """The receipt row of a voided sale (no drawer, no display; none for another
    register's void)."""
    if event.register_id != plan.register_id or not plan.receipt:
        return []
    key = receipt_key(event.transaction)
    payload = {"register_id": plan.register_id, "receipt_id": key, "printer": plan.printer}
    return [OutboxMessage(RECEIPT, key, payload)]


def delivery_messages(event: OrderHandedOver, plan: PaperPlan) -> list[OutboxMessage]:
    """The delivery receipt row of a prepaid order handed over (none for another
    register's hand-over): what :func:`~omnipos_tui.services.orders.pickup.delivery_reprint`
    needs to lay it out again."""
    if event.register_id != plan.register_id or not plan.receipt:
        return []
    payload: dict[str, object] = {
        "register_id": plan.register_id,
        "printer": plan.printer,
        "order": event.order_no,
        "employee": event.employee,
        "at": event.at.isoformat(),
        "handed": [[line_no, quantity] for line_no, quantity in event.handed],
    }
    return [OutboxMessage(DELIVERY, event.key, payload)]


def paper_subscriber(plan: PaperPlan) -> Callable[[SaleCompleted, UnitOfWork], None]:
    """The in-transaction handler that queues a completed sale's paper (one INSERT)."""

    def queue_paper(event: SaleCompleted, uow: UnitOfWork) -> None:
        messages = paper_messages(event, plan)
        if messages:
            uow.outbox.add_all(messages)

    return queue_paper


def void_subscriber(plan: PaperPlan) -> Callable[[SaleVoided, UnitOfWork], None]:
    """The in-transaction handler that queues a voided sale's receipt."""

    def queue_void(event: SaleVoided, uow: UnitOfWork) -> None:
        messages = void_messages(event, plan)
        if messages:
            uow.outbox.add_all(messages)

    return queue_void


def delivery_subscriber(plan: PaperPlan) -> Callable[[OrderHandedOver, UnitOfWork], None]:
    """The in-transaction handler that queues a hand-over's delivery receipt."""

    def queue_delivery(event: OrderHandedOver, uow: UnitOfWork) -> None:
        messages = delivery_messages(event, plan)
        if messages:
            uow.outbox.add_all(messages)

    return queue_delivery


class DrawerHandler:
    """``device.drawer``: open the drawer for a cash sale, at most once and never late.

    Args:
        drawer: The cash drawer (None: not configured).
        clock: To tell a late row.
        opened: Told after each kick (the demo shuts a simulated drawer a moment later).
    """

    kind = DRAWER

    def __init__(
        self,
        drawer: Callable[[], CashDrawer | None],
        clock: Clock,
        *,
        opened: Callable[[CashDrawer], None] | None = None,
    ) -> None:
        self._drawer = drawer
        self._clock = clock
        self._opened = opened

    def handle(self, message: OutboxMessage) -> str | None:
        """Kick the drawer unless the row is late.

        Raises:
            DeliveryRejected: No drawer, or the kick failed (its cause is the device's
                error).
        """
        if _late(message, self._clock):
            log.info("drawer kick for %s not done: found after a restart", message.key)
            return "late"
        try:
            drawer = self._drawer()
            if drawer is None:
                raise DeliveryRejected("no cash drawer is configured")
            drawer.open()
        except DeviceError as error:
            raise DeliveryRejected(f"drawer kick failed: {error}") from error
        except DeliveryRejected:
            raise
        except PosError as error:  # a misconfigured drawer
            raise DeliveryRejected(str(error)) from error
        if self._opened is not None:
            self._opened(drawer)
        return None


class DisplayHandler:
    """``device.display``: the change due, or thanks, on the customer display.

    Args:
        display: The customer display (None: not configured).
        clock: To tell a late row.
        words: The display's labels in the till's language.
    """

    kind = DISPLAY

    def __init__(
        self,
        display: Callable[[], CustomerDisplay | None],
        clock: Clock,
        *,
        words: display_text.DisplayWords,
    ) -> None:
        self._display = display
        self._clock = clock
        self._words = words

    def handle(self, message: OutboxMessage) -> str | None:
        """Show the text unless the row is late.

        Raises:
            DeliveryRejected: No display, or it failed.
        """
        if _late(message, self._clock):
            return "late"
        total = Money(_int(message.payload.get("total")))
        change = Money(_int(message.payload.get("change")))
        try:
            display = self._display()
            if display is None:
                raise DeliveryRejected("no customer display is configured")
            columns = display.columns
            text = (
                display_text.change_due(total, change, words=self._words, columns=columns)
                if change.ore
                else display_text.thank_you(words=self._words, columns=columns)
            )
            display.show(text.top, text.bottom)
        except DeliveryRejected:
            raise
        except PosError as error:
            raise DeliveryRejected(f"customer display: {error}") from error
        return None


class TillPaper:
    """The paper of one register's till: its device rows, delivered by this process.

    Args:
        register_id: The register whose devices this process owns.
        dispatcher: Holds the device handlers (``deliver_owned``).
        receipts: The receipt handler (given the till's own documents).
    """

    def __init__(
        self,
        register_id: str,
        dispatcher: OutboxDispatcher,
        receipts: ReceiptHandler,
        deliveries: DeliveryHandler | None = None,
    ) -> None:
        self.register_id = register_id
        self._dispatcher = dispatcher
        self._receipts = receipts
        self._deliveries = deliveries

    def deliver(self, completed: CompletedSale | None = None) -> DeliveryReport:
        """Deliver the register's due device rows: a sale just completed (its documents
        are at hand) and anything left from before (blocking: run it in a thread).

        Raises:
            StorageError: The rows cannot be read or their outcome not stored (they stay
                pending and are delivered at the next sale or start).
        """
        if completed is not None and completed.documents:
            self._receipts.hand(completed.receipt_id, completed.documents[0])
        return self._dispatcher.deliver_owned(self.register_id)

    def deliver_handed_over(self, key: str, document: Document) -> DeliveryReport:
        """Deliver the register's due device rows, a hand-over's delivery receipt (its
        document at hand, ``key`` its row's) among them (blocking: run it in a thread).

        Raises:
            StorageError: As :meth:`deliver`.
        """
        if self._deliveries is not None and key:
            self._deliveries.hand(key, document)
        return self._dispatcher.deliver_owned(self.register_id)

    def recover(self) -> DeliveryReport:
        """Deliver what a crash or an earlier failure left (the till's start), however
        much it is (in passes of :data:`PASS` rows)."""
        report = DeliveryReport()
        while True:
            step = self._dispatcher.deliver_owned(self.register_id, limit=PASS)
            report += step
            if step.handled < PASS:
                return report


def _late(message: OutboxMessage, clock: Clock) -> bool:
    at = message.payload.get("at")
    if not isinstance(at, str):
        return False
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return False
    return clock.now() - when > LATE_AFTER


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0
