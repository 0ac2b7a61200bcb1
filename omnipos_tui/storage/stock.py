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
from collections.abc import Iterable, Sequence

from omnipos_tui.core.clock import business_day
from omnipos_tui.core.errors import Conflict, InvalidInput, NotFound
from omnipos_tui.core.stock.locations import (
    CUSTOMER,
    SHOP_FLOOR,
    Location,
)
from omnipos_tui.core.stock.moves import MoveRequest, Posting
from omnipos_tui.core.stock.ports import PostResult
from omnipos_tui.storage.database import execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_to_db
from omnipos_tui.storage.stock_audit import StockAudit
from omnipos_tui.storage.stock_base import (
    CHUNK,
    MOVE_COLUMNS,
    VERIFY_PRODUCTS,
    LocationRow,
    StockCache,
    StockLedgerBase,
    chunks,
    marks,
)
from omnipos_tui.storage.stock_reads import StockReads

__all__ = [
    "CHUNK",
    "MOVE_COLUMNS",
    "VERIFY_PRODUCTS",
    "LocationRow",
    "PeeweeStockLedger",
    "StockCache",
    "StockLedgerBase",
    "chunks",
    "marks",
]


class PeeweeStockLedger(StockReads, StockAudit):
    """:class:`~omnipos_tui.core.stock.ports.StockLedger` on a peewee database: locations
    and posting here, the reads in ``stock_reads``, verify/rebuild/value in ``stock_audit``."""

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
        self.touched.update(pid for pid, _ in deltas)
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
