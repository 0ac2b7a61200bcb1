"""The web shop sync's use cases (``omnipos webshop ...``) and the worker's periodic job.

- :meth:`WebshopSync.link`: link products by SKU, then barcode; the shop's products we do
  not have are listed, never invented.
- :meth:`WebshopSync.sync_once`: pull orders and customers, push every linked product's
  catalogue entry and stock (``webshop sync --once``).
- :meth:`WebshopSync.reconcile`: compare every linked product's stock in the shop with
  what we offer; ``repair`` pushes the differences.
- :meth:`WebshopSync.due`: the worker's job: pull orders every ``poll_seconds``, customers
  on the same beat, and reconcile (with repair) once a day, a page of the shop per pass
  (``reconcile.py``).
- :meth:`WebshopSync.status`: each direction's last success, backlog, drift, last error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.errors import DeliveryDeferred, DeliveryError, PosError
from omnipos_tui.core.outbox import KindStatus, backoff_seconds
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.core.webshop.model import (
    CATALOGUE_KIND,
    CUSTOMER_KIND,
    ORDER_KIND,
    STOCK_KIND,
    DirectionStatus,
    Drift,
    ImportResult,
    LinkResult,
    WebshopStatus,
)
from omnipos_tui.core.webshop.ports import WebShop
from omnipos_tui.services.webshop.inbound import Inbound
from omnipos_tui.services.webshop.outbound import CatalogueOut, StockOut, record
from omnipos_tui.services.webshop.reconcile import Reconciler
from omnipos_tui.services.webshop.settlement import WebSettlement

log = logging.getLogger(__name__)

DIRECTIONS = (
    "orders", "customers", "stock", "catalogue", "orders_out", "customers_out", "reconcile",
    "settlement",
)  # fmt: skip
_BACKLOG = {
    "stock": STOCK_KIND,
    "catalogue": CATALOGUE_KIND,
    "orders_out": ORDER_KIND,
    "customers_out": CUSTOMER_KIND,
}
PULL_BACKOFF_CAP_S = 300.0
"""The longest wait between pulls while the shop keeps failing (before its Retry-After)."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What ``webshop sync --once`` did.

    Attributes:
        orders: The orders pulled.
        customers: Our numbers of customers new from the shop.
        catalogue: Catalogue entries pushed.
        stock: Stock levels pushed.
    """

    orders: ImportResult
    customers: tuple[str, ...]
    catalogue: int
    stock: int


class WebshopSync:
    """The web shop's use cases.

    Args:
        units: Opens units of work.
        clock: The time.
        shop: The shop adapter (built on first use).
        inbound: Pulls orders and customers.
        stock: Pushes stock levels.
        catalogue: Pushes catalogue entries.
        kind: The configured kind ("woocommerce", "oscar").
        url: The shop's address.
        poll: How often the worker pulls orders.
        outbox: Reads the outbox's counts (backlog per direction).
        settlement: Queues the web channel's daily settlement (None: no accounting).
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        shop: Callable[[], WebShop],
        inbound: Inbound,
        stock: StockOut,
        *,
        catalogue: CatalogueOut,
        kind: str,
        url: str,
        poll: timedelta,
        outbox: Callable[[], Sequence[KindStatus]],
        settlement: WebSettlement | None = None,
    ) -> None:
        self._units = units
        self._clock = clock
        self._shop = shop
        self.inbound = inbound
        self.stock = stock
        self.catalogue = catalogue
        self._kind = kind
        self._url = url
        self._poll = poll
        self._outbox = outbox
        self.settlement = settlement
        self._last_pull: datetime | None = None
        self._woken = threading.Event()
        self._pull_failures = 0
        self._next_pull: datetime | None = None
        self.reconciler = Reconciler(units, clock, shop, stock)

    # --- the owner's commands ---------------------------------------------------------------

    def check(self) -> str:
        """Whether the shop answers and takes the credentials (``webshop test``)."""
        return self._shop().check()

    def setup(self) -> list[str]:
        """Prepare the shop for the adapter and check the credentials (``webshop setup``)."""
        return [f"connected: {self._shop().check()}", *self._shop().setup()]

    def link(self, skus: Sequence[str] = (), *, every: bool = False) -> LinkResult:
        """Link our products to the shop's by SKU, then barcode (``webshop link``).

        Args:
            skus: Our SKUs to link (with ``every``: all we have that the shop has).
            every: Every product with a SKU the shop has.
        """
        shop_products = list(self._shop().products())
        by_sku = {p.sku: p for p in shop_products if p.sku}
        by_barcode = {p.barcode: p for p in shop_products if p.barcode}
        now = self._clock.now()
        linked: list[tuple[str, str]] = []
        already: list[str] = []
        missing: list[str] = []
        used: set[str] = set()
        with self._units() as uow:
            links = uow.webshop.product_links()
            ours = (
                list(uow.catalogue.iter_products())
                if every
                else list(uow.catalogue.products_by_skus(skus).values())
            )
            missing = sorted(set(skus) - {p.sku for p in ours})
            for product in ours:
                match = by_sku.get(product.sku) or next(
                    (by_barcode[b] for b in product.barcodes if b in by_barcode), None
                )
                if match is None:
                    if not every:
                        missing.append(product.sku)
                    continue
                used.add(match.external_id)
                if links.get(product.sku) == match.external_id:
                    already.append(product.sku)
                    continue
                uow.webshop.link_product(product.sku, match.external_id, now)
                linked.append((product.sku, match.external_id))
            uow.commit()
        only = sorted(p.sku or p.name for p in shop_products if p.external_id not in used)
        result = LinkResult(
            tuple(linked), tuple(already), tuple(only) if every else (), tuple(missing)
        )
        if linked:
            self.push_catalogue([sku for sku, _ in linked])
            self.stock.push(self.stock.levels([sku for sku, _ in linked]))
        return result

    def push_catalogue(self, skus: Sequence[str] | None = None) -> int:
        """Send name, price incl. VAT, VAT class and active flag of linked products."""
        return self.catalogue.push(skus)

    def sync_once(self) -> SyncReport:
        """Pull orders and customers, push the catalogue and every linked stock level."""
        orders = self.pull_orders()
        customers = self.inbound.pull_customers()
        record(self._units, self._clock, "customers")
        catalogue = self.push_catalogue()
        stock = self.stock.push(self.stock.levels())
        return SyncReport(orders, tuple(customers), catalogue, stock)

    def pull_orders(self) -> ImportResult:
        """Pull the orders changed since the cursor (and keep the outcome for status)."""
        try:
            result = self.inbound.pull_orders()
        except DeliveryError as error:
            record(self._units, self._clock, "orders", error.detail or str(error))
            raise
        record(self._units, self._clock, "orders")
        return result

    def reconcile(self, *, repair: bool = False) -> list[Drift]:
        """Every linked product whose stock in the shop differs from what we offer;
        ``repair`` pushes ours for each (the whole shop at once: ``webshop reconcile``)."""
        return self.reconciler.run(repair=repair)

    # --- the worker's job -------------------------------------------------------------------

    def wake(self) -> None:
        """A webhook came: pull on the next pass, whatever the poll interval (any thread).
        What the webhook said is never used: the pull asks the shop."""
        self._woken.set()

    def due(self) -> bool:
        """What the worker does on each pass: pull orders and customers when the poll
        interval has passed or a webhook woke the puller (:meth:`wake`), and the nightly
        reconcile (with repair) once a day, one page of the shop per pass so the outbox
        (a till sale's stock push) and the pulls never wait for the whole shop to be read.

        While the shop is down, slow or answers 429/5xx, the pulls back off (exponential
        with jitter, never sooner than the shop's ``Retry-After`` nor the poll interval),
        and so does the reconcile.

        Returns:
            True while a reconcile has pages left: the worker's next pass need not wait.
        """
        now = self._clock.now()
        self._pull_due(now)
        if not self.reconciler.running or (self._next_pull is not None and now < self._next_pull):
            return False
        try:
            self.reconciler.step()
        except PosError as error:
            log.warning("web shop reconcile: %s", error)
        return self.reconciler.running

    def _pull_due(self, now: datetime) -> None:
        """The pulls and the daily settlement when due; starts the day's reconcile."""
        woken = self._woken.is_set()
        if not woken and self._last_pull is not None and now - self._last_pull < self._poll:
            return
        if self._next_pull is not None and now < self._next_pull:
            return  # a webhook does not cut a back-off short: it is pulled when that ends
        self._woken.clear()
        self._last_pull = now
        try:
            self.pull_orders()
            self.inbound.pull_customers()
            record(self._units, self._clock, "customers")
        except DeliveryError as error:
            self._pull_failed(error)
            return
        self._pull_failures = 0
        self._next_pull = None
        if self.settlement is not None:
            try:
                self.settlement.due()
                record(self._units, self._clock, "settlement")
            except PosError as error:
                log.warning("web shop settlement: %s", error)
                record(self._units, self._clock, "settlement", error.detail or str(error))
        if self.reconciler.running:
            return
        with self._units(read_only=True) as uow:
            day = uow.webshop.get_state("reconcile.day")
        if day != business_day(now).isoformat():
            self.reconciler.start(repair=True)

    def _pull_failed(self, error: DeliveryError) -> None:
        """The next pull waits: the backoff, or the shop's ``Retry-After`` if longer (a
        refusal waits as long: it needs the owner, and asking again costs nothing)."""
        self._pull_failures += 1
        retry_after = error.retry_after if isinstance(error, DeliveryDeferred) else None
        wait = max(
            self._poll.total_seconds(),
            backoff_seconds(self._pull_failures, retry_after=retry_after, cap=PULL_BACKOFF_CAP_S),
        )
        self._next_pull = self._clock.now() + timedelta(seconds=wait)
        log.warning("web shop pull: %s (next try in %.0f s)", error, wait)

    # --- status -----------------------------------------------------------------------------

    def status(self) -> WebshopStatus:
        """Each direction's last success, backlog, drift and last error."""
        backlog = {k.kind: k for k in self._outbox()}
        with self._units(read_only=True) as uow:
            state = {
                name: uow.webshop.get_state(name)
                for direction in DIRECTIONS
                for name in (f"{direction}.ok_at", f"{direction}.error", f"{direction}.error_at")
            }
            cursor = uow.webshop.get_state("orders.cursor")
            people = uow.webshop.get_state("customers.cursor")
            drift = uow.webshop.get_state("reconcile.drift")
            settled = uow.webshop.get_state("settlement.day")
            products, customers, orders = uow.webshop.counts()
            problems = uow.webshop.problems(limit=20)
        directions = []
        for direction in DIRECTIONS:
            kind = backlog.get(_BACKLOG.get(direction, ""))
            item = DirectionStatus(
                direction,
                _time(state[f"{direction}.ok_at"]),
                state[f"{direction}.error"],
                _time(state[f"{direction}.error_at"]),
                kind.waiting if kind else 0,
            )
            if kind is not None and kind.last_error and not item.last_error:
                item = replace(item, last_error=kind.last_error, last_error_at=kind.last_error_at)
            if direction == "orders":
                item = replace(item, detail=f"cursor {cursor or '(start)'}")
            if direction == "customers":
                item = replace(item, detail=f"cursor {people or '(start)'}")
            if direction == "settlement":
                item = replace(item, detail=f"settled to {settled or '(none yet)'}")
            if direction == "reconcile" and drift:
                item = replace(item, detail=f"{drift} drifted")
            directions.append(item)
        return WebshopStatus(
            self._kind,
            self._url,
            products,
            customers,
            orders,
            tuple(directions),
            tuple(f"{at.isoformat(timespec='seconds')} {text}" for at, text in problems),
        )


def _time(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
