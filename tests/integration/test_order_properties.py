"""Random order work mixed with till sales and goods receipts, on both engines: taking
orders (reserving at once), cancelling parts of lines, picking, shipping, whole cancels and
pick-ups at the till. Afterwards every on hand and reserved balance equals an independent
model of what the work did (so ``available = on_hand - reserved`` is exact), every order
line's figures equal the model's, and ``stock verify`` is clean."""

from __future__ import annotations

import itertools
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_support import CASHIER, CUSTOMER, MILK, open_shop
from order_support import level

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.orders.order import Delivery
from omnipos_tui.services.orders import pickup
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.storage.database import execute_sql, open_database

SKUS = ("10001", "10002", "20001")
CODES = {"10001": MILK, "10002": "10002", "20001": "20001"}
PLACES = ("butikk", "lager")
PG_BASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
SHIPPED_TO = "500"


@dataclass
class Line:
    sku: str
    place: str
    wanted: int
    reserved: int = 0
    picked: int = 0
    delivered: int = 0
    cancelled: int = 0

    @property
    def back(self) -> int:
        return self.wanted - self.cancelled - self.reserved - self.picked - self.delivered

    @property
    def outstanding(self) -> int:
        return self.wanted - self.cancelled - self.delivered


@dataclass
class Order:
    number: int
    ship: bool
    lines: list[Line]

    @property
    def final(self) -> bool:
        live = [ln for ln in self.lines if ln.wanted - ln.cancelled > 0]
        if not live:
            return True
        return not self.ship and all(ln.outstanding == 0 for ln in live)


@dataclass
class Model:
    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)
    reserved: dict[tuple[str, str], int] = field(default_factory=dict)
    transit: dict[str, int] = field(default_factory=dict)
    orders: list[Order] = field(default_factory=list)

    def add(self, table: dict[tuple[str, str], int], sku: str, place: str, q: int) -> None:
        table[(sku, place)] = table.get((sku, place), 0) + q

    def free(self, sku: str, place: str) -> int:
        return self.on_hand.get((sku, place), 0) - self.reserved.get((sku, place), 0)

    def reserve(self, line: Line, wanted: int) -> None:
        take = max(0, min(wanted, self.free(line.sku, line.place)))
        self.add(self.reserved, line.sku, line.place, take)
        line.reserved += take

    def pick(self, line: Line) -> None:
        r = line.reserved
        self.add(self.on_hand, line.sku, line.place, -r)
        self.add(self.reserved, line.sku, line.place, -r)
        self.transit[line.sku] = self.transit.get(line.sku, 0) + r
        line.picked += r
        line.reserved = 0

    def deliver(self, line: Line) -> None:
        self.transit[line.sku] = self.transit.get(line.sku, 0) - line.picked
        line.delivered += line.picked
        line.picked = 0

    def cancel(self, line: Line, q: int) -> None:
        rest = q - min(q, line.back)
        release = min(rest, line.reserved)
        unpick = rest - release
        self.add(self.reserved, line.sku, line.place, -release)
        line.reserved -= release
        line.picked -= unpick
        self.add(self.on_hand, line.sku, line.place, unpick)
        self.transit[line.sku] = self.transit.get(line.sku, 0) - unpick
        line.cancelled += q


quantities = st.integers(min_value=1, max_value=6)
skus = st.sampled_from(SKUS)
picks = st.integers(min_value=0, max_value=30)
operations = st.one_of(
    st.tuples(
        st.just("receive"), skus, st.integers(min_value=1, max_value=10), st.sampled_from(PLACES)
    ),
    st.tuples(st.just("sell"), skus, quantities),
    st.tuples(
        st.just("new"),
        st.lists(st.tuples(skus, quantities), min_size=1, max_size=3),
        st.sampled_from(PLACES),
        st.booleans(),
    ),
    st.tuples(st.just("pick"), picks),
    st.tuples(st.just("ship"), picks),
    st.tuples(st.just("pickup"), picks),
    st.tuples(st.just("cancel_part"), picks, picks, quantities),
    st.tuples(st.just("cancel"), picks),
)


def _sell(services: Services, sku: str, quantity: int) -> None:
    deps = services.sales
    sale = opening.resume_or_open(deps, "1", CASHIER)
    ringing.add_item(deps, sale.sale_id, CODES[sku], quantity=Decimal(quantity), employee=CASHIER)
    payments.pay(deps, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(deps, sale.sale_id, employee=CASHIER)


def _refused(action: Callable[[], object]) -> bool:
    try:
        action()
    except RuleViolation:
        return True
    return False


def _step(
    services: Services, model: Model, op: tuple[object, ...], tracking: Iterator[int]
) -> None:
    kind = op[0]
    orders = model.orders
    if kind == "receive":
        _, sku, quantity, place = op
        services.stock_documents.receive(
            [LineInput(str(sku), str(quantity), "10,00")], location=str(place)
        )
        model.add(model.on_hand, str(sku), str(place), int(str(quantity)) * 1000)
    elif kind == "sell":
        _, sku, quantity = op
        _sell(services, str(sku), int(str(quantity)))
        model.add(model.on_hand, str(sku), "butikk", -int(str(quantity)) * 1000)
    elif kind == "new":
        _, items, place, ship = op
        assert isinstance(items, list)
        details = services.orders.new(
            SHIPPED_TO if ship else CUSTOMER,
            [LineInput(sku, str(q)) for sku, q in items],
            location=str(place),
            delivery=Delivery.SHIP if ship else Delivery.PICKUP,
        )
        order = Order(details.order.number, bool(ship), [])
        for sku, q in items:
            line = Line(sku, str(place), q * 1000)
            model.reserve(line, line.wanted)
            order.lines.append(line)
        orders.append(order)
    elif not orders:
        return
    elif kind == "pick":
        order = orders[int(str(op[1])) % len(orders)]
        expect_refusal = order.final
        if not expect_refusal:
            for line in order.lines:
                if line.back > 0:
                    model.reserve(line, line.back)
            expect_refusal = not any(line.reserved for line in order.lines)
        refused = _refused(partial(services.orders.pick, order.number))
        assert refused == expect_refusal, ("pick", order)
        if not refused:
            for line in order.lines:
                model.pick(line)
    elif kind == "ship":
        order = orders[int(str(op[1])) % len(orders)]
        number = next(tracking)
        ship = partial(
            services.shipping.ship, order.number, carrier="manual", tracking=f"T{number}"
        )
        if not order.ship or order.final:
            assert _refused(ship)
            return
        for line in order.lines:
            if line.back > 0:
                model.reserve(line, line.back)
        if not any(line.picked for line in order.lines):
            for line in order.lines:
                model.pick(line)
        expect = not any(line.picked for line in order.lines)
        assert _refused(ship) == expect
        if not expect:
            for line in order.lines:
                model.deliver(line)
    elif kind == "pickup":
        order = orders[int(str(op[1])) % len(orders)]
        deps = services.sales
        sale = opening.resume_or_open(deps, "1", CASHIER)
        bring = partial(
            pickup.bring_into_sale, deps, sale.sale_id, str(order.number), employee=CASHIER
        )
        ready = any(line.picked + line.reserved for line in order.lines)
        if order.ship or order.final or not ready:
            assert _refused(bring)
            return
        bring()
        payments.pay(deps, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
        completion.complete(deps, sale.sale_id, employee=CASHIER)
        for line in order.lines:
            model.pick(line)
            model.deliver(line)
    elif kind == "cancel_part":
        order = orders[int(str(op[1])) % len(orders)]
        index = int(str(op[2])) % len(order.lines)
        line = order.lines[index]
        quantity = int(str(op[3])) * 1000
        cancel = partial(services.orders.cancel, order.number, [(index + 1, str(quantity // 1000))])
        if order.final or quantity > line.outstanding:
            assert _refused(cancel)
            return
        cancel()
        model.cancel(line, quantity)
    elif kind == "cancel":
        order = orders[int(str(op[1])) % len(orders)]
        whole = partial(services.orders.cancel, order.number)
        if order.final or not any(line.outstanding for line in order.lines):
            assert _refused(whole)
            return
        whole()
        for line in order.lines:
            if line.outstanding:
                model.cancel(line, line.outstanding)


def _check(services: Services, model: Model) -> None:
    assert services.stock.verify().clean
    for sku in SKUS:
        for place in PLACES:
            stored = level(services, sku, place)
            assert stored.on_hand == model.on_hand.get((sku, place), 0), (sku, place)
            assert stored.reserved == model.reserved.get((sku, place), 0), (sku, place)
            assert stored.available == stored.on_hand - stored.reserved
        assert level(services, sku, "transit").on_hand == model.transit.get(sku, 0), sku
    with services.units(read_only=True) as uow:
        assert uow.stock.reserved_balances() == uow.orders.reserved_by_orders()
    for order in model.orders:
        shown = services.orders.show(order.number).order
        got = [(ln.reserved, ln.picked, ln.delivered, ln.cancelled) for ln in shown.lines]
        want = [(ln.reserved, ln.picked, ln.delivered, ln.cancelled) for ln in order.lines]
        assert got == want, order.number


@contextmanager
def _shop(engine: str) -> Iterator[tuple[Services, FixedClock]]:
    with tempfile.TemporaryDirectory() as folder:
        url = ""
        schema = f"o_{uuid.uuid4().hex[:16]}"
        admin = None
        if engine == "postgresql":
            admin = open_database(PG_BASE_URL)
            admin.connect()
            execute_sql(admin, f'CREATE SCHEMA "{schema}"')
            url = f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"
        try:
            services, clock = open_shop(Path(folder), url=url, algorithm="hmac-sha1")
            services.customers.add(Customer(SHIPPED_TO, "Kari", "", "", "", "Gata 1", "7011", "By"))
            try:
                yield services, clock
            finally:
                services.close()
        finally:
            if admin is not None:
                execute_sql(admin, f'DROP SCHEMA "{schema}" CASCADE')
                admin.close()


@pytest.mark.parametrize(
    ("engine", "examples"),
    [("sqlite", 20), pytest.param("postgresql", 6, marks=pytest.mark.postgres)],
)
def test_random_order_work_and_till_sales_keep_available_equal_to_on_hand_less_reserved(
    engine: str, examples: int
) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(st.lists(operations, min_size=4, max_size=24))
    def run(ops: list[tuple[object, ...]]) -> None:
        with _shop(engine) as (services, clock):
            model = Model()
            tracking = itertools.count(1)
            for op in ops:
                clock.advance(timedelta(minutes=5))
                _step(services, model, op, tracking)
            _check(services, model)

    run()
