"""Several tills on one PostgreSQL database: each register keeps its own gapless numbers,
journal sequence and signature chain while they sell at the same time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from ledger_support import (
    BREAD,
    COLA,
    MILK,
    cash_sale,
    open_shop,
    pg_connect,
    products,
)

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.money import Money

pytestmark = pytest.mark.postgres

SALES = 25


def _sell(services: Services, clock: FixedClock, register_id: str) -> int:
    for n in range(SALES):
        codes = (MILK, BREAD, COLA)[: 1 + n % 3]
        cash_sale(services, clock, *codes, register_id=register_id)
        if n % 10 == 9:
            services.register.cash_out(register_id, Money.kroner(5), "Safe", employee="1")
    return SALES


def _change_prices(services: Services) -> int:
    for n in range(SALES):
        changed = [replace(p, price=Money(p.price.ore + n + 1)) for p in products()[:2]]
        services.catalogue.save_products(changed, actor="2")
    return SALES


def _gapless(raw: object, sql: str, *params: object) -> list[int]:
    cursor = raw.cursor()  # type: ignore[attr-defined]
    cursor.execute(sql, params)
    numbers = [int(n) for (n,) in cursor.fetchall()]
    assert numbers == list(range(1, len(numbers) + 1)), sql
    return numbers


def test_two_tills_selling_at_once_keep_their_own_numbering_and_chains(
    pg_url: str, tmp_path: Path
) -> None:
    url = pg_url
    till1, clock1 = open_shop(tmp_path, url=url, register_id="1", algorithm="hmac-sha1")
    till2, clock2 = open_shop(tmp_path, url=url, register_id="2", initialise=False, new_till=True)
    office, _ = open_shop(tmp_path, url=url, register_id="1", initialise=False)
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [
            pool.submit(_sell, till1, clock1, "1"),
            pool.submit(_sell, till2, clock2, "2"),
            pool.submit(_change_prices, office),
        ]
        assert [job.result(timeout=300) for job in jobs] == [SALES] * 3
    for services in (till1, till2, office):
        services.close()
    raw = pg_connect(url)
    try:
        for register in ("1", "2"):
            where = "WHERE register_id = %s"
            nrs = _gapless(raw, f"SELECT nr FROM cash_transaction {where} ORDER BY nr", register)
            assert len(nrs) == SALES + SALES // 10
            receipts = f"{where} AND receipt_series = 'sale' ORDER BY receipt_number"
            _gapless(raw, f"SELECT receipt_number FROM cash_transaction {receipts}", register)
            _gapless(raw, f"SELECT seq FROM journal_event {where} ORDER BY seq", register)
    finally:
        raw.close()
    checker, _ = open_shop(tmp_path, url=url, initialise=False)
    results = {r.register_id: r for r in checker.journal.verify()}
    assert set(results) == {"1", "2"}
    assert all(r.ok and r.checked == SALES + SALES // 10 for r in results.values())
    assert {r.register_id for r in checker.journal.registers()} == {"1", "2"}
    checker.close()
