"""The registrations of a sale, built and checked: item lines, correction lines, changed
lines (a raised quantity, another price, a discount), a whole-sale discount, and the money
rule every change must keep.

Pure functions over ``SaleLine`` tuples; :class:`core.sales.sale.Sale` applies what they
return. Each raises before anything changes, so a refused registration leaves the sale
as it was.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.ledger.transaction import LineKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import (
    DiscountMode,
    DiscountSpec,
    SaleLine,
    check_quantity,
    effective_quantities,
    item_amount,
    price_lines,
)
from omnipos_tui.core.vat import VatRate


def aware(at: datetime) -> datetime:
    """``at`` itself, refused when it has no time zone.

    Raises:
        InvalidInput: A naive time.
    """
    if at.tzinfo is None:
        raise InvalidInput(code="sale.naive_time")
    return at


def item_line(
    line_no: int, product: Product, quantity: Decimal, *, at: datetime, employee: str
) -> SaleLine:
    """The item line ringing up ``quantity`` of ``product``.

    Raises:
        InvalidInput: The quantity does not fit the product's unit.
        RuleViolation: The product is inactive.
    """
    if not product.active:
        raise RuleViolation(code="sale.inactive_product", name=product.name, sku=product.sku)
    return SaleLine(
        line_no=line_no,
        kind=LineKind.ITEM,
        sku=product.sku,
        name=product.name,
        group_code=product.group,
        unit=product.unit,
        vat=product.vat,
        quantity=check_quantity(quantity, product.unit),
        unit_price=product.price,
        shelf_price=product.price,
        at=aware(at),
        employee=employee,
    )


def open_item(group: ArticleGroup, price: Money, vat: VatRate, name: str) -> Product:
    """The product an open department sale rings up: a price on an article group.

    Raises:
        InvalidInput: The price is not positive.
    """
    if price.ore <= 0:
        raise InvalidInput(code="sale.open_price_not_positive", price=price)
    return Product(sku="", name=name.strip() or group.name, price=price, vat=vat, group=group.code)


def entry(entries: tuple[SaleLine, ...], line_no: int) -> SaleLine:
    """The registration with ``line_no``.

    Raises:
        NotFound: No such line.
    """
    if 1 <= line_no <= len(entries):
        return entries[line_no - 1]
    raise NotFound(code="sale.no_line", line_no=line_no)


def target(entries: tuple[SaleLine, ...], line_no: int, kind: LineKind | None) -> SaleLine:
    """The registration a change is made to: not a correction, and of ``kind`` if given.

    Raises:
        NotFound: No such line.
        RuleViolation: A correction line, or not of ``kind``.
    """
    found = entry(entries, line_no)
    if found.kind is LineKind.CORRECTION:
        raise RuleViolation(code="sale.line_is_correction", line_no=line_no)
    if kind is not None and found.kind is not kind:
        raise RuleViolation(code="sale.line_not_item", line_no=line_no, kind=found.kind)
    return found


def correction_line(
    corrected: SaleLine, change: Decimal, line_no: int, *, at: datetime, employee: str
) -> SaleLine:
    """The correction line ``line_no`` changing ``corrected``'s quantity by ``change``."""
    return replace(
        corrected,
        line_no=line_no,
        kind=LineKind.CORRECTION,
        quantity=change,
        at=aware(at),
        employee=employee,
        discount=None,
        approved_by="",
        note="",
        corrects_line=corrected.line_no,
        returns_receipt=None,
        returns_line=None,
        refund=None,
    )


def replaced(entries: tuple[SaleLine, ...], line: SaleLine) -> tuple[SaleLine, ...]:
    """The registrations with ``line`` in place of the one with its number."""
    changed = list(entries)
    changed[line.line_no - 1] = line
    return tuple(changed)


def overridden(
    item: SaleLine, price: Money, *, reason: str, employee: str, approved_by: str
) -> SaleLine:
    """An item at another unit price, with the reason and who approved it.

    Raises:
        InvalidInput: No reason, or a negative price.
    """
    if not reason.strip():
        raise InvalidInput(code="sale.override_no_reason")
    if price.ore < 0:
        raise InvalidInput(code="sale.negative_price", price=price)
    return replace(
        item,
        unit_price=price,
        price_override_reason=reason.strip(),
        approved_by=approved_by or employee,
    )


def discounted(item: SaleLine, left: Decimal, spec: DiscountSpec) -> SaleLine:
    """An item with ``left`` of it still sold, given the discount ``spec``.

    Raises:
        RuleViolation: Voided, a discount larger than the line, or a new price not below
            the price.
    """
    if left == 0:
        raise RuleViolation(code="sale.line_voided", line_no=item.line_no)
    gross = item.unit_price.times(left)
    if spec.mode is DiscountMode.AMOUNT and spec.amount is not None and spec.amount > gross:
        raise RuleViolation(code="discount.more_than_line", amount=spec.amount, gross=gross)
    new_price = spec.mode is DiscountMode.NEW_PRICE and spec.amount is not None
    if new_price and spec.amount is not None and spec.amount >= item.unit_price:
        raise RuleViolation(
            code="discount.new_price_not_lower", amount=spec.amount, unit_price=item.unit_price
        )
    return replace(item, discount=spec)


def check_sale_discount(entries: tuple[SaleLine, ...], spec: DiscountSpec) -> None:
    """Refuse a whole-sale discount the items cannot carry.

    Raises:
        RuleViolation: No items to discount, or a discount larger than the items.
    """
    left = effective_quantities(entries)
    subtotal = Money.sum(
        [
            item_amount(e, left[e.line_no])
            for e in entries
            if e.kind is LineKind.ITEM and left[e.line_no]
        ]
    )
    if subtotal.ore <= 0:
        raise RuleViolation(code="discount.no_items")
    if spec.mode is not DiscountMode.PERCENT and spec.amount is not None:
        if spec.mode is DiscountMode.AMOUNT and spec.amount > subtotal:
            raise RuleViolation(
                code="discount.more_than_items", amount=spec.amount, subtotal=subtotal
            )
        if spec.mode is DiscountMode.NEW_PRICE and spec.amount >= subtotal:
            raise RuleViolation(
                code="discount.new_total_not_lower", amount=spec.amount, subtotal=subtotal
            )


def check_paid_total(
    paid: Money, entries: tuple[SaleLine, ...], discount: DiscountSpec | None
) -> None:
    """Refuse registrations whose total would fall past what is already ``paid`` (a
    refund goes the other way).

    Raises:
        RuleViolation: The total would fall past what is paid.
    """
    total = Money.sum([ln.amount for ln in price_lines(entries, discount)])
    if (paid.ore > 0 and total < paid) or (paid.ore < 0 and total > paid):
        raise RuleViolation(code="sale.total_below_paid", paid=paid, total=total)
