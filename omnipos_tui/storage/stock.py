"""The stock ledger on SQLite or PostgreSQL: moves, and the balances kept beside them.

:meth:`PeeweeStockLedger.post` is the one path that changes balances. For a batch of moves
it runs four statements in the caller's unit of work, each over rows sorted by product
(and location), so two units of work touching the same products lock them in the same
order and never deadlock:

1. ``stock_product`` upsert: owned total ``on_hand = on_hand + delta`` and, for goods that
   arrive from a supplier at a cost, the moving average in the same statement (the formula
   of ``core.stock.costing``, integer arithmetic, rounding half up); ``RETURNING`` gives the
   average under the row lock, which every other move stores as its cost;
2. ``stock_level`` upsert per (product, location): ``on_hand = on_hand + delta``,
   ``RETURNING`` the new balance, so a move that leaves a location below zero is flagged;
3. ``stock_day`` upsert: sold and net change per product and business day;
4. the moves, in one multi-row ``INSERT``.

Nothing is read into Python and written back: on PostgreSQL two tills selling the last
unit at once both complete, the second waits for the first's row lock and adds its delta to
the committed value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from threading import Lock
from typing import TypeVar

import peewee

from omnipos_tui.core.clock import business_day
from omnipos_tui.core.errors import Conflict, InvalidInput, NotFound
from omnipos_tui.core.stock.costing import divide_half_up
from omnipos_tui.core.stock.figures import Drift, LocationStock, StockRow, ValueLine, VerifyReport
from omnipos_tui.core.stock.locations import (
    CUSTOMER,
    SHOP_FLOOR,
    Location,
    LocationKind,
)
from omnipos_tui.core.stock.moves import DocType, MoveRequest, Posting, StockMove
from omnipos_tui.core.stock.ports import Balances, DayFigures, PostResult, ReorderInput
from omnipos_tui.storage.database import (
    engine_of,
    execute_sql,
    insert_rows,
    time_from_db,
    time_to_db,
    translated,
)

_T = TypeVar("_T")

CHUNK = 2000
"""Rows per upsert statement (5 values each: far under SQLite's variable limit)."""

VERIFY_PRODUCTS = 5000
"""Products per range ``verify`` sums at a time: memory stays flat however long the ledger."""

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


class PeeweeStockLedger:
    """:class:`~omnipos_tui.core.stock.ports.StockLedger` on a peewee database."""

    def __init__(self, db: peewee.Database, cache: StockCache) -> None:
        self._db = db
        self._pg = engine_of(db) == "postgresql"
        self._cache = cache

    # --- locations ----------------------------------------------------------------------

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

    @translated
    def locations(self) -> list[Location]:
        """Every location, real ones first, each group by code."""
        rows = self._rows(refresh=True).values()
        return sorted((r.location for r in rows), key=lambda loc: (not loc.real, loc.code))

    @translated
    def add_location(self, location: Location) -> None:
        """Store a new location.

        Raises:
            Conflict: The code is taken.
        """
        if location.code in self._rows(refresh=True):
            raise Conflict(f"there is a location {location.code!r} already")
        execute_sql(
            self._db,
            "INSERT INTO stock_location (code, name, kind) VALUES (?, ?, ?)",
            (location.code, location.name, location.kind.value),
        )
        self._cache.fill([])  # re-read on next use (ids come from the database)

    @translated
    def register_location(self, register_id: str) -> str:
        """The location a register sells from ("butikk" unless set)."""
        known = self._cache.registers.get(register_id)
        if known is not None:
            return known
        row = execute_sql(
            self._db,
            "SELECT l.code FROM register_location r JOIN stock_location l ON l.id = r.location_id "
            "WHERE r.register_id = ?",
            (register_id,),
        ).fetchone()
        code = str(row[0]) if row else SHOP_FLOOR
        self._cache.registers[register_id] = code
        return code

    @translated
    def assign_register(self, register_id: str, location: str) -> None:
        """Make a register sell from a real location."""
        row = self.location_row(location)
        if not row.location.real:
            real = sorted(r.location.code for r in self._rows().values() if r.location.real)
            raise InvalidInput(code="stock.virtual_location", location=location, known=real)
        execute_sql(
            self._db,
            "INSERT INTO register_location (register_id, location_id) VALUES (?, ?) "
            "ON CONFLICT (register_id) DO UPDATE SET location_id = excluded.location_id",
            (register_id, row.id),
        )
        self._cache.registers[register_id] = location

    # --- posting ------------------------------------------------------------------------

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

    @translated
    def post(self, moves: Sequence[MoveRequest], posting: Posting) -> PostResult:
        """Write moves and change every balance they touch (see the module docstring).

        Raises:
            NotFound: A location code is unknown.
        """
        if not moves:
            return PostResult(0)
        rows = {code: self.location_row(code) for m in moves for code in (m.source, m.target)}
        ids = self.product_ids(m.sku for m in moves)
        unknown = tuple(sorted({m.sku for m in moves if m.sku not in ids}))
        kept = [m for m in moves if m.sku in ids]
        levels: dict[tuple[int, int], int] = defaultdict(int)
        products: dict[int, list[int]] = {}  # owned delta, received, received value
        days: dict[int, list[int]] = {}  # sold, net
        for move in kept:
            pid, q = ids[move.sku], move.quantity
            source, target = rows[move.source], rows[move.target]
            if source.location.owned:
                levels[(pid, source.id)] -= q
            if target.location.owned:
                levels[(pid, target.id)] += q
            owned = (q if target.location.owned else 0) - (q if source.location.owned else 0)
            figures = products.setdefault(pid, [0, 0, 0])
            figures[0] += owned
            if move.unit_cost is not None and target.location.owned and not source.location.owned:
                figures[1] += q
                figures[2] += q * move.unit_cost
            sold = (q if move.target == CUSTOMER else 0) - (q if move.source == CUSTOMER else 0)
            if sold or owned:
                day = days.setdefault(pid, [0, 0])
                day[0] += sold
                day[1] += owned
        averages = self._upsert_products(products)
        balances = self._upsert_levels(levels)
        self._upsert_days(days, business_day(posting.at).isoformat())
        at = time_to_db(posting.at)
        negative: set[tuple[str, str]] = set()
        out: list[tuple[object, ...]] = []
        for move in kept:
            pid = ids[move.sku]
            source = rows[move.source]
            below = source.location.real and balances.get((pid, source.id), 0) < 0
            if below:
                negative.add((move.sku, move.source))
            cost = move.unit_cost if move.unit_cost is not None else averages[pid]
            out.append(
                (
                    pid,
                    move.quantity,
                    source.id,
                    rows[move.target].id,
                    cost,
                    move.doc_type.value,
                    move.doc_id,
                    move.doc_line,
                    posting.employee,
                    posting.register_id,
                    at,
                    below,
                    move.reason,
                )
            )
        insert_rows(self._db, "stock_move", MOVE_COLUMNS, out)
        return PostResult(len(out), tuple(sorted(negative)), unknown)

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

    # --- reads --------------------------------------------------------------------------

    def _product_id(self, sku: str) -> int | None:
        row = execute_sql(self._db, "SELECT id FROM product WHERE sku = ?", (sku,)).fetchone()
        return None if row is None else int(row[0])

    @translated
    def balances(self, sku: str) -> Balances | None:
        """A product's balances; None when the SKU is unknown."""
        pid = self._product_id(sku)
        if pid is None:
            return None
        rows = execute_sql(
            self._db,
            "SELECT l.location_id, l.on_hand, l.reserved, r.min_qty, r.max_qty "
            "FROM stock_level l LEFT JOIN reorder_rule r "
            "ON r.product_id = l.product_id AND r.location_id = l.location_id "
            "WHERE l.product_id = ?",
            (pid,),
        ).fetchall()
        locations = [
            LocationStock(
                self.location_by_id(int(lid)).code,
                int(on_hand),
                int(reserved),
                None if lo is None else int(lo),
                None if hi is None else int(hi),
            )
            for lid, on_hand, reserved, lo, hi in rows
        ]
        locations.sort(key=lambda loc: (loc.location == "transit", loc.location))
        product = execute_sql(
            self._db,
            "SELECT on_hand, average_cost, last_receipt FROM stock_product WHERE product_id = ?",
            (pid,),
        ).fetchone()
        if product is None:
            return Balances(tuple(locations), 0, 0, None)
        owned, average, last = product
        return Balances(
            tuple(locations), int(owned), int(average), None if last is None else int(last)
        )

    @translated
    def set_last_receipt(self, skus: Iterable[str], receipt_no: int) -> None:
        """Remember the latest goods receipt of products (shown by ``stock show``)."""
        ids = sorted(self.product_ids(skus).values())
        for part in chunks(ids, 900):
            execute_sql(
                self._db,
                "UPDATE stock_product SET last_receipt = ? "
                f"WHERE product_id IN ({marks(len(part))})",
                [receipt_no, *part],
            )

    @translated
    def sold_since(self, sku: str, days: Sequence[date]) -> list[int]:
        """Sold (less returns) from each of ``days`` up to today."""
        pid = self._product_id(sku)
        if pid is None or not days:
            return [0] * len(days)
        sums = ", ".join(["SUM(CASE WHEN day >= ? THEN sold ELSE 0 END)"] * len(days))
        row = execute_sql(
            self._db,
            f"SELECT {sums} FROM stock_day WHERE product_id = ? AND day >= ?",
            [*(d.isoformat() for d in days), pid, min(days).isoformat()],
        ).fetchone()
        return [int(value or 0) for value in (row or [0] * len(days))]

    @translated
    def days(self, sku: str, since: date) -> list[DayFigures]:
        """The product's days with moves since ``since``, oldest first."""
        pid = self._product_id(sku)
        if pid is None:
            return []
        rows = execute_sql(
            self._db,
            "SELECT day, sold, net FROM stock_day WHERE product_id = ? AND day >= ? ORDER BY day",
            (pid, since.isoformat()),
        ).fetchall()
        return [DayFigures(date.fromisoformat(str(d)), int(s), int(n)) for d, s, n in rows]

    @translated
    def history(self, sku: str, *, limit: int, before: int | None = None) -> list[StockMove]:
        """The product's moves, newest first."""
        pid = self._product_id(sku)
        if pid is None:
            return []
        where, params = "product_id = ?", [pid]
        if before is not None:
            where += " AND id < ?"
            params.append(before)
        rows = execute_sql(
            self._db,
            "SELECT id, quantity, from_location, to_location, unit_cost, doc_type, doc_id, "
            f"doc_line, employee, register_id, at, negative, reason FROM stock_move WHERE {where} "
            "ORDER BY product_id DESC, id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [
            StockMove(
                move_id=int(mid),
                sku=sku,
                quantity=int(q),
                source=self.location_by_id(int(src)).code,
                target=self.location_by_id(int(dst)).code,
                unit_cost=int(cost),
                doc_type=DocType(str(doc_type)),
                doc_id=str(doc_id),
                doc_line=int(doc_line),
                employee=str(employee),
                register_id=str(register),
                at=time_from_db(str(at)),
                negative=bool(neg),
                reason=str(reason),
            )
            for (
                mid,
                q,
                src,
                dst,
                cost,
                doc_type,
                doc_id,
                doc_line,
                employee,
                register,
                at,
                neg,
                reason,
            ) in rows
        ]

    def _real_ids(self) -> list[int]:
        return sorted(r.id for r in self._rows().values() if r.location.real)

    def _owned_ids(self) -> list[int]:
        return sorted(r.id for r in self._rows().values() if r.location.owned)

    @translated
    def stock_rows(
        self,
        *,
        location: str | None = None,
        negative: bool = False,
        below_min: bool = False,
        group: str | None = None,
    ) -> Iterator[StockRow]:
        """Products with a balance, totals over the real locations or over ``location``."""
        ids = [self.location_row(location).id] if location is not None else self._real_ids()
        where = [f"l.location_id IN ({', '.join(str(i) for i in ids)})"]
        params: list[object] = []
        if group is not None:
            where.append("p.group_code = ?")
            params.append(group)
        having = []
        if negative:
            having.append("MIN(l.on_hand) < 0")
        if below_min:
            having.append(
                "SUM(CASE WHEN r.min_qty IS NOT NULL AND l.on_hand - l.reserved < r.min_qty "
                "THEN 1 ELSE 0 END) > 0"
            )
        rows = execute_sql(
            self._db,
            "SELECT p.sku, p.name, p.group_code, p.unit, SUM(l.on_hand), SUM(l.reserved), "
            "SUM(r.min_qty), COALESCE(MAX(sp.average_cost), 0) "
            "FROM stock_level l JOIN product p ON p.id = l.product_id "
            "LEFT JOIN reorder_rule r ON r.product_id = l.product_id "
            "AND r.location_id = l.location_id "
            "LEFT JOIN stock_product sp ON sp.product_id = l.product_id "
            f"WHERE {' AND '.join(where)} GROUP BY p.id, p.sku, p.name, p.group_code, p.unit "
            + (f"HAVING {' AND '.join(having)} " if having else "")
            + "ORDER BY p.sku",
            params,
        ).fetchall()
        for sku, name, grp, unit, on_hand, reserved, min_qty, average in rows:
            yield StockRow(
                sku=str(sku),
                name=str(name),
                group=str(grp),
                unit=str(unit),
                on_hand=int(on_hand),
                reserved=int(reserved),
                min_qty=None if min_qty is None else int(min_qty),
                average_cost=int(average),
            )

    @translated
    def set_reorder_rule(
        self, sku: str, location: str, min_qty: int | None, max_qty: int | None
    ) -> None:
        """Set or remove a reorder rule (see the port)."""
        pid = self._product_id(sku)
        if pid is None:
            raise NotFound(code="stock.unknown_product", given=sku)
        lid = self.location_row(location).id
        if min_qty is None and max_qty is None:
            execute_sql(
                self._db,
                "DELETE FROM reorder_rule WHERE product_id = ? AND location_id = ?",
                (pid, lid),
            )
            return
        execute_sql(
            self._db,
            "INSERT INTO reorder_rule (product_id, location_id, min_qty, max_qty) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (product_id, location_id) DO UPDATE SET "
            "min_qty = excluded.min_qty, max_qty = excluded.max_qty",
            (pid, lid, min_qty, max_qty),
        )
        # The product shows in `stock list` at that location from now on, even at zero.
        execute_sql(
            self._db,
            "INSERT INTO stock_level (product_id, location_id) VALUES (?, ?) "
            "ON CONFLICT (product_id, location_id) DO NOTHING",
            (pid, lid),
        )

    @translated
    def reorder_inputs(self, since: date) -> Iterator[ReorderInput]:
        """Reorder rules, and products sold since ``since`` with no rule (at the shop floor)."""
        day = since.isoformat()
        sold = (
            "COALESCE((SELECT SUM(d.sold) FROM stock_day d WHERE d.product_id = p.id "
            "AND d.day >= ?), 0)"
        )
        ruled = execute_sql(
            self._db,
            "SELECT p.sku, p.name, p.unit, r.location_id, COALESCE(l.on_hand, 0), "
            f"COALESCE(l.reserved, 0), r.min_qty, r.max_qty, {sold} "
            "FROM reorder_rule r JOIN product p ON p.id = r.product_id "
            "LEFT JOIN stock_level l ON l.product_id = r.product_id "
            "AND l.location_id = r.location_id ORDER BY p.sku, r.location_id",
            (day,),
        ).fetchall()
        floor = self.location_row(SHOP_FLOOR).id
        unruled = execute_sql(
            self._db,
            "SELECT p.sku, p.name, p.unit, ?, COALESCE(l.on_hand, 0), COALESCE(l.reserved, 0), "
            "NULL, NULL, s.sold FROM (SELECT product_id, SUM(sold) AS sold FROM stock_day "
            "WHERE day >= ? GROUP BY product_id) s JOIN product p ON p.id = s.product_id "
            "LEFT JOIN stock_level l ON l.product_id = p.id AND l.location_id = ? "
            "WHERE s.sold > 0 AND NOT EXISTS "
            "(SELECT 1 FROM reorder_rule r WHERE r.product_id = p.id) ORDER BY p.sku",
            (floor, day, floor),
        ).fetchall()
        for sku, name, unit, lid, on_hand, reserved, lo, hi, sold_qty in [*ruled, *unruled]:
            yield ReorderInput(
                sku=str(sku),
                name=str(name),
                unit=str(unit),
                location=self.location_by_id(int(lid)).code,
                on_hand=int(on_hand),
                reserved=int(reserved),
                min_qty=None if lo is None else int(lo),
                max_qty=None if hi is None else int(hi),
                sold_28d=int(sold_qty or 0),
            )

    @translated
    def on_hand_for_update(self, skus: Iterable[str], location: str) -> dict[str, int]:
        """On hand at a location, the rows locked until the unit of work ends."""
        lid = self.location_row(location).id
        ids = self.product_ids(skus)
        by_id = {pid: sku for sku, pid in ids.items()}
        out: dict[str, int] = {}
        ordered = sorted(by_id)
        for part in chunks(ordered, 900):
            values: list[object] = []
            for pid in part:
                values += [pid, lid]
            execute_sql(
                self._db,
                "INSERT INTO stock_level (product_id, location_id) "
                f"VALUES {', '.join(['(?, ?)'] * len(part))} "
                "ON CONFLICT (product_id, location_id) DO NOTHING",
                values,
            )
            lock = " ORDER BY product_id FOR UPDATE" if self._pg else ""
            rows = execute_sql(
                self._db,
                "SELECT product_id, on_hand FROM stock_level WHERE location_id = ? "
                f"AND product_id IN ({marks(len(part))}){lock}",
                [lid, *part],
            ).fetchall()
            out.update((by_id[int(pid)], int(q)) for pid, q in rows)
        return out

    # --- reservations (customer orders) -----------------------------------------------------

    @translated
    def reserve(self, wanted: Sequence[tuple[str, str, int]]) -> list[int]:
        """Reserve what is available, up to each quantity (see the port). The balance rows
        are made where missing and locked (PostgreSQL: ``FOR UPDATE`` in product order;
        SQLite holds the write lock already), then raised by one atomic upsert."""
        if not wanted:
            return []
        ids = self.product_ids(sku for sku, _, _ in wanted)
        keys = sorted(
            {(ids[sku], self.location_row(loc).id) for sku, loc, _ in wanted if sku in ids}
        )
        balances: dict[tuple[int, int], int] = {}
        for part in chunks(keys, 900):
            values: list[object] = [v for key in part for v in key]
            execute_sql(
                self._db,
                "INSERT INTO stock_level (product_id, location_id) "
                f"VALUES {', '.join(['(?, ?)'] * len(part))} "
                "ON CONFLICT (product_id, location_id) DO NOTHING",
                values,
            )
        # Locked in (product, location) order, as ``post`` locks them: never a deadlock.
        lock = " ORDER BY product_id, location_id FOR UPDATE" if self._pg else ""
        locations = sorted({lid for _, lid in keys})
        for part_ids in chunks(sorted({pid for pid, _ in keys}), 900):
            rows = execute_sql(
                self._db,
                "SELECT product_id, location_id, on_hand - reserved FROM stock_level "
                f"WHERE product_id IN ({marks(len(part_ids))}) "
                f"AND location_id IN ({marks(len(locations))}){lock}",
                [*part_ids, *locations],
            ).fetchall()
            balances.update(((int(pid), int(lid)), int(free)) for pid, lid, free in rows)
        taken: list[int] = []
        deltas: dict[tuple[int, int], int] = defaultdict(int)
        for sku, loc, quantity in wanted:
            if sku not in ids:
                taken.append(0)
                continue
            key = (ids[sku], self.location_row(loc).id)
            take = max(0, min(quantity, balances[key]))
            balances[key] -= take
            deltas[key] += take
            taken.append(take)
        self._add_reserved({key: delta for key, delta in deltas.items() if delta})
        return taken

    @translated
    def release(self, changes: Sequence[tuple[str, str, int]]) -> None:
        """Give reservations back (see the port)."""
        ids = self.product_ids(sku for sku, _, _ in changes)
        deltas: dict[tuple[int, int], int] = defaultdict(int)
        for sku, loc, quantity in changes:
            if sku in ids and quantity:
                deltas[(ids[sku], self.location_row(loc).id)] -= quantity
        self._add_reserved(deltas)

    def _add_reserved(self, deltas: dict[tuple[int, int], int]) -> None:
        """``reserved = reserved + delta`` per (product, location), in product order."""
        ordered = sorted(deltas.items())
        for part in chunks(ordered):
            values: list[object] = []
            for (pid, lid), delta in part:
                values += [pid, lid, delta]
            execute_sql(
                self._db,
                "INSERT INTO stock_level (product_id, location_id, reserved) "
                f"VALUES {', '.join(['(?, ?, ?)'] * len(part))} "
                "ON CONFLICT (product_id, location_id) DO UPDATE SET "
                "reserved = stock_level.reserved + excluded.reserved",
                values,
            )

    @translated
    def reserved_balances(self) -> dict[tuple[str, str], int]:
        """Every non-zero ``reserved`` balance, by (SKU, location)."""
        rows = execute_sql(
            self._db,
            "SELECT p.sku, l.location_id, l.reserved FROM stock_level l "
            "JOIN product p ON p.id = l.product_id WHERE l.reserved <> 0",
        ).fetchall()
        return {
            (str(sku), self.location_by_id(int(lid)).code): int(reserved)
            for sku, lid, reserved in rows
        }

    @translated
    def next_number(self, series: str) -> int:
        """The next number of a document series, allocated in this unit of work."""
        row = execute_sql(
            self._db,
            "INSERT INTO stock_counter (series, last) VALUES (?, 1) ON CONFLICT (series) "
            "DO UPDATE SET last = stock_counter.last + 1 RETURNING last",
            (series,),
        ).fetchone()
        assert row is not None
        return int(row[0])

    # --- verify, rebuild, value ---------------------------------------------------------

    @translated
    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Every balance against the ledger, ``VERIFY_PRODUCTS`` products at a time.

        On PostgreSQL the unit of work is made REPEATABLE READ first (call this before
        anything else in it), so the ledger and the balances are read at one moment while
        tills keep selling.
        """
        if self._pg:
            execute_sql(self._db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        owned = {r.id for r in self._rows(refresh=True).values() if r.location.owned}
        top = execute_sql(self._db, "SELECT MAX(id) FROM product").fetchone()
        last = int(top[0]) if top and top[0] is not None else 0
        drifts: list[Drift] = []
        moves = balances = 0
        for start in range(0, last + 1, VERIFY_PRODUCTS):
            end = start + VERIFY_PRODUCTS
            ledger: dict[tuple[int, int], int] = defaultdict(int)
            for pid, src, dst, total, count in execute_sql(
                self._db,
                "SELECT product_id, from_location, to_location, SUM(quantity), COUNT(*) "
                "FROM stock_move WHERE product_id >= ? AND product_id < ? "
                "GROUP BY product_id, from_location, to_location",
                (start, end),
            ).fetchall():
                moves += int(count)
                if int(src) in owned:
                    ledger[(int(pid), int(src))] -= int(total)
                if int(dst) in owned:
                    ledger[(int(pid), int(dst))] += int(total)
            stored = {
                (int(pid), int(lid)): int(q)
                for pid, lid, q in execute_sql(
                    self._db,
                    "SELECT product_id, location_id, on_hand FROM stock_level "
                    "WHERE product_id >= ? AND product_id < ?",
                    (start, end),
                ).fetchall()
            }
            totals = {
                int(pid): int(q)
                for pid, q in execute_sql(
                    self._db,
                    "SELECT product_id, on_hand FROM stock_product "
                    "WHERE product_id >= ? AND product_id < ?",
                    (start, end),
                ).fetchall()
            }
            ledger_totals: dict[int, int] = defaultdict(int)
            for (pid, _), q in ledger.items():
                ledger_totals[pid] += q
            bad: list[tuple[int, str, int, int]] = []
            for key in sorted(stored.keys() | ledger.keys()):
                balances += 1
                have, want = stored.get(key), ledger.get(key, 0)
                if have != want:
                    bad.append((key[0], self.location_by_id(key[1]).code, have or 0, want))
            for pid in sorted(totals.keys() | ledger_totals.keys()):
                balances += 1
                have_total, want_total = totals.get(pid), ledger_totals.get(pid, 0)
                if have_total != want_total:
                    bad.append((pid, "*", have_total or 0, want_total))
            if bad:
                skus = self._skus({pid for pid, *_ in bad})
                drifts += [Drift(skus[pid], loc, have, want) for pid, loc, have, want in bad]
            if progress is not None:
                progress(moves)
        return VerifyReport(moves, balances, tuple(drifts))

    def _skus(self, ids: set[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        ordered = sorted(ids)
        for part in chunks(ordered, 900):
            rows = execute_sql(
                self._db, f"SELECT id, sku FROM product WHERE id IN ({marks(len(part))})", part
            ).fetchall()
            out.update((int(i), str(s)) for i, s in rows)
        return out

    @translated
    def rebuild(self, report: VerifyReport) -> int:
        """Correct each drifting balance by the difference ``report`` found, as one atomic
        ``on_hand = on_hand + difference`` (a sale posted since moved the balance and the
        ledger alike, so the difference still holds)."""
        ids = self.product_ids(d.sku for d in report.drifts)
        levels: dict[tuple[int, int], int] = {}
        totals: dict[int, int] = {}
        for drift in report.drifts:
            pid = ids[drift.sku]
            if drift.location == "*":
                totals[pid] = drift.ledger - drift.stored
            else:
                levels[(pid, self.location_row(drift.location).id)] = drift.ledger - drift.stored
        self._upsert_products({pid: [delta, 0, 0] for pid, delta in totals.items()})
        self._upsert_levels(levels)
        return len(levels) + len(totals)

    @translated
    def value_at(self, moment: datetime) -> Iterator[ValueLine]:
        """Owned quantity and value per product at ``moment``, from the ledger."""
        owned = ", ".join(str(i) for i in self._owned_ids()) or "NULL"
        incoming = f"m.to_location IN ({owned}) AND m.from_location NOT IN ({owned})"
        outgoing = f"m.from_location IN ({owned}) AND m.to_location NOT IN ({owned})"
        rows = execute_sql(
            self._db,
            "SELECT p.sku, p.name, p.group_code, "
            f"SUM(CASE WHEN {incoming} THEN m.quantity WHEN {outgoing} THEN -m.quantity "
            "ELSE 0 END), "
            f"SUM(CASE WHEN {incoming} THEN m.quantity * m.unit_cost "
            f"WHEN {outgoing} THEN -m.quantity * m.unit_cost ELSE 0 END) "
            "FROM stock_move m JOIN product p ON p.id = m.product_id WHERE m.at <= ? "
            "GROUP BY p.id, p.sku, p.name, p.group_code ORDER BY p.sku",
            (time_to_db(moment),),
        ).fetchall()
        for sku, name, group, quantity, value in rows:
            scaled = int(value or 0)
            ore = divide_half_up(scaled, 1000) if scaled >= 0 else -divide_half_up(-scaled, 1000)
            if int(quantity or 0) or ore:
                yield ValueLine(str(sku), str(name), str(group), int(quantity or 0), ore)
