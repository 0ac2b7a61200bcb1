"""The web shop's links and sync state on SQLite or PostgreSQL (schema version 15)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

import peewee

from omnipos_tui.core.errors import Conflict
from omnipos_tui.storage.database import execute_sql, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.stock_base import chunks, marks


class PeeweeWebshopRepository:
    """:class:`~omnipos_tui.core.webshop.ports.WebshopRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    # --- products ---------------------------------------------------------------------------

    @translated
    def link_product(self, sku: str, external_id: str, at: datetime) -> None:
        """Link a product (replacing an earlier link of that SKU)."""
        execute_sql(self._db, "DELETE FROM webshop_product WHERE external_id = ?", (external_id,))
        execute_sql(
            self._db,
            "INSERT INTO webshop_product (sku, external_id, linked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (sku) DO UPDATE SET external_id = excluded.external_id, "
            "linked_at = excluded.linked_at, pushed_qty = NULL, pushed_at = NULL",
            (sku, external_id, time_to_db(at)),
        )

    @translated
    def unlink_product(self, sku: str) -> None:
        """Forget a product's link."""
        execute_sql(self._db, "DELETE FROM webshop_product WHERE sku = ?", (sku,))

    @translated
    def product_links(self, skus: Sequence[str] | None = None) -> dict[str, str]:
        """SKU -> the shop's id (every linked product, or those of ``skus``)."""
        if skus is None:
            rows = execute_sql(self._db, "SELECT sku, external_id FROM webshop_product").fetchall()
            return {str(s): str(e) for s, e in rows}
        found: dict[str, str] = {}
        for part in chunks(sorted(set(skus)), 900):
            rows = execute_sql(
                self._db,
                f"SELECT sku, external_id FROM webshop_product WHERE sku IN ({marks(len(part))})",
                list(part),
            ).fetchall()
            found.update((str(s), str(e)) for s, e in rows)
        return found

    @translated
    def availability(self, skus: Sequence[str]) -> dict[str, int]:
        """On hand less reserved over the real locations, per SKU (thousandths)."""
        out = dict.fromkeys(skus, 0)
        for part in chunks(sorted(set(skus)), 900):
            rows = execute_sql(
                self._db,
                "SELECT p.sku, SUM(l.on_hand - l.reserved) FROM product p "
                "JOIN stock_level l ON l.product_id = p.id "
                "JOIN stock_location s ON s.id = l.location_id AND s.kind = 'real' "
                f"WHERE p.sku IN ({marks(len(part))}) GROUP BY p.sku",
                list(part),
            ).fetchall()
            out.update((str(sku), int(free or 0)) for sku, free in rows)
        return out

    @translated
    def pushed(self, levels: Mapping[str, int], at: datetime) -> None:
        """Remember what was last pushed per SKU (whole units)."""
        when = time_to_db(at)
        for sku, quantity in sorted(levels.items()):
            execute_sql(
                self._db,
                "UPDATE webshop_product SET pushed_qty = ?, pushed_at = ? WHERE sku = ?",
                (quantity, when, sku),
            )

    # --- customers --------------------------------------------------------------------------

    @translated
    def link_customer(self, number: str, external_id: str, at: datetime) -> None:
        """Link a customer to the shop's customer (both unique).

        Raises:
            Conflict: One side is linked to another already.
        """
        ours = self.external_customer(number)
        theirs = self.customer_of(external_id)
        if ours == external_id and theirs == number:
            return
        if ours is not None or theirs is not None:
            raise Conflict(
                f"customer {number} or the shop's customer {external_id} is linked already"
            )
        execute_sql(
            self._db,
            "INSERT INTO webshop_customer (customer_number, external_id, linked_at) "
            "VALUES (?, ?, ?)",
            (number, external_id, time_to_db(at)),
        )

    @translated
    def unlink_customer(self, number: str) -> None:
        """Forget a customer's link."""
        execute_sql(self._db, "DELETE FROM webshop_customer WHERE customer_number = ?", (number,))

    @translated
    def customer_of(self, external_id: str) -> str | None:
        """Our customer number linked to the shop's customer."""
        row = execute_sql(
            self._db,
            "SELECT customer_number FROM webshop_customer WHERE external_id = ?",
            (external_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    @translated
    def external_customer(self, number: str) -> str | None:
        """The shop's customer id linked to ours."""
        row = execute_sql(
            self._db,
            "SELECT external_id FROM webshop_customer WHERE customer_number = ?",
            (number,),
        ).fetchone()
        return None if row is None else str(row[0])

    @translated
    def customer_by_contact(self, email: str, phone: str) -> str | None:
        """Our customer with this e-mail (case-insensitive), else this phone (digits
        compared), if exactly one is found."""
        if email.strip():
            rows = execute_sql(
                self._db,
                "SELECT number FROM customer WHERE LOWER(email) = ?",
                (email.strip().lower(),),
            ).fetchall()
            if len(rows) == 1:
                return str(rows[0][0])
            if rows:
                return None
        digits = _digits(phone)
        if len(digits) >= 5:
            rows = execute_sql(
                self._db, "SELECT number, phone FROM customer WHERE phone <> ''"
            ).fetchall()
            found = [str(n) for n, p in rows if _digits(str(p))[-8:] == digits[-8:]]
            if len(found) == 1:
                return found[0]
        return None

    # --- state and problems -----------------------------------------------------------------

    @translated
    def get_state(self, name: str) -> str:
        """A value of the sync's state ("" when unset)."""
        row = execute_sql(
            self._db, "SELECT value FROM webshop_state WHERE name = ?", (name,)
        ).fetchone()
        return "" if row is None else str(row[0])

    @translated
    def set_state(self, values: Mapping[str, str]) -> None:
        """Set values of the sync's state."""
        for name, value in sorted(values.items()):
            execute_sql(
                self._db,
                "INSERT INTO webshop_state (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    @translated
    def add_problem(self, text: str, at: datetime) -> None:
        """Keep a problem for ``webshop status``."""
        execute_sql(
            self._db, "INSERT INTO webshop_problem (at, text) VALUES (?, ?)", (time_to_db(at), text)
        )

    @translated
    def problems(self, *, limit: int = 20) -> list[tuple[datetime, str]]:
        """The newest problems first."""
        rows = execute_sql(
            self._db, "SELECT at, text FROM webshop_problem ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [(time_from_db(str(at)), str(text)) for at, text in rows]

    @translated
    def counts(self) -> tuple[int, int, int]:
        """Linked products, linked customers, web orders."""
        row = execute_sql(
            self._db,
            "SELECT (SELECT COUNT(*) FROM webshop_product), "
            "(SELECT COUNT(*) FROM webshop_customer), "
            "(SELECT COUNT(*) FROM customer_order WHERE channel = 'web')",
        ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1]), int(row[2])


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)
