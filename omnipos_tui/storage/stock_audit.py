"""Checking the balances against the ledger (``stock verify``), repairing them (``stock
rebuild``), and the stock value at a moment from the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from omnipos_tui.core.stock.costing import divide_half_up
from omnipos_tui.core.stock.figures import Drift, ValueLine, VerifyReport
from omnipos_tui.storage.database import execute_sql, translated, unlimited_statements
from omnipos_tui.storage.db_time import time_to_db
from omnipos_tui.storage.stock_base import (
    VERIFY_BATCH,
    VERIFY_MOVES,
    VERIFY_PRODUCTS,
    StockLedgerBase,
    chunks,
    marks,
)


class StockAudit(StockLedgerBase):
    """Verify, rebuild and value of :class:`~omnipos_tui.storage.stock.PeeweeStockLedger`."""

    @translated
    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Every balance against the ledger, reading the ledger and the balances at one
        moment while tills keep selling.

        SQLite: one pass over the moves in the order they lie in the file (a read
        transaction's snapshot), summed per balance in Python; memory grows with the
        number of balances, never with the moves. PostgreSQL: REPEATABLE READ (call this
        first in its unit of work), and the server sums a range of products at a time (at
        most ``VERIFY_PRODUCTS`` products and, unless one product has more, about
        ``VERIFY_MOVES`` moves).
        """
        if self._pg:
            execute_sql(self._db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            unlimited_statements(self._db)  # a year of moves may take minutes to sum
        owned = {r.id for r in self._rows(refresh=True).values() if r.location.owned}
        if self._pg:
            return self._verify_ranges_on_server(owned, progress)
        ledger: dict[tuple[int, int], int] = defaultdict(int)
        moves = 0
        cursor = execute_sql(
            self._db, "SELECT product_id, from_location, to_location, quantity FROM stock_move"
        )
        fetch: Callable[[int], list[tuple[int, int, int, int]]] = cursor.fetchmany  # type: ignore[attr-defined]
        while rows := fetch(VERIFY_BATCH):
            for pid, src, dst, quantity in rows:
                if src in owned:
                    ledger[(pid, src)] -= quantity
                if dst in owned:
                    ledger[(pid, dst)] += quantity
            moves += len(rows)
            if progress is not None:
                progress(moves)
        stored = execute_sql(
            self._db, "SELECT product_id, location_id, on_hand FROM stock_level"
        ).fetchall()
        totals = execute_sql(self._db, "SELECT product_id, on_hand FROM stock_product").fetchall()
        balances, bad = self._compare(ledger, stored, totals)
        return VerifyReport(moves, balances, self._drifts(bad))

    def _verify_ranges_on_server(
        self, owned: set[int], progress: Callable[[int], None] | None
    ) -> VerifyReport:
        top = execute_sql(self._db, "SELECT MAX(id) FROM product").fetchone()
        last = int(top[0]) if top and top[0] is not None else 0
        bad: list[tuple[int, str, int, int]] = []
        moves = balances = 0
        for start, end in self._verify_ranges(last):
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
            where = "WHERE product_id >= ? AND product_id < ?"
            stored = execute_sql(
                self._db,
                f"SELECT product_id, location_id, on_hand FROM stock_level {where}",
                (start, end),
            ).fetchall()
            totals = execute_sql(
                self._db, f"SELECT product_id, on_hand FROM stock_product {where}", (start, end)
            ).fetchall()
            counted, found = self._compare(ledger, stored, totals)
            balances += counted
            bad += found
            if progress is not None:
                progress(moves)
        return VerifyReport(moves, balances, self._drifts(bad))

    def _compare(
        self,
        ledger: dict[tuple[int, int], int],
        stored_rows: Sequence[tuple[object, ...]],
        total_rows: Sequence[tuple[object, ...]],
    ) -> tuple[int, list[tuple[int, str, int, int]]]:
        """How many balances were compared, and each disagreement (product id, location
        code or "*", stored, ledger)."""
        bad: list[tuple[int, str, int, int]] = []
        ledger_totals: dict[int, int] = defaultdict(int)
        for (pid, _), quantity in ledger.items():
            ledger_totals[pid] += quantity
        compared = 0
        for raw_pid, raw_lid, raw_quantity in stored_rows:
            key = (int(str(raw_pid)), int(str(raw_lid)))
            have = int(str(raw_quantity))
            compared += 1
            want = ledger.pop(key, 0)
            if have != want:
                bad.append((key[0], self.location_by_id(key[1]).code, have, want))
        for (pid, lid), want in ledger.items():  # moves with no balance row at all
            compared += 1
            if want:
                bad.append((pid, self.location_by_id(lid).code, 0, want))
        for raw_pid, raw_quantity in total_rows:
            product, have = int(str(raw_pid)), int(str(raw_quantity))
            compared += 1
            want = ledger_totals.pop(product, 0)
            if have != want:
                bad.append((product, "*", have, want))
        for pid, want in ledger_totals.items():
            compared += 1
            if want:
                bad.append((pid, "*", 0, want))
        return compared, bad

    def _drifts(self, bad: list[tuple[int, str, int, int]]) -> tuple[Drift, ...]:
        if not bad:
            return ()
        skus = self._skus({pid for pid, *_ in bad})
        ordered = sorted(bad, key=lambda b: (skus[b[0]], b[1] == "*", b[1]))
        return tuple(Drift(skus[pid], loc, have, want) for pid, loc, have, want in ordered)

    def _verify_ranges(self, last: int) -> Iterator[tuple[int, int]]:
        """Product id ranges ``[start, end)`` to verify one at a time: a range is halved
        while it holds more than ``VERIFY_MOVES`` moves (counted from the index alone)."""
        start = 0
        while start <= last:
            size = VERIFY_PRODUCTS
            while size > 1:
                row = execute_sql(
                    self._db,
                    "SELECT COUNT(*) FROM stock_move WHERE product_id >= ? AND product_id < ?",
                    (start, start + size),
                ).fetchone()
                if row is None or int(row[0]) <= VERIFY_MOVES:
                    break
                size //= 2
            yield start, start + size
            start += size

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
