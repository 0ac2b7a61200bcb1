"""The stock reconcile: every linked product whose stock in the shop differs from what we
offer; with repair, ours is pushed for each.

``webshop reconcile`` reads the whole shop at once (:meth:`Reconciler.run`). The worker's
nightly reconcile reads it one page (one answer of the shop) per pass
(:meth:`Reconciler.start`, then :meth:`Reconciler.step`), so between pages the worker
delivers the outbox and pulls orders: reading a big shop takes minutes, and a till sale's
stock push must reach the shop within seconds (INTEGRATIONS.md §3). The run in hand lives
in memory: a worker restarted half-way starts the reconcile again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.errors import DeliveryError
from omnipos_tui.core.repositories import UnitOfWorkFactory
from omnipos_tui.core.webshop.model import Drift, StockPush
from omnipos_tui.core.webshop.ports import WebShop
from omnipos_tui.services.webshop.outbound import StockOut, record


@dataclass
class _Run:
    """A reconcile in hand: ours when it started, and the shop's counts read so far."""

    repair: bool
    levels: list[StockPush]
    pages: Iterator[dict[str, int | None]]
    theirs: dict[str, int | None] = field(default_factory=dict)


class Reconciler:
    """Compares the shop's stock of the linked products with ours.

    Args:
        units: Opens units of work.
        clock: The time.
        shop: The shop adapter (built on first use).
        stock: Our levels, and pushes them (the repair).
    """

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        shop: Callable[[], WebShop],
        stock: StockOut,
    ) -> None:
        self._units = units
        self._clock = clock
        self._shop = shop
        self._stock = stock
        self._run: _Run | None = None

    @property
    def running(self) -> bool:
        """Whether a reconcile started by :meth:`start` has pages left to read."""
        return self._run is not None

    def run(self, *, repair: bool = False) -> list[Drift]:
        """The whole reconcile at once (``webshop reconcile``); the drift found."""
        run = self._begin(repair)
        while True:
            drift = self._advance(run)
            if drift is not None:
                return drift

    def start(self, *, repair: bool = False) -> None:
        """Begin a reconcile that :meth:`step` reads a page at a time (the worker's)."""
        self._run = self._begin(repair)

    def step(self) -> list[Drift] | None:
        """Read the next page of the reconcile in hand; once all are read, the drift
        (repaired if asked) and the reconcile is done. None: pages remain (or none was
        started).

        Raises:
            DeliveryError: The shop failed; the reconcile is dropped (started again later).
                So is it on any other error.
        """
        run = self._run
        if run is None:
            return None
        try:
            drift = self._advance(run)
        except Exception:  # its pages are spent: never finished on what was read
            self._run = None
            raise
        if drift is not None:
            self._run = None
        return drift

    def _begin(self, repair: bool) -> _Run:
        levels = self._stock.levels()
        pages = self._shop().product_stock([p.external_id for p in levels])
        return _Run(repair, levels, iter(pages))

    def _advance(self, run: _Run) -> list[Drift] | None:
        """One page into ``run``; after the last, the end of the reconcile."""
        try:
            page = next(run.pages, None)
        except DeliveryError as error:
            record(self._units, self._clock, "reconcile", error.detail or str(error))
            raise
        if page is not None:
            run.theirs.update(page)
            return None
        return self._finish(run)

    def _finish(self, run: _Run) -> list[Drift]:
        theirs = run.theirs
        differ = sorted(p.sku for p in run.levels if theirs.get(p.external_id) != p.quantity)
        # Ours again for those: reading a big shop takes minutes, and a sale meanwhile (whose
        # level the worker may have pushed already) is neither drift nor to be undone.
        fresh = self._stock.levels(differ) if differ else []
        drift = [
            Drift(p.sku, p.external_id, theirs.get(p.external_id), p.quantity)
            for p in fresh
            if theirs.get(p.external_id) != p.quantity
        ]
        if run.repair and drift:
            wanted = {d.sku for d in drift}
            self._stock.push([p for p in fresh if p.sku in wanted])
        now = self._clock.now()
        with self._units() as uow:
            uow.webshop.set_state(
                {
                    "reconcile.ok_at": now.isoformat(),
                    "reconcile.error": "",
                    "reconcile.drift": str(len(drift)),
                    "reconcile.day": business_day(now).isoformat(),
                }
            )
            uow.commit()
        return drift
