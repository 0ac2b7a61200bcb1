"""Ringing up: items by barcode, in-store code, PLU or SKU, open department sales,
quantity changes and line voids (journaled as line reductions and deletions), attaching a
customer, and price look-ups (journaled, R-23).

Each call is one unit of work: it loads the open sale, changes it with the pure
``core.sales.sale.Sale``, saves its snapshot and commits (``services.sales.steps``).
"""

from __future__ import annotations

from decimal import Decimal

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.ledger.journal import EventCode, line_correction_payload, price_lookup_payload
from omnipos_tui.core.ledger.transaction import LineKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.lines import SaleLine
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.services.ledger.steps import journal, lock_register
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.results import AddResult

_FOOD_GROUP = "04006"  # SAF-T article group "Mat": open sales default to the food rate


def add_item(
    deps: SaleDeps, sale_id: str, code: str, *, quantity: Decimal | None = None, employee: str
) -> AddResult:
    """Ring up a product by barcode (also in-store weight/price codes), PLU or SKU.

    Raises:
        UnknownCode: an unknown code. NotFound: no such sale.
        InvalidInput: A quantity that does not fit the product, or a quantity with a
            weight code.
        RuleViolation: Inactive product, paid or parked sale.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        product, weight = steps.find_product(uow, code)
        if weight is not None and quantity is not None:
            raise InvalidInput(code="sale.weight_in_code", barcode=code)
        if weight is None and quantity is None and product.unit is Unit.KG:
            # A weighed product never defaults to 1 kg: the cashier must give the weight.
            raise InvalidInput(code="sale.weight_first", name=product.name, barcode=code)
        amount = weight if weight is not None else quantity or Decimal(1)
        now = deps.clock.now()
        last = sale.entries[-1] if sale.entries else None
        if weight is None and last is not None and _mergeable(deps, sale, last, product):
            total = sale.quantity_of(last.line_no) + amount
            sale.change_quantity(last.line_no, total, at=now, employee=employee)
            line, merged = sale.line(last.line_no), True
        else:
            line, merged = sale.add_product(product, amount, at=now, employee=employee), False
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return AddResult(sale, line, product, merged)


def _mergeable(deps: SaleDeps, sale: Sale, last: SaleLine, product: Product) -> bool:
    return (
        deps.merge_identical_scans
        and last.kind is LineKind.ITEM
        and last.sku == product.sku != ""
        and last.unit_price == product.price
        and last.discount is None
        and not last.price_override_reason
        and last.unit.value == "piece"
        and sale.quantity_of(last.line_no) > 0
    )


def add_open_item(
    deps: SaleDeps,
    sale_id: str,
    group_code: str,
    amount: Money,
    *,
    employee: str,
    vat_code: str | None = None,
    name: str = "",
) -> AddResult:
    """Ring up an open department sale: an amount on an article group.

    Args:
        vat_code: The VAT code; by default 15 % for food groups and 25 % otherwise.

    Raises:
        NotFound: No such article group or sale.
        InvalidInput: Amount not above 0, or an unknown VAT code.
        RuleViolation: Paid or parked sale.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        group = next((g for g in uow.catalogue.groups() if g.code == group_code), None)
        if group is None:
            raise NotFound(code="sale.unknown_group", group=group_code)
        code = vat_code or ("31" if group.saft_code == _FOOD_GROUP else "3")
        at = deps.clock.now()
        line = sale.add_open_item(
            group, amount, rate_by_code(code), at=at, employee=employee, name=name
        )
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    product = Product(sku="", name=line.name, price=amount, vat=line.vat, group=group.code)
    return AddResult(sale, line, product)


def change_quantity(
    deps: SaleDeps, sale_id: str, line_no: int, quantity: Decimal, *, employee: str
) -> Sale:
    """Set an item's quantity; a reduction is a correction line (journaled as a line
    reduction, or a deletion at 0).

    Raises:
        NotFound: No such sale or line.
        InvalidInput: A quantity that does not fit the unit.
        RuleViolation: Not an item line, a card payment in progress, or the sale is
            paid / would go below what is paid.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        correction = sale.change_quantity(line_no, quantity, at=deps.clock.now(), employee=employee)
        if correction is not None:
            code = EventCode.LINE_DELETE if quantity == 0 else EventCode.LINE_REDUCE
            _journal_correction(deps, uow, sale, correction, code, employee=employee)
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale


def void_line(deps: SaleDeps, sale_id: str, line_no: int, *, employee: str) -> Sale:
    """Void an item or return line: a correction line, journaled as a line deletion.

    Raises:
        NotFound: No such sale or line.
        RuleViolation: Already voided, a correction line, a card payment in progress,
            or the void would bring the total below what is paid.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        correction = sale.void_line(line_no, at=deps.clock.now(), employee=employee)
        _journal_correction(deps, uow, sale, correction, EventCode.LINE_DELETE, employee=employee)
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale


def _journal_correction(
    deps: SaleDeps, uow: UnitOfWork, sale: Sale, line: SaleLine, code: EventCode, *, employee: str
) -> None:
    amount = sale.lines()[line.line_no - 1].amount
    state = lock_register(uow, sale.register_id)
    journal(
        uow,
        state,
        code,
        deps.clock.now(),
        employee=employee,
        text=f"{code.description}: linje {line.corrects_line} {line.name}",
        payload={
            **line_correction_payload(line.corrects_line or 0, line.sku, -line.quantity, amount),
            "sale_id": sale.sale_id,
        },
    )
    uow.register_states.save(state)


def attach_customer(deps: SaleDeps, sale_id: str, customer_number: str) -> Sale:
    """Attach a customer (needed for a credit sale).

    Raises:
        NotFound: No such sale or customer.
        RuleViolation: The customer is deactivated.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        customer = uow.customers.get(customer_number.strip())
        if customer is None:
            raise NotFound(code="sale.unknown_customer", number=customer_number)
        if not customer.active:
            raise RuleViolation(code="customer.inactive", number=customer.number)
        sale.attach_customer(customer)
        steps.save(uow, record, sale, deps.clock.now())
        uow.commit()
    return sale


def price_lookup(deps: SaleDeps, register_id: str, code: str, *, employee: str) -> Product:
    """Show a product's price without selling it; journaled as a price look-up with
    its article group and amount (R-23).

    Raises:
        UnknownCode: an unknown code.
    """
    with deps.units() as uow:
        product, weight = steps.find_product(uow, code)
        amount = product.price if weight is None else product.price.times(weight)
        state = lock_register(uow, register_id)
        journal(
            uow,
            state,
            EventCode.PRICE_LOOKUP,
            deps.clock.now(),
            employee=employee,
            text=f"Prisforespørsel {product.sku} {product.name}: {amount}",
            payload=price_lookup_payload(product.sku, product.group, amount),
        )
        uow.register_states.save(state)
        uow.commit()
    return product
