"""Reading the stock ledger's balances and moves: a product's balances, its sales per
period and per day, its history, the stock list and the reorder inputs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from omnipos_tui.core.stock.figures import LocationStock, StockRow
from omnipos_tui.core.stock.locations import (
    SHOP_FLOOR,
)
from omnipos_tui.core.stock.moves import DocType, StockMove
from omnipos_tui.core.stock.ports import Balances, DayFigures, ReorderInput
from omnipos_tui.storage.database import execute_sql, translated
from omnipos_tui.storage.db_time import time_from_db
from omnipos_tui.storage.stock_base import StockLedgerBase, chunks, marks


class StockReads(StockLedgerBase):
    """The read side of :class:`~omnipos_tui.storage.stock.PeeweeStockLedger`."""

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
