"""The checks at the end of the multi-till load (``./scripts/bench tills``), each one a line
that is either green or says what is wrong:

* every sale a till saw completed is stored once, and nothing else is (lost 0, doubled 0);
* every register's transaction numbers, receipt numbers (per series) and journal sequence
  run 1, 2, 3 ... without a gap;
* ``journal verify`` of every register (signatures and hash chain);
* ``stock verify`` (every balance against the ledger of moves);
* the stock moves of the sales equal what the stored sales sold, product by product;
* each register's Z report plus an X report of what came after it equal the sum of its
  stored sales.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg2

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.stock.moves import transaction_moves


@dataclass
class Checks:
    """The outcome of every check."""

    lines: list[tuple[bool, str]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def add(self, ok: bool, text: str) -> None:
        self.lines.append((ok, text))

    @property
    def ok(self) -> bool:
        return all(ok for ok, _ in self.lines)


def believed(results: list[Path]) -> list[dict[str, Any]]:
    """Every completed sale the tills wrote down."""
    rows: list[dict[str, Any]] = []
    for path in results:
        if path.exists():
            rows += [json.loads(line) for line in path.read_text().splitlines() if line]
    return rows


def run_checks(
    url: str, services: Services, registers: list[str], seen: list[dict[str, Any]]
) -> Checks:
    checks = Checks()
    raw = psycopg2.connect(url)
    try:
        cur = raw.cursor()
        _lost_and_doubled(cur, seen, checks)
        for register in registers:
            _gapless(cur, register, checks)
        _chains(services, registers, checks)
        _stock(cur, services, registers, checks)
        _reports(cur, services, registers, checks)
    finally:
        raw.close()
    return checks


def _lost_and_doubled(cur: Any, seen: list[dict[str, Any]], checks: Checks) -> None:
    cur.execute("SELECT sale_id FROM cash_transaction WHERE sale_id IS NOT NULL")
    stored = Counter(row[0] for row in cur.fetchall())
    wanted = Counter(row["sale"] for row in seen)
    lost = [sale for sale in wanted if sale not in stored]
    doubled = [sale for sale, n in stored.items() if n > 1] + [
        s for s, n in wanted.items() if n > 1
    ]
    extra = [sale for sale in stored if sale not in wanted]
    checks.figures.update(lost=len(lost), doubled=len(doubled), unexpected=len(extra))
    checks.add(
        not lost,
        f"sales lost: {len(lost)} of {len(wanted)} completed at the tills"
        + (f" (e.g. {lost[:3]})" if lost else ""),
    )
    checks.add(not doubled, f"sales stored twice: {len(doubled)}")
    checks.add(
        not extra,
        f"stored sales no till saw completed: {len(extra)}"
        + (f" (e.g. {extra[:3]})" if extra else ""),
    )


def _gapless(cur: Any, register: str, checks: Checks) -> None:
    problems = []
    queries = {
        "transaction numbers": (
            "SELECT nr FROM cash_transaction WHERE register_id = %s ORDER BY nr",
            (),
        ),
        "journal sequence": (
            "SELECT seq FROM journal_event WHERE register_id = %s ORDER BY seq",
            (),
        ),
    }
    cur.execute(
        "SELECT DISTINCT receipt_series FROM cash_transaction WHERE register_id = %s", (register,)
    )
    for (series,) in cur.fetchall():
        queries[f"receipt numbers ({series})"] = (
            "SELECT receipt_number FROM cash_transaction WHERE register_id = %s "
            "AND receipt_series = %s ORDER BY receipt_number",
            (series,),
        )
    counts = {}
    for name, (sql, extra) in queries.items():
        cur.execute(sql, (register, *extra))
        numbers = [int(n) for (n,) in cur.fetchall()]
        counts[name] = len(numbers)
        if numbers != list(range(1, len(numbers) + 1)):
            gaps = sorted(set(range(1, (max(numbers) if numbers else 0) + 1)) - set(numbers))
            problems.append(f"{name}: gaps {gaps[:5]}, {len(numbers)} numbers up to {max(numbers)}")
    text = "; ".join(problems) or ", ".join(f"{n} {name}" for name, n in counts.items())
    checks.add(not problems, f"register {register} gapless: {text}")


def _chains(services: Services, registers: list[str], checks: Checks) -> None:
    results = {r.register_id: r for r in services.journal.verify()}
    for register in registers:
        result = results.get(register)
        if result is None:
            checks.add(False, f"register {register} journal verify: no chain")
            continue
        broken = f", broken at {result.broken.nr}: {result.broken.detail}" if result.broken else ""
        checks.add(
            result.ok,
            f"register {register} journal verify: {result.checked} signed transactions{broken}",
        )
    checks.figures["chain_breaks"] = sum(1 for r in results.values() if not r.ok)


def _stock(cur: Any, services: Services, registers: list[str], checks: Checks) -> None:
    report = services.stock.verify()
    drifts = list(report.drifts)
    checks.figures["stock_drift"] = len(drifts)
    checks.add(
        not drifts,
        f"stock verify: {len(drifts)} balances drift from the ledger"
        + (f" (e.g. {drifts[:2]})" if drifts else ""),
    )
    expected: dict[str, int] = defaultdict(int)
    with services.units(read_only=True) as uow:
        for register in registers:
            location = uow.stock.register_location(register)
            after = 0
            while page := uow.transactions.page(register, after_nr=after, limit=500):
                for tx in page:
                    for move in transaction_moves(tx, location):
                        expected[move.sku] += (
                            move.quantity if move.target == "customer" else -move.quantity
                        )
                after = page[-1].nr
    cur.execute(
        "SELECT p.sku, SUM(CASE WHEN t.code = 'customer' THEN m.quantity ELSE -m.quantity END) "
        "FROM stock_move m JOIN product p ON p.id = m.product_id "
        "JOIN stock_location t ON t.id = m.to_location "
        "WHERE m.doc_type = 'sale' GROUP BY p.sku"
    )
    moved = {str(sku): int(total) for sku, total in cur.fetchall()}
    wanted = {sku: q for sku, q in expected.items() if q}
    moved = {sku: q for sku, q in moved.items() if q}
    differ = sorted(
        set(wanted) ^ set(moved) | {s for s in wanted if s in moved and wanted[s] != moved[s]}
    )
    checks.add(
        not differ,
        f"sales = stock moves: {len(wanted)} products agree"
        if not differ
        else f"sales = stock moves: {len(differ)} products differ (e.g. {differ[:3]})",
    )


def _reports(cur: Any, services: Services, registers: list[str], checks: Checks) -> None:
    for register in registers:
        z = services.reports.last_z(register)
        x = services.reports.x_report(register, employee="99")
        cur.execute(
            "SELECT COALESCE(SUM(total), 0), COUNT(*) FROM cash_transaction "
            "WHERE register_id = %s AND NOT voided AND NOT training",
            (register,),
        )
        total, count = cur.fetchone()
        reported = (z.total_sales.ore if z is not None else 0) + x.total_sales.ore
        label = "Z + X" if z is not None else "X (no Z taken)"
        checks.add(
            int(total) == reported,
            f"register {register} {label} = stored sales: {reported / 100:.2f} vs "
            f"{int(total) / 100:.2f} kr over {count} transactions",
        )
