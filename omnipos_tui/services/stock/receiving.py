"""Goods receipts (varemottak): a delivery taken in against a purchase order or without
one, in one unit of work with its moves, the average cost and the order's status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.documents import (
    Difference,
    GoodsReceipt,
    OrderStatus,
    PurchaseOrder,
    ReceiptLine,
    StatusChange,
    check_order_move,
)
from omnipos_tui.core.stock.locations import SUPPLIER
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting
from omnipos_tui.services.stock.common import (
    LineInput,
    check_employee,
    products_and_quantities,
    real_location,
)
from omnipos_tui.services.stock.purchasing import PurchaseService
from omnipos_tui.services.stock.supplier_csv import cost_price

MAX_RECEIPT_LINES = 5000
"""A bigger delivery is split by the shop into several receipts."""


@dataclass(frozen=True, slots=True)
class ReceiptResult:
    """What a goods receipt did.

    Attributes:
        receipt: The stored receipt.
        order: The purchase order afterwards (None without one).
        differences: Per product of the order: outstanding before and delivered now
            (over- and under-deliveries; products not on the order show ordered 0).
    """

    receipt: GoodsReceipt
    order: PurchaseOrder | None
    differences: tuple[Difference, ...]


class Receiving:
    """Goods receipts: the part of :class:`~omnipos_tui.services.stock.documents.
    StockDocumentService` that takes deliveries in."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def _posting(self, uow: UnitOfWork, employee: str) -> Posting:
        return Posting(employee, uow.register_id, self._clock.now())

    def receive(
        self,
        lines: Sequence[LineInput],
        *,
        order_no: int | None = None,
        location: str | None = None,
        delivery_note: str = "",
        employee: str = "",
    ) -> ReceiptResult:
        """Take in a delivery: supplier -> location moves at cost, the average cost
        updated, the order's received quantities and status moved on.

        Args:
            lines: What arrived (``SKU=QTY``, optionally ``@COST``).
            order_no: The purchase order it delivers, if any.
            location: Where the goods go (default: the order's location, else the
                register's selling location).
            delivery_note: The supplier's delivery note number (følgeseddel).
            employee: Who took it in.

        Raises:
            NotFound: Unknown order, SKU, location or employee.
            InvalidInput: No lines, too many, or a bad quantity or cost.
            RuleViolation: The order is a draft, cancelled or fully received.
        """
        if not lines:
            raise InvalidInput(code="stock.no_lines", document="a goods receipt")
        if len(lines) > MAX_RECEIPT_LINES:
            raise InvalidInput(
                code="stock.too_many_lines", count=len(lines), maximum=MAX_RECEIPT_LINES
            )
        with self._units() as uow:
            check_employee(uow, employee)
            order = None
            if order_no is not None:
                order = PurchaseService.find(uow, order_no, lock=True)
                check_order_move(order.number, order.status, OrderStatus.PARTLY_RECEIVED)
            where = location or (order.location if order else None)
            place = real_location(uow, where or uow.stock.register_location(uow.register_id))
            found = products_and_quantities(uow, lines)
            number = uow.stock.next_number("receipt")
            receipt_lines = self._receipt_lines(uow, order, found, lines)
            receipt = GoodsReceipt(
                number=number,
                order_no=order.number if order else None,
                location=place.code,
                delivery_note=delivery_note.strip(),
                at=self._clock.now(),
                employee=employee,
                lines=tuple(receipt_lines),
            )
            uow.stock_documents.add_receipt(receipt)
            uow.stock.post(
                [
                    MoveRequest(
                        sku=line.sku,
                        quantity=line.quantity,
                        source=SUPPLIER,
                        target=place.code,
                        doc_type=DocType.RECEIPT,
                        doc_id=str(number),
                        doc_line=line.line_no,
                        unit_cost=line.unit_cost,
                    )
                    for line in receipt_lines
                ],
                self._posting(uow, employee),
            )
            uow.stock.set_last_receipt({line.sku for line in receipt_lines}, number)
            after = None
            differences: tuple[Difference, ...] = ()
            if order is not None:
                differences = _differences(order, receipt_lines)
                after = PurchaseService.find(uow, order.number)
                status = after.status_after_receipt()
                uow.purchases.add_status(
                    order.number,
                    StatusChange(status.value, self._clock.now(), employee, f"receipt {number}"),
                )
                after = PurchaseService.find(uow, order.number)
            uow.commit()
        return ReceiptResult(receipt, after, differences)

    def _receipt_lines(
        self,
        uow: UnitOfWork,
        order: PurchaseOrder | None,
        found: list[tuple[Product, int]],
        lines: Sequence[LineInput],
    ) -> list[ReceiptLine]:
        """Receipt lines: each product's quantity spread over the order's lines for it
        (what is outstanding first; an over-delivery on its last line), at the cost typed,
        else the order line's, else the order's supplier's (without an order: the
        cheapest supplier's), else the average cost."""
        outstanding = {ln.line_no: ln.outstanding for ln in order.lines} if order else {}
        supplier_costs: dict[str, int] = {}
        if order is not None:
            supplier_costs = {
                i.sku: i.cost_price for i in uow.suppliers.items(supplier=order.supplier)
            }
        else:  # no order: the cheapest supplier's cost price, where one sells it
            for product, _ in found:
                offers = [i.cost_price for i in uow.suppliers.items(sku=product.sku)]
                if offers:
                    supplier_costs[product.sku] = min(offers)
        out: list[ReceiptLine] = []
        for (product, quantity), given in zip(found, lines, strict=True):
            typed = cost_price(given.cost) if given.cost else None
            mine = [ln for ln in (order.lines if order else ()) if ln.sku == product.sku]
            left = quantity
            for index, order_line in enumerate(mine):
                last = index == len(mine) - 1
                take = left if last else min(left, outstanding[order_line.line_no])
                if take <= 0:
                    continue
                outstanding[order_line.line_no] -= take
                cost = typed if typed is not None else order_line.unit_cost
                out.append(ReceiptLine(len(out) + 1, product.sku, take, cost, order_line.line_no))
                left -= take
            if left > 0:
                if typed is not None:
                    cost = typed
                elif product.sku in supplier_costs:
                    cost = supplier_costs[product.sku]
                else:
                    balances = uow.stock.balances(product.sku)
                    cost = balances.average_cost if balances else 0
                out.append(ReceiptLine(len(out) + 1, product.sku, left, cost, None))
        return out

    def receipts(self, *, order_no: int | None = None, limit: int = 50) -> list[GoodsReceipt]:
        """Goods receipts, newest first."""
        with self._units(read_only=True) as uow:
            return uow.stock_documents.receipts(order_no=order_no, limit=limit)

    def expected_lines(self, order_no: int) -> list[tuple[Product, int]]:
        """What is still outstanding on an order, per product (the till's receipt screen).

        Raises:
            NotFound: Unknown order.
            RuleViolation: The order cannot be received against.
        """
        with self._units(read_only=True) as uow:
            order = PurchaseService.find(uow, order_no)
            check_order_move(order.number, order.status, OrderStatus.PARTLY_RECEIVED)
            products = uow.catalogue.products_by_skus(ln.sku for ln in order.lines)
            totals: dict[str, int] = {}
            for line in order.lines:
                totals[line.sku] = totals.get(line.sku, 0) + line.outstanding
            return [(products[sku], q) for sku, q in totals.items()]


def _differences(order: PurchaseOrder, lines: list[ReceiptLine]) -> tuple[Difference, ...]:
    ordered: dict[str, int] = {}
    for line in order.lines:
        ordered[line.sku] = ordered.get(line.sku, 0) + line.outstanding
    delivered: dict[str, int] = {}
    for receipt_line in lines:
        delivered[receipt_line.sku] = delivered.get(receipt_line.sku, 0) + receipt_line.quantity
    skus = list(ordered) + [s for s in delivered if s not in ordered]
    return tuple(Difference(sku, ordered.get(sku, 0), delivered.get(sku, 0)) for sku in skus)
