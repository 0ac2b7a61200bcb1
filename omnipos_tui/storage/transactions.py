"""Completed transactions: one ``cash_transaction`` row, its ``transaction_line`` and
``transaction_payment`` rows (all append-only), written and read with plain SQL.

Reading is the hot path of reports, so rows become ``Transaction`` records without an ORM
in between (``storage/transaction_rows.py``): one query for a page of headers, one for
their lines, one for their payments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import peewee

from omnipos_tui.core.ledger.chain import StoredTransaction
from omnipos_tui.core.ledger.ports import RowPage
from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.core.reports.facts import TransactionFacts
from omnipos_tui.storage import export_rows
from omnipos_tui.storage.chain_pages import transaction_page
from omnipos_tui.storage.chain_rows import ChainHeads, line_hash, payment_values
from omnipos_tui.storage.database import execute_sql, translated
from omnipos_tui.storage.report_rows import report_facts, report_headers
from omnipos_tui.storage.transaction_cache import TransactionCache
from omnipos_tui.storage.transaction_rows import (
    HEADER,
    LINE_COLUMNS,
    LINES,
    PAYMENT_COLUMNS,
    PAYMENTS,
    Decoder,
    insert_many,
    stored_rows,
)

_IN_LIMIT = 900  # numbers per IN (...) list
_LINE_INSERT = (*LINE_COLUMNS, "row_hash")
_PAYMENT_INSERT = (*PAYMENT_COLUMNS, "row_hash")


class PeeweeTransactionRepository:
    """:class:`~omnipos_tui.core.ledger.ports.TransactionRepository` on a peewee database.

    One per unit of work. With a :class:`TransactionCache` (the store's: ``Store`` decides
    whether a process keeps one), what it adds goes into the cache when the unit of work
    commits (:meth:`committed`), and :meth:`report_facts` reads through it; nothing else
    does.
    """

    def __init__(
        self,
        db: peewee.Database,
        cache: TransactionCache | None = None,
        heads: ChainHeads | None = None,
    ) -> None:
        self._db = db
        self._cache = cache
        self._heads = heads or ChainHeads(db)
        self._added: list[Transaction] = []

    def committed(self) -> None:
        """The unit of work committed: what it added is registered for good."""
        if self._cache is not None and self._added:
            self._cache.put(self._added)
        self._added = []

    @translated
    def add(self, tx: Transaction, *, sale_id: str | None, return_refs: Mapping[int, str]) -> None:
        """Store a transaction with its lines and payments, each line and payment with its
        hash and the header chained to the register's transaction before it."""
        header, lines, payments = stored_rows(tx, sale_id=sale_id, return_refs=return_refs)
        hashed_lines = [(*row, line_hash(row)) for row in lines]
        hashed_payments = [(*row, line_hash(payment_values(row))) for row in payments]
        children = [str(row[-1]) for row in (*hashed_lines, *hashed_payments)]
        placeholders = ", ".join("?" * (len(header) + 1))
        with self._heads.kept_on_error():
            chain = self._heads.transaction(tx.register_id, tx.nr, header, children)
            execute_sql(
                self._db,
                f"INSERT INTO cash_transaction ({HEADER}, sale_id, chain) VALUES ({placeholders})",
                (*header, chain),
            )
            insert_many(self._db, "transaction_line", _LINE_INSERT, hashed_lines)
            insert_many(self._db, "transaction_payment", _PAYMENT_INSERT, hashed_payments)
        self._added.append(tx)

    @translated
    def by_sale_id(self, sale_id: str) -> Transaction | None:
        """The transaction that completed an open sale."""
        return self._one("sale_id = ?", (sale_id,))

    @translated
    def by_trans_id(self, trans_id: str) -> Transaction | None:
        """The transaction with this id."""
        return self._one("trans_id = ?", (trans_id,))

    @translated
    def by_receipt(self, register_id: str, series: str, number: int) -> Transaction | None:
        """The transaction with a receipt number of a series."""
        return self._one(
            "register_id = ? AND receipt_series = ? AND receipt_number = ?",
            (register_id, series, number),
        )

    @translated
    def last(self, register_id: str) -> Transaction | None:
        """The register's last transaction."""
        found = self._select("register_id = ?", (register_id,), order="nr DESC", limit=1)
        return found[0] if found else None

    @translated
    def returned(self, trans_id: str) -> dict[int, Decimal]:
        """Quantities of each original line taken back by later, not voided transactions."""
        rows = execute_sql(
            self._db,
            "SELECT l.returns_original_line, l.quantity FROM transaction_line l "
            "JOIN cash_transaction t ON t.trans_id = l.trans_id "
            "WHERE l.returns_trans_id = ? AND NOT t.voided",
            (trans_id,),
        ).fetchall()
        out: dict[int, Decimal] = defaultdict(Decimal)
        for line_no, quantity in rows:
            if line_no is not None:
                out[int(line_no)] -= Decimal(quantity)
        return {k: v for k, v in out.items() if v}

    @translated
    def page(
        self,
        register_id: str,
        *,
        after_nr: int = 0,
        limit: int = 500,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> list[Transaction]:
        """Up to ``limit`` transactions of a register after ``after_nr``, in ``nr`` order,
        all read from the rows (verification and exports check what is really stored:
        the cache is never used here)."""
        days, day_params = _days("", first_day, last_day)
        where = "register_id = ? AND nr > ?" + days
        params: list[object] = [register_id, after_nr, *day_params]
        return self._select(where, params, order="nr", limit=limit)

    @translated
    def report_facts(
        self, register_id: str, *, after_nr: int = 0, limit: int = 500
    ) -> list[TransactionFacts]:
        """Up to ``limit`` transactions of a register after ``after_nr``, in ``nr`` order,
        as an X/Z report counts them.

        The database says which transactions there are; those in the process's cache are
        taken from it, the others are read from their narrow rows and their facts cached
        (when this unit of work stored no transaction: what it reads is committed).
        """
        headers = report_headers(self._db, register_id, after_nr, limit)
        cache = self._cache
        known: dict[int, TransactionFacts] = {}
        missing = []
        for h in headers:
            found = None if cache is None else cache.facts(register_id, int(h[2]))
            if found is None:
                missing.append(h)
            else:
                known[found.nr] = found
        if not missing:
            return [known[int(h[2])] for h in headers]
        read: list[TransactionFacts] = []
        if len(missing) == len(headers):  # none cached: the page's whole number range
            read = report_facts(self._db, headers, whole_range=True)
        else:
            for start in range(0, len(missing), _IN_LIMIT):
                read += report_facts(self._db, missing[start : start + _IN_LIMIT])
        if cache is not None and not self._added:
            cache.put_facts(read)
        known.update((facts.nr, facts) for facts in read)
        return [known[int(h[2])] for h in headers]

    @translated
    def export_rows(
        self,
        register_id: str,
        *,
        after_nr: int = 0,
        limit: int = 1000,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> RowPage:
        """Like :meth:`page` as plain rows (``storage/export_rows.py``): one query per
        table, nothing decoded."""
        days, day_params = _days("", first_day, last_day)
        where = "register_id = ? AND nr > ?" + days
        params: list[object] = [register_id, after_nr, *day_params]
        headers = execute_sql(
            self._db,
            f"SELECT {', '.join(export_rows.HEADER_COLUMNS)} FROM cash_transaction "
            f"WHERE {where} ORDER BY nr LIMIT ?",
            (*params, max(0, limit)),
        ).fetchall()
        if not headers:
            return RowPage([], [], [])
        # The page's lines and payments by the range of its numbers (and the headers'
        # days), each table reached along its key from the header: no list of ids.
        days, day_params = _days("c.", first_day, last_day)
        within = "c.register_id = ? AND c.nr >= ? AND c.nr <= ?" + days
        span: list[object] = [register_id, int(headers[0][0]), int(headers[-1][0]), *day_params]
        lines = execute_sql(
            self._db,
            f"SELECT {', '.join('l.' + c for c in export_rows.LINE_COLUMNS)} "
            "FROM cash_transaction c JOIN transaction_line l ON l.trans_id = c.trans_id "
            f"WHERE {within} ORDER BY c.nr, l.line_no",
            span,
        ).fetchall()
        payments = execute_sql(
            self._db,
            f"SELECT {', '.join('p.' + c for c in export_rows.PAYMENT_COLUMNS)} "
            "FROM cash_transaction c JOIN transaction_payment p ON p.trans_id = c.trans_id "
            f"WHERE {within} ORDER BY c.nr, p.seq",
            span,
        ).fetchall()
        return RowPage(headers, lines, payments)

    @translated
    def chain_rows(
        self, register_id: str, *, after_nr: int = 0, limit: int = 500
    ) -> list[StoredTransaction]:
        """Up to ``limit`` transactions after ``after_nr`` as the stored rows the chain
        covers."""
        return transaction_page(self._db, register_id, after_nr, limit)

    # --- reading rows -------------------------------------------------------------------

    def _one(self, where: str, params: Sequence[object]) -> Transaction | None:
        found = self._select(where, params, order="nr", limit=1)
        return found[0] if found else None

    def _select(
        self, where: str, params: Sequence[object], *, order: str, limit: int
    ) -> list[Transaction]:
        headers = execute_sql(
            self._db,
            f"SELECT {HEADER} FROM cash_transaction WHERE {where} ORDER BY {order} LIMIT ?",
            (*params, max(0, limit)),
        ).fetchall()
        if not headers:
            return []
        ids = [str(h[2]) for h in headers]
        marks = ", ".join("?" * len(ids))
        line_rows = execute_sql(
            self._db,
            f"SELECT trans_id, {LINES} FROM transaction_line WHERE trans_id IN ({marks}) "
            "ORDER BY trans_id, line_no",
            ids,
        ).fetchall()
        payment_rows = execute_sql(
            self._db,
            f"SELECT trans_id, {PAYMENTS} FROM transaction_payment WHERE trans_id IN ({marks}) "
            "ORDER BY trans_id, seq",
            ids,
        ).fetchall()
        return Decoder().transactions(headers, line_rows, payment_rows)


def _days(prefix: str, first_day: date | None, last_day: date | None) -> tuple[str, list[object]]:
    """The SQL (`` AND ...``) and parameters that keep business days in a range; ``prefix``
    names the transaction table ("c.")."""
    sql = ""
    params: list[object] = []
    if first_day is not None:
        sql += f" AND {prefix}business_day >= ?"
        params.append(first_day.isoformat())
    if last_day is not None:
        sql += f" AND {prefix}business_day <= ?"
        params.append(last_day.isoformat())
    return sql, params
