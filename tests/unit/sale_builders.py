"""Products, people and helpers shared by the sale, tender, snapshot and receipt tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import rate_by_code

AT = datetime(2026, 11, 27, 13, 30, tzinfo=UTC)  # 14:30 in Oslo
CASHIER = Employee("1043", "Kari Nordmann", Role.CASHIER)
MANAGER = Employee("2001", "Per Hansen", Role.MANAGER)

FOOD = rate_by_code("31")
GENERAL = rate_by_code("3")

MILK = Product("1001", "Tine Lettmelk 1 l", Money(2190), FOOD, "10", barcodes=("7038010000010",))
PIZZA = Product("1002", "Grandiosa Original", Money(6490), FOOD, "10")
COFFEE = Product("1003", "Kaffe Evergood 250 g", Money(5990), FOOD, "12")
COLA = Product("1004", "Coca-Cola 0,5 l", Money(2990), GENERAL, "20")
BAG = Product("1005", "Bærepose", Money(200), GENERAL, "30")
APPLES = Product("1006", "Epler røde", Money(3490), FOOD, "11", unit=Unit.KG)
BOOK = Product("1007", "Kokebok", Money(34900), rate_by_code("5"), "40")
GROUP_MISC = ArticleGroup("90", "Diverse", "04999")

COMPANY = Company("Butikk AS", "923609016", "Storgata 1", "0155", "Oslo")
REGISTER = Register("1", "Kasse 1")


def new_sale(*, training: bool = False, sale_id: str = "s-1") -> Sale:
    """An empty sale on register 1 rung by the cashier."""
    return Sale(
        sale_id=sale_id,
        register_id="1",
        employee=CASHIER.number,
        started_at=AT,
        training=training,
    )


def ring(sale: Sale, product: Product, quantity: str = "1") -> int:
    """Ring up a product; the new line's number."""
    return sale.add_product(product, Decimal(quantity), at=AT, employee=CASHIER.number).line_no


def complete(sale: Sale, nr: int = 1, receipt_number: int = 1) -> Transaction:
    """The paid sale as an (unsigned) transaction completed a minute after it started."""
    return sale.to_transaction(
        nr=nr,
        receipt_number=receipt_number,
        completed_at=AT + timedelta(minutes=1),
        previous_signature="0",
    )
