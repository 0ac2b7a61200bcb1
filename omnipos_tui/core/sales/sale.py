"""A sale in progress: the mutable aggregate a cashier rings up, pays and completes.

Registrations are never erased: a void or a quantity reduction is a correction line, a
return is a return line. Amounts are derived from the registrations on every read
(``core.sales.lines.price_lines``), so totals, VAT and discounts always agree. Payments
follow ``core.sales.tender``. When the sale is paid, :meth:`Sale.to_transaction` builds
the unsigned :class:`Transaction` (``core.sales.booking``) from the numbers the service
allocated; the service signs it with :meth:`Transaction.signed`. ``core.sales.snapshot``
persists an open sale as JSON.

Rules that protect money: no payment once fully paid; no change after a payment that
would bring the total past what is already paid (refund instead); no change at all once
fully paid; a credit sale needs a customer; a return without a receipt needs a manager.

Why this module is over 400 lines: it is the one class that owns an open sale's state,
and every change goes through its ``_commit``, which enforces the money rules above.
The lines it registers are built and checked in ``core.sales.registrations`` (items,
corrections, overrides, discounts), ``core.sales.returns`` (return lines) and
``core.sales.tender`` (payments), the completed transaction in ``core.sales.booking``;
what is left is the aggregate's state, its reads and its documented public methods.
Splitting it further would hand its private state to other modules or make it a chain
of inheriting classes again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    Payment,
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
    TransactionLine,
    vat_by_rate,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.booking import sale_transaction
from omnipos_tui.core.sales.lines import (
    DiscountSpec,
    SaleLine,
    check_entries,
    check_quantity,
    effective_quantities,
    price_lines,
)
from omnipos_tui.core.sales.registrations import (
    aware,
    check_paid_total,
    check_sale_discount,
    correction_line,
    discounted,
    entry,
    item_line,
    open_item,
    overridden,
    replaced,
    target,
)
from omnipos_tui.core.sales.returns import return_line, unreferenced_return_line
from omnipos_tui.core.sales.tender import cash_due, take_cash, take_exact
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.core.vat import VatRate

_ONE = Decimal(1)


class Sale:
    """An open sale on one register.

    Attributes:
        sale_id: Unique id of the open sale (parking, crash recovery, idempotent completion).
        register_id: The register it is rung on.
        employee: Number of the employee ringing it.
        started_at: When it was opened (aware UTC).
        training: Rung in training mode (own numbering, outside real totals).
        customer: Attached customer's number, or None.
        customer_name: Attached customer's name, for receipts and the screen.
        note: Free text (the park note).
    """

    def __init__(
        self,
        *,
        sale_id: str,
        register_id: str,
        employee: str,
        started_at: datetime,
        training: bool = False,
    ) -> None:
        self.sale_id = sale_id
        self.register_id = register_id
        self.employee = employee
        self.started_at = aware(started_at)
        self.training = training
        self.customer: str | None = None
        self.customer_name = ""
        self.note = ""
        self._entries: tuple[SaleLine, ...] = ()
        self._sale_discount: DiscountSpec | None = None
        self._payments: tuple[Payment, ...] = ()
        self._rounding = Money.zero()
        self._priced: tuple[TransactionLine, ...] | None = None

    # --- reading -------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[SaleLine, ...]:
        """The registrations, in the order rung."""
        return self._entries

    @property
    def sale_discount(self) -> DiscountSpec | None:
        """The whole-sale discount as given, or None."""
        return self._sale_discount

    @property
    def payments(self) -> tuple[Payment, ...]:
        """The payments taken, in order."""
        return self._payments

    def lines(self) -> tuple[TransactionLine, ...]:
        """The priced lines (amounts, VAT, discounts) as they would be registered."""
        if self._priced is None:
            self._priced = price_lines(self._entries, self._sale_discount)
        return self._priced

    def line(self, line_no: int) -> SaleLine:
        """The registration with ``line_no``.

        Raises:
            NotFound: No such line.
        """
        return entry(self._entries, line_no)

    def quantity_of(self, line_no: int) -> Decimal:
        """An item's or return's quantity after its corrections (0 when voided)."""
        return effective_quantities(self._entries).get(line_no, Decimal(0))

    def total(self) -> Money:
        """Sum of line amounts incl. VAT, before cash rounding."""
        return Money.sum([line.amount for line in self.lines()])

    def total_ex_vat(self) -> Money:
        """Sum of line amounts excluding VAT."""
        return Money.sum([line.net for line in self.lines()])

    def vat_by_rate(self) -> dict[str, tuple[Money, Money]]:
        """``{vat_code: (basis excl. VAT, VAT)}`` summed from lines."""
        return vat_by_rate(self.lines())

    def discount_total(self) -> Money:
        """All discounts given (line and whole-sale)."""
        return Money.sum([line.discount_total for line in self.lines()])

    def paid(self) -> Money:
        """Sum of payments so far (negative for refunds)."""
        return Money.sum([p.amount for p in self._payments])

    def rounding(self) -> Money:
        """Cash rounding so far (set when cash settles the sale), at most 50 øre."""
        return self._rounding

    def remaining(self) -> Money:
        """What is still to settle: positive the customer owes, negative the shop owes."""
        return self.total() + self._rounding - self.paid()

    def cash_due(self) -> Money:
        """What cash must pay (or pay out) now: ``remaining`` rounded to whole kroner."""
        return cash_due(self.remaining())

    def change(self) -> Money:
        """Change handed back so far."""
        return Money.sum([p.change for p in self._payments])

    def is_paid(self) -> bool:
        """Something was rung or paid and nothing remains to settle."""
        return bool(self._entries or self._payments) and self.remaining().ore == 0

    def kind(self) -> TransactionKind:
        """Sale, return, sale and return, or credit sale, from the lines and payments."""
        if any(p.tender is TenderKind.ACCOUNT for p in self._payments):
            return TransactionKind.CREDIT_SALE
        left = effective_quantities(self._entries)
        sold = any(e.kind is LineKind.ITEM and left[e.line_no] for e in self._entries)
        returned = any(e.kind is LineKind.RETURN and left[e.line_no] for e in self._entries)
        if returned and sold:
            return TransactionKind.SALE_AND_RETURN
        return TransactionKind.RETURN if returned else TransactionKind.SALE

    def receipt_series(self) -> ReceiptSeries:
        """The number series the completed sale's receipt belongs to (R-18)."""
        if self.training:
            return ReceiptSeries.TRAINING
        return {
            TransactionKind.CREDIT_SALE: ReceiptSeries.DELIVERY,
            TransactionKind.RETURN: ReceiptSeries.RETURN,
        }.get(self.kind(), ReceiptSeries.SALE)

    # --- ringing up ----------------------------------------------------------------------

    def add_product(
        self, product: Product, quantity: Decimal = _ONE, *, at: datetime, employee: str
    ) -> SaleLine:
        """Ring up a product: pieces as whole numbers, weighed goods in kg (3 decimals).

        Raises:
            InvalidInput: The quantity does not fit the product's unit.
            RuleViolation: The product is inactive, or the sale is already paid.
        """
        line = item_line(self._next_no(), product, quantity, at=at, employee=employee)
        self._commit((*self._entries, line), self._sale_discount)
        return line

    def add_open_item(
        self,
        group: ArticleGroup,
        price: Money,
        vat: VatRate,
        *,
        at: datetime,
        employee: str,
        quantity: Decimal = _ONE,
        name: str = "",
    ) -> SaleLine:
        """Ring up an open department sale (``149,00 F3``): a price on an article group.

        Raises:
            InvalidInput: The price is not positive or the quantity is not whole pieces.
            RuleViolation: The sale is already paid.
        """
        item = open_item(group, price, vat, name)
        return self.add_product(item, quantity, at=at, employee=employee)

    def change_quantity(
        self, line_no: int, quantity: Decimal, *, at: datetime, employee: str
    ) -> SaleLine | None:
        """Set an item's quantity. Less is recorded as a correction line; more raises the
        item's own quantity (increases are not corrections, R-30 s); 0 voids it.

        Returns:
            The correction line, or None when nothing was corrected.

        Raises:
            NotFound: No such line.
            RuleViolation: Not an item line, or the sale is paid / would go below paid.
            InvalidInput: The quantity does not fit the unit.
        """
        item = target(self._entries, line_no, LineKind.ITEM)
        if quantity == 0:
            return self.void_line(line_no, at=at, employee=employee)
        check_quantity(quantity, item.unit)
        current = self.quantity_of(line_no)
        if quantity == current:
            return None
        if quantity > current:
            raised = replace(item, quantity=item.quantity + quantity - current)
            self._commit(replaced(self._entries, raised), self._sale_discount)
            return None
        return self._correct(item, quantity - current, at=at, employee=employee)

    def void_line(self, line_no: int, *, at: datetime, employee: str) -> SaleLine:
        """Void an item or return line: a correction line mirrors what is left of it.

        Raises:
            NotFound: No such line.
            RuleViolation: A correction line, a line already voided, or the void would
                bring the total past what is already paid.
        """
        voided = target(self._entries, line_no, None)
        left = self.quantity_of(line_no)
        if left == 0:
            raise RuleViolation(code="sale.line_already_voided", line_no=line_no)
        return self._correct(voided, -left, at=at, employee=employee)

    def override_price(
        self,
        line_no: int,
        price: Money,
        *,
        reason: str,
        employee: str,
        approved_by: str = "",
    ) -> SaleLine:
        """Give an item another unit price, with the reason (recorded on the line).

        Raises:
            NotFound: No such line.
            InvalidInput: No reason, or a negative price.
            RuleViolation: Not an item line, or the sale is paid / would go below paid.
        """
        item = target(self._entries, line_no, LineKind.ITEM)
        changed = overridden(item, price, reason=reason, employee=employee, approved_by=approved_by)
        self._commit(replaced(self._entries, changed), self._sale_discount)
        return changed

    # --- discounts -----------------------------------------------------------------------

    def discount_line(self, line_no: int, spec: DiscountSpec) -> SaleLine:
        """Give (or replace) an item's discount: percent, kroner off the line, new unit price.

        Raises:
            NotFound: No such line.
            RuleViolation: Not an item, voided, a discount larger than the line, a new
                price not below the price, or the sale is paid / would go below paid.
        """
        item = target(self._entries, line_no, LineKind.ITEM)
        changed = discounted(item, self.quantity_of(line_no), spec)
        self._commit(replaced(self._entries, changed), self._sale_discount)
        return changed

    def clear_line_discount(self, line_no: int) -> None:
        """Take an item's discount away.

        Raises:
            NotFound: No such line.
            RuleViolation: Not an item, or the sale is paid.
        """
        item = target(self._entries, line_no, LineKind.ITEM)
        self._commit(replaced(self._entries, replace(item, discount=None)), self._sale_discount)

    def discount_sale(self, spec: DiscountSpec) -> Money:
        """Give (or replace) a whole-sale discount, spread over the items so VAT stays per line.

        ``NEW_PRICE`` takes the new total of the items. Returns the discount's amount.

        Raises:
            RuleViolation: No items to discount, a discount larger than the items, or the
                sale is paid / would go below paid.
        """
        check_sale_discount(self._entries, spec)
        self._commit(self._entries, spec)
        return Money.sum([line.sale_discount.amount for line in self.lines() if line.sale_discount])

    def clear_sale_discount(self) -> None:
        """Take the whole-sale discount away.

        Raises:
            RuleViolation: The sale is paid.
        """
        self._commit(self._entries, None)

    # --- returns -------------------------------------------------------------------------

    def add_return(
        self,
        original: Transaction,
        line_no: int,
        quantity: Decimal,
        *,
        at: datetime,
        employee: str,
        already_returned: Decimal = Decimal(0),
    ) -> SaleLine:
        """Take back (part of) line ``line_no`` of an earlier receipt, refunding what it
        cost. ``already_returned`` is what earlier return transactions took back of it.

        Raises:
            NotFound: No such item line on the receipt.
            RuleViolation: A voided receipt, training mixed with real, more than is left
                to return, or the sale is paid / would go past paid.
            InvalidInput: The quantity does not fit the unit.
        """
        if original.training != self.training:
            raise RuleViolation(code="sale.training_mixed")
        here = sum(
            (
                -self.quantity_of(e.line_no)
                for e in self._entries
                if e.returns_receipt == original.receipt_id and e.returns_line == line_no
            ),
            Decimal(0),
        )
        line = return_line(
            line_no=self._next_no(),
            original=original,
            original_line=line_no,
            quantity=quantity,
            returned_before=already_returned + here,
            at=aware(at),
            employee=employee,
        )
        self._commit((*self._entries, line), self._sale_discount)
        return line

    def add_unreferenced_return(
        self,
        product: Product,
        quantity: Decimal,
        *,
        approver: Employee | None,
        reason: str,
        at: datetime,
        employee: str,
        price: Money | None = None,
    ) -> SaleLine:
        """Take back goods without the original receipt; a manager must approve.

        Raises:
            ApprovalRequired: No approver, or the approver is not a manager.
            InvalidInput: No reason, a bad quantity or a negative price.
            RuleViolation: The sale is paid / would go past paid.
        """
        line = unreferenced_return_line(
            line_no=self._next_no(),
            product=product,
            quantity=quantity,
            approver=approver,
            reason=reason,
            price=price,
            at=aware(at),
            employee=employee,
        )
        self._commit((*self._entries, line), self._sale_discount)
        return line

    # --- customer ------------------------------------------------------------------------

    def attach_customer(self, customer: Customer) -> None:
        """Attach a customer (needed for a credit sale)."""
        self.customer = customer.number
        self.customer_name = customer.name

    def detach_customer(self) -> None:
        """Remove the customer.

        Raises:
            RuleViolation: The sale is (partly) on the customer's account.
        """
        if any(p.tender is TenderKind.ACCOUNT for p in self._payments):
            raise RuleViolation(code="sale.on_account")
        self.customer = None
        self.customer_name = ""

    # --- payments ------------------------------------------------------------------------

    def pay_cash(self, cash: Money | None = None, *, employee: str, reference: str = "") -> Payment:
        """Cash handed over (``500 F9``) or exactly the rounded amount (``F9``); pays out
        cash when the shop owes the customer. Rounding applies only when cash settles.

        Raises:
            RuleViolation: Nothing left to pay.
            InvalidInput: Not whole kroner, or more paid out than owed.
        """
        self._check_open()
        taken = take_cash(self.remaining(), cash, employee=employee, reference=reference)
        self._payments += (taken.payment,)
        self._rounding += taken.rounding
        return taken.payment

    def pay_card(
        self,
        amount: Money,
        *,
        terminal_transaction_id: str,
        masked_card: str,
        employee: str,
        reference: str = "",
        tip: Money | None = None,
    ) -> Payment:
        """A card payment (or refund, negative) the terminal approved, with the tip the
        customer added on the terminal (not part of the sale; see ``Payment.tip``).

        Raises:
            RuleViolation: Nothing left to pay, or more than remains.
            InvalidInput: Zero, the wrong sign, or a negative tip or one on a refund.
        """
        return self._exact(
            TenderKind.CARD,
            amount,
            employee=employee,
            reference=reference,
            terminal_transaction_id=terminal_transaction_id,
            masked_card=masked_card,
            tip=tip,
        )

    def pay_mobile(
        self, amount: Money, *, transaction_id: str, employee: str, reference: str = ""
    ) -> Payment:
        """A Vipps payment (or refund) with Vipps' transaction id.

        Raises:
            RuleViolation: Nothing left to pay, or more than remains.
            InvalidInput: Zero, or the wrong sign.
        """
        return self._exact(
            TenderKind.MOBILE,
            amount,
            employee=employee,
            reference=reference,
            terminal_transaction_id=transaction_id,
        )

    def pay_voucher(self, amount: Money, *, voucher: str, employee: str) -> Payment:
        """A gift voucher redeemed (or issued as a refund) for ``amount``.

        Raises:
            InvalidInput: No voucher number, zero, or the wrong sign.
            RuleViolation: Nothing left to pay, or more than remains.
        """
        if not voucher.strip():
            raise InvalidInput(code="sale.voucher_number")
        return self._exact(TenderKind.VOUCHER, amount, employee=employee, reference=voucher)

    def pay_account(self, *, employee: str, reference: str = "") -> Payment:
        """Put what remains on the attached customer's account (a credit sale).

        Raises:
            RuleViolation: No customer attached, or nothing left to pay.
        """
        if self.customer is None:
            raise RuleViolation(code="sale.credit_needs_customer")
        return self._exact(
            TenderKind.ACCOUNT, self.remaining(), employee=employee, reference=reference
        )

    # --- completing ----------------------------------------------------------------------

    def to_transaction(
        self,
        *,
        nr: int,
        receipt_number: int,
        completed_at: datetime,
        previous_signature: str,
        receipt_series: str | None = None,
        employee: str | None = None,
        voided: bool = False,
    ) -> Transaction:
        """The unsigned transaction for this sale, with the numbers the service allocated
        in the same unit of work. Sign it with :meth:`Transaction.signed`.

        A paid sale becomes a sale, return or credit sale. With ``voided`` the sale is
        cancelled as a whole (voided receipt, 13028): lines as rung, no payments, counted
        in no sales total.

        Raises:
            RuleViolation: Nothing was rung; not fully paid; or voided with payments taken
                (refund them first).
        """
        return sale_transaction(
            self,
            nr=nr,
            receipt_number=receipt_number,
            completed_at=completed_at,
            previous_signature=previous_signature,
            receipt_series=receipt_series,
            employee=employee,
            voided=voided,
        )

    @classmethod
    def restore(
        cls,
        *,
        sale_id: str,
        register_id: str,
        employee: str,
        started_at: datetime,
        training: bool,
        customer: str | None,
        customer_name: str,
        note: str,
        entries: tuple[SaleLine, ...],
        sale_discount: DiscountSpec | None,
        payments: tuple[Payment, ...],
        rounding: Money,
    ) -> Sale:
        """An open sale rebuilt from stored parts (``core.sale_snapshot.sale_from_dict``).

        Raises:
            InvalidInput: The parts cannot come from a sale rung by this class.
        """
        sale = cls(
            sale_id=sale_id,
            register_id=register_id,
            employee=employee,
            started_at=started_at,
            training=training,
        )
        check_entries(entries)
        sale.customer, sale.customer_name, sale.note = customer, customer_name, note
        sale._entries, sale._sale_discount = entries, sale_discount
        sale._payments, sale._rounding = payments, rounding
        if abs(rounding.ore) > 50:
            raise InvalidInput(code="sale.rounding_too_large", rounding=rounding)
        if rounding and not sale.is_paid():
            raise InvalidInput(code="sale.rounding_unsettled")
        if any(p.tender is TenderKind.ACCOUNT for p in payments) and customer is None:
            raise InvalidInput(code="sale.account_without_customer")
        return sale

    # --- internals -----------------------------------------------------------------------

    def _exact(
        self,
        tender: TenderKind,
        amount: Money,
        *,
        employee: str,
        reference: str,
        terminal_transaction_id: str = "",
        masked_card: str = "",
        tip: Money | None = None,
    ) -> Payment:
        self._check_open()
        payment = take_exact(
            self.remaining(),
            tender,
            amount,
            employee=employee,
            reference=reference,
            terminal_transaction_id=terminal_transaction_id,
            masked_card=masked_card,
            tip=tip,
        )
        self._payments += (payment,)
        return payment

    def _check_open(self) -> None:
        if not self._entries and not self._payments:
            raise RuleViolation(code="sale.nothing_rung_up")
        if self.is_paid():
            raise RuleViolation(code="sale.already_paid")

    def _next_no(self) -> int:
        return len(self._entries) + 1

    def _correct(
        self, corrected: SaleLine, change: Decimal, *, at: datetime, employee: str
    ) -> SaleLine:
        line = correction_line(corrected, change, self._next_no(), at=at, employee=employee)
        self._commit((*self._entries, line), self._sale_discount)
        return line

    def _commit(self, entries: tuple[SaleLine, ...], discount: DiscountSpec | None) -> None:
        """Apply new registrations unless they break a money rule (then nothing changes)."""
        if self._payments:
            if self.is_paid():
                raise RuleViolation(code="sale.already_paid")
            check_paid_total(self.paid(), entries, discount)
        self._entries = entries
        self._sale_discount = discount
        self._priced = None
