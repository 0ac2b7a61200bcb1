"""The printed paper of the till's outbox rows: ``device.receipt`` (a sale's or a voided
sale's original receipt) and ``device.delivery`` (a prepaid order's delivery receipt) go
into the print spool once per row, the row's key being the job's idempotency key (see
:mod:`~omnipos_tui.services.sales.paper` for the whole of paper after money)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import DeliveryRejected, NotFound
from omnipos_tui.core.outbox import OutboxMessage
from omnipos_tui.core.printing import PrintSpool

log = logging.getLogger(__name__)

RECEIPT = "device.receipt"
DELIVERY = "device.delivery"


class DocumentHandler:
    """A printed document's kind: into the print spool, once per key (the row's key is the
    job's idempotency key).

    Args:
        kind: The outbox kind.
        spool: The print spool (built on first use).
        layout: The document of a row, laid out from the database (after a restart); the
            till's own document is used when it is at hand.
        at_hand: The key of a row's document at hand (its receipt id or its key).
    """

    def __init__(
        self,
        kind: str,
        spool: Callable[[], PrintSpool],
        layout: Callable[[OutboxMessage], Document],
        at_hand: Callable[[OutboxMessage], str],
    ) -> None:
        self.kind = kind
        self._spool = spool
        self._layout = layout
        self._key_of = at_hand
        self._at_hand: dict[str, Document] = {}
        self._lock = threading.Lock()

    def hand(self, key: str, document: Document) -> None:
        """The document just made (no need to read it back)."""
        with self._lock:
            self._at_hand[key] = document

    def handle(self, message: OutboxMessage) -> str | None:
        """Submit the document (a printer fault leaves the job waiting in the spool, whose
        own retries print it; the row is done once the spool has it). Returns the job id.

        Raises:
            DeliveryRejected: The document or the printer does not exist.
            PosError: The spool cannot be written (tried again later).
        """
        key = self._key_of(message)
        printer = str(message.payload.get("printer", "receipt"))
        with self._lock:
            document = self._at_hand.pop(key, None)
        try:
            if document is None:
                document = self._layout(message)
            # The drawer is kicked through its own row, once; a reprint must never kick it.
            job = self._spool().submit(
                printer, replace(document, kick_drawer=False), key=f"{self.kind}:{message.key}"
            )
        except NotFound as error:
            raise DeliveryRejected(str(error)) from error
        if job.last_error:
            log.warning("%s %s waits in the print queue: %s", self.kind, key, job.last_error)
        return job.id


class ReceiptHandler(DocumentHandler):
    """``device.receipt``: the original receipt into the print spool, once per key.

    Args:
        spool: The print spool (built on first use).
        layout: The original receipt of a receipt id, laid out from the database (after a
            restart); the till's own document is used when it is at hand.
    """

    def __init__(self, spool: Callable[[], PrintSpool], layout: Callable[[str], Document]) -> None:
        super().__init__(RECEIPT, spool, lambda m: layout(_receipt_id(m)), _receipt_id)


class DeliveryHandler(DocumentHandler):
    """``device.delivery``: a prepaid order's delivery receipt into the print spool, once
    per hand-over.

    Args:
        spool: The print spool (built on first use).
        layout: The delivery receipt of a row's payload, laid out from the database.
    """

    def __init__(
        self,
        spool: Callable[[], PrintSpool],
        layout: Callable[[dict[str, object]], Document],
    ) -> None:
        super().__init__(DELIVERY, spool, lambda m: layout(dict(m.payload)), lambda m: m.key)


def _receipt_id(message: OutboxMessage) -> str:
    return str(message.payload.get("receipt_id", message.key))
