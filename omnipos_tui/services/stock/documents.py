"""Goods receipts (varemottak), transfers between locations and stock counts (varetelling).

Each use case is one unit of work: the document's rows and its moves (with every balance
they touch) commit together, so a receipt of 500 lines is posted whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.costing import stock_value
from omnipos_tui.core.stock.documents import (
    CountLine,
    CountStatus,
    Difference,
    GoodsReceipt,
    OrderStatus,
    PurchaseOrder,
    ReceiptLine,
    StatusChange,
    StockCount,
    Transfer,
    TransferLine,
    TransferStatus,
    check_order_move,
)
from omnipos_tui.core.stock.locations import COUNT_DIFFERENCE, SUPPLIER, TRANSIT
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting
from omnipos_tui.services.stock.common import (
    LineInput,
    check_employee,
    merged,
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


@dataclass(frozen=True, slots=True)
class CountResult:
    """What finishing a count posted.

    Attributes:
        count: The finished count with its lines.
        moves: Count-difference moves posted.
        variance_value: The variances at average cost, øre (negative: a loss).
    """

    count: StockCount
    moves: int
    variance_value: int


class StockDocumentService:
    """Goods receipts, transfers and counts (see the module docstring)."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def _posting(self, uow: UnitOfWork, employee: str) -> Posting:
        return Posting(employee, uow.register_id, self._clock.now())

    # --- goods receipt ------------------------------------------------------------------

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

    # --- transfers ----------------------------------------------------------------------

    def transfer(
        self,
        source: str,
        target: str,
        lines: Sequence[LineInput],
        *,
        two_step: bool = False,
        employee: str = "",
    ) -> Transfer:
        """Move goods between two real locations: at once, or sent into transit now and
        received later (:meth:`receive_transfer`).

        Raises:
            NotFound: Unknown location, SKU or employee.
            InvalidInput: No lines or a bad quantity.
            RuleViolation: From a location to itself, or a virtual location.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            origin, goal = real_location(uow, source), real_location(uow, target)
            if origin.code == goal.code:
                raise RuleViolation(code="stock.transfer_to_itself", location=origin.code)
            if not lines:
                raise InvalidInput(code="stock.no_lines", document="a transfer")
            wanted = merged(products_and_quantities(uow, lines))
            number = uow.stock.next_number("transfer")
            status = TransferStatus.SENT if two_step else TransferStatus.DONE
            transfer = Transfer(
                number=number,
                source=origin.code,
                target=goal.code,
                two_step=two_step,
                lines=tuple(
                    TransferLine(n, sku, q) for n, (sku, (_, q)) in enumerate(wanted.items(), 1)
                ),
                history=(StatusChange(status.value, self._clock.now(), employee),),
            )
            uow.stock_documents.add_transfer(transfer)
            uow.stock.post(
                _transfer_moves(transfer, origin.code, TRANSIT if two_step else goal.code),
                self._posting(uow, employee),
            )
            uow.commit()
        return transfer

    def receive_transfer(self, number: int, *, employee: str = "") -> Transfer:
        """Receive a two-step transfer: transit -> its target.

        Raises:
            NotFound: Unknown transfer or employee.
            RuleViolation: A one-step transfer, or received already.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            transfer = uow.stock_documents.transfer(number, lock=True)
            if transfer is None:
                raise NotFound(code="stock.unknown_transfer", number=number)
            if not transfer.two_step:
                raise RuleViolation(code="stock.transfer_one_step", number=number)
            if transfer.status is TransferStatus.RECEIVED:
                raise RuleViolation(code="stock.transfer_received", number=number)
            change = StatusChange(TransferStatus.RECEIVED.value, self._clock.now(), employee)
            try:
                uow.stock_documents.add_transfer_status(number, change)
            except Conflict:
                raise RuleViolation(code="stock.transfer_received", number=number) from None
            uow.stock.post(
                _transfer_moves(transfer, TRANSIT, transfer.target), self._posting(uow, employee)
            )
            uow.commit()
        return replace(transfer, history=(*transfer.history, change))

    # --- counts -------------------------------------------------------------------------

    def start_count(
        self, location: str, *, group: str | None = None, employee: str = ""
    ) -> tuple[StockCount, int]:
        """Start a count of a location (all products, or one article group): the snapshot
        of its balances is taken now. Returns the count and how many products it holds.

        Raises:
            NotFound: Unknown location, group or employee.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            place = real_location(uow, location)
            if group is not None and group not in {g.code for g in uow.catalogue.groups()}:
                raise NotFound(code="stock.unknown_group", group=group)
            number = uow.stock.next_number("count")
            now = self._clock.now()
            count = StockCount(
                number=number,
                location=place.code,
                group=group,
                started_at=now,
                employee=employee,
                history=(StatusChange(CountStatus.STARTED.value, now, employee),),
            )
            uow.stock_documents.add_count(count)
            size = uow.stock_documents.take_snapshot(number, place.code, group)
            uow.commit()
        return count, size

    def _open_count(self, uow: UnitOfWork, number: int) -> StockCount:
        count = uow.stock_documents.count(number)
        if count is None:
            raise NotFound(code="stock.unknown_count", number=number)
        if count.status is CountStatus.FINISHED:
            raise RuleViolation(code="stock.count_finished", number=number)
        return count

    def add_counts(
        self, number: int, lines: Sequence[LineInput], *, employee: str = ""
    ) -> dict[str, int]:
        """Add counted quantities to an open count (a product counted in several places
        is the sum). Returns the products' counted totals afterwards.

        Raises:
            NotFound: Unknown count, SKU or employee.
            InvalidInput: A bad quantity.
            RuleViolation: The count is finished, or a product outside its article group.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            count = self._open_count(uow, number)
            found = products_and_quantities(uow, lines, zero=True)
            outside = [p.sku for p, _ in found if count.group and p.group != count.group]
            if outside:
                raise RuleViolation(
                    code="stock.count_outside_group",
                    skus=outside,
                    group=count.group,
                    number=number,
                )
            uow.stock_documents.add_count_entries(
                number, [(p.sku, q) for p, q in found], self._clock.now(), employee
            )
            counted = uow.stock_documents.counted(number)
            uow.commit()
        return {p.sku: counted[p.sku] for p, _ in found}

    def count(self, number: int) -> StockCount:
        """A count with its lines: snapshot, expected now, counted, variance.

        Raises:
            NotFound: Unknown count.
        """
        with self._units(read_only=True) as uow:
            return self._with_lines(uow, number)

    def _with_lines(
        self, uow: UnitOfWork, number: int, current: dict[str, int] | None = None
    ) -> StockCount:
        count = uow.stock_documents.count(number)
        if count is None:
            raise NotFound(code="stock.unknown_count", number=number)
        snapshot = uow.stock_documents.snapshot(number)
        counted = uow.stock_documents.counted(number)
        skus = sorted(snapshot.keys() | counted.keys())
        products = uow.catalogue.products_by_skus(skus)
        lines = []
        for sku in skus:
            balances = uow.stock.balances(sku)
            here = 0
            if current is not None and sku in current:
                here = current[sku]
            elif balances is not None:
                here = next(
                    (loc.on_hand for loc in balances.locations if loc.location == count.location), 0
                )
            lines.append(
                CountLine(
                    sku=sku,
                    name=products[sku].name,
                    unit=products[sku].unit.value,
                    snapshot=snapshot.get(sku),
                    expected=here,
                    counted=counted.get(sku),
                    average_cost=balances.average_cost if balances else 0,
                )
            )
        return replace(count, lines=tuple(lines))

    def counts(self, *, limit: int = 50) -> list[StockCount]:
        """Counts, newest first."""
        with self._units(read_only=True) as uow:
            return uow.stock_documents.counts(limit=limit)

    def finish_count(
        self,
        number: int,
        *,
        zero_uncounted: bool = False,
        reason: str = "",
        employee: str = "",
    ) -> CountResult:
        """Post the variances as count-difference moves and close the count.

        Each counted product is compared with what the location holds now (the snapshot
        plus every move made since the count started); uncounted products are left alone
        unless ``zero_uncounted`` (then they count as 0).

        Raises:
            NotFound: Unknown count or employee.
            RuleViolation: Finished already.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            count = self._open_count(uow, number)
            why = reason.strip() or f"varetelling {number}"
            try:
                uow.stock_documents.add_count_status(
                    number,
                    StatusChange(CountStatus.FINISHED.value, self._clock.now(), employee, why),
                )
            except Conflict:
                raise RuleViolation(code="stock.count_finished", number=number) from None
            counted = uow.stock_documents.counted(number)
            if zero_uncounted:
                for sku in uow.stock_documents.snapshot(number):
                    counted.setdefault(sku, 0)
            current = uow.stock.on_hand_for_update(counted, count.location)
            moves: list[MoveRequest] = []
            for line_no, (sku, quantity) in enumerate(sorted(counted.items()), 1):
                variance = quantity - current.get(sku, 0)
                if variance == 0:
                    continue
                source, target = (
                    (COUNT_DIFFERENCE, count.location)
                    if variance > 0
                    else (count.location, COUNT_DIFFERENCE)
                )
                moves.append(
                    MoveRequest(
                        sku=sku,
                        quantity=abs(variance),
                        source=source,
                        target=target,
                        doc_type=DocType.COUNT,
                        doc_id=str(number),
                        doc_line=line_no,
                        reason=why,
                    )
                )
            finished = self._with_lines(uow, number, current)
            uow.stock.post(moves, self._posting(uow, employee))
            uow.commit()
        value = sum(stock_value(line.variance, line.average_cost) for line in finished.lines)
        return CountResult(finished, len(moves), value)


def _transfer_moves(transfer: Transfer, source: str, target: str) -> list[MoveRequest]:
    return [
        MoveRequest(
            sku=line.sku,
            quantity=line.quantity,
            source=source,
            target=target,
            doc_type=DocType.TRANSFER,
            doc_id=str(transfer.number),
            doc_line=line.line_no,
        )
        for line in transfer.lines
    ]


def _differences(order: PurchaseOrder, lines: list[ReceiptLine]) -> tuple[Difference, ...]:
    ordered: dict[str, int] = {}
    for line in order.lines:
        ordered[line.sku] = ordered.get(line.sku, 0) + line.outstanding
    delivered: dict[str, int] = {}
    for receipt_line in lines:
        delivered[receipt_line.sku] = delivered.get(receipt_line.sku, 0) + receipt_line.quantity
    skus = list(ordered) + [s for s in delivered if s not in ordered]
    return tuple(Difference(sku, ordered.get(sku, 0), delivered.get(sku, 0)) for sku in skus)
