"""Goods receipts (varemottak), transfers between locations and stock counts (varetelling).

Each use case is one unit of work: the document's rows and its moves (with every balance
they touch) commit together, so a receipt of 500 lines is posted whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from omnipos_tui.core.errors import Conflict, InvalidInput, NotFound, PosError, RuleViolation
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.stock.costing import stock_value
from omnipos_tui.core.stock.documents import (
    CountLine,
    CountStatus,
    StatusChange,
    StockCount,
    Transfer,
    TransferLine,
    TransferStatus,
)
from omnipos_tui.core.stock.locations import COUNT_DIFFERENCE, TRANSIT
from omnipos_tui.core.stock.moves import DocType, MoveRequest
from omnipos_tui.services.stock.common import (
    LineInput,
    check_employee,
    line_problems,
    merged,
    products_and_quantities,
    real_location,
)
from omnipos_tui.services.stock.receiving import ReceiptResult, Receiving

__all__ = ["CountResult", "ReceiptResult", "StockDocumentService"]


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


class StockDocumentService(Receiving):
    """Goods receipts (``Receiving``), transfers and counts (see the module docstring)."""

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

    def line_problems(self, lines: Sequence[LineInput], *, zero: bool = False) -> list[PosError]:
        """What is wrong with lines read from a file (unknown products, bad quantities),
        each at its file:line:column; nothing is written."""
        with self._units(read_only=True) as uow:
            return line_problems(uow, lines, zero=zero)

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
        since = uow.stock_documents.moved_since_counted(number)
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
            here -= since.get(sku, 0)  # a counted product: its on hand when it was counted
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

        Each counted product is compared with what the location held when it was counted
        (the snapshot plus the moves made between the start and the product's last count
        entry), and the difference is posted against the stock now, so a sale at the till
        after the product was counted makes no variance. Uncounted products are left alone
        unless ``zero_uncounted`` (then they count as 0 against the stock now).

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
            since = uow.stock_documents.moved_since_counted(number)
            moves: list[MoveRequest] = []
            for line_no, (sku, quantity) in enumerate(sorted(counted.items()), 1):
                variance = quantity - (current.get(sku, 0) - since.get(sku, 0))
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
