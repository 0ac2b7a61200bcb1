"""Suppliers, supplier items and purchase orders on SQLite or PostgreSQL.

Suppliers and their items are master data (replaced in place; the service logs each change
in the master-data change log). Purchase orders are business records: the header and the
lines are only ever inserted, a status change is a new ``purchase_order_status`` row, and
what a line has received is the sum of the goods receipts' lines against it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import peewee

from omnipos_tui.core.errors import NotFound
from omnipos_tui.core.stock.documents import (
    OrderLine,
    OrderStatus,
    PurchaseOrder,
    StatusChange,
    Supplier,
    SupplierItem,
)
from omnipos_tui.core.stock.figures import OnOrder
from omnipos_tui.storage.database import engine_of, execute_sql, insert_rows, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.stock import PeeweeStockLedger, StockCache, chunks, marks

_SUPPLIER_COLUMNS = (
    "code, name, org_number, contact, email, phone, delivery_days, lead_days, active"
)

ORDER_LOCK = 7001
"""Advisory lock class of a purchase order (PostgreSQL), held to the end of the unit of work."""

# The current status of each order: its status row with the highest sequence number.
CURRENT_STATUS = (
    "SELECT s.order_no, s.status FROM purchase_order_status s WHERE s.seq = "
    "(SELECT MAX(s2.seq) FROM purchase_order_status s2 WHERE s2.order_no = s.order_no)"
)


def _supplier(row: Sequence[object]) -> Supplier:
    code, name, org, contact, email, phone, days, lead, active = row
    return Supplier(
        code=str(code),
        name=str(name),
        org_number=str(org),
        contact=str(contact),
        email=str(email),
        phone=str(phone),
        delivery_days=str(days),
        lead_days=int(str(lead)),
        active=bool(active),
    )


class PeeweeSupplierRepository:
    """:class:`~omnipos_tui.core.stock.ports.SupplierRepository` on a peewee database."""

    def __init__(self, db: peewee.Database, cache: StockCache) -> None:
        self._db = db
        self._ledger = PeeweeStockLedger(db, cache)

    @translated
    def get(self, code: str) -> Supplier | None:
        """One supplier."""
        row = execute_sql(
            self._db, f"SELECT {_SUPPLIER_COLUMNS} FROM supplier WHERE code = ?", (code,)
        ).fetchone()
        return None if row is None else _supplier(row)

    @translated
    def all(self, *, include_inactive: bool = True) -> list[Supplier]:
        """Suppliers by code."""
        where = "" if include_inactive else "WHERE active = ?"
        rows = execute_sql(
            self._db,
            f"SELECT {_SUPPLIER_COLUMNS} FROM supplier {where} ORDER BY code",
            () if include_inactive else (True,),
        ).fetchall()
        return [_supplier(row) for row in rows]

    @translated
    def save(self, supplier: Supplier) -> Supplier | None:
        """Create or replace a supplier; returns the one it replaced."""
        before = self.get(supplier.code)
        values = (
            supplier.code,
            supplier.name,
            supplier.org_number,
            supplier.contact,
            supplier.email,
            supplier.phone,
            supplier.delivery_days,
            supplier.lead_days,
            supplier.active,
        )
        if before is None:
            execute_sql(
                self._db,
                f"INSERT INTO supplier ({_SUPPLIER_COLUMNS}) VALUES ({marks(len(values))})",
                values,
            )
        else:
            execute_sql(
                self._db,
                "UPDATE supplier SET name = ?, org_number = ?, contact = ?, email = ?, "
                "phone = ?, delivery_days = ?, lead_days = ?, active = ? WHERE code = ?",
                (*values[1:], supplier.code),
            )
        return before

    @translated
    def items(self, *, supplier: str | None = None, sku: str | None = None) -> list[SupplierItem]:
        """Supplier items, by supplier and SKU."""
        where, params = [], []
        if supplier is not None:
            where.append("i.supplier_code = ?")
            params.append(supplier)
        if sku is not None:
            where.append("p.sku = ?")
            params.append(sku)
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        rows = execute_sql(
            self._db,
            "SELECT i.supplier_code, p.sku, i.supplier_sku, i.pack_size, i.cost_price "
            f"FROM supplier_item i JOIN product p ON p.id = i.product_id {condition} "
            "ORDER BY i.supplier_code, p.sku",
            params,
        ).fetchall()
        return [SupplierItem(str(s), str(k), str(ss), int(ps), int(c)) for s, k, ss, ps, c in rows]

    @translated
    def save_items(self, items: Sequence[SupplierItem]) -> tuple[int, int]:
        """Create or replace supplier items; returns (created, updated)."""
        ids = self._ledger.product_ids(item.sku for item in items)
        missing = sorted({item.sku for item in items} - ids.keys())
        if missing:
            raise NotFound(code="stock.unknown_products", given=missing[:10])
        existing: set[tuple[str, int]] = set()
        for supplier in sorted({item.supplier for item in items}):
            wanted = sorted({ids[i.sku] for i in items if i.supplier == supplier})
            for part in chunks(wanted, 900):
                rows = execute_sql(
                    self._db,
                    "SELECT supplier_code, product_id FROM supplier_item WHERE supplier_code = ? "
                    f"AND product_id IN ({marks(len(part))})",
                    [supplier, *part],
                ).fetchall()
                existing.update((str(s), int(p)) for s, p in rows)
        rows_out = [
            (i.supplier, ids[i.sku], i.supplier_sku, i.pack_size, i.cost_price) for i in items
        ]
        for batch in chunks(rows_out, 1000):
            execute_sql(
                self._db,
                "INSERT INTO supplier_item (supplier_code, product_id, supplier_sku, pack_size, "
                f"cost_price) VALUES {', '.join(['(?, ?, ?, ?, ?)'] * len(batch))} "
                "ON CONFLICT (supplier_code, product_id) DO UPDATE SET "
                "supplier_sku = excluded.supplier_sku, pack_size = excluded.pack_size, "
                "cost_price = excluded.cost_price",
                [value for row in batch for value in row],
            )
        updated = sum(1 for i in items if (i.supplier, ids[i.sku]) in existing)
        return len(items) - updated, updated


class PeeweePurchaseRepository:
    """:class:`~omnipos_tui.core.stock.ports.PurchaseRepository` on a peewee database."""

    def __init__(self, db: peewee.Database, cache: StockCache) -> None:
        self._db = db
        self._pg = engine_of(db) == "postgresql"
        self._ledger = PeeweeStockLedger(db, cache)

    @translated
    def add(self, order: PurchaseOrder) -> None:
        """Store a new order with its lines and first status."""
        execute_sql(
            self._db,
            "INSERT INTO purchase_order (number, supplier_code, location_id, expected, "
            "created_at, employee, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                order.number,
                order.supplier,
                self._ledger.location_row(order.location).id,
                None if order.expected is None else order.expected.isoformat(),
                time_to_db(order.created_at),
                order.employee,
                order.note,
            ),
        )
        self.add_lines(
            order.number,
            [(ln.sku, ln.quantity, ln.unit_cost, ln.supplier_sku) for ln in order.lines],
        )
        for change in order.history:
            self.add_status(order.number, change)

    @translated
    def add_lines(self, number: int, lines: Sequence[tuple[str, int, int, str]]) -> None:
        """Append lines (sku, quantity, unit cost, supplier article number)."""
        if not lines:
            return
        ids = self._ledger.product_ids(sku for sku, *_ in lines)
        row = execute_sql(
            self._db,
            "SELECT COALESCE(MAX(line_no), 0) FROM purchase_order_line WHERE order_no = ?",
            (number,),
        ).fetchone()
        first = int(row[0]) + 1 if row else 1
        insert_rows(
            self._db,
            "purchase_order_line",
            ("order_no", "line_no", "product_id", "quantity", "unit_cost", "supplier_sku"),
            [
                (number, first + i, ids[sku], qty, cost, supplier_sku)
                for i, (sku, qty, cost, supplier_sku) in enumerate(lines)
            ],
        )

    @translated
    def add_status(self, number: int, change: StatusChange) -> None:
        """Append a status change."""
        row = execute_sql(
            self._db,
            "SELECT COALESCE(MAX(seq), 0) FROM purchase_order_status WHERE order_no = ?",
            (number,),
        ).fetchone()
        execute_sql(
            self._db,
            "INSERT INTO purchase_order_status (order_no, seq, status, at, employee, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                number,
                (int(row[0]) if row else 0) + 1,
                change.status,
                time_to_db(change.at),
                change.employee,
                change.note,
            ),
        )

    @translated
    def get(self, number: int, *, lock: bool = False) -> PurchaseOrder | None:
        """An order with lines and history (``lock``: held to the end of the unit of
        work on PostgreSQL; SQLite's unit of work holds the whole database)."""
        if lock and self._pg:
            # An advisory lock, not FOR UPDATE: the till's role may not update this
            # append-only table, and FOR UPDATE needs that right.
            execute_sql(self._db, "SELECT pg_advisory_xact_lock(?, ?)", (ORDER_LOCK, number))
        row = execute_sql(
            self._db,
            "SELECT number, supplier_code, location_id, expected, created_at, employee, note "
            "FROM purchase_order WHERE number = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None
        return self._orders([row])[0]

    @translated
    def find(
        self, *, status: str | None = None, supplier: str | None = None
    ) -> list[PurchaseOrder]:
        """Orders newest first."""
        where, params = [], []
        if supplier is not None:
            where.append("o.supplier_code = ?")
            params.append(supplier)
        if status is not None:
            where.append(
                f"o.number IN (SELECT order_no FROM ({CURRENT_STATUS}) c WHERE c.status = ?)"
            )
            params.append(status)
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        rows = execute_sql(
            self._db,
            "SELECT o.number, o.supplier_code, o.location_id, o.expected, o.created_at, "
            f"o.employee, o.note FROM purchase_order o {condition} ORDER BY o.number DESC",
            params,
        ).fetchall()
        return self._orders(rows)

    def _orders(self, rows: Sequence[Sequence[object]]) -> list[PurchaseOrder]:
        numbers = [int(str(row[0])) for row in rows]
        lines: dict[int, list[OrderLine]] = defaultdict(list)
        history: dict[int, list[StatusChange]] = defaultdict(list)
        for part in chunks(numbers, 900):
            received = {
                (int(o), int(ln)): int(q)
                for o, ln, q in execute_sql(
                    self._db,
                    "SELECT r.order_no, l.order_line, SUM(l.quantity) FROM goods_receipt_line l "
                    "JOIN goods_receipt r ON r.number = l.receipt_no "
                    f"WHERE r.order_no IN ({marks(len(part))}) AND l.order_line IS NOT NULL "
                    "GROUP BY r.order_no, l.order_line",
                    part,
                ).fetchall()
            }
            for o, ln, sku, qty, cost, supplier_sku in execute_sql(
                self._db,
                "SELECT l.order_no, l.line_no, p.sku, l.quantity, l.unit_cost, l.supplier_sku "
                "FROM purchase_order_line l JOIN product p ON p.id = l.product_id "
                f"WHERE l.order_no IN ({marks(len(part))}) ORDER BY l.order_no, l.line_no",
                part,
            ).fetchall():
                lines[int(o)].append(
                    OrderLine(
                        int(ln),
                        str(sku),
                        int(qty),
                        int(cost),
                        str(supplier_sku),
                        received.get((int(o), int(ln)), 0),
                    )
                )
            for o, status, at, employee, note in execute_sql(
                self._db,
                "SELECT order_no, status, at, employee, note FROM purchase_order_status "
                f"WHERE order_no IN ({marks(len(part))}) ORDER BY order_no, seq",
                part,
            ).fetchall():
                history[int(o)].append(
                    StatusChange(str(status), time_from_db(str(at)), str(employee), str(note))
                )
        return [
            PurchaseOrder(
                number=int(str(number)),
                supplier=str(supplier),
                location=self._ledger.location_by_id(int(str(location))).code,
                expected=None if expected is None else date.fromisoformat(str(expected)),
                created_at=time_from_db(str(created)),
                employee=str(employee),
                note=str(note),
                lines=tuple(lines[int(str(number))]),
                history=tuple(history[int(str(number))]),
            )
            for number, supplier, location, expected, created, employee, note in rows
        ]

    @translated
    def on_order(self, sku: str) -> list[OnOrder]:
        """Open order lines of a product with something outstanding."""
        open_states = (OrderStatus.SENT.value, OrderStatus.PARTLY_RECEIVED.value)
        rows = execute_sql(
            self._db,
            "SELECT o.number, o.supplier_code, o.location_id, o.expected, c.status, "
            "l.line_no, l.quantity, COALESCE((SELECT SUM(g.quantity) FROM goods_receipt_line g "
            "JOIN goods_receipt r ON r.number = g.receipt_no WHERE r.order_no = o.number "
            "AND g.order_line = l.line_no), 0) "
            "FROM purchase_order_line l JOIN product p ON p.id = l.product_id "
            "JOIN purchase_order o ON o.number = l.order_no "
            f"JOIN ({CURRENT_STATUS}) c ON c.order_no = o.number "
            "WHERE p.sku = ? AND c.status IN (?, ?) ORDER BY o.expected, o.number, l.line_no",
            (sku, *open_states),
        ).fetchall()
        out: list[OnOrder] = []
        for number, supplier, location, expected, status, _line, qty, received in rows:
            outstanding = int(qty) - int(received)
            if outstanding > 0:
                out.append(
                    OnOrder(
                        order_no=int(number),
                        supplier=str(supplier),
                        location=self._ledger.location_by_id(int(location)).code,
                        outstanding=outstanding,
                        expected=None if expected is None else date.fromisoformat(str(expected)),
                        status=str(status),
                    )
                )
        return out
