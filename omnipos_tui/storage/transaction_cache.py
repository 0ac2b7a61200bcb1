"""Completed transactions already decoded, kept per process for the X and Z reports.

A register's Z report reads every transaction since the previous Z; decoding a busy day's
rows (thousands of receipts, tens of thousands of lines) costs far more than the report
itself. Registered transactions never change, so the till keeps the ones it completed
(put in when their unit of work COMMITS, never before: a rolled-back number is used again
by the next sale) and the ones it read (only from units of work that wrote no
transaction). Reports still ask the database WHICH transactions exist and read only those
they do not have; ``journal verify`` and exports never use the cache, so they always check
what is really stored.

Each is kept with its report facts (``core/report_facts.py``), made when it is put in: a
few microseconds per sale then, instead of a conversion of the whole day in every report.
Facts a report read from the narrow rows are kept too (without a record), so only the
first report after a restart reads the day from the database.

Only the newest transactions of each register are kept: a report never reads back past
the previous Z report.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.core.reports.facts import TransactionFacts, facts_of

PER_REGISTER = 6000


class TransactionCache:
    """Decoded transactions by register and number, newest ``limit`` per register."""

    def __init__(self, limit: int = PER_REGISTER) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._registers: dict[str, dict[int, tuple[Transaction | None, TransactionFacts]]] = {}

    def get(self, register_id: str, nr: int) -> Transaction | None:
        """The cached transaction, or None."""
        found = self._registers.get(register_id)
        kept = None if found is None else found.get(nr)
        return None if kept is None else kept[0]

    def facts(self, register_id: str, nr: int) -> TransactionFacts | None:
        """The cached transaction's report facts, or None."""
        found = self._registers.get(register_id)
        kept = None if found is None else found.get(nr)
        return None if kept is None else kept[1]

    def put(self, transactions: Iterable[Transaction]) -> None:
        """Keep committed transactions (dropping the oldest beyond the limit)."""
        with self._lock:
            for tx in transactions:
                kept = self._registers.setdefault(tx.register_id, {})
                kept[tx.nr] = (tx, facts_of(tx))
                self._trim(kept)

    def put_facts(self, facts: Iterable[TransactionFacts]) -> None:
        """Keep the report facts of committed transactions read from their rows (a
        transaction kept already stays as it is)."""
        with self._lock:
            for fact in facts:
                kept = self._registers.setdefault(fact.register_id, {})
                if fact.nr not in kept:
                    kept[fact.nr] = (None, fact)
                    self._trim(kept)

    def _trim(self, kept: dict[int, tuple[Transaction | None, TransactionFacts]]) -> None:
        if len(kept) > self._limit:
            for nr in sorted(kept)[: len(kept) - self._limit // 2]:
                del kept[nr]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._registers.clear()
