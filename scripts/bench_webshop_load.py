"""The web shop under load (issue 14), against a local django-oscar shop that pages its
lists (django-rest-framework page-number pagination, ``--page-size``, as shops configure
it), measured with the wall clock, never asserted:

1. **full reconcile of N linked products** (default 10,000): the products are made in both
   places with the same stock (in Oscar in bulk, through its own models), linked, and 1 %
   of them drifted in the shop; then ``webshop reconcile`` (report), ``reconcile --repair``
   and a last ``reconcile``: seconds and HTTP requests each (counted in the shop's request
   log);
2. **the till's sale while the worker reconciles**: cash sales of one linked product
   completed through the sale services (each queues a stock push the worker sends), timed
   from the first item to the completed sale and the completion alone, in three phases back
   to back: no worker; ``omnipos worker`` (its own process, nice 10 by default) reconciling
   the N products over and over; the same worker at ``--nice 0``.

Imported by ``scripts/bench_webshop.py`` (``--products``, ``--page-size``, ``--till-sales``).
"""

from __future__ import annotations

import io
import json
import re
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ledger_support import CASHIER, open_shop
from oscar_peer import manage, running_oscar
from stock_support import post, supplied
from webshop_process import WorkerProcess, write_config

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.clock import SystemClock
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.core.webshop.model import STOCK_KIND
from omnipos_tui.services.catalogue.product_csv import write_products_csv
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.settings import load_settings

_REQUEST = re.compile(r'"(GET|POST|PATCH|PUT|DELETE) ')

_BULK = """
import json
from oscar.core.loading import get_model
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
rows = json.load(open({rows!r}))
kind = ProductClass.objects.get(slug="omnipos")
partner = Partner.objects.get(code="omnipos")
Product.objects.bulk_create(
    [Product(title=t, slug="b-" + s.lower(), upc=s, product_class=kind, structure="standalone")
     for s, t, n, shop in rows], batch_size=500)
ids = dict(Product.objects.filter(upc__in=[r[0] for r in rows]).values_list("upc", "id"))
StockRecord.objects.bulk_create(
    [StockRecord(product_id=ids[s], partner=partner, partner_sku=s, price_currency="NOK",
                 price="100.00", num_in_stock=shop) for s, t, n, shop in rows], batch_size=500)
json.dump(ids, open({out!r}, "w"))
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def requests_in(log: Path) -> int:
    """HTTP requests the shop has served (its runserver log)."""
    return sum(1 for line in log.read_text(errors="replace").splitlines() if _REQUEST.search(line))


def pages_in(log: Path) -> int:
    """Pages of the product list the shop has served."""
    return log.read_text(errors="replace").count("/api/admin/products/?page=")


def timed(name: str, log: Path, call: Callable[[], object]) -> object:
    before, start = requests_in(log), time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    time.sleep(0.5)  # the log line of the last answer
    print(f"  {name}: {seconds:.1f} s, {requests_in(log) - before} requests")
    return result


def reconcile_and_till(base: Path, *, products: int, page_size: int, sales: int) -> None:
    shop_dir, data = base / "oscar-load", base / "pos-load"
    shop_dir.mkdir(parents=True, exist_ok=True)
    data.mkdir(exist_ok=True)
    with running_oscar(shop_dir, page_size=page_size) as oscar:
        skus = [f"W{n:05d}" for n in range(products)]
        stock = {sku: 5 + n % 20 for n, sku in enumerate(skus)}
        started = time.perf_counter()
        services, _ = open_shop(data)
        text = io.StringIO()
        rate = rate_by_code("3")
        write_products_csv(
            (Product(sku, f"Nettvare {sku}", Money(10000), rate, "30") for sku in skus), text
        )
        services.catalogue.import_csv(text.getvalue().encode(), source="bench.csv", actor="bench")
        post(
            services,
            *(supplied(sku, stock[sku] * 1000, 1000, line=n) for n, sku in enumerate(skus, 1)),
        )
        services.close()
        config = write_config(data, url=oscar.url, user=oscar.user, password=oscar.password)
        services = build(load_settings(config), clock=SystemClock())
        services.webshop.setup()
        drifted = set(skus[::100])  # 1 %
        rows = [
            (sku, f"Nettvare {sku}", stock[sku], stock[sku] + (3 if sku in drifted else 0))
            for sku in skus
        ]
        (shop_dir / "rows.json").write_text(json.dumps(rows))
        code = _BULK.format(rows=str(shop_dir / "rows.json"), out=str(shop_dir / "ids.json"))
        manage(shop_dir, "shell", "-c", code, page_size=page_size)
        ids = json.loads((shop_dir / "ids.json").read_text())
        now = services.clock.now()
        with services.units() as uow:
            for sku in skus:
                uow.webshop.link_product(sku, str(ids[sku]), now)
            uow.commit()
        print(
            f"{products:,} products made and linked in both places "
            f"({time.perf_counter() - started:.0f} s; {len(drifted)} drifted in the shop; "
            f"the shop pages by {page_size})"
        )
        log = shop_dir / "oscar.log"
        print("full reconcile:")
        drift = timed("reconcile (report)", log, services.webshop.reconcile)
        print(f"    drift found: {len(drift)} (expected {len(drifted)})")  # type: ignore[arg-type]
        timed("reconcile --repair", log, lambda: services.webshop.reconcile(repair=True))
        left = timed("reconcile after the repair", log, services.webshop.reconcile)
        print(f"    drift left: {len(left)}")  # type: ignore[arg-type]
        till_phases(services, config, log, skus[-1], sales)
        services.close()


def till_phases(services: Services, config: Path, log: Path, sku: str, sales: int) -> None:
    print(f"the till's cash sale of one linked product, {sales} sales a phase, back to back:")
    sell(services, sku, 5)  # warm up
    report("no worker", *sell(services, sku, sales), shop_requests=0)
    for nice in (10, 0):
        worker = WorkerProcess(config, log.with_name(f"worker-nice{nice}.log"), nice=nice)
        keeper = Reconciling(services)
        pages = pages_in(log)
        worker.start()
        try:
            deadline = time.monotonic() + 300
            while pages_in(log) == pages:  # the backlog first, then the reconcile's pages
                if time.monotonic() > deadline:
                    raise SystemExit("the worker did not start reconciling within 300 s")
                time.sleep(0.2)
            before = requests_in(log)
            whole, complete = sell(services, sku, sales)
            during = requests_in(log) - before
            with services.units(read_only=True) as uow:
                waiting = sum(k.waiting for k in uow.outbox.status() if k.kind == STOCK_KIND)
        finally:
            keeper.stop()
            worker.stop()
        report(f"worker reconciling, nice {nice}", whole, complete, shop_requests=during)
        print(f"    stock pushes still waiting for the reconcile to end: {waiting}")


def sell(services: Services, sku: str, count: int) -> tuple[list[float], list[float]]:
    """``count`` cash sales of one unit, a customer every 50 ms: whole sale and completion."""
    whole, complete = [], []
    for _ in range(count):
        start = time.perf_counter()
        sale = opening.resume_or_open(services.sales, "1", CASHIER)
        ringing.add_item(services.sales, sale.sale_id, sku, employee=CASHIER)
        payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
        done = time.perf_counter()
        completion.complete(services.sales, sale.sale_id, employee=CASHIER)
        end = time.perf_counter()
        whole.append(end - start)
        complete.append(end - done)
        time.sleep(0.05)
    return whole, complete


def report(name: str, whole: list[float], complete: list[float], *, shop_requests: int) -> None:
    def ms(values: list[float]) -> str:
        return (
            f"p50 {statistics.median(values) * 1000:.1f} ms, p99 "
            f"{percentile(values, 0.99) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
        )

    done = f" ({shop_requests} shop requests meanwhile)" if shop_requests else ""
    print(f"  {name}{done}:\n    whole sale  {ms(whole)}\n    completion  {ms(complete)}")


class Reconciling:
    """Keeps the worker reconciling: each time it finishes one, the day's reconcile is
    marked not done, so it starts the next at its next pull."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._stop = threading.Event()
        self.count = 0
        with services.units() as uow:
            uow.webshop.set_state({"reconcile.day": ""})
            self._seen = uow.webshop.get_state("reconcile.ok_at")
            uow.commit()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            with self._services.units() as uow:
                done = uow.webshop.get_state("reconcile.ok_at")
                if done != self._seen:
                    self._seen = done
                    self.count += 1
                    uow.webshop.set_state({"reconcile.day": ""})
                    uow.commit()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
