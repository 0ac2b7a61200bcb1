"""The database in trouble in the middle of a sale (issue 10, item 26), on the real till:
locked by another process (SQLite) or gone away (the PostgreSQL server drops the till's
connection). The cashier is told, nothing is half-written, and once the database answers
again the same sale goes on -- also when the trouble came between the payment's commit
and the completion's (the next tender key completes the paid sale).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fault_proxy import FaultProxy
from textual.pilot import Pilot

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import completion, receipts
from omnipos_tui.storage.database import execute_sql, open_database
from omnipos_tui.storage.store import Store
from omnipos_tui.ui.screens.sale import SaleScreen

from .till_shop import COLA, MILK, drawer, log_in, make_till, open_sale, open_shop, scan, settle


def store_of(services: Services) -> Store:
    store = services.database
    assert isinstance(store, Store)
    return store


def event_text(screen: SaleScreen) -> str:
    return str(screen.query_one("#sale-last-event").render())


@contextmanager
def locked(services: Services) -> Iterator[None]:
    """Another process holds SQLite's write lock; the till waits 0,3 s, not 5 s."""
    store = store_of(services)
    execute_sql(store.db, "PRAGMA busy_timeout = 300")  # this thread's (the till's) connection
    holder = sqlite3.connect(store.location, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def drop_the_tills_connection(services: Services) -> None:
    """The PostgreSQL server ends the till's session (a restart, a network cut)."""
    store = store_of(services)
    (pid,) = execute_sql(store.db, "SELECT pg_backend_pid()").fetchone() or ()
    admin = open_database(store.location)  # a connection of its own
    admin.connect()
    try:
        execute_sql(admin, "SELECT pg_terminate_backend(?)", (pid,))
    finally:
        admin.close()


async def sell_milk(pilot: Pilot[None]) -> SaleScreen:
    screen = await log_in(pilot)
    await scan(pilot, MILK)
    return screen


def one_receipt(services: Services) -> None:
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    assert [line.name for line in tx.lines] == ["Tine Lettmelk 1 l", "Coca-Cola 0,5 l"]
    assert [(p.tender, p.amount) for p in tx.payments] == [(TenderKind.CASH, Money(5200))]
    [result] = services.journal.verify("1")
    assert result.ok, result.broken


async def test_a_scan_while_another_process_locks_the_database_is_refused_and_the_sale_goes_on(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await sell_milk(pilot)
        with locked(services):
            await scan(pilot, COLA)
            assert "Feil i databasen: the database is busy" in event_text(screen)
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l"]
        await scan(pilot, COLA)
        await pilot.press("f9")
        await settle(pilot)
        assert open_sale(till).entries == ()
    one_receipt(services)
    services.close()


def fail_between_payment_and_completion(
    monkeypatch: pytest.MonkeyPatch, trouble: Callable[[], Any]
) -> None:
    """Bring the trouble on just before the completion's unit of work, once."""
    real = completion.complete
    calls: list[int] = []

    def complete(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            with trouble():
                return real(*args, **kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(completion, "complete", complete)


async def test_a_lock_between_the_payment_and_the_completion_leaves_a_paid_sale_f9_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services, debounce_s=0)
    fail_between_payment_and_completion(monkeypatch, lambda: locked(services))
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await sell_milk(pilot)
        await scan(pilot, COLA)
        await pilot.press("f9")
        await settle(pilot)
        assert "Feil i databasen: the database is busy" in event_text(screen)
        paid = open_sale(till)
        assert paid.is_paid() and len(paid.entries) == 2
        assert receipts.last_receipt_id(services.sales, "1") is None
        await pilot.press("f9")  # the database answers again: F9 completes the paid sale
        await settle(pilot)
        assert screen.view.last_event is not None
        assert screen.view.last_event.text.startswith("Betalt")
        assert open_sale(till).entries == ()
    one_receipt(services)
    assert drawer(services).openings == 1
    services.close()


@pytest.mark.postgres
async def test_a_postgresql_server_that_drops_the_till_between_scans_is_reconnected_unseen(
    pg_url: str, tmp_path: Path
) -> None:
    services = open_shop(tmp_path, url=pg_url)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await sell_milk(pilot)
        drop_the_tills_connection(services)
        # Nothing of the scan's unit of work had happened on the dead connection: the till
        # connects again and the scan goes through (issue 15).
        await scan(pilot, COLA)
        assert "Coca-Cola 0,5 l" in event_text(screen)
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l", "Coca-Cola 0,5 l"]
        await pilot.press("f9")
        await settle(pilot)
        assert open_sale(till).entries == ()
    one_receipt(services)
    services.close()


@pytest.mark.postgres
async def test_a_postgresql_drop_between_payment_and_completion_leaves_a_paid_sale_f9_completes(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_shop(tmp_path, url=pg_url).close()
    line = FaultProxy(5432).start()
    services = open_shop(tmp_path, url=line.url(pg_url), initialise=False)
    till = make_till(services, debounce_s=0)

    @contextmanager
    def dropped() -> Iterator[None]:
        line.cut()  # a dropped connection alone is reconnected unseen: the line is down
        try:
            yield
        finally:
            line.restore()

    fail_between_payment_and_completion(monkeypatch, dropped)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await sell_milk(pilot)
        await scan(pilot, COLA)
        await pilot.press("f9")
        await settle(pilot)
        assert "Databasen svarer ikke" in event_text(screen)
        for _ in range(100):  # the DB light turns green again (the till's poll)
            if services.database.health().ok:
                break
            await pilot.pause(0.05)
        assert open_sale(till).is_paid()
        assert receipts.last_receipt_id(services.sales, "1") is None
        await pilot.press("f9")
        await settle(pilot)
        assert open_sale(till).entries == ()
    one_receipt(services)
    services.close()
    line.stop()


async def test_a_paid_sale_left_uncompleted_comes_back_at_log_in_saying_f9_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = open_shop(tmp_path)
    fail_between_payment_and_completion(monkeypatch, lambda: locked(services))
    till = make_till(services, debounce_s=0)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await sell_milk(pilot)
        await scan(pilot, COLA)
        await pilot.press("f9")
        await settle(pilot)
    restarted = make_till(services, debounce_s=0)  # the till is started again
    async with restarted.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        assert screen.view.last_event is not None
        assert screen.view.last_event.text.endswith(": betalt, ikke fullført – F9 fullfører")
        await pilot.press("f9")
        await settle(pilot)
        assert open_sale(restarted).entries == ()
    one_receipt(services)
    services.close()
