"""The pick-up at the till: an order collected in the shop.

An order paid at the pick-up (or on the customer's account) comes into the open sale:
:func:`bring_into_sale` rings its ready lines at the agreed prices (a price that differs
from the shelf price is a journaled price override naming the order), attaches the
customer and remembers which sale lines carry which order lines. When the sale completes,
its stock posting calls :func:`hand_over_sold` inside the sale's unit of work: the order's
goods move from where they are reserved or picked to ``customer`` and the reservation is
consumed, instead of the sale selling the same goods a second time from the shelf; the
order becomes picked up. A voided or abandoned sale leaves the order as it was.

An order paid in advance elsewhere (the web shop) is not sold again: :func:`hand_over`
moves its goods to the customer, journals the delivery receipt (13018, other receipts) and
records :class:`~omnipos_tui.core.events.OrderHandedOver`: the till that owns the register's
printer queues the receipt's print as an outbox row in the same commit (paper after money,
``services.sales.paper``), and :func:`delivery_reprint` lays it out again from the database
when a crash came between the commit and the print.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.events import OrderHandedOver
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    CustomerOrder,
    Delivery,
    PaymentState,
    check_changeable,
    line_amount,
    order_number_of,
)
from omnipos_tui.core.orders.paper import delivery_receipt
from omnipos_tui.core.orders.ports import SaleLink
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.stock.locations import CUSTOMER
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting
from omnipos_tui.core.stock.quantity import SCALE, to_scaled
from omnipos_tui.services.ledger.steps import journal, lock_register
from omnipos_tui.services.orders import steps as order_steps
from omnipos_tui.services.orders.service import unit_of
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps


@dataclass(frozen=True, slots=True)
class PickupResult:
    """An order brought into the sale.

    Attributes:
        sale: The sale with the order's lines.
        order: The order.
        lines: How many sale lines it added.
    """

    sale: Sale
    order: CustomerOrder
    lines: int


@dataclass(frozen=True, slots=True)
class HandOver:
    """A prepaid order handed over.

    Attributes:
        order: The order afterwards (picked up, or still open for what was not ready).
        document: The delivery receipt (queued for the till's printer by the commit).
        key: The delivery receipt's key (its outbox row's).
    """

    order: CustomerOrder
    document: Document
    key: str = ""


def order_number(code: str) -> int:
    """The order a scanned barcode ("ORD42") or a typed number ("42") names.

    Raises:
        InvalidInput: Neither.
    """
    text = code.strip()
    number = order_number_of(text)
    if number is None and text.isdigit() and len(text) <= 12:
        number = int(text)
    if number is None or number <= 0:
        raise InvalidInput(code="order.bad_code", text=text[:40])
    return number


def _ready(order: CustomerOrder) -> dict[int, int]:
    """What can be handed over now, per order line: picked and reserved goods."""
    return {
        line.line_no: line.picked + line.reserved
        for line in order.lines
        if line.picked + line.reserved > 0
    }


def _collectable(uow: UnitOfWork, code: str, wanted: str) -> CustomerOrder:
    """The order behind ``code``, locked, checked for a pick-up at the till.

    Raises:
        InvalidInput: Not an order code. NotFound: No such order.
        RuleViolation: Finished, shipped, or nothing ready.
    """
    order = order_steps.find(uow, order_number(code), lock=True)
    check_changeable(order, wanted)
    if order.delivery is not Delivery.PICKUP:
        raise RuleViolation(code="order.ship_not_pickup", number=order.number)
    if not _ready(order):
        raise RuleViolation(code="order.nothing_ready", number=order.number)
    return order


def bring_into_sale(deps: SaleDeps, sale_id: str, code: str, *, employee: str) -> PickupResult:
    """Ring an order's ready lines into the open sale for its pick-up (see the module
    docstring).

    Raises:
        InvalidInput: Not an order barcode or number.
        NotFound: No such order or sale.
        RuleViolation: The order is finished, to be shipped, prepaid (hand it over), has
            nothing ready, is in another open sale already; the sale is in training,
            parked or paid.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        order = _collectable(uow, code, "pick up")
        if order.payment is PaymentState.PREPAID:
            raise RuleViolation(code="order.prepaid_hand_over", number=order.number)
        if sale.training:
            raise RuleViolation(code="order.training", number=order.number)
        for other in uow.orders.sales_of(order.number):
            if other == sale_id:
                raise RuleViolation(code="order.in_this_sale", number=order.number)
            if uow.open_sales.get(other) is not None:
                raise RuleViolation(code="order.in_other_sale", number=order.number)
        customer = uow.customers.get(order.customer)
        if customer is None:
            raise NotFound(code="order.unknown_customer", number=order.customer)
        products = uow.catalogue.products_by_skus([ln.sku for ln in order.lines])
        now = deps.clock.now()
        ready = _ready(order)
        carried: dict[int, int] = {}
        overrides = []
        for line in order.lines:
            quantity = ready.get(line.line_no, 0)
            product = products.get(line.sku)
            if not quantity or product is None:
                continue
            rung = sale.add_product(product, Decimal(quantity) / SCALE, at=now, employee=employee)
            carried[rung.line_no] = line.line_no
            if line.unit_price != product.price:
                reason = f"Ordrepris, ordre {order.number}"
                sale.override_price(
                    rung.line_no,
                    line.unit_price,
                    reason=reason,
                    employee=employee,
                    approved_by=order.employee,
                )
                overrides.append((rung.line_no, line.sku, product.price, line.unit_price, reason))
        if not carried:
            raise RuleViolation(code="order.nothing_ready", number=order.number)
        sale.attach_customer(customer)
        if overrides:
            state = lock_register(uow, sale.register_id)
            for line_no, sku, old, new, reason in overrides:
                journal(
                    uow,
                    state,
                    EventCode.PRICE_OVERRIDE,
                    now,
                    employee=employee,
                    text=f"Overstyrt pris linje {line_no} {sku}: {old} -> {new} ({reason})",
                    payload={
                        "sale_id": sale_id,
                        "line": line_no,
                        "sku": sku,
                        "old_price": old.ore,
                        "new_price": new.ore,
                        "reason": reason,
                        "approved_by": order.employee,
                        "order": order.number,
                    },
                )
            uow.register_states.save(state)
        uow.orders.link_sale(sale_id, SaleLink(order.number, carried), now)
        steps.save(uow, record, sale, now)
        uow.commit()
    return PickupResult(sale, order, len(carried))


def hand_over_sold(uow: UnitOfWork, tx: Transaction) -> tuple[set[int], list[MoveRequest]]:
    """Inside the completing sale's unit of work: consume the reservation of the order the
    sale carries (picked goods first, then reserved ones) and mark the order picked up.

    Returns:
        The sale lines (and their corrections) whose stock the order took care of, and the
        moves still to post for what the order no longer had ready (sold from the shelf
        as any sale: a paid sale is never refused).
    """
    link = uow.orders.link_of_transaction(tx.trans_id)
    if link is None or tx.training or tx.voided:
        return set(), []
    covered: set[int] = set()
    sold: dict[int, int] = {}
    for line in tx.lines:
        source = line.line_no if line.kind is LineKind.ITEM else line.corrects_line
        if source is None or source not in link.lines:
            continue
        if line.kind not in (LineKind.ITEM, LineKind.CORRECTION):
            continue
        covered.add(line.line_no)
        order_line = link.lines[source]
        sold[order_line] = sold.get(order_line, 0) + to_scaled(line.quantity)
    order = uow.orders.get(link.order_no, lock=True)
    if order is None or order.status.final:
        return set(), []
    ready = _ready(order)
    wanted = {n: min(q, ready.get(n, 0)) for n, q in sold.items() if q > 0}
    posting = Posting(tx.employee, tx.register_id, tx.completed_at)
    order, _ = order_steps.hand_over(uow, order, wanted, posting, reason=f"sale {tx.trans_id}")
    order_steps.new_status(uow, order, tx.completed_at, tx.employee, f"kvittering {tx.receipt_id}")
    location = uow.stock.register_location(tx.register_id)
    first: dict[int, int] = {}
    for sale_line, order_line in sorted(link.lines.items()):
        first.setdefault(order_line, sale_line)
    skus = {line.line_no: line.sku for line in order.lines}
    extra = [
        MoveRequest(
            sku=skus[order_line],
            quantity=quantity - wanted.get(order_line, 0),
            source=location,
            target=CUSTOMER,
            doc_type=DocType.SALE,
            doc_id=tx.trans_id,
            doc_line=first[order_line],
        )
        for order_line, quantity in sorted(sold.items())
        if quantity > wanted.get(order_line, 0) and skus.get(order_line)
    ]
    return covered, extra


def hand_over(deps: SaleDeps, code: str, *, register_id: str, employee: str) -> HandOver:
    """Hand a prepaid order to its customer (see the module docstring).

    Raises:
        InvalidInput: Not an order barcode or number.
        NotFound: No such order.
        RuleViolation: Finished, to be shipped, not prepaid (bring it into the sale),
            nothing ready, or the register is in training mode.
    """
    now = deps.clock.now()
    with deps.units() as uow:
        order = _collectable(uow, code, "hand over")
        if order.payment is not PaymentState.PREPAID:
            raise RuleViolation(code="order.not_prepaid", number=order.number)
        state = lock_register(uow, register_id)
        if state.training:
            raise RuleViolation(code="order.training", number=order.number)
        company = uow.shop.company()
        if company is None:
            raise RuleViolation(code="order.no_company")
        posting = Posting(employee, register_id, now)
        order, handed = order_steps.hand_over(uow, order, _ready(order), posting, "handed over")
        order = order_steps.new_status(uow, order, now, employee, "utlevert")
        value = Money.sum([line_amount(line.unit_price, q) for line, q in handed])
        event = journal(
            uow,
            state,
            EventCode.OTHER_REPORT,
            now,
            employee=employee,
            text=f"Utleveringskvittering ordre {order.number} (forhåndsbetalt)",
            payload={
                "order": order.number,
                "channel": order.channel,
                "external_id": order.external_id,
                "value": value.ore,
                "lines": [[line.sku, q] for line, q in handed],
            },
        )
        uow.register_states.save(state)
        key = f"{register_id}-{event.seq}"
        lines = tuple((line.line_no, q) for line, q in handed)
        uow.record(OrderHandedOver(register_id, order.number, key, employee, now, lines))
        handed_over = HandedOver(order, lines, register_id, employee, now)
        document = _delivery_document(uow, deps, handed_over)
        uow.commit()
    return HandOver(order, document, key)


def delivery_reprint(deps: SaleDeps, payload: Mapping[str, object]) -> Document:
    """The delivery receipt of a hand-over again, from the database and the payload of its
    outbox row (``services.sales.paper.delivery_messages``): the same document as at the
    hand-over.

    Raises:
        NotFound: No such order, or it has no such line.
        InvalidInput: The payload is not a hand-over's.
    """
    try:
        number = int(str(payload["order"]))
        at = datetime.fromisoformat(str(payload["at"]))
        register_id, employee = str(payload["register_id"]), str(payload["employee"])
        raw = payload["handed"]
        if not isinstance(raw, list):
            raise TypeError("handed")
        lines = tuple((int(n), int(q)) for n, q in raw)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(code="order.bad_hand_over_row", error=str(error)) from None
    with deps.units(read_only=True) as uow:
        order = uow.orders.get(number)
        if order is None:
            raise NotFound(code="order.unknown", number=number)
        return _delivery_document(uow, deps, HandedOver(order, lines, register_id, employee, at))


@dataclass(frozen=True, slots=True)
class HandedOver:
    """What a delivery receipt shows: ``lines`` (order line number, quantity) of ``order``
    handed over at ``register_id`` by ``employee`` at ``at``."""

    order: CustomerOrder
    lines: tuple[tuple[int, int], ...]
    register_id: str
    employee: str
    at: datetime


def _delivery_document(uow: UnitOfWork, deps: SaleDeps, handed: HandedOver) -> Document:
    """The delivery receipt of a hand-over."""
    order, lines, register_id, employee, at = (
        handed.order,
        handed.lines,
        handed.register_id,
        handed.employee,
        handed.at,
    )
    company = uow.shop.company()
    if company is None:
        raise RuleViolation(code="order.no_company")
    by_no = {line.line_no: line for line in order.lines}
    missing = [n for n, _ in lines if n not in by_no]
    if missing:
        raise NotFound(code="order.no_such_line", number=order.number, line=missing[0])
    person = uow.staff.get(employee)
    registers = {r.register_id: r.name for r in uow.shop.registers()}
    return delivery_receipt(
        order,
        [(by_no[n], q) for n, q in lines],
        company=company,
        register=f"{registers.get(register_id, register_id)} ({register_id})",
        employee_name=f"{person.name} ({employee})" if person else employee,
        customer=uow.customers.get(order.customer),
        at=at,
        units=unit_of(uow, [ln.sku for ln in order.lines]),
        words=deps.order_paper,
        columns=deps.receipt_columns,
    )
