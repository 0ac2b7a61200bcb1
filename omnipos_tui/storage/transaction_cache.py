"""Completed transactions' report facts, kept per process for the X and Z reports.

A register's Z report reads every transaction since the previous Z; decoding a busy day's
rows (thousands of receipts, tens of thousands of lines) costs far more than the report
itself. Registered transactions never change, so the till keeps the report facts
(``core/report_facts.py``) of the ones it completed (put in when their unit of work
COMMITS, never before: a rolled-back number is used again by the next sale), made when
they are put in -- a few microseconds per sale then, instead of a conversion of the whole
day in every report -- and of the ones a report read from the narrow rows (only from units
of work that wrote no transaction), so only the first report after a restart reads the day
from the database. Reports still ask the database WHICH transactions exist and read only
those they do not have. Nothing else reads through the cache (the storage decides:
``PeeweeTransactionRepository.report_facts`` only), so ``journal verify`` and exports always
check what is really stored.

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
    """Report facts of committed transactions by register and number, newest ``limit``
    per register."""

    def __init__(self, limit: int = PER_REGISTER) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._registers: dict[str, dict[int, TransactionFacts]] = {}

    def facts(self, register_id: str, nr: int) -> TransactionFacts | None:
        """The kept report facts of a transaction, or None."""
        found = self._registers.get(register_id)
        return None if found is None else found.get(nr)

    def put(self, transactions: Iterable[Transaction]) -> None:
        """Keep the facts of committed transactions (dropping the oldest beyond the limit)."""
        with self._lock:
            for tx in transactions:
                kept = self._registers.setdefault(tx.register_id, {})
                kept[tx.nr] = facts_of(tx)
                self._trim(kept)

    def put_facts(self, facts: Iterable[TransactionFacts]) -> None:
        """Keep the report facts of committed transactions read from their rows (facts
        kept already stay as they are)."""
        with self._lock:
            for fact in facts:
                kept = self._registers.setdefault(fact.register_id, {})
                if fact.nr not in kept:
                    kept[fact.nr] = fact
                    self._trim(kept)

    def _trim(self, kept: dict[int, TransactionFacts]) -> None:
        if len(kept) > self._limit:
            for nr in sorted(kept)[: len(kept) - self._limit // 2]:
                del kept[nr]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._registers.clear()
