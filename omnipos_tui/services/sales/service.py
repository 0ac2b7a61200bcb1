"""The sale service: what the till calls to ring up, pay, park and complete a sale.

Every call is one unit of work. Registrations change the stored open sale (crash
recovery); those the regulation names are journaled in the same unit of work (line
deletions and reductions, price overrides, price look-ups, park and resume). Payments are
in ``services/payments.py``, completion and receipts in ``services/receipts.py``, returns
in ``services/returns.py``, parking in ``services/parking.py``; this module holds opening
and ringing up, and composes the service.
"""

from __future__ import annotations

from decimal import Decimal

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import InvalidInput, NotFound
from omnipos_tui.core.ledger.journal import EventCode, line_correction_payload, price_lookup_payload
from omnipos_tui.core.ledger.transaction import LineKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.lines import DiscountMode, DiscountSpec, SaleLine
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.snapshot import sale_from_dict
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.services.ledger.steps import approver, journal, lock_register
from omnipos_tui.services.sales.base import AddResult
from omnipos_tui.services.sales.parking import SaleParking
from omnipos_tui.services.sales.payments import SalePayments
from omnipos_tui.services.sales.receipts import SaleReceipts
from omnipos_tui.services.sales.returns import SaleReturns

_FOOD_GROUP = "04006"  # SAF-T article group "Mat": open sales default to the food rate


class SaleService(SalePayments, SaleReceipts, SaleReturns, SaleParking):
    """Ringing up, paying, parking and completing sales (see the module docstring)."""

    # --- opening ------------------------------------------------------------------------

    def resume_or_open(self, register_id: str, employee: str) -> Sale:
        """The employee's open sale on this register (after a restart: crash recovery),
        else a new one in the register's mode (training or not).

        Raises:
            NotFound: No such employee.
            InvalidInput: The register id is not valid.
        """
        with self._units() as uow:
            record = uow.open_sales.find_open(register_id, employee)
            if record is not None:
                return sale_from_dict(record.snapshot)
            if uow.staff.get(employee) is None:
                raise NotFound(
                    f"no employee with number {employee}",
                    nb=f"Ukjent ansatt {employee}. Logg inn på nytt.",
                )
            state = lock_register(uow, register_id)
            sale = Sale(
                sale_id=state.next_sale_id(),
                register_id=register_id,
                employee=employee,
                started_at=self._clock.now(),
                training=state.training,
            )
            uow.open_sales.add(self._new_record(sale))
            uow.register_states.save(state)
            uow.commit()
        return sale

    def current(self, sale_id: str) -> Sale:
        """The open or parked sale as stored.

        Raises:
            NotFound: No such sale.
            RuleViolation: It was completed.
        """
        with self._units(read_only=True) as uow:
            return self._load(uow, sale_id)[1]

    # --- ringing up ---------------------------------------------------------------------

    def add_item(
        self, sale_id: str, code: str, *, quantity: Decimal | None = None, employee: str
    ) -> AddResult:
        """Ring up a product by barcode (also in-store weight/price codes), PLU or SKU.

        Raises:
            UnknownCode: an unknown code. NotFound: no such sale.
            InvalidInput: A quantity that does not fit the product, or a quantity with a
                weight code.
            RuleViolation: Inactive product, paid or parked sale.
        """
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            product, weight = self._product(uow, code)
            if weight is not None and quantity is not None:
                raise InvalidInput(
                    f"{code} carries the weight; ring it without a quantity",
                    nb=f"{code} har vekten i koden: skann uten antall (Esc tømmer).",
                )
            if weight is None and quantity is None and product.unit is Unit.KG:
                # A weighed product never defaults to 1 kg: the cashier must give the weight.
                raise InvalidInput(
                    f"{product.name} is sold by weight: type the weight first, e.g. 0.352 * {code}",
                    nb=f"{product.name} selges på vekt: skriv vekten først, f.eks. 0,352 * {code}",
                )
            amount = weight if weight is not None else quantity or Decimal(1)
            now = self._clock.now()
            last = sale.entries[-1] if sale.entries else None
            if weight is None and last is not None and self._mergeable(sale, last, product):
                total = sale.quantity_of(last.line_no) + amount
                sale.change_quantity(last.line_no, total, at=now, employee=employee)
                line, merged = sale.line(last.line_no), True
            else:
                line, merged = sale.add_product(product, amount, at=now, employee=employee), False
            self._save(uow, record, sale)
            uow.commit()
        return AddResult(sale, line, product, merged)

    def _mergeable(self, sale: Sale, last: SaleLine, product: Product) -> bool:
        return (
            self._merge
            and last.kind is LineKind.ITEM
            and last.sku == product.sku != ""
            and last.unit_price == product.price
            and last.discount is None
            and not last.price_override_reason
            and last.unit.value == "piece"
            and sale.quantity_of(last.line_no) > 0
        )

    def add_open_item(
        self,
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
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            group = next((g for g in uow.catalogue.groups() if g.code == group_code), None)
            if group is None:
                raise NotFound(
                    f"no article group {group_code!r}",
                    nb=f"Ukjent varegruppe {group_code}. Trykk F3 for å velge.",
                )
            code = vat_code or ("31" if group.saft_code == _FOOD_GROUP else "3")
            at = self._clock.now()
            line = sale.add_open_item(
                group, amount, rate_by_code(code), at=at, employee=employee, name=name
            )
            self._save(uow, record, sale)
            uow.commit()
        product = Product(sku="", name=line.name, price=amount, vat=line.vat, group=group.code)
        return AddResult(sale, line, product)

    def change_quantity(
        self, sale_id: str, line_no: int, quantity: Decimal, *, employee: str
    ) -> Sale:
        """Set an item's quantity; a reduction is a correction line (journaled as a line
        reduction, or a deletion at 0).

        Raises:
            NotFound: No such sale or line.
            InvalidInput: A quantity that does not fit the unit.
            RuleViolation: Not an item line, a card payment in progress, or the sale is
                paid / would go below what is paid.
        """
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            self._no_card_in_flight(uow, sale_id)
            correction = sale.change_quantity(
                line_no, quantity, at=self._clock.now(), employee=employee
            )
            if correction is not None:
                code = EventCode.LINE_DELETE if quantity == 0 else EventCode.LINE_REDUCE
                self._journal_correction(uow, sale, correction, code, employee)
            self._save(uow, record, sale)
            uow.commit()
        return sale

    def void_line(self, sale_id: str, line_no: int, *, employee: str) -> Sale:
        """Void an item or return line: a correction line, journaled as a line deletion.

        Raises:
            NotFound: No such sale or line.
            RuleViolation: Already voided, a correction line, a card payment in progress,
                or the void would bring the total below what is paid.
        """
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            self._no_card_in_flight(uow, sale_id)
            correction = sale.void_line(line_no, at=self._clock.now(), employee=employee)
            self._journal_correction(uow, sale, correction, EventCode.LINE_DELETE, employee)
            self._save(uow, record, sale)
            uow.commit()
        return sale

    def _journal_correction(
        self, uow: UnitOfWork, sale: Sale, line: SaleLine, code: EventCode, employee: str
    ) -> None:
        amount = sale.lines()[line.line_no - 1].amount
        state = lock_register(uow, sale.register_id)
        journal(
            uow,
            state,
            code,
            self._clock.now(),
            employee=employee,
            text=f"{code.description}: linje {line.corrects_line} {line.name}",
            payload={
                **line_correction_payload(
                    line.corrects_line or 0, line.sku, -line.quantity, amount
                ),
                "sale_id": sale.sale_id,
            },
        )
        uow.register_states.save(state)

    # --- discounts and prices -----------------------------------------------------------

    def discount_line(
        self,
        sale_id: str,
        line_no: int,
        spec: DiscountSpec,
        *,
        employee: str,
        approved_by: str | None = None,
    ) -> Sale:
        """Give (or replace) an item's discount; above the limit a manager approves.

        Raises:
            ApprovalRequired: Above the limit and nobody approved.
            PermissionDenied: The approver is not a manager.
            NotFound: No such sale or line.
            RuleViolation: See ``Sale.discount_line``.
        """
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            self._no_card_in_flight(uow, sale_id)
            sale.discount_line(line_no, spec)
            line = sale.lines()[line_no - 1]
            gross = line.unit_price.times(sale.quantity_of(line_no))
            given = line.discount.amount if line.discount is not None else Money.zero()
            approved = self._approve_discount(
                uow,
                spec,
                given=given,
                gross=gross,
                employee=employee,
                approved_by=approved_by,
                where=f"linje {line_no}",
            )
            if approved is not spec:
                sale.discount_line(line_no, approved)
            self._save(uow, record, sale)
            uow.commit()
        return sale

    def discount_sale(
        self, sale_id: str, spec: DiscountSpec, *, employee: str, approved_by: str | None = None
    ) -> Sale:
        """Give (or replace) a whole-sale discount; above the limit a manager approves.

        Raises:
            ApprovalRequired: Above the limit and nobody approved.
            PermissionDenied: The approver is not a manager.
            RuleViolation: See ``Sale.discount_sale``.
        """
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            self._no_card_in_flight(uow, sale_id)
            given = sale.discount_sale(spec)
            gross = Money.sum(
                [ln.amount + ln.sale_discount.amount for ln in sale.lines() if ln.sale_discount]
            )
            approved = self._approve_discount(
                uow,
                spec,
                given=given,
                gross=gross,
                employee=employee,
                approved_by=approved_by,
                where="salget",
            )
            if approved is not spec:
                sale.discount_sale(approved)
            self._save(uow, record, sale)
            uow.commit()
        return sale

    def _approve_discount(
        self,
        uow: UnitOfWork,
        spec: DiscountSpec,
        *,
        given: Money,
        gross: Money,
        employee: str,
        approved_by: str | None,
        where: str,
    ) -> DiscountSpec:
        """The discount to store: as given when within the limit; above it a manager must
        approve, and the approver is written into the reason when it is someone else."""
        if spec.mode is DiscountMode.PERCENT and spec.percent is not None:
            percent = spec.percent
        else:
            percent = Decimal(given.ore) * 100 / Decimal(gross.ore) if gross.ore else Decimal(0)
        if percent <= self._discount_limit:
            return spec
        shown = percent.quantize(Decimal("0.1"))
        manager = approver(uow, employee, approved_by, f"Rabatt {shown} % på {where}")
        if manager.number == spec.employee:
            return spec
        return DiscountSpec(
            mode=spec.mode,
            percent=spec.percent,
            amount=spec.amount,
            employee=spec.employee,
            reason=f"{spec.reason} (godkjent av {manager.number})".strip(),
        )

    def override_price(
        self,
        sale_id: str,
        line_no: int,
        price: Money,
        reason: str,
        *,
        employee: str,
        approved_by: str | None,
    ) -> Sale:
        """Give an item another unit price with a reason; a manager approves (a manager
        ringing the sale approves their own). Journaled as a price override.

        Raises:
            ApprovalRequired: Nobody approved and the employee is not a manager.
            PermissionDenied: The approver is not a manager.
            NotFound: No such sale or line.
            InvalidInput: No reason or a negative price.
            RuleViolation: See ``Sale.override_price``.
        """
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            self._no_card_in_flight(uow, sale_id)
            old = sale.line(line_no).unit_price
            manager = approver(uow, employee, approved_by, f"Ny pris {price} på linje {line_no}")
            line = sale.override_price(
                line_no, price, reason=reason, employee=employee, approved_by=manager.number
            )
            state = lock_register(uow, sale.register_id)
            journal(
                uow,
                state,
                EventCode.PRICE_OVERRIDE,
                self._clock.now(),
                employee=employee,
                text=f"Overstyrt pris linje {line_no} {line.name}: {old} -> {price} ({reason})",
                payload={
                    "sale_id": sale_id,
                    "line": line_no,
                    "sku": line.sku,
                    "old_price": old.ore,
                    "new_price": price.ore,
                    "reason": reason,
                    "approved_by": manager.number,
                },
            )
            uow.register_states.save(state)
            self._save(uow, record, sale)
            uow.commit()
        return sale

    def attach_customer(self, sale_id: str, customer_number: str) -> Sale:
        """Attach a customer (needed for a credit sale).

        Raises:
            NotFound: No such sale or customer.
        """
        with self._units() as uow:
            record, sale = self._open(uow, sale_id)
            customer = uow.customers.get(customer_number.strip())
            if customer is None:
                raise NotFound(
                    f"no customer with number {customer_number}",
                    nb=f"Ukjent kunde {customer_number}. Søk i kundelisten.",
                )
            sale.attach_customer(customer)
            self._save(uow, record, sale)
            uow.commit()
        return sale

    def price_lookup(self, register_id: str, code: str, *, employee: str) -> Product:
        """Show a product's price without selling it; journaled as a price look-up with
        its article group and amount (R-23).

        Raises:
            UnknownCode: an unknown code.
        """
        with self._units() as uow:
            product, weight = self._product(uow, code)
            amount = product.price if weight is None else product.price.times(weight)
            state = lock_register(uow, register_id)
            journal(
                uow,
                state,
                EventCode.PRICE_LOOKUP,
                self._clock.now(),
                employee=employee,
                text=f"Prisforespørsel {product.sku} {product.name}: {amount}",
                payload=price_lookup_payload(product.sku, product.group, amount),
            )
            uow.register_states.save(state)
            uow.commit()
        return product
