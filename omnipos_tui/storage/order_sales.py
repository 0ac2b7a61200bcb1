"""The links between customer orders and the till's sales, the reservations the orders
hold (for stock verify) and a customer's purchases, on SQLite or PostgreSQL: the part of
:class:`~omnipos_tui.storage.orders.PeeweeOrderRepository` that reads across orders, sales
and stock."""

from __future__ import annotations

from datetime import datetime

import peewee

from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.ports import Purchase, SaleLink
from omnipos_tui.storage.database import execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.stock import PeeweeStockLedger


class OrderSaleRows:
    """Sale links, the orders' reservations and purchases (a base of
    ``PeeweeOrderRepository``)."""

    _db: peewee.Database
    _stock: PeeweeStockLedger

    def _location(self, location_id: int | None) -> str:
        return "" if location_id is None else self._stock.location_by_id(int(location_id)).code

    @translated
    def link_sale(self, sale_id: str, link: SaleLink, at: datetime) -> None:
        """Remember which sale lines carry which order lines."""
        insert_rows(
            self._db,
            "order_sale",
            ("sale_id", "sale_line", "order_no", "order_line", "at"),
            [
                (sale_id, sale_line, link.order_no, order_line, time_to_db(at))
                for sale_line, order_line in sorted(link.lines.items())
            ],
        )

    @translated
    def sales_of(self, order_no: int) -> list[str]:
        """The sale ids that have carried the order."""
        rows = execute_sql(
            self._db,
            "SELECT DISTINCT sale_id FROM order_sale WHERE order_no = ? ORDER BY sale_id",
            (order_no,),
        ).fetchall()
        return [str(row[0]) for row in rows]

    @translated
    def link_of_transaction(self, trans_id: str) -> SaleLink | None:
        """The order a completed transaction's sale carried."""
        rows = execute_sql(
            self._db,
            "SELECT os.order_no, os.sale_line, os.order_line FROM cash_transaction t "
            "JOIN order_sale os ON os.sale_id = t.sale_id WHERE t.trans_id = ?",
            (trans_id,),
        ).fetchall()
        if not rows:
            return None
        return SaleLink(int(rows[0][0]), {int(sale): int(line) for _, sale, line in rows})

    @translated
    def purchases(self, customer: str, *, limit: int) -> list[Purchase]:
        """A customer's completed till transactions, newest first (not training, not
        voided)."""
        rows = execute_sql(
            self._db,
            "SELECT t.trans_id, t.register_id, t.receipt_number, t.kind, t.completed_at, "
            "t.total, (SELECT COUNT(*) FROM transaction_line l WHERE l.trans_id = t.trans_id) "
            "FROM cash_transaction t WHERE t.customer = ? AND t.training = ? AND t.voided = ? "
            "ORDER BY t.completed_at DESC LIMIT ?",
            (customer, False, False, max(0, limit)),
        ).fetchall()
        return [
            Purchase(
                trans_id=str(trans_id),
                receipt_id=f"{register}-{receipt}",
                kind=str(kind),
                at=time_from_db(str(at)),
                total=Money(int(total)),
                lines=int(lines),
            )
            for trans_id, register, receipt, kind, at, total, lines in rows
        ]

    @translated
    def reserved_by_orders(self) -> dict[tuple[str, str], int]:
        """What the orders hold reserved, by (SKU, location)."""
        rows = execute_sql(
            self._db,
            "SELECT p.sku, e.location_id, SUM(CASE e.kind WHEN 'reserve' THEN e.quantity "
            "WHEN 'release' THEN -e.quantity WHEN 'pick' THEN -e.quantity ELSE 0 END) "
            "FROM customer_order_event e JOIN customer_order_line l "
            "ON l.order_no = e.order_no AND l.line_no = e.line_no "
            "JOIN product p ON p.id = l.product_id "
            "WHERE e.kind IN ('reserve', 'release', 'pick') GROUP BY p.sku, e.location_id",
        ).fetchall()
        return {
            (str(sku), self._location(int(lid))): int(total)
            for sku, lid, total in rows
            if int(total or 0) != 0
        }
