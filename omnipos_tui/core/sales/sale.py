"""A sale in progress: the mutable aggregate a cashier rings up, pays and completes.

Registrations are never erased: a void or a quantity reduction is a correction line, a
return is a return line. Amounts are derived from the registrations on every read
(``core.sale_lines.price_lines``), so totals, VAT and discounts always agree. Payments
follow ``core.tender``. When the sale is paid, :meth:`Sale.to_transaction` builds the
unsigned :class:`Transaction` from the numbers the service allocated; the service signs it
with :meth:`Transaction.signed`. ``core.sale_snapshot`` persists an open sale as JSON.

Rules that protect money: no payment once fully paid; no change after a payment that
would bring the total past what is already paid (refund instead); no change at all once
fully paid; a credit sale needs a customer; a return without a receipt needs a manager.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.clock import business_day, local_date_text, local_time_text
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    Payment,
    ReceiptSeries,
    TenderKind,
    Transaction,
    TransactionKind,
    TransactionLine,
    trans_id,
    vat_by_rate,
)
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import (
    DiscountMode,
    DiscountSpec,
    SaleLine,
    check_entries,
    check_quantity,
    effective_quantities,
    item_amount,
    price_lines,
)
from omnipos_tui.core.sales.returns import return_line, unreferenced_return_line
from omnipos_tui.core.sales.tender import cash_due, take_cash, take_exact
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.core.vat import VatRate

_ONE = Decimal(1)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise InvalidInput("times in a sale must be timezone-aware (UTC)")
    return at


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
        self.started_at = _aware(started_at)
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
        if 1 <= line_no <= len(self._entries):
            return self._entries[line_no - 1]
        raise NotFound(f"no line {line_no} in this sale", nb=f"Salget har ingen linje {line_no}.")

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
        if not product.active:
            raise RuleViolation(
                f"{product.name} ({product.sku}) is not for sale (inactive)",
                nb=f"{product.name} ({product.sku}) er ikke i salg (inaktiv).",
            )
        line = SaleLine(
            line_no=self._next_no(),
            kind=LineKind.ITEM,
            sku=product.sku,
            name=product.name,
            group_code=product.group,
            unit=product.unit,
            vat=product.vat,
            quantity=check_quantity(quantity, product.unit),
            unit_price=product.price,
            shelf_price=product.price,
            at=_aware(at),
            employee=employee,
        )
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
        if price.ore <= 0:
            raise InvalidInput(
                f"an open sale needs a price above 0,00, got {price}",
                nb=f"Skriv en pris over 0,00 før F3 (fikk {price}).",
            )
        item = Product(
            sku="", name=name.strip() or group.name, price=price, vat=vat, group=group.code
        )
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
        target = self._target(line_no, LineKind.ITEM)
        if quantity == 0:
            return self.void_line(line_no, at=at, employee=employee)
        check_quantity(quantity, target.unit)
        current = self.quantity_of(line_no)
        if quantity == current:
            return None
        if quantity > current:
            raised = replace(target, quantity=target.quantity + quantity - current)
            self._commit(self._replaced(raised), self._sale_discount)
            return None
        return self._correct(target, quantity - current, at=at, employee=employee)

    def void_line(self, line_no: int, *, at: datetime, employee: str) -> SaleLine:
        """Void an item or return line: a correction line mirrors what is left of it.

        Raises:
            NotFound: No such line.
            RuleViolation: A correction line, a line already voided, or the void would
                bring the total past what is already paid.
        """
        target = self._target(line_no, None)
        left = self.quantity_of(line_no)
        if left == 0:
            raise RuleViolation(
                f"line {line_no} is already voided", nb=f"Linje {line_no} er allerede annullert."
            )
        return self._correct(target, -left, at=at, employee=employee)

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
        target = self._target(line_no, LineKind.ITEM)
        if not reason.strip():
            raise InvalidInput(
                "a price override needs a reason", nb="Skriv en grunn for prisendringen."
            )
        if price.ore < 0:
            raise InvalidInput(
                f"a price cannot be negative, got {price}",
                nb=f"En pris kan ikke være negativ (fikk {price}).",
            )
        changed = replace(
            target,
            unit_price=price,
            price_override_reason=reason.strip(),
            approved_by=approved_by or employee,
        )
        self._commit(self._replaced(changed), self._sale_discount)
        return changed

    # --- discounts -----------------------------------------------------------------------

    def discount_line(self, line_no: int, spec: DiscountSpec) -> SaleLine:
        """Give (or replace) an item's discount: percent, kroner off the line, new unit price.

        Raises:
            NotFound: No such line.
            RuleViolation: Not an item, voided, a discount larger than the line, a new
                price not below the price, or the sale is paid / would go below paid.
        """
        target = self._target(line_no, LineKind.ITEM)
        left = self.quantity_of(line_no)
        if left == 0:
            raise RuleViolation(f"line {line_no} is voided", nb=f"Linje {line_no} er annullert.")
        gross = target.unit_price.times(left)
        if spec.mode is DiscountMode.AMOUNT and spec.amount is not None and spec.amount > gross:
            raise RuleViolation(
                f"discount {spec.amount} is more than the line's {gross}",
                nb=f"Rabatten {spec.amount} er mer enn linjens {gross}.",
            )
        new_price = spec.mode is DiscountMode.NEW_PRICE and spec.amount is not None
        if new_price and spec.amount is not None and spec.amount >= target.unit_price:
            raise RuleViolation(
                f"new price {spec.amount} is not below {target.unit_price}; "
                "a higher price is a price override",
                nb=f"Ny pris {spec.amount} er ikke under {target.unit_price}; "
                "en høyere pris er en prisendring.",
            )
        changed = replace(target, discount=spec)
        self._commit(self._replaced(changed), self._sale_discount)
        return changed

    def clear_line_discount(self, line_no: int) -> None:
        """Take an item's discount away.

        Raises:
            NotFound: No such line.
            RuleViolation: Not an item, or the sale is paid.
        """
        target = self._target(line_no, LineKind.ITEM)
        self._commit(self._replaced(replace(target, discount=None)), self._sale_discount)

    def discount_sale(self, spec: DiscountSpec) -> Money:
        """Give (or replace) a whole-sale discount, spread over the items so VAT stays per line.

        ``NEW_PRICE`` takes the new total of the items. Returns the discount's amount.

        Raises:
            RuleViolation: No items to discount, a discount larger than the items, or the
                sale is paid / would go below paid.
        """
        left = effective_quantities(self._entries)
        subtotal = Money.sum(
            [
                item_amount(e, left[e.line_no])
                for e in self._entries
                if e.kind is LineKind.ITEM and left[e.line_no]
            ]
        )
        if subtotal.ore <= 0:
            raise RuleViolation(
                "there are no items to discount",
                nb="Ingen varer å gi rabatt på: slå inn en vare først.",
            )
        if spec.mode is not DiscountMode.PERCENT and spec.amount is not None:
            if spec.mode is DiscountMode.AMOUNT and spec.amount > subtotal:
                raise RuleViolation(
                    f"discount {spec.amount} is more than the items' {subtotal}",
                    nb=f"Rabatten {spec.amount} er mer enn varenes {subtotal}.",
                )
            if spec.mode is DiscountMode.NEW_PRICE and spec.amount >= subtotal:
                raise RuleViolation(
                    f"new total {spec.amount} is not below {subtotal}",
                    nb=f"Ny total {spec.amount} er ikke under {subtotal}.",
                )
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
            raise RuleViolation(
                "training and real receipts cannot be mixed",
                nb="Opplærings- og ekte kvitteringer kan ikke blandes.",
            )
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
            at=_aware(at),
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
            at=_aware(at),
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
            raise RuleViolation(
                "the sale is on the customer's account",
                nb="Salget står på kundens konto: fjern kredittbetalingen først.",
            )
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
    ) -> Payment:
        """A card payment (or refund, negative) the terminal approved.

        Raises:
            RuleViolation: Nothing left to pay, or more than remains.
            InvalidInput: Zero, or the wrong sign.
        """
        return self._exact(
            TenderKind.CARD,
            amount,
            employee=employee,
            reference=reference,
            terminal_transaction_id=terminal_transaction_id,
            masked_card=masked_card,
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
            raise InvalidInput(
                "a voucher payment needs the voucher's number", nb="Skriv gavekortets nummer."
            )
        return self._exact(TenderKind.VOUCHER, amount, employee=employee, reference=voucher)

    def pay_account(self, *, employee: str, reference: str = "") -> Payment:
        """Put what remains on the attached customer's account (a credit sale).

        Raises:
            RuleViolation: No customer attached, or nothing left to pay.
        """
        if self.customer is None:
            raise RuleViolation(
                "a credit sale needs a customer", nb="Kreditt krever en kunde: velg kunde først."
            )
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
        if not self._entries:
            raise RuleViolation("nothing was rung up", nb="Ingenting er slått inn.")
        if voided and self._payments:
            raise RuleViolation(
                "payments were taken; refund them before voiding the sale",
                nb="Salget har betalinger: tilbakebetal dem før salget annulleres.",
            )
        if not voided and not self.is_paid():
            raise RuleViolation(
                f"the sale is not paid: {self.remaining()} remains",
                nb=f"Salget er ikke betalt: {self.remaining()} gjenstår. Trykk + for å betale.",
            )
        _aware(completed_at)
        lines = self.lines()
        return Transaction(
            register_id=self.register_id,
            nr=nr,
            trans_id=trans_id(self.register_id, nr),
            kind=self.kind(),
            employee=employee or self.employee,
            customer=self.customer,
            started_at=self.started_at,
            completed_at=completed_at,
            trans_date=local_date_text(completed_at),
            trans_time=local_time_text(completed_at),
            business_day=business_day(completed_at),
            lines=lines,
            payments=self._payments,
            rounding=self._rounding,
            total=Money.sum([ln.amount for ln in lines]),
            total_ex_vat=Money.sum([ln.net for ln in lines]),
            receipt_series=receipt_series or self.receipt_series(),
            receipt_number=receipt_number,
            training=self.training,
            voided=voided,
            note=self.note,
            signature="",
            key_version="",
            previous_signature=previous_signature,
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
            raise InvalidInput(f"rounding {rounding} is more than 0,50")
        if rounding and not sale.is_paid():
            raise InvalidInput("rounding on a sale that is not settled")
        if any(p.tender is TenderKind.ACCOUNT for p in payments) and customer is None:
            raise InvalidInput("an account payment without a customer")
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
        )
        self._payments += (payment,)
        return payment

    def _check_open(self) -> None:
        if not self._entries and not self._payments:
            raise RuleViolation("nothing was rung up", nb="Ingenting er slått inn.")
        if self.is_paid():
            raise RuleViolation("the sale is already paid", nb="Salget er allerede betalt.")

    def _next_no(self) -> int:
        return len(self._entries) + 1

    def _target(self, line_no: int, kind: LineKind | None) -> SaleLine:
        target = self.line(line_no)
        if target.kind is LineKind.CORRECTION:
            raise RuleViolation(
                f"line {line_no} is a correction and cannot be changed",
                nb=f"Linje {line_no} er en korreksjon og kan ikke endres.",
            )
        if kind is not None and target.kind is not kind:
            raise RuleViolation(
                f"line {line_no} is a {target.kind.value} line, not an item",
                nb=f"Linje {line_no} er ikke en varelinje.",
            )
        return target

    def _correct(
        self, target: SaleLine, change: Decimal, *, at: datetime, employee: str
    ) -> SaleLine:
        line = replace(
            target,
            line_no=self._next_no(),
            kind=LineKind.CORRECTION,
            quantity=change,
            at=_aware(at),
            employee=employee,
            discount=None,
            approved_by="",
            note="",
            corrects_line=target.line_no,
            returns_receipt=None,
            returns_line=None,
            refund=None,
        )
        self._commit((*self._entries, line), self._sale_discount)
        return line

    def _replaced(self, line: SaleLine) -> tuple[SaleLine, ...]:
        entries = list(self._entries)
        entries[line.line_no - 1] = line
        return tuple(entries)

    def _commit(self, entries: tuple[SaleLine, ...], discount: DiscountSpec | None) -> None:
        """Apply new registrations unless they break a money rule (then nothing changes)."""
        if self._payments:
            if self.is_paid():
                raise RuleViolation("the sale is already paid", nb="Salget er allerede betalt.")
            paid = self.paid()
            total = Money.sum([ln.amount for ln in price_lines(entries, discount)])
            if (paid.ore > 0 and total < paid) or (paid.ore < 0 and total > paid):
                raise RuleViolation(
                    f"{paid} is already paid and the total would become {total}; "
                    "refund the payment instead",
                    nb=f"{paid} er allerede betalt og totalen ville blitt {total}; "
                    "tilbakebetal betalingen i stedet.",
                )
        self._entries = entries
        self._sale_discount = discount
        self._priced = None
