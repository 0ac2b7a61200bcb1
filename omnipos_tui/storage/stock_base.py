"""What the stock repositories share: the location cache, SQL helpers, and the base of the
ledger with the statements that change balances (``storage/stock.py`` explains them)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import TypeVar

import peewee

from omnipos_tui.core.errors import NotFound
from omnipos_tui.core.stock.costing import divide_half_up
from omnipos_tui.core.stock.locations import (
    Location,
    LocationKind,
)
from omnipos_tui.storage.database import (
    engine_of,
    execute_sql,
)

_T = TypeVar("_T")

CHUNK = 2000
"""Rows per upsert statement (5 values each: far under SQLite's variable limit)."""

VERIFY_PRODUCTS = 5000
"""Products per range ``verify`` sums at a time: memory stays flat however long the ledger."""

VERIFY_BATCH = 20_000
"""Moves ``verify`` fetches at a time on SQLite."""

VERIFY_MOVES = 200_000
"""Moves per range at most (a range is halved until it holds no more, down to one product):
the database sorts a range's moves to sum them, and a few popular products hold most."""

MOVE_COLUMNS = (
    "product_id",
    "quantity",
    "from_location",
    "to_location",
    "unit_cost",
    "doc_type",
    "doc_id",
    "doc_line",
    "employee",
    "register_id",
    "at",
    "negative",
    "reason",
)


@dataclass(frozen=True, slots=True)
class LocationRow:
    """A stored location and its id."""

    id: int
    location: Location


@dataclass
class StockCache:
    """What the stock repositories of one store remember between units of work: the
    locations (few, added rarely; re-read when a code is missing) and which location each
    register sells from (read once per process: a change takes effect at the next start).
    """

    by_code: dict[str, LocationRow] = field(default_factory=dict)
    by_id: dict[int, LocationRow] = field(default_factory=dict)
    registers: dict[str, str] = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock)

    def fill(self, rows: Iterable[LocationRow]) -> None:
        """Replace the locations."""
        with self.lock:
            self.by_code = {row.location.code: row for row in rows}
            self.by_id = {row.id: row for row in self.by_code.values()}


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    """``?, ?, ?`` for an IN list."""
    return ", ".join("?" * count)


class StockLedgerBase:
    """The database, the location cache and the balance upserts of the stock ledger."""

    def __init__(self, db: peewee.Database, cache: StockCache) -> None:
        self._db = db
        self._pg = engine_of(db) == "postgresql"
        self._cache = cache
        #: Products whose balances or reservations changed in this unit of work (the
        #: unit of work tells the web shop's sync at commit: ``RecordsChanged``).
        self.touched: set[int] = set()

    def _rows(self, *, refresh: bool = False) -> dict[str, LocationRow]:
        if refresh or not self._cache.by_code:
            rows = execute_sql(
                self._db, "SELECT id, code, name, kind FROM stock_location ORDER BY id"
            ).fetchall()
            self._cache.fill(
                LocationRow(int(i), Location(str(c), str(n), LocationKind(str(k))))
                for i, c, n, k in rows
            )
        return self._cache.by_code

    def location_row(self, code: str) -> LocationRow:
        """A location by code (the cache is re-read once when it does not know it).

        Raises:
            NotFound: No such location.
        """
        row = self._rows().get(code) or self._rows(refresh=True).get(code)
        if row is None:
            known = sorted(self._cache.by_code)
            raise NotFound(code="stock.unknown_location", location=code, known=known)
        return row

    def location_by_id(self, location_id: int) -> Location:
        """A location by its id."""
        row = self._cache.by_id.get(location_id)
        if row is None:
            self._rows(refresh=True)
            row = self._cache.by_id[location_id]
        return row.location

    def product_ids(self, skus: Iterable[str]) -> dict[str, int]:
        """The ids of the stored products among ``skus``."""
        wanted = sorted(set(skus))
        found: dict[str, int] = {}
        for part in chunks(wanted, 900):
            rows = execute_sql(
                self._db, f"SELECT sku, id FROM product WHERE sku IN ({marks(len(part))})", part
            ).fetchall()
            found.update((str(sku), int(pid)) for sku, pid in rows)
        return found

    def skus_of(self, product_ids: Iterable[int]) -> list[str]:
        """The SKUs of products by id."""
        wanted = sorted(set(product_ids))
        found: list[str] = []
        for part in chunks(wanted, 900):
            rows = execute_sql(
                self._db, f"SELECT sku FROM product WHERE id IN ({marks(len(part))})", part
            ).fetchall()
            found.extend(str(sku) for (sku,) in rows)
        return found

    def _product_id(self, sku: str) -> int | None:
        row = execute_sql(self._db, "SELECT id FROM product WHERE sku = ?", (sku,)).fetchone()
        return None if row is None else int(row[0])

    def _real_ids(self) -> list[int]:
        return sorted(r.id for r in self._rows().values() if r.location.real)

    def _owned_ids(self) -> list[int]:
        return sorted(r.id for r in self._rows().values() if r.location.owned)

    def _upsert_products(self, products: dict[int, list[int]]) -> dict[int, int]:
        """Owned totals and moving averages; returns each product's average after."""
        averages: dict[int, int] = {}
        ordered = sorted(products.items())
        for part in chunks(ordered):
            values: list[object] = []
            for pid, (delta, received, value) in part:
                first_average = divide_half_up(value, received) if received else 0
                values += [pid, delta, first_average, received, value]
            rows = execute_sql(
                self._db,
                "INSERT INTO stock_product (product_id, on_hand, average_cost, received, "
                f"received_value) VALUES {', '.join(['(?, ?, ?, ?, ?)'] * len(part))} "
                "ON CONFLICT (product_id) DO UPDATE SET "
                "average_cost = CASE "
                "WHEN excluded.received = 0 THEN stock_product.average_cost "
                "WHEN stock_product.on_hand <= 0 THEN "
                "(2 * excluded.received_value + excluded.received) / (2 * excluded.received) "
                "ELSE (2 * (stock_product.on_hand * stock_product.average_cost "
                "+ excluded.received_value) + stock_product.on_hand + excluded.received) "
                "/ (2 * (stock_product.on_hand + excluded.received)) END, "
                "on_hand = stock_product.on_hand + excluded.on_hand, "
                "received = stock_product.received + excluded.received, "
                "received_value = stock_product.received_value + excluded.received_value "
                "RETURNING product_id, average_cost",
                values,
            ).fetchall()
            averages.update((int(pid), int(avg)) for pid, avg in rows)
        return averages

    def _upsert_levels(self, levels: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
        """On hand per (product, location); returns the balances after."""
        after: dict[tuple[int, int], int] = {}
        self.touched.update(pid for pid, _ in levels)
        ordered = sorted(levels.items())
        for part in chunks(ordered):
            values: list[object] = []
            for (pid, lid), delta in part:
                values += [pid, lid, delta]
            rows = execute_sql(
                self._db,
                "INSERT INTO stock_level (product_id, location_id, on_hand) "
                f"VALUES {', '.join(['(?, ?, ?)'] * len(part))} "
                "ON CONFLICT (product_id, location_id) DO UPDATE SET "
                "on_hand = stock_level.on_hand + excluded.on_hand "
                "RETURNING product_id, location_id, on_hand",
                values,
            ).fetchall()
            after.update(((int(p), int(lo)), int(q)) for p, lo, q in rows)
        return after

    def _upsert_days(self, days: dict[int, list[int]], day: str) -> None:
        ordered = sorted(days.items())
        for part in chunks(ordered):
            values: list[object] = []
            for pid, (sold, net) in part:
                values += [pid, day, sold, net]
            execute_sql(
                self._db,
                "INSERT INTO stock_day (product_id, day, sold, net) "
                f"VALUES {', '.join(['(?, ?, ?, ?)'] * len(part))} "
                "ON CONFLICT (product_id, day) DO UPDATE SET "
                "sold = stock_day.sold + excluded.sold, net = stock_day.net + excluded.net",
                values,
            )
