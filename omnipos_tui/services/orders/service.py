"""Customer orders: take one (any channel), show and list them, pick, pack, cancel, and the
paper (order confirmation, pick list). Shipping and tracking are in
``services/orders/shipping.py``, the till's pick-up in ``services/orders/pickup.py``.

Each use case is a function with its dependencies (:class:`OrderDeps`) passed in: taking an
order in :mod:`~omnipos_tui.services.orders.taking`, the answers in
:mod:`~omnipos_tui.services.orders.answers`, picking, packing and cancelling in
:mod:`~omnipos_tui.services.orders.handling`. :class:`OrderService` holds the dependencies
for the front ends and calls them; the order's paper is here.

Each use case is one unit of work: the order's rows, its line events, the stock moves and
the reservations it changes (the stock ledger's atomic updates) and its status row commit
together or not at all. The order is locked first (PostgreSQL: its row ``FOR UPDATE``;
SQLite holds the write lock), so two people picking one order never pick it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.orders.order import (
    TILL,
    Address,
    CustomerOrder,
    Delivery,
    OrderStatus,
    PaymentState,
)
from omnipos_tui.core.orders.ports import OrderSummary
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.services.orders import answers, handling, steps, taking
from omnipos_tui.services.orders.answers import (
    CustomerHistory,
    OrderDeps,
    OrderDetails,
    TillOrders,
    unit_of,
)
from omnipos_tui.services.orders.taking import MAX_LINES
from omnipos_tui.services.stock.common import LineInput

if TYPE_CHECKING:
    from omnipos_tui.core.orders.paper import OrderPaperWords  # the paper when asked

__all__ = [
    "MAX_LINES",
    "CustomerHistory",
    "OrderDeps",
    "OrderDetails",
    "OrderService",
    "TillOrders",
    "unit_of",
]


class OrderService:
    """The order register (see the module docstring): each method calls its use case.

    Args:
        units: Opens units of work.
        clock: The time.
        columns: The receipt printer's width, for the order's paper.
        paper_words: The order paper's labels in the till's language
            (``messages.order_paper.order_paper_words``).
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        *,
        paper_words: OrderPaperWords,
        columns: int = 42,
    ) -> None:
        self._deps = OrderDeps(units, clock, columns)
        self._units = units
        self._columns = columns
        self._paper_words = paper_words

    def new(
        self,
        customer: str,
        lines: Sequence[LineInput],
        *,
        channel: str = TILL,
        external: str | None = None,
        delivery: Delivery = Delivery.PICKUP,
        payment: PaymentState | None = None,
        address: Address | None = None,
        location: str | None = None,
        promised: date | None = None,
        note: str = "",
        employee: str = "",
        register_id: str | None = None,
    ) -> OrderDetails:
        """Take an order (:func:`~omnipos_tui.services.orders.taking.new_order`)."""
        return taking.new_order(
            self._deps,
            customer,
            lines,
            channel=channel,
            external=external,
            delivery=delivery,
            payment=payment,
            address=address,
            location=location,
            promised=promised,
            note=note,
            employee=employee,
            register_id=register_id,
        )

    def show(self, number: int) -> OrderDetails:
        """An order (:func:`~omnipos_tui.services.orders.answers.show`)."""
        return answers.show(self._deps, number)

    def list(
        self,
        *,
        customer: str | None = None,
        status: OrderStatus | None = None,
        channel: str | None = None,
        late: bool = False,
        limit: int = 100,
    ) -> list[OrderSummary]:
        """Orders newest first (:func:`~omnipos_tui.services.orders.answers.list_orders`)."""
        return answers.list_orders(
            self._deps, customer=customer, status=status, channel=channel, late=late, limit=limit
        )

    def till_orders(self, *, limit: int = 200) -> TillOrders:
        """The till's order list (:func:`~omnipos_tui.services.orders.answers.till_orders`)."""
        return answers.till_orders(self._deps, limit=limit)

    def customer_history(self, number: str, *, limit: int = 20) -> CustomerHistory:
        """A customer's orders and purchases
        (:func:`~omnipos_tui.services.orders.answers.customer_history`)."""
        return answers.customer_history(self._deps, number, limit=limit)

    def pick(
        self,
        number: int,
        lines: Sequence[tuple[int, str]] = (),
        *,
        employee: str = "",
        register_id: str | None = None,
    ) -> CustomerOrder:
        """Pick an order's goods (:func:`~omnipos_tui.services.orders.handling.pick`)."""
        return handling.pick(self._deps, number, lines, employee=employee, register_id=register_id)

    def pack(self, number: int, *, employee: str = "") -> CustomerOrder:
        """A picked order is packed (:func:`~omnipos_tui.services.orders.handling.pack`)."""
        return handling.pack(self._deps, number, employee=employee)

    def cancel(
        self,
        number: int,
        lines: Sequence[tuple[int, str]] = (),
        *,
        reason: str = "",
        employee: str = "",
        register_id: str | None = None,
    ) -> CustomerOrder:
        """Cancel an order or quantities of its lines
        (:func:`~omnipos_tui.services.orders.handling.cancel`)."""
        return handling.cancel(
            self._deps, number, lines, reason=reason, employee=employee, register_id=register_id
        )

    # --- paper ------------------------------------------------------------------------------

    def confirmation(self, number: int) -> Document:
        """The order confirmation for the receipt printer (with the order's barcode).

        Raises:
            NotFound: No such order.
            RuleViolation: The shop is not set up (no company).
        """
        from omnipos_tui.core.orders.paper import order_confirmation  # the paper when asked

        with self._units(read_only=True) as uow:
            order = steps.find(uow, number)
            company = uow.shop.company()
            if company is None:
                raise RuleViolation(code="order.no_company")
            customer = uow.customers.get(order.customer)
            units = unit_of(uow, [ln.sku for ln in order.lines])
        return order_confirmation(
            order,
            company=company,
            customer=customer,
            words=self._paper_words,
            units=units,
            columns=self._columns,
        )

    def pick_list(self, number: int) -> Document:
        """The pick list for the receipt printer.

        Raises:
            NotFound: No such order.
        """
        from omnipos_tui.core.orders.paper import pick_list  # the paper when asked

        with self._units(read_only=True) as uow:
            order = steps.find(uow, number)
            units = unit_of(uow, [ln.sku for ln in order.lines])
        return pick_list(order, words=self._paper_words, units=units, columns=self._columns)
