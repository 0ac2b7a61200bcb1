"""The demo shop's stock, through the real stock services: suppliers with their items,
opening deliveries into the back store, stock on the shop floor, purchase orders in every
state, reorder rules, goods in transit, a finished count and a few products below zero;
and each seeded morning the deliveries that keep stock moving with the sales.

Deterministic: the same catalogue gives the same suppliers, orders and quantities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.clock import OSLO, Clock, FixedClock, business_day
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.money import round_half_up
from omnipos_tui.core.stock.documents import OrderStatus, Supplier
from omnipos_tui.core.stock.quantity import SCALE, format_quantity
from omnipos_tui.demo.data import _org_number
from omnipos_tui.services.catalogue.service import CatalogueService
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.services.stock.documents import StockDocumentService
from omnipos_tui.services.stock.purchasing import PurchaseService
from omnipos_tui.services.stock.service import StockService
from omnipos_tui.services.stock.suppliers import SupplierService

MANAGER = "2"
"""The demo manager takes deliveries in."""

#: code, name, org.nr. prefix, lead days, delivery days, the article groups it sells.
SUPPLIERS: tuple[tuple[str, str, str, int, str, tuple[str, ...]], ...] = (
    ("tine", "Tine SA", "91214002", 1, "mon,wed,fri", ("10",)),
    ("bama", "Bama Gruppen AS", "91643203", 1, "mon,tue,wed,thu,fri", ("11",)),
    ("bakehuset", "Bakehuset AS", "98112234", 1, "mon,tue,wed,thu,fri,sat", ("12",)),
    ("ringnes", "Ringnes AS", "93525620", 2, "tue,fri", ("20",)),
    ("asko", "ASKO Midt-Norge AS", "96823541", 3, "thu", ("21", "30", "40", "50", "60", "80")),
)
_PACKS = {"10": 6, "11": 5, "12": 4, "20": 24, "21": 6, "30": 12, "40": 10, "50": 5, "60": 6}


class StockServices(Protocol):
    """The services the demo's stock is made with (``bootstrap.Services`` has them)."""

    @property
    def clock(self) -> Clock: ...
    @property
    def catalogue(self) -> CatalogueService: ...
    @property
    def stock(self) -> StockService: ...
    @property
    def suppliers(self) -> SupplierService: ...
    @property
    def purchasing(self) -> PurchaseService: ...
    @property
    def stock_documents(self) -> StockDocumentService: ...


@dataclass(frozen=True, slots=True)
class Stocked:
    """A product the demo keeps on stock and who sells it."""

    product: Product
    supplier: str
    pack: int


def _stocked(services: StockServices) -> list[Stocked]:
    owners = {group: code for code, _, _, _, _, groups in SUPPLIERS for group in groups}
    out = []
    for product in services.catalogue.list_products(limit=1000):
        supplier = owners.get(product.group)
        if product.active and supplier is not None:
            out.append(Stocked(product, supplier, _PACKS.get(product.group, 1)))
    return out


def _cost(product: Product) -> str:
    """About 62 % of the price excl. VAT, as typed ("12,34")."""
    ex_vat = Decimal(product.price.ore) * 100 / (100 + product.vat.percent)
    ore = round_half_up(ex_vat * Decimal("0.62"))
    return f"{ore // 100},{ore % 100:02d}"


def _quantity(stocked: Stocked, packs: int) -> str:
    if stocked.product.unit is Unit.KG:
        return format_quantity(packs * stocked.pack * SCALE, Unit.KG)
    return str(packs * stocked.pack)


def set_up_stock(services: StockServices, clock: FixedClock | None = None) -> None:
    """Give the new demo shop its suppliers, stock, orders, rules, transit and a count.

    Args:
        services: The real services.
        clock: The seeder's clock, moved on a little between the steps (None: the
            services' own clock, which moves by itself).

    Does nothing when the shop has suppliers already.
    """
    if services.suppliers.all():
        return
    for code, name, org, lead, days, _ in SUPPLIERS:
        services.suppliers.save(
            Supplier(
                code=code,
                name=name,
                org_number=_org_number(org),
                contact="Ordrekontoret",
                email=f"ordre@{code}.no",
                delivery_days=days,
                lead_days=lead,
            ),
            employee=MANAGER,
        )
    stocked = _stocked(services)
    for entry in stocked:
        services.suppliers.save_item(
            entry.supplier,
            entry.product.sku,
            cost=_cost(entry.product),
            supplier_sku=f"{entry.supplier[:3].upper()}-{entry.product.sku}",
            pack_size=str(entry.pack),
            employee=MANAGER,
        )
    # Three snacks never arrived but were moved to the shop floor: below zero in the back.
    short = [s for s in stocked if s.product.group == "30"][:3]
    delivered = [s for s in stocked if s not in short]
    documents, purchasing = services.stock_documents, services.purchasing
    for code, *_ in SUPPLIERS:
        mine = [s for s in delivered if s.supplier == code]
        if not mine:
            continue
        order = purchasing.new(
            code,
            [LineInput(s.product.sku, _quantity(s, 2 + n % 3)) for n, s in enumerate(mine)],
            location="lager",
            note="åpningslager",
            employee=MANAGER,
        )
        purchasing.send(order.number, employee=MANAGER)
        _later(clock, 5)
        full = [LineInput(ln.sku, format_quantity(ln.quantity)) for ln in order.lines]
        documents.receive(
            full, order_no=order.number, delivery_note=f"{code.upper()}-1", employee=MANAGER
        )
    _later(clock, 10)
    # Half of it on the shop floor, one step.
    floor = []
    for n, entry in enumerate(delivered):
        if entry.product.unit is Unit.KG:
            floor.append(LineInput(entry.product.sku, format_quantity(entry.pack * SCALE, Unit.KG)))
        else:
            floor.append(LineInput(entry.product.sku, str(max(1, entry.pack * (1 + n % 2)))))
    floor += [LineInput(s.product.sku, "2") for s in short]
    documents.transfer("lager", "butikk", floor, employee=MANAGER)
    # Reorder rules for the dairy products on the shop floor.
    for entry in [s for s in delivered if s.product.group == "10"][:20]:
        if entry.product.unit is Unit.PIECE:
            services.stock.set_rule(entry.product.sku, "butikk", "4", "18", employee=MANAGER)
    _orders_in_every_state(services, delivered)
    # Goods under way from the back store.
    soda = [s for s in delivered if s.product.group == "20"][:1]
    if soda:
        documents.transfer(
            "lager",
            "butikk",
            [LineInput(soda[0].product.sku, "6")],
            two_step=True,
            employee=MANAGER,
        )
    # A finished count of the bread on the shop floor, with two differences.
    _later(clock, 20)
    count, _ = documents.start_count("butikk", group="12", employee=MANAGER)
    bread = [s for s in delivered if s.product.group == "12"]
    counted = []
    for n, entry in enumerate(bread):
        balances = services.stock.show(entry.product.sku, moves=0).locations
        here = next((loc.on_hand for loc in balances if loc.location == "butikk"), 0)
        off = (-1 if n == 0 else 1 if n == 1 else 0) * SCALE
        counted.append(LineInput(entry.product.sku, format_quantity(max(0, here + off))))
    if counted:
        documents.add_counts(count.number, counted, employee=MANAGER)
    documents.finish_count(count.number, reason="månedlig telling", employee=MANAGER)


def _later(clock: FixedClock | None, minutes: int) -> None:
    if clock is not None:
        clock.advance(timedelta(minutes=minutes))


def _orders_in_every_state(services: StockServices, delivered: Sequence[Stocked]) -> None:
    """Draft, sent, partly received and cancelled orders beside the received ones."""
    purchasing, documents = services.purchasing, services.stock_documents
    today = business_day(services.clock.now())
    by_supplier: dict[str, list[Stocked]] = {}
    for entry in delivered:
        by_supplier.setdefault(entry.supplier, []).append(entry)

    def order(code: str, count: int, days: int, note: str) -> int:
        lines = [LineInput(s.product.sku, _quantity(s, 2)) for s in by_supplier[code][:count]]
        made = purchasing.new(
            code,
            lines,
            expected=today + timedelta(days=days),
            location="lager",
            note=note,
            employee=MANAGER,
        )
        return made.number

    order("asko", 5, 7, "neste uke")  # stays a draft
    sent = order("tine", 6, 2, "fredag")
    purchasing.send(sent, employee=MANAGER)
    partly = order("bama", 4, 1, "i morgen")
    purchasing.send(partly, employee=MANAGER)
    placed = purchasing.get(partly)[0]
    first = placed.lines[0]
    half = [
        LineInput(first.sku, format_quantity(max(SCALE, first.quantity // (2 * SCALE) * SCALE)))
    ]
    documents.receive(half, order_no=partly, delivery_note="BAMA-2", employee=MANAGER)
    dropped = order("ringnes", 2, 3, "feilbestilling")
    purchasing.cancel(dropped, reason="bestilt to ganger", employee=MANAGER)


def morning_deliveries(services: StockServices, clock: FixedClock) -> None:
    """A seeded morning: yesterday's sent orders arrive (in full) into the back store,
    the reorder suggestions become orders that are sent at once, and the shop floor is
    filled from the back store. Nothing is done for a shop without suppliers."""
    if not services.suppliers.all():
        return
    day = business_day(clock.now())
    clock.current = datetime.combine(day, time(7, 15), OSLO).astimezone(clock.current.tzinfo)
    purchasing, documents = services.purchasing, services.stock_documents
    for order in purchasing.orders(status=OrderStatus.SENT):
        if order.expected is not None and order.expected > day:
            continue
        lines = [
            LineInput(ln.sku, format_quantity(ln.outstanding))
            for ln in order.lines
            if ln.outstanding
        ]
        clock.advance(timedelta(minutes=3))
        try:
            documents.receive(lines, order_no=order.number, employee=MANAGER)
        except PosError:
            continue
    _, created = purchasing.suggest(create=True, employee=MANAGER)
    for order in created:
        purchasing.send(order.number, employee=MANAGER)
    back = {row.sku: row for row in services.stock.rows(location="lager")}
    floor = {row.sku: row for row in services.stock.rows(location="butikk")}
    moves = []
    for sku, row in floor.items():
        spare = back.get(sku)
        if row.on_hand <= 2 * SCALE and spare is not None and spare.on_hand >= SCALE:
            amount = min(spare.on_hand, 10 * SCALE)
            unit = Unit(spare.unit)
            if unit is Unit.PIECE:
                amount -= amount % SCALE
            moves.append(LineInput(sku, format_quantity(amount, unit)))
    if moves:
        clock.advance(timedelta(minutes=10))
        documents.transfer("lager", "butikk", moves, employee=MANAGER)
