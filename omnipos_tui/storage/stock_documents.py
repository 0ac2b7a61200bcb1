"""Goods receipts, transfers and stock counts on SQLite or PostgreSQL.

Every row is inserted once and never changed (the tables are append-only). A status change
is a new status row whose primary key includes the status, so a transfer cannot be received
twice nor a count finished twice, even by two processes at the same moment: the second
insert waits for the first and then fails as a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

import peewee

from omnipos_tui.core.stock.documents import (
    GoodsReceipt,
    ReceiptLine,
    StatusChange,
    StockCount,
    Transfer,
    TransferLine,
)
from omnipos_tui.core.stock.figures import LastReceipt
from omnipos_tui.storage.database import engine_of, execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.stock import PeeweeStockLedger, StockCache, chunks, marks

TRANSFER_LOCK = 7002
"""Advisory lock class of a transfer (PostgreSQL), held to the end of the unit of work."""


class PeeweeStockDocuments:
    """:class:`~omnipos_tui.core.stock.ports.StockDocuments` on a peewee database."""

    def __init__(self, db: peewee.Database, cache: StockCache) -> None:
        self._db = db
        self._pg = engine_of(db) == "postgresql"
        self._ledger = PeeweeStockLedger(db, cache)

    # --- goods receipts -----------------------------------------------------------------

    @translated
    def add_receipt(self, receipt: GoodsReceipt) -> None:
        """Store a goods receipt and its lines."""
        execute_sql(
            self._db,
            "INSERT INTO goods_receipt (number, order_no, location_id, delivery_note, at, "
            "employee) VALUES (?, ?, ?, ?, ?, ?)",
            (
                receipt.number,
                receipt.order_no,
                self._ledger.location_row(receipt.location).id,
                receipt.delivery_note,
                time_to_db(receipt.at),
                receipt.employee,
            ),
        )
        ids = self._ledger.product_ids(line.sku for line in receipt.lines)
        insert_rows(
            self._db,
            "goods_receipt_line",
            ("receipt_no", "line_no", "product_id", "quantity", "unit_cost", "order_line"),
            [
                (receipt.number, ln.line_no, ids[ln.sku], ln.quantity, ln.unit_cost, ln.order_line)
                for ln in receipt.lines
            ],
        )

    @translated
    def receipt(self, number: int) -> GoodsReceipt | None:
        """A goods receipt with its lines."""
        found = self._receipts("WHERE number = ?", [number])
        return found[0] if found else None

    @translated
    def receipts(self, *, order_no: int | None = None, limit: int = 50) -> list[GoodsReceipt]:
        """Receipts newest first."""
        if order_no is None:
            return self._receipts("", [], limit=limit)
        return self._receipts("WHERE order_no = ?", [order_no], limit=limit)

    def _receipts(self, where: str, params: list[object], *, limit: int = 1) -> list[GoodsReceipt]:
        heads = execute_sql(
            self._db,
            "SELECT number, order_no, location_id, delivery_note, at, employee FROM goods_receipt "
            f"{where} ORDER BY number DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        numbers = [int(row[0]) for row in heads]
        lines: dict[int, list[ReceiptLine]] = defaultdict(list)
        for part in chunks(numbers, 900):
            for number, ln, sku, qty, cost, order_line in execute_sql(
                self._db,
                "SELECT l.receipt_no, l.line_no, p.sku, l.quantity, l.unit_cost, l.order_line "
                "FROM goods_receipt_line l JOIN product p ON p.id = l.product_id "
                f"WHERE l.receipt_no IN ({marks(len(part))}) ORDER BY l.receipt_no, l.line_no",
                part,
            ).fetchall():
                lines[int(number)].append(
                    ReceiptLine(
                        int(ln),
                        str(sku),
                        int(qty),
                        int(cost),
                        None if order_line is None else int(order_line),
                    )
                )
        return [
            GoodsReceipt(
                number=int(number),
                order_no=None if order_no is None else int(order_no),
                location=self._ledger.location_by_id(int(location)).code,
                delivery_note=str(note),
                at=time_from_db(str(at)),
                employee=str(employee),
                lines=tuple(lines[int(number)]),
            )
            for number, order_no, location, note, at, employee in heads
        ]

    @translated
    def last_receipt(self, number: int, sku: str) -> LastReceipt | None:
        """What receipt ``number`` brought of a product."""
        row = execute_sql(
            self._db,
            "SELECT r.at, SUM(l.quantity), SUM(l.quantity * l.unit_cost), "
            "COALESCE(MAX(o.supplier_code), '') FROM goods_receipt r "
            "JOIN goods_receipt_line l ON l.receipt_no = r.number "
            "JOIN product p ON p.id = l.product_id "
            "LEFT JOIN purchase_order o ON o.number = r.order_no "
            "WHERE r.number = ? AND p.sku = ? GROUP BY r.at",
            (number, sku),
        ).fetchone()
        if row is None:
            return None
        at, quantity, value, supplier = row
        qty = int(quantity)
        return LastReceipt(
            number,
            time_from_db(str(at)),
            qty,
            (2 * int(value) + qty) // (2 * qty) if qty else 0,
            str(supplier),
        )

    # --- transfers ----------------------------------------------------------------------

    @translated
    def add_transfer(self, transfer: Transfer) -> None:
        """Store a transfer with its lines and first status."""
        execute_sql(
            self._db,
            "INSERT INTO stock_transfer (number, from_location, to_location, two_step) "
            "VALUES (?, ?, ?, ?)",
            (
                transfer.number,
                self._ledger.location_row(transfer.source).id,
                self._ledger.location_row(transfer.target).id,
                transfer.two_step,
            ),
        )
        ids = self._ledger.product_ids(line.sku for line in transfer.lines)
        insert_rows(
            self._db,
            "stock_transfer_line",
            ("transfer_no", "line_no", "product_id", "quantity"),
            [(transfer.number, ln.line_no, ids[ln.sku], ln.quantity) for ln in transfer.lines],
        )
        for change in transfer.history:
            self.add_transfer_status(transfer.number, change)

    @translated
    def transfer(self, number: int, *, lock: bool = False) -> Transfer | None:
        """A transfer with lines and history."""
        if lock and self._pg:  # advisory: the till's role may not update this table
            execute_sql(self._db, "SELECT pg_advisory_xact_lock(?, ?)", (TRANSFER_LOCK, number))
        head = execute_sql(
            self._db,
            "SELECT from_location, to_location, two_step FROM stock_transfer WHERE number = ?",
            (number,),
        ).fetchone()
        if head is None:
            return None
        lines = execute_sql(
            self._db,
            "SELECT l.line_no, p.sku, l.quantity FROM stock_transfer_line l "
            "JOIN product p ON p.id = l.product_id WHERE l.transfer_no = ? ORDER BY l.line_no",
            (number,),
        ).fetchall()
        history = execute_sql(
            self._db,
            "SELECT status, at, employee, note FROM stock_transfer_status WHERE transfer_no = ? "
            "ORDER BY at, CASE status WHEN 'received' THEN 1 ELSE 0 END",
            (number,),
        ).fetchall()
        source, target, two_step = head
        return Transfer(
            number=number,
            source=self._ledger.location_by_id(int(source)).code,
            target=self._ledger.location_by_id(int(target)).code,
            two_step=bool(two_step),
            lines=tuple(TransferLine(int(n), str(s), int(q)) for n, s, q in lines),
            history=tuple(
                StatusChange(str(s), time_from_db(str(a)), str(e), str(n)) for s, a, e, n in history
            ),
        )

    @translated
    def add_transfer_status(self, number: int, change: StatusChange) -> None:
        """Append a transfer's status change (a status entered twice is a conflict)."""
        execute_sql(
            self._db,
            "INSERT INTO stock_transfer_status (transfer_no, status, at, employee, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (number, change.status, time_to_db(change.at), change.employee, change.note),
        )

    # --- counts -------------------------------------------------------------------------

    @translated
    def add_count(self, count: StockCount) -> None:
        """Store a new count and its first status."""
        execute_sql(
            self._db,
            "INSERT INTO stock_count (number, location_id, group_code, started_at, employee) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                count.number,
                self._ledger.location_row(count.location).id,
                count.group,
                time_to_db(count.started_at),
                count.employee,
            ),
        )
        for change in count.history:
            self.add_count_status(count.number, change)

    @translated
    def take_snapshot(self, number: int, location: str, group: str | None) -> int:
        """Fill a count's snapshot straight from the location's balances (one statement,
        however many products); returns how many products it holds."""
        lid = self._ledger.location_row(location).id
        where = "l.location_id = ?"
        params: list[object] = [number, lid]
        if group is not None:
            where += " AND p.group_code = ?"
            params.append(group)
        execute_sql(
            self._db,
            "INSERT INTO stock_count_snapshot (count_no, product_id, on_hand) "
            "SELECT ?, l.product_id, l.on_hand FROM stock_level l "
            f"JOIN product p ON p.id = l.product_id WHERE {where}",
            params,
        )
        row = execute_sql(
            self._db, "SELECT COUNT(*) FROM stock_count_snapshot WHERE count_no = ?", (number,)
        ).fetchone()
        return int(row[0]) if row else 0

    @translated
    def count(self, number: int) -> StockCount | None:
        """A count with its history."""
        found = self._counts("WHERE c.number = ?", [number], 1)
        return found[0] if found else None

    @translated
    def counts(self, *, limit: int = 50) -> list[StockCount]:
        """Counts newest first."""
        return self._counts("", [], limit)

    def _counts(self, where: str, params: list[object], limit: int) -> list[StockCount]:
        heads = execute_sql(
            self._db,
            "SELECT c.number, c.location_id, c.group_code, c.started_at, c.employee "
            f"FROM stock_count c {where} ORDER BY c.number DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        out: list[StockCount] = []
        for number, location, group, started, employee in heads:
            history = execute_sql(
                self._db,
                "SELECT status, at, employee, note FROM stock_count_status WHERE count_no = ? "
                "ORDER BY CASE status WHEN 'started' THEN 0 ELSE 1 END",
                (int(number),),
            ).fetchall()
            out.append(
                StockCount(
                    number=int(number),
                    location=self._ledger.location_by_id(int(location)).code,
                    group=None if group is None else str(group),
                    started_at=time_from_db(str(started)),
                    employee=str(employee),
                    history=tuple(
                        StatusChange(str(s), time_from_db(str(a)), str(e), str(n))
                        for s, a, e, n in history
                    ),
                )
            )
        return out

    @translated
    def snapshot(self, number: int) -> dict[str, int]:
        """A count's snapshot."""
        rows = execute_sql(
            self._db,
            "SELECT p.sku, s.on_hand FROM stock_count_snapshot s "
            "JOIN product p ON p.id = s.product_id WHERE s.count_no = ?",
            (number,),
        ).fetchall()
        return {str(sku): int(q) for sku, q in rows}

    @translated
    def add_count_entries(
        self, number: int, entries: Sequence[tuple[str, int]], at: datetime, employee: str
    ) -> None:
        """Append counted quantities."""
        ids = self._ledger.product_ids(sku for sku, _ in entries)
        stamp = time_to_db(at)
        insert_rows(
            self._db,
            "stock_count_entry",
            ("count_no", "product_id", "quantity", "at", "employee"),
            [(number, ids[sku], qty, stamp, employee) for sku, qty in entries],
        )

    @translated
    def counted(self, number: int) -> dict[str, int]:
        """What was counted so far, per SKU."""
        rows = execute_sql(
            self._db,
            "SELECT p.sku, SUM(e.quantity) FROM stock_count_entry e "
            "JOIN product p ON p.id = e.product_id WHERE e.count_no = ? GROUP BY p.sku",
            (number,),
        ).fetchall()
        return {str(sku): int(q) for sku, q in rows}

    @translated
    def moved_since_counted(self, number: int) -> dict[str, int]:
        """Net moves into the count's location per counted SKU after its last entry (a move
        stamped at the very moment of the entry was made before it)."""
        rows = execute_sql(
            self._db,
            "SELECT p.sku, SUM(CASE WHEN m.to_location = c.location_id "
            "THEN m.quantity ELSE -m.quantity END) "
            "FROM (SELECT product_id, MAX(at) AS last FROM stock_count_entry "
            "WHERE count_no = ? GROUP BY product_id) e "
            "JOIN stock_count c ON c.number = ? "
            "JOIN stock_move m ON m.product_id = e.product_id AND m.at > e.last "
            "AND (m.from_location = c.location_id OR m.to_location = c.location_id) "
            "JOIN product p ON p.id = e.product_id GROUP BY p.sku",
            (number, number),
        ).fetchall()
        return {str(sku): int(q) for sku, q in rows}

    @translated
    def add_count_status(self, number: int, change: StatusChange) -> None:
        """Append a count's status change (a status entered twice is a conflict)."""
        execute_sql(
            self._db,
            "INSERT INTO stock_count_status (count_no, status, at, employee, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (number, change.status, time_to_db(change.at), change.employee, change.note),
        )
