"""What the stock services need from storage, as protocols (``storage/stock*.py``
implements them; each works inside the unit of work that holds it).

The one path that changes balances is :meth:`StockLedger.post`: it writes the moves and,
in the same unit of work, changes every balance they touch by single atomic statements
(``on_hand = on_hand + :delta``), never by reading a balance into Python and writing it
back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from omnipos_tui.core.stock.documents import (
    GoodsReceipt,
    PurchaseOrder,
    StatusChange,
    StockCount,
    Supplier,
    SupplierItem,
    Transfer,
)
from omnipos_tui.core.stock.figures import (
    LastReceipt,
    LocationStock,
    OnOrder,
    StockRow,
    ValueLine,
    VerifyReport,
)
from omnipos_tui.core.stock.locations import Location
from omnipos_tui.core.stock.moves import MoveRequest, Posting, StockMove


@dataclass(frozen=True, slots=True)
class PostResult:
    """What posting moves did.

    Attributes:
        moves: How many moves were written.
        negative: (SKU, location) of every real location a move left below zero.
        unknown: SKUs that are not in the catalogue (their moves were not written).
    """

    moves: int
    negative: tuple[tuple[str, str], ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Balances:
    """A product's stored balances.

    Attributes:
        locations: On hand and reserved per location that has a balance row (real
            locations and transit), with the reorder rule where one is set.
        owned: Owned stock in all (thousandths).
        average_cost: Moving average cost, øre per unit.
        last_receipt: The number of the latest goods receipt that brought it, if any.
    """

    locations: tuple[LocationStock, ...]
    owned: int
    average_cost: int
    last_receipt: int | None


@dataclass(frozen=True, slots=True)
class DayFigures:
    """One business day of a product.

    Attributes:
        day: The Oslo business day.
        sold: Sold that day less returns (thousandths).
        net: How much owned stock changed that day.
    """

    day: date
    sold: int
    net: int


@dataclass(frozen=True, slots=True)
class ReorderInput:
    """What a reorder suggestion is made from, for one product at one location.

    Attributes:
        sku: The product.
        name: Its name.
        unit: "piece" or "kg".
        location: The location.
        on_hand: On hand there.
        reserved: Reserved there.
        min_qty: Reorder point, or None.
        max_qty: Order-up-to level, or None.
        sold_28d: Sold in the last 28 days (all locations).
    """

    sku: str
    name: str
    unit: str
    location: str
    on_hand: int
    reserved: int
    min_qty: int | None
    max_qty: int | None
    sold_28d: int


class StockLedger(Protocol):
    """Locations, the ledger of moves and the balances kept beside it."""

    def locations(self) -> list[Location]:
        """Every location, real ones first, each by code."""
        ...

    def add_location(self, location: Location) -> None:
        """Store a new location.

        Raises:
            Conflict: The code is taken.
        """
        ...

    def register_location(self, register_id: str) -> str:
        """The location a register sells from ("butikk" unless set)."""
        ...

    def assign_register(self, register_id: str, location: str) -> None:
        """Make a register sell from a real location."""
        ...

    def post(self, moves: Sequence[MoveRequest], posting: Posting) -> PostResult:
        """Write moves and change every balance they touch, atomically, in this unit of
        work: on hand per (product, location) for real locations and transit, the owned
        total and the moving average cost per product, and the day's sold and net figures.
        Locks are taken in product order, so two units of work never deadlock.

        Raises:
            NotFound: A location code is unknown.
        """
        ...

    def balances(self, sku: str) -> Balances | None:
        """A product's balances; None when the SKU is unknown."""
        ...

    def set_last_receipt(self, skus: Iterable[str], receipt_no: int) -> None:
        """Remember the latest goods receipt of products (``stock show`` names it)."""
        ...

    def sold_since(self, sku: str, days: Sequence[date]) -> list[int]:
        """Sold (less returns) from each of ``days`` up to today, from the daily figures."""
        ...

    def days(self, sku: str, since: date) -> list[DayFigures]:
        """The product's days with moves since ``since``, oldest first."""
        ...

    def history(self, sku: str, *, limit: int, before: int | None = None) -> list[StockMove]:
        """The product's moves, newest first, ``limit`` of them before move ``before``."""
        ...

    def stock_rows(
        self,
        *,
        location: str | None = None,
        negative: bool = False,
        below_min: bool = False,
        group: str | None = None,
    ) -> Iterator[StockRow]:
        """Every product with a balance (on hand, reserved or a reorder rule) matching the
        filters, by SKU, totals over the real locations or over ``location``."""
        ...

    def set_reorder_rule(
        self, sku: str, location: str, min_qty: int | None, max_qty: int | None
    ) -> None:
        """Set (or, with both None, remove) a product's reorder point and order-up-to level
        at a location."""
        ...

    def reorder_inputs(self, since: date) -> Iterator[ReorderInput]:
        """Every (product, real location) with a reorder rule, and every product sold since
        ``since`` that has no rule anywhere, at the shop floor (``butikk``)."""
        ...

    def on_hand_for_update(self, skus: Iterable[str], location: str) -> dict[str, int]:
        """The on hand of products at a location, their balance rows locked to the end of
        this unit of work (a count compares against them and posts the difference)."""
        ...

    def reserve(self, wanted: Sequence[tuple[str, str, int]]) -> list[int]:
        """Reserve for customer orders: for each (SKU, location, quantity), what is available
        there now (on hand less reserved, never below 0), up to the quantity, by an atomic
        ``reserved = reserved + :taken`` on the balance row, locked to the end of this unit
        of work (in product order, as :meth:`post` locks). Returns what was taken for each,
        in order (0 for an unknown SKU)."""
        ...

    def release(self, changes: Sequence[tuple[str, str, int]]) -> None:
        """Give reservations back: ``reserved = reserved - :quantity`` per (SKU, location,
        quantity), atomically."""
        ...

    def reserved_balances(self) -> dict[tuple[str, str], int]:
        """Every non-zero ``reserved`` balance, by (SKU, location)."""
        ...

    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Every balance against the sum of the ledger's moves, in product ranges (flat
        memory). ``progress`` is told the moves read so far."""
        ...

    def rebuild(self, report: VerifyReport) -> int:
        """Set the drifting balances of ``report`` to what the ledger says. Returns how
        many balances changed."""
        ...

    def value_at(self, moment: datetime) -> Iterator[ValueLine]:
        """Each product's owned quantity and value at ``moment``, from the ledger."""
        ...

    def next_number(self, series: str) -> int:
        """The next number of a document series ("order", "receipt", "transfer",
        "count"), allocated in this unit of work (gapless when it commits)."""
        ...


class SupplierRepository(Protocol):
    """Suppliers and supplier items (master data)."""

    def get(self, code: str) -> Supplier | None:
        """One supplier."""
        ...

    def all(self, *, include_inactive: bool = True) -> list[Supplier]:
        """Suppliers by code."""
        ...

    def save(self, supplier: Supplier) -> Supplier | None:
        """Create or replace a supplier; returns the one it replaced, if any."""
        ...

    def items(self, *, supplier: str | None = None, sku: str | None = None) -> list[SupplierItem]:
        """Supplier items, by supplier and SKU."""
        ...

    def save_items(self, items: Sequence[SupplierItem]) -> tuple[int, int]:
        """Create or replace supplier items; returns (created, updated)."""
        ...


class PurchaseRepository(Protocol):
    """Purchase orders: headers, lines, status history; received quantities come from
    the goods receipts' lines."""

    def add(self, order: PurchaseOrder) -> None:
        """Store a new order with its lines and first status."""
        ...

    def add_lines(self, number: int, lines: Sequence[tuple[str, int, int, str]]) -> None:
        """Append lines (sku, quantity, unit cost, supplier article number)."""
        ...

    def add_status(self, number: int, change: StatusChange) -> None:
        """Append a status change."""
        ...

    def get(self, number: int, *, lock: bool = False) -> PurchaseOrder | None:
        """An order with its lines (received quantities filled in) and history;
        ``lock`` holds it against other units of work until this one ends."""
        ...

    def find(
        self, *, status: str | None = None, supplier: str | None = None
    ) -> list[PurchaseOrder]:
        """Orders newest first, with lines and history."""
        ...

    def on_order(self, sku: str) -> list[OnOrder]:
        """Open (sent or partly received) order lines of a product with something
        outstanding."""
        ...


class StockDocuments(Protocol):
    """Goods receipts, transfers and counts."""

    def add_receipt(self, receipt: GoodsReceipt) -> None:
        """Store a goods receipt and its lines."""
        ...

    def receipt(self, number: int) -> GoodsReceipt | None:
        """A goods receipt with its lines."""
        ...

    def last_receipt(self, number: int, sku: str) -> LastReceipt | None:
        """What receipt ``number`` brought of a product."""
        ...

    def receipts(self, *, order_no: int | None = None, limit: int = 50) -> list[GoodsReceipt]:
        """Receipts newest first (of one order), with lines."""
        ...

    def add_transfer(self, transfer: Transfer) -> None:
        """Store a transfer with its lines and first status."""
        ...

    def transfer(self, number: int, *, lock: bool = False) -> Transfer | None:
        """A transfer with lines and history."""
        ...

    def add_transfer_status(self, number: int, change: StatusChange) -> None:
        """Append a transfer's status change.

        Raises:
            Conflict: It entered that status already (received twice).
        """
        ...

    def add_count(self, count: StockCount) -> None:
        """Store a new count and its first status."""
        ...

    def take_snapshot(self, number: int, location: str, group: str | None) -> int:
        """Record a count's snapshot: the on hand of every product with a balance at the
        location (of the article group, if given) now. Returns how many products."""
        ...

    def count(self, number: int) -> StockCount | None:
        """A count with its history (lines are assembled by the service)."""
        ...

    def counts(self, *, limit: int = 50) -> list[StockCount]:
        """Counts newest first."""
        ...

    def snapshot(self, number: int) -> dict[str, int]:
        """A count's snapshot: on hand per SKU when it started."""
        ...

    def add_count_entries(
        self, number: int, entries: Sequence[tuple[str, int]], at: datetime, employee: str
    ) -> None:
        """Append counted quantities (sku, quantity); a product's count is their sum."""
        ...

    def counted(self, number: int) -> dict[str, int]:
        """What was counted so far, per SKU."""
        ...

    def moved_since_counted(self, number: int) -> dict[str, int]:
        """Per counted SKU, the net quantity moved into the count's location after the
        product's last count entry (negative when more went out), so that its on hand when
        it was counted is the on hand now less this."""
        ...

    def add_count_status(self, number: int, change: StatusChange) -> None:
        """Append a count's status change.

        Raises:
            Conflict: It entered that status already (finished twice).
        """
        ...
