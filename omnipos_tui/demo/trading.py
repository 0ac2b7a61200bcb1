"""One trading day of the demo seeder: opening, customers, the day's special moments,
closing with X and Z reports (see ``services/demo_seed.py``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.demo.till import CLOSES, OPENS, DemoTill, at
from omnipos_tui.services.sales import (
    completion,
    opening,
    parking,
    payments,
    pricing,
    receipts,
    returns,
    ringing,
)

OPENING_FLOAT = Money.kroner(2000)
_REASONS = ("Veksling", "Kontroll av kassen", "Feil i vekslepenger")


class TradingDay(DemoTill):
    """A day's trading at one register (call :meth:`trade` once)."""

    def trade(self, count: int) -> None:
        """Open, serve ``count`` customers in even time slots, close with X and Z."""
        s, register = self.s, self.register
        self._set(at(self.day, OPENS) - timedelta(minutes=10))
        s.register.start(register)
        s.register.log_in(register, *self.shop.cashiers[0])
        self._tick()
        s.register.opening_float(register, OPENING_FLOAT, employee=self.employee)
        span = (at(self.day, CLOSES) - at(self.day, OPENS)) / count
        specials = {
            count // 4: self._no_sale,
            count // 3: self._training,
            count // 2: self._shift_change,
            (2 * count) // 3: self._cash_out,
            (3 * count) // 4: self._no_sale,
        }
        for index in range(count):
            start = at(self.day, OPENS) + span * index
            self._set(start + span * self.rng.uniform(0, 0.3))
            self.slot_end = start + span
            special = specials.get(index)
            if special is not None and index > 0:
                special()
            self._customer()
        self._close()

    def _close(self) -> None:
        s, register = self.s, self.register
        self.slot_end = at(self.day, CLOSES) + timedelta(minutes=30)
        self._set(at(self.day, CLOSES) + timedelta(minutes=5))
        s.register.log_in(register, *self.shop.manager)
        self._tick()
        x = s.reports.x_report(register, employee=self.manager)
        self._tick(30, 120)
        off = self.rng.choice((0, 0, 0, 0, 0, -100, 100, -2000, 5000))
        counted = Money(max(0, x.expected_cash.ore + off))
        s.reports.z_report(register, employee=self.manager, counted_cash={TenderKind.CASH: counted})
        self._tick()
        s.register.log_out(register, self.manager)
        s.register.stop(register)
        self.shop.bump("z_report")

    def _no_sale(self) -> None:
        reason = self.rng.choice(_REASONS)
        self.s.register.no_sale(
            self.register, reason, employee=self.employee, approved_by=self.manager
        )
        self._tick()
        self.shop.bump("no_sale")

    def _training(self) -> None:
        s = self.s
        s.register.set_training(
            self.register, True, employee=self.employee, approved_by=self.manager
        )
        self._tick()
        sale = opening.resume_or_open(s.sales, self.register, self.employee)
        self._ring(sale, self.rng.randint(1, 3))
        self._pay(sale.sale_id, tender="cash")
        self._complete(sale.sale_id, training=True)
        s.register.set_training(
            self.register, False, employee=self.employee, approved_by=self.manager
        )
        self._tick()
        self.shop.bump("training")

    def _shift_change(self) -> None:
        self.s.register.log_out(self.register, self.employee)
        self._tick()
        number, pin = self.shop.cashiers[-1]
        self.s.register.log_in(self.register, number, pin)
        self.employee = number
        self._tick()
        self.shop.bump("shift_change")

    def _cash_out(self) -> None:
        self.s.register.cash_out(
            self.register, Money.kroner(1000), "Til banken", employee=self.employee
        )
        self._tick()
        self.shop.bump("cash_out")

    def _customer(self) -> None:
        roll = self.rng.random()
        if roll < 0.05 and self.receipts:
            self._return_with_receipt()
        elif roll < 0.07:
            self._return_without_receipt()
        elif roll < 0.09:
            self._voided_sale()
        elif roll < 0.11 and self.customers:
            self._credit_sale()
        else:
            self._sale()

    def _sale(self) -> None:
        s, rng = self.s, self.rng
        if rng.random() < 0.05:
            product = rng.choice(self.products)
            ringing.price_lookup(
                s.sales, self.register, self._code(product), employee=self.employee
            )
            self._tick()
            self.shop.bump("price_lookup")
        sale = opening.resume_or_open(s.sales, self.register, self.employee)
        self._ring(sale, rng.randint(1, 6))
        if rng.random() < 0.04:
            self._park_and_resume(sale.sale_id)
        self._adjust(sale.sale_id)
        if rng.random() < 0.02:
            receipts.pro_forma(s.sales, sale.sale_id, employee=self.employee)
            self._tick()
            self.shop.bump("pro_forma")
        self._pay(sale.sale_id)
        done = self._complete(sale.sale_id)
        if rng.random() < 0.03:
            receipts.copy_receipt(s.sales, done, employee=self.employee)
            self._tick()
            self.shop.bump("copy")

    def _park_and_resume(self, sale_id: str) -> None:
        """Park this sale, serve the next customer, take the parked sale up again."""
        s = self.s
        parking.park(s.sales, sale_id, "Kunden henter lommeboka", employee=self.employee)
        self._tick()
        other = opening.resume_or_open(s.sales, self.register, self.employee)
        self._ring(other, 1)
        self._pay(other.sale_id, tender="cash")
        self._complete(other.sale_id)
        parking.resume(s.sales, sale_id, self.register, employee=self.employee)
        self._tick()
        self.shop.bump("park")

    def _adjust(self, sale_id: str) -> None:
        """Corrections and discounts on the sale being rung."""
        s, rng, employee = self.s, self.rng, self.employee
        items = self._items(opening.current(s.sales, sale_id))
        if len(items) >= 2 and rng.random() < 0.08:
            ringing.void_line(s.sales, sale_id, items[-1][0], employee=employee)
            items = items[:-1]
            self._tick()
            self.shop.bump("void_line")
        several = [(no, qty) for no, qty in items if qty >= 2 and qty == qty.to_integral()]
        if several and rng.random() < 0.3:
            line_no, quantity = several[0]
            ringing.change_quantity(s.sales, sale_id, line_no, quantity - 1, employee=employee)
            self._tick()
            self.shop.bump("reduce")
        roll = rng.random()
        if roll < 0.08:
            spec = DiscountSpec.percent_off(Decimal(10), employee=employee, reason="Kort dato")
            pricing.discount_line(s.sales, sale_id, items[0][0], spec, employee=employee)
            self.shop.bump("line_discount")
        elif roll < 0.11:
            spec = DiscountSpec.percent_off(Decimal(30), employee=employee, reason="Skadet")
            pricing.discount_line(
                s.sales, sale_id, items[0][0], spec, employee=employee, approved_by=self.manager
            )
            self.shop.bump("manager_discount")
        elif roll < 0.15:
            spec = DiscountSpec.percent_off(Decimal(5), employee=employee, reason="Stamkunde")
            pricing.discount_sale(s.sales, sale_id, spec, employee=employee)
            self.shop.bump("sale_discount")
        elif roll < 0.17:
            line = opening.current(s.sales, sale_id).line(items[0][0])
            price = Money(max(100, line.unit_price.ore * 8 // 1000 * 100))
            pricing.override_price(
                s.sales,
                sale_id,
                items[0][0],
                price,
                "Prismatch hylle",
                employee=employee,
                approved_by=self.manager,
            )
            self.shop.bump("price_override")
        self._tick()

    def _return_with_receipt(self) -> None:
        s, rng = self.s, self.rng
        receipt = rng.choice(self.receipts[-40:])
        left = [line for line in returns.returnable_lines(s.sales, receipt) if line.left > 0]
        if not left:
            self.receipts.remove(receipt)
            self._sale()
            return
        line = rng.choice(left)
        quantity = line.left if line.unit is Unit.KG else Decimal(1)
        sale = opening.resume_or_open(s.sales, self.register, self.employee)
        self._tick(20, 60)
        returns.add_return(
            s.sales, sale.sale_id, receipt, line.line_no, quantity, employee=self.employee
        )
        self._tick()
        if rng.random() < 0.3:
            self._ring(sale, 1)
            self.shop.bump("sale_and_return")
        card = any(p.tender is TenderKind.CARD for p in line.tenders)
        self._pay(sale.sale_id, tender="card" if card else "cash")
        self._complete(sale.sale_id)
        self.shop.bump("return")

    def _return_without_receipt(self) -> None:
        s = self.s
        sale = opening.resume_or_open(s.sales, self.register, self.employee)
        product = self.rng.choice(self.pieces)
        returns.add_unreferenced_return(
            s.sales,
            sale.sale_id,
            self._code(product),
            Decimal(1),
            "Reklamasjon uten kvittering",
            employee=self.employee,
            approved_by=self.manager,
        )
        self._tick()
        self._pay(sale.sale_id, tender="cash")
        self._complete(sale.sale_id)
        self.shop.bump("return_without_receipt")

    def _voided_sale(self) -> None:
        s = self.s
        sale = opening.resume_or_open(s.sales, self.register, self.employee)
        self._ring(sale, self.rng.randint(1, 3))
        completion.void_sale(
            s.sales, sale.sale_id, employee=self.employee, approved_by=self.manager
        )
        self._tick()
        self.shop.bump("void_sale")

    def _credit_sale(self) -> None:
        s = self.s
        sale = opening.resume_or_open(s.sales, self.register, self.employee)
        ringing.attach_customer(s.sales, sale.sale_id, self.rng.choice(self.customers))
        self._ring(sale, self.rng.randint(2, 6))
        payments.pay(s.sales, sale.sale_id, TenderKind.ACCOUNT, None, employee=self.employee)
        self._tick()
        self._complete(sale.sale_id)
        self.shop.bump("credit_sale")
