"""What was rung up in a sale, and how it is priced into transaction lines.

A sale keeps its registrations as :class:`SaleLine` entries: items, returns and
corrections, never erased. Amounts are derived from the entries every time, by
:func:`price_lines`, so discounts, corrections and whole-sale discount shares always agree
to the øre:

- an item's amount is ``unit_price × quantity`` less its line discount and its share of a
  whole-sale discount;
- a correction is the difference between the corrected line's amount before and after it;
- a return with a receipt refunds its share of what the original line finally cost; a
  return without one refunds the unit price.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import Discount, LineKind, TransactionLine
from omnipos_tui.core.money import Money, round_half_up
from omnipos_tui.core.vat import VatRate, line_vat

MAX_QUANTITY = Decimal(9999)


class DiscountMode(enum.StrEnum):
    """How a discount is given (the till's ``10 F4`` then 1, 2 or 3)."""

    PERCENT = "percent"
    AMOUNT = "amount"
    NEW_PRICE = "new_price"


@dataclass(frozen=True, slots=True, kw_only=True)
class DiscountSpec:
    """A discount as given: percent, kroner off, or a new price.

    Attributes:
        mode: Percent, amount or new price.
        percent: The percentage (0 < p <= 100) for ``PERCENT``.
        amount: Kroner off for ``AMOUNT``; the new unit price (line) or the new total
            (whole sale) for ``NEW_PRICE``.
        employee: Number of the employee who gave or approved it.
        reason: Why; may be empty.
    """

    mode: DiscountMode
    percent: Decimal | None = None
    amount: Money | None = None
    employee: str
    reason: str = ""

    def __post_init__(self) -> None:
        if self.mode is DiscountMode.PERCENT:
            if self.percent is None or self.amount is not None:
                raise InvalidInput(code="discount.percent_only")
            if not self.percent.is_finite() or not Decimal(0) < self.percent <= Decimal(100):
                raise InvalidInput(code="discount.bad_percent", percent=self.percent)
        else:
            if self.amount is None or self.percent is not None:
                raise InvalidInput(code="discount.amount_only", mode=self.mode)
            if self.mode is DiscountMode.AMOUNT and self.amount.ore <= 0:
                raise InvalidInput(code="discount.not_positive", amount=self.amount)
            if self.mode is DiscountMode.NEW_PRICE and self.amount.ore < 0:
                raise InvalidInput(code="discount.negative_new_price", amount=self.amount)

    @classmethod
    def percent_off(cls, percent: Decimal, *, employee: str, reason: str = "") -> DiscountSpec:
        """``percent`` % off."""
        return cls(mode=DiscountMode.PERCENT, percent=percent, employee=employee, reason=reason)

    @classmethod
    def amount_off(cls, amount: Money, *, employee: str, reason: str = "") -> DiscountSpec:
        """``amount`` kroner off."""
        return cls(mode=DiscountMode.AMOUNT, amount=amount, employee=employee, reason=reason)

    @classmethod
    def new_price(cls, price: Money, *, employee: str, reason: str = "") -> DiscountSpec:
        """A new, lower price (per unit on a line, the new total on a whole sale)."""
        return cls(mode=DiscountMode.NEW_PRICE, amount=price, employee=employee, reason=reason)

    def record(self, amount: Money) -> Discount:
        """The :class:`Discount` stored on a line for ``amount`` of this discount."""
        return Discount(
            amount=amount, percent=self.percent, employee=self.employee, reason=self.reason
        )


@dataclass(frozen=True, slots=True)
class RefundBasis:
    """What an original receipt line finally cost, for returns that reference it.

    Partial returns refund cumulative shares: with ``returned_before`` already taken back,
    returning ``q`` refunds ``part(before + q) - part(before)``, so any sequence of partial
    returns of a line refunds exactly what it cost, never an øre more.

    Attributes:
        amount: Its amount after corrections and all discounts (positive).
        quantity: Its quantity after corrections (positive).
        discount: Its discounts after corrections (line and whole-sale share).
        returned_before: How much of it earlier returns took back.
    """

    amount: Money
    quantity: Decimal
    discount: Money
    returned_before: Decimal = Decimal(0)

    def share(self, value: Money, quantity: Decimal) -> Money:
        """The part of ``value`` (the amount or the discount) ``quantity`` takes back."""
        before = self.returned_before
        return self._part(value, before + quantity) - self._part(value, before)

    def _part(self, value: Money, quantity: Decimal) -> Money:
        if quantity == self.quantity:
            return value
        return Money(round_half_up(Decimal(value.ore) * quantity / self.quantity))


@dataclass(frozen=True, slots=True, kw_only=True)
class SaleLine:
    """One registration in an open sale.

    Attributes:
        line_no: 1-based, in the order rung.
        kind: Item, return or correction.
        quantity: Items: the quantity rung (plus later increases). Returns: negative.
            Corrections: the change (negative for an item, positive for a voided return).
        unit_price: Price per unit incl. VAT (after a price override).
        shelf_price: The product's price when rung.
        discount: The line discount as given (items only).
        corrects_line: For corrections, the line corrected.
        returns_receipt: For returns with receipt, the original receipt id.
        returns_line: For returns with receipt, the original line number.
        refund: For returns with receipt, what the original line cost.
        Other attributes are as on :class:`TransactionLine`.
    """

    line_no: int
    kind: LineKind
    sku: str
    name: str
    group_code: str
    unit: Unit
    vat: VatRate
    quantity: Decimal
    unit_price: Money
    shelf_price: Money
    at: datetime
    employee: str
    discount: DiscountSpec | None = None
    price_override_reason: str = ""
    approved_by: str = ""
    note: str = ""
    corrects_line: int | None = None
    returns_receipt: str | None = None
    returns_line: int | None = None
    refund: RefundBasis | None = None


def check_quantity(quantity: Decimal, unit: Unit) -> Decimal:
    """A valid quantity for ``unit``: positive, whole pieces, kg with at most 3 decimals.

    Raises:
        InvalidInput: The quantity is not valid for the unit.
    """
    if not isinstance(quantity, Decimal) or not quantity.is_finite():
        raise InvalidInput(code="sale.not_a_quantity", quantity=quantity)
    if quantity <= 0:
        raise InvalidInput(code="sale.quantity_not_positive", quantity=quantity)
    if quantity > MAX_QUANTITY:
        raise InvalidInput(code="sale.quantity_too_large", quantity=quantity, maximum=MAX_QUANTITY)
    if unit is Unit.PIECE and quantity != quantity.to_integral_value():
        raise InvalidInput(code="sale.pieces_whole", quantity=quantity)
    if unit is Unit.KG and quantity != quantity.quantize(Decimal("0.001")):
        raise InvalidInput(code="sale.weight_decimals", quantity=quantity)
    return quantity


def check_entries(entries: tuple[SaleLine, ...]) -> None:
    """Check that stored registrations can have been rung: numbered 1, 2, 3...; corrections
    refer to an earlier item or return; no line corrected past zero.

    Raises:
        InvalidInput: Names the first line that is not consistent.
    """
    for index, e in enumerate(entries, start=1):
        if e.line_no != index:
            raise InvalidInput(code="sale.line_misnumbered", index=index, line_no=e.line_no)
        if e.kind is LineKind.CORRECTION:
            target = e.corrects_line
            if target is None or not 1 <= target < index:
                raise InvalidInput(code="sale.corrects_nothing", index=index)
            if entries[target - 1].kind is LineKind.CORRECTION:
                raise InvalidInput(code="sale.corrects_correction", index=index)
        elif (e.quantity > 0) != (e.kind is LineKind.ITEM):
            raise InvalidInput(
                code="sale.line_wrong_sign", index=index, kind=e.kind, quantity=e.quantity
            )
    left = effective_quantities(entries)
    for e in entries:
        if e.kind is not LineKind.CORRECTION and left[e.line_no] * e.quantity < 0:
            raise InvalidInput(code="sale.corrected_past_zero", line_no=e.line_no)


def line_discount(line: SaleLine, quantity: Decimal) -> Money:
    """The line discount of an item at ``quantity``, never more than the gross amount."""
    spec = line.discount
    if spec is None:
        return Money.zero()
    gross = line.unit_price.times(quantity)
    if spec.mode is DiscountMode.PERCENT:
        assert spec.percent is not None
        off = gross.percent(spec.percent)
    elif spec.mode is DiscountMode.AMOUNT:
        assert spec.amount is not None
        off = spec.amount
    else:
        assert spec.amount is not None
        off = gross - spec.amount.times(quantity)
    return Money(max(0, min(off.ore, gross.ore)))


def item_amount(line: SaleLine, quantity: Decimal) -> Money:
    """An item's amount at ``quantity`` after its line discount (before whole-sale share)."""
    return line.unit_price.times(quantity) - line_discount(line, quantity)


def _return_amounts(line: SaleLine, quantity: Decimal) -> tuple[Money, Money]:
    """(amount, discount) of a return line at a (negative or zero) quantity."""
    back = -quantity
    if line.refund is None:
        return -line.unit_price.times(back), Money.zero()
    return -line.refund.share(line.refund.amount, back), -line.refund.share(
        line.refund.discount, back
    )


def _amounts(line: SaleLine, quantity: Decimal) -> tuple[Money, Money]:
    """(amount, line discount) of an item or return line at ``quantity``."""
    if line.kind is LineKind.RETURN:
        return _return_amounts(line, quantity)
    return item_amount(line, quantity), line_discount(line, quantity)


def effective_quantities(entries: tuple[SaleLine, ...]) -> dict[int, Decimal]:
    """The quantity of every item and return line after its corrections."""
    out = {e.line_no: e.quantity for e in entries if e.kind is not LineKind.CORRECTION}
    for e in entries:
        if e.kind is LineKind.CORRECTION and e.corrects_line is not None:
            out[e.corrects_line] += e.quantity
    return out


def distribute(total: Money, weights: list[Money]) -> list[Money]:
    """Split ``total`` over ``weights`` in proportion, exactly (largest remainder).

    Each share is at most its weight when ``total`` is at most the sum of the weights;
    ties go to the earlier weight.
    """
    whole = sum(w.ore for w in weights)
    if whole <= 0 or total.ore == 0:
        return [Money.zero() for _ in weights]
    floors = [total.ore * w.ore // whole for w in weights]
    rests = [total.ore * w.ore % whole for w in weights]
    left = total.ore - sum(floors)
    for index in sorted(range(len(weights)), key=lambda i: (-rests[i], i))[:left]:
        floors[index] += 1
    return [Money(f) for f in floors]


def sale_discount_total(spec: DiscountSpec, subtotal: Money) -> Money:
    """How much a whole-sale discount takes off ``subtotal`` (never more than it)."""
    if spec.mode is DiscountMode.PERCENT:
        assert spec.percent is not None
        off = subtotal.percent(spec.percent)
    else:
        assert spec.amount is not None
        off = spec.amount if spec.mode is DiscountMode.AMOUNT else subtotal - spec.amount
    return Money(max(0, min(off.ore, subtotal.ore)))


def price_lines(
    entries: tuple[SaleLine, ...], sale_discount: DiscountSpec | None
) -> tuple[TransactionLine, ...]:
    """Transaction lines for the entries of a sale, with every amount derived.

    The whole-sale discount is spread over the items in proportion to their amounts after
    corrections and line discounts, and recorded on the item lines.
    """
    effective = effective_quantities(entries)
    shares: dict[int, Money] = {}
    if sale_discount is not None:
        items = [e for e in entries if e.kind is LineKind.ITEM]
        weights = [Money(max(0, item_amount(e, effective[e.line_no]).ore)) for e in items]
        off = sale_discount_total(sale_discount, Money.sum(weights))
        shares = {e.line_no: s for e, s in zip(items, distribute(off, weights), strict=True)}
    by_no = {e.line_no: e for e in entries}
    running = {e.line_no: e.quantity for e in entries if e.kind is not LineKind.CORRECTION}
    out: list[TransactionLine] = []
    for e in entries:
        if e.kind is LineKind.CORRECTION:
            assert e.corrects_line is not None
            target = by_no[e.corrects_line]
            before = running[target.line_no]
            after = before + e.quantity
            running[target.line_no] = after
            amount_before, off_before = _amounts(target, before)
            amount_after, off_after = _amounts(target, after)
            amount = amount_after - amount_before
            off_line = off_after - off_before
            spec = target.discount
        else:
            amount, off_line = _amounts(e, e.quantity)
            spec = e.discount
        share = shares.get(e.line_no, Money.zero())
        amount -= share
        discount = None
        if off_line:
            discount = (
                spec.record(off_line) if spec is not None else _returned_discount(off_line, e)
            )
        sale_part = sale_discount.record(share) if sale_discount is not None and share else None
        out.append(
            TransactionLine(
                line_no=e.line_no,
                kind=e.kind,
                sku=e.sku,
                name=e.name,
                group_code=e.group_code,
                quantity=e.quantity,
                unit=e.unit,
                unit_price=e.unit_price,
                amount=amount,
                vat_code=e.vat.code,
                vat_percent=e.vat.percent,
                vat_amount=line_vat(amount, e.vat),
                discount=discount,
                sale_discount=sale_part,
                price_override_reason=e.price_override_reason,
                approved_by=e.approved_by,
                employee=e.employee,
                note=e.note,
                corrects_line=e.corrects_line,
                returns_receipt=e.returns_receipt,
                returns_line=e.returns_line,
                at=e.at,
            )
        )
    return tuple(out)


def _returned_discount(amount: Money, line: SaleLine) -> Discount:
    """The discount a return (or its correction) takes back from the original sale."""
    return Discount(amount=amount, percent=None, employee=line.employee, reason="retur")
