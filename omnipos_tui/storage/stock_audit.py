"""Checking the balances against the ledger (``stock verify``), repairing them (``stock
rebuild``), and the stock value at a moment from the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime

from omnipos_tui.core.stock.costing import divide_half_up
from omnipos_tui.core.stock.figures import Drift, ValueLine, VerifyReport
from omnipos_tui.storage.database import (
    execute_sql,
    time_to_db,
    translated,
)
from omnipos_tui.storage.stock_base import VERIFY_PRODUCTS, StockLedgerBase, chunks, marks


class StockAudit(StockLedgerBase):
    """Verify, rebuild and value of :class:`~omnipos_tui.storage.stock.PeeweeStockLedger`."""

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
