"""A till in its own process for the last-unit race (driven by test_stock_race_pg.py).

Each round it rings up one milk and takes exact cash, waits at the ``go`` barrier until the
other till has done the same, then completes the sale at the same moment as the other
till, and reports what happened.
"""

from __future__ import annotations

from datetime import timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from ledger_support import CASHIER, MILK, open_shop

from omnipos_tui.core.errors import PosError
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.services.sales import completion, opening, payments, ringing

WAIT = 120.0


def till(
    url: str,
    data_dir: Path,
    register_id: str,
    rounds: int,
    start: Barrier,
    go: Barrier,
    results: Queue[tuple[str, int, str, str]],
) -> None:
    """Sell the last unit ``rounds`` times, in step with the other till."""
    services, clock = open_shop(
        data_dir, url=url, register_id=register_id, algorithm="hmac-sha1", initialise=False
    )
    try:
        for n in range(rounds):
            start.wait(WAIT)
            clock.advance(timedelta(seconds=5))
            sale = opening.resume_or_open(services.sales, register_id, CASHIER)
            ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
            payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
            go.wait(WAIT)
            try:
                done = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
            except PosError as exc:
                results.put((register_id, n, "", f"{type(exc).__name__}: {exc}"))
            else:
                results.put((register_id, n, done.transaction.trans_id, ""))
    finally:
        services.close()
