"""Purchase orders: new, add lines, send (with the PDF and CSV for the supplier), show,
list, cancel; and reorder suggestions that can make the draft orders.

An order's life is a chain of status rows: draft -> sent -> partly received -> received,
or cancelled (``core.stock.documents``). Lines are added to drafts only; what a line has
received is the sum of the goods receipts against it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.documents import (
    OrderLine,
    OrderStatus,
    PurchaseOrder,
    StatusChange,
    Supplier,
    SupplierItem,
    check_order_move,
)
from omnipos_tui.core.stock.locations import SHOP_FLOOR
from omnipos_tui.core.stock.order_document import OrderDocument
from omnipos_tui.core.stock.reorder import RATE_DAYS, plan
from omnipos_tui.services.stock.common import (
    LineInput,
    check_employee,
    products_and_quantities,
    real_location,
)
from omnipos_tui.services.stock.supplier_csv import cost_price
from omnipos_tui.services.stock.suppliers import SupplierService

OrderWriter = Callable[[OrderDocument, Path], list[Path]]
"""Writes an order's PDF and CSV into a folder; returns the files (``exports``)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A reorder suggestion for one product at one location.

    Attributes:
        sku: The product.
        name: Its name.
        unit: Its unit.
        location: Where it is needed.
        on_hand: On hand there.
        reserved: Reserved there.
        incoming: Already on open or draft orders for there.
        point: The reorder point used.
        level: The order-up-to level used.
        sold_28d: Sold in the last four weeks.
        quantity: Suggested quantity (whole packs).
        supplier: The supplier to order from ("" when no supplier sells it).
        unit_cost: The supplier's cost per unit.
        pack_size: The supplier's pack.
    """

    sku: str
    name: str
    unit: Unit
    location: str
    on_hand: int
    reserved: int
    incoming: int
    point: int
    level: int
    sold_28d: int
    quantity: int
    supplier: str
    unit_cost: int
    pack_size: int


class PurchaseService:
    """Purchase orders and reorder suggestions."""

    def __init__(
        self, units: UnitOfWorkFactory, clock: Clock, writer: OrderWriter | None = None
    ) -> None:
        self._units = units
        self._clock = clock
        self._writer = writer

    def _change(self, status: OrderStatus, employee: str, note: str = "") -> StatusChange:
        return StatusChange(status.value, self._clock.now(), employee, note)

    @staticmethod
    def find(uow: UnitOfWork, number: int, *, lock: bool = False) -> PurchaseOrder:
        """An order in a unit of work.

        Raises:
            NotFound: No such order.
        """
        order = uow.purchases.get(number, lock=lock)
        if order is None:
            raise NotFound(code="stock.unknown_order", number=number)
        return order

    def _lines(
        self, uow: UnitOfWork, supplier: Supplier, lines: Sequence[LineInput]
    ) -> list[tuple[str, int, int, str]]:
        """Order lines (sku, quantity, unit cost, supplier article number) from input:
        the cost typed after ``@``, else the supplier's cost price, else the average cost.

        Raises:
            NotFound: An unknown SKU or barcode.
            InvalidInput: A bad quantity or cost.
        """
        if not lines:
            raise InvalidInput(code="stock.no_lines", document="purchase order")
        found = products_and_quantities(uow, lines)
        items = {i.sku: i for i in uow.suppliers.items(supplier=supplier.code)}
        out = []
        for (product, quantity), line in zip(found, lines, strict=True):
            item = items.get(product.sku)
            if line.cost:
                cost = cost_price(line.cost)
            elif item is not None:
                cost = item.cost_price
            else:
                balances = uow.stock.balances(product.sku)
                cost = balances.average_cost if balances else 0
            out.append((product.sku, quantity, cost, item.supplier_sku if item else ""))
        return out

    def new(
        self,
        supplier: str,
        lines: Sequence[LineInput],
        *,
        expected: date | None = None,
        location: str = SHOP_FLOOR,
        note: str = "",
        employee: str = "",
    ) -> PurchaseOrder:
        """A new draft order (``purchase new``).

        Raises:
            NotFound: Unknown supplier, SKU or location.
            InvalidInput: A bad line, or an expected date in the past.
            RuleViolation: The supplier is inactive.
        """
        today = business_day(self._clock.now())
        if expected is not None and expected < today:
            raise InvalidInput(code="stock.expected_past", expected=expected, today=today)
        with self._units() as uow:
            check_employee(uow, employee)
            owner = SupplierService.find(uow, supplier)
            if not owner.active:
                raise RuleViolation(code="stock.supplier_inactive", supplier=owner.code)
            place = real_location(uow, location)
            order_lines = self._lines(uow, owner, lines)
            number = uow.stock.next_number("order")
            order = PurchaseOrder(
                number=number,
                supplier=owner.code,
                location=place.code,
                expected=expected,
                created_at=self._clock.now(),
                employee=employee,
                note=note.strip(),
                lines=tuple(
                    OrderLine(n, sku, q, c, ss) for n, (sku, q, c, ss) in enumerate(order_lines, 1)
                ),
                history=(self._change(OrderStatus.DRAFT, employee),),
            )
            uow.purchases.add(order)
            uow.commit()
        return order

    def add(self, number: int, lines: Sequence[LineInput], *, employee: str = "") -> PurchaseOrder:
        """Add lines to a draft (``purchase add``).

        Raises:
            NotFound: Unknown order or SKU.
            RuleViolation: The order is no longer a draft.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            order = self.find(uow, number, lock=True)
            if order.status is not OrderStatus.DRAFT:
                raise RuleViolation(
                    code="stock.order_not_draft",
                    number=number,
                    status=order.status.value.replace("_", " "),
                )
            owner = SupplierService.find(uow, order.supplier)
            uow.purchases.add_lines(number, self._lines(uow, owner, lines))
            order = self.find(uow, number)
            uow.commit()
        return order

    def send(
        self, number: int, *, folder: Path | None = None, employee: str = ""
    ) -> tuple[PurchaseOrder, list[Path]]:
        """Mark a draft as sent and write its PDF and CSV into ``folder`` (when given).

        The files are written first; the order becomes "sent" only when they are there.

        Raises:
            NotFound: Unknown order.
            RuleViolation: Not a draft.
            InvalidInput: The files cannot be written.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            order = self.find(uow, number, lock=True)
            check_order_move(number, order.status, OrderStatus.SENT)
            if not order.lines:
                raise RuleViolation(code="stock.order_empty", number=number)
            files = self._write(uow, order, folder) if folder is not None else []
            uow.purchases.add_status(number, self._change(OrderStatus.SENT, employee))
            order = self.find(uow, number)
            uow.commit()
        return order, files

    def write(self, number: int, folder: Path) -> list[Path]:
        """Write an order's PDF and CSV again (any status).

        Raises:
            NotFound: Unknown order.
        """
        with self._units(read_only=True) as uow:
            return self._write(uow, self.find(uow, number), folder)

    def _write(self, uow: UnitOfWork, order: PurchaseOrder, folder: Path) -> list[Path]:
        if self._writer is None:
            raise RuleViolation(code="stock.no_writer")
        products = uow.catalogue.products_by_skus(line.sku for line in order.lines)
        items = {i.sku: i for i in uow.suppliers.items(supplier=order.supplier)}
        document = OrderDocument(
            order=order,
            supplier=SupplierService.find(uow, order.supplier),
            company=uow.shop.company(),
            products=products,
            items=items,
        )
        return self._writer(document, folder)

    def cancel(self, number: int, *, reason: str = "", employee: str = "") -> PurchaseOrder:
        """Cancel an order that is not received (``purchase cancel``).

        Raises:
            NotFound: Unknown order.
            RuleViolation: Received or cancelled already.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            order = self.find(uow, number, lock=True)
            check_order_move(number, order.status, OrderStatus.CANCELLED)
            uow.purchases.add_status(
                number, self._change(OrderStatus.CANCELLED, employee, reason.strip())
            )
            order = self.find(uow, number)
            uow.commit()
        return order

    def get(self, number: int) -> tuple[PurchaseOrder, Supplier, dict[str, Product]]:
        """An order, its supplier and its products (``purchase show``).

        Raises:
            NotFound: Unknown order.
        """
        with self._units(read_only=True) as uow:
            order = self.find(uow, number)
            products = uow.catalogue.products_by_skus(line.sku for line in order.lines)
            return order, SupplierService.find(uow, order.supplier), products

    def orders(
        self, *, status: OrderStatus | None = None, supplier: str | None = None
    ) -> list[PurchaseOrder]:
        """Orders newest first (``purchase list``)."""
        with self._units(read_only=True) as uow:
            return uow.purchases.find(
                status=None if status is None else status.value, supplier=supplier
            )

    # --- suggestions --------------------------------------------------------------------

    def suggest(
        self, *, create: bool = False, employee: str = ""
    ) -> tuple[list[Suggestion], list[PurchaseOrder]]:
        """Reorder suggestions; with ``create`` a draft order per supplier and location.

        Raises:
            NotFound: An unknown employee.
        """
        since = business_day(self._clock.now()) - timedelta(days=RATE_DAYS - 1)
        suggestions: list[Suggestion] = []
        created: list[PurchaseOrder] = []
        with self._units(read_only=not create) as uow:
            check_employee(uow, employee)
            incoming = self._incoming(uow)
            inputs = list(uow.stock.reorder_inputs(since))
            products = uow.catalogue.products_by_skus(i.sku for i in inputs)
            items: dict[str, list[SupplierItem]] = {}
            for item in uow.suppliers.items():
                items.setdefault(item.sku, []).append(item)
            active = {s.code for s in uow.suppliers.all(include_inactive=False)}
            for data in inputs:
                product = products[data.sku]
                offers = sorted(
                    (i for i in items.get(data.sku, []) if i.supplier in active),
                    key=lambda i: (i.cost_price, i.supplier),
                )
                best = offers[0] if offers else None
                waiting = incoming.get((data.sku, data.location), 0)
                result = plan(
                    on_hand=data.on_hand,
                    reserved=data.reserved,
                    incoming=waiting,
                    min_qty=data.min_qty,
                    max_qty=data.max_qty,
                    sold=data.sold_28d,
                    pack=best.pack_size if best else 1000,
                    whole_units=product.unit is Unit.PIECE,
                )
                if result.quantity <= 0:
                    continue
                suggestions.append(
                    Suggestion(
                        sku=data.sku,
                        name=data.name,
                        unit=product.unit,
                        location=data.location,
                        on_hand=data.on_hand,
                        reserved=data.reserved,
                        incoming=waiting,
                        point=result.point,
                        level=result.level,
                        sold_28d=data.sold_28d,
                        quantity=result.quantity,
                        supplier=best.supplier if best else "",
                        unit_cost=best.cost_price if best else 0,
                        pack_size=best.pack_size if best else 1000,
                    )
                )
            if create:
                created = self._drafts(uow, suggestions, employee)
                uow.commit()
        return suggestions, created

    @staticmethod
    def _incoming(uow: UnitOfWork) -> dict[tuple[str, str], int]:
        """Outstanding on draft, sent and partly received orders, per (SKU, location)."""
        out: dict[tuple[str, str], int] = {}
        for status in (OrderStatus.DRAFT, OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED):
            for order in uow.purchases.find(status=status.value):
                for line in order.lines:
                    key = (line.sku, order.location)
                    out[key] = out.get(key, 0) + line.outstanding
        return out

    def _drafts(
        self, uow: UnitOfWork, suggestions: list[Suggestion], employee: str
    ) -> list[PurchaseOrder]:
        groups: dict[tuple[str, str], list[Suggestion]] = {}
        for suggestion in suggestions:
            if suggestion.supplier:
                groups.setdefault((suggestion.supplier, suggestion.location), []).append(suggestion)
        orders = []
        for (supplier, location), wanted in sorted(groups.items()):
            owner = SupplierService.find(uow, supplier)
            items = {i.sku: i for i in uow.suppliers.items(supplier=supplier)}
            number = uow.stock.next_number("order")
            expected = business_day(self._clock.now()) + timedelta(days=owner.lead_days)
            order = PurchaseOrder(
                number=number,
                supplier=supplier,
                location=location,
                expected=expected,
                created_at=self._clock.now(),
                employee=employee,
                note="reorder suggestion",
                lines=tuple(
                    OrderLine(n, s.sku, s.quantity, s.unit_cost, items[s.sku].supplier_sku)
                    for n, s in enumerate(wanted, 1)
                ),
                history=(self._change(OrderStatus.DRAFT, employee, "reorder suggestion"),),
            )
            uow.purchases.add(order)
            orders.append(order)
        return orders
