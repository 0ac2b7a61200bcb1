"""The real till on PostgreSQL with its connection cut under it (issue 15): a TCP proxy
(``tests/fault_proxy.py``) between the till and the server is cut and restored while the
cashier works. The DB light turns red with the reason in bokmål, the open sale is kept,
completion is refused with the reason, a card payment the terminal approved during the cut
is held and recorded when the line is back, and the till goes on by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fault_proxy import FaultProxy
from textual.pilot import Pilot

from omnipos_tui.core.ledger.ports import PaymentStatus
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import payments, receipts
from omnipos_tui.ui.checkout import CardStage
from omnipos_tui.ui.screens.payment import CardPaymentScreen
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.views import Light, LightState
from omnipos_tui.ui.wiring import Till

from .till_shop import (
    COLA,
    MILK,
    HeldTerminal,
    log_in,
    make_till,
    open_sale,
    open_shop,
    scan,
    settle,
    top,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    line = FaultProxy(5432).start()
    yield line
    line.stop()


def event_text(screen: SaleScreen) -> str:
    return str(screen.query_one("#sale-last-event").render())


def db_light(screen: SaleScreen) -> LightState:
    return screen.view.header.lights[Light.DATABASE]


async def read_devices(pilot: Pilot[None], till: Till) -> None:
    """One device reading (the till's poll), as the timer would take it."""
    await till.hardware.refresh()
    await settle(pilot)


async def until_the_light_is_green(pilot: Pilot[None], till: Till) -> None:
    """Device readings as the till's poll takes them while the light is red (a reconnect
    waits out the pause after the failed ones)."""
    for _ in range(100):
        reading = await till.hardware.refresh()
        if reading.database is not None and reading.database.ok:
            break
        await pilot.pause(0.1)
    await settle(pilot)


async def test_a_cut_line_turns_the_light_red_keeps_the_sale_refuses_completion_and_recovers(
    pg_url: str, tmp_path: Path, proxy: FaultProxy
) -> None:
    open_shop(tmp_path, url=pg_url).close()  # set up directly, then work through the line
    services = open_shop(tmp_path, url=proxy.url(pg_url), initialise=False)
    till = make_till(services, debounce_s=0)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await read_devices(pilot, till)
        assert db_light(screen) is LightState.OK
        proxy.cut()
        await scan(pilot, COLA)
        assert "Databasen svarer ikke" in event_text(screen)
        await read_devices(pilot, till)
        assert db_light(screen) is LightState.FAULT
        assert "Databasen svarer ikke – salget er tatt vare på" in screen.view.warning
        assert [row.name for row in screen.view.rows] == ["Tine Lettmelk 1 l"]
        await pilot.press("f9")  # cash: nothing can be stored, nothing is shown as paid
        await settle(pilot)
        assert "Databasen svarer ikke" in event_text(screen)
        assert not (screen.view.last_event and screen.view.last_event.text.startswith("Betalt"))
        proxy.restore()
        await until_the_light_is_green(pilot, till)  # the till reconnects by itself
        assert db_light(screen) is LightState.OK
        assert screen.view.warning == ""
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l"]
        await scan(pilot, COLA)
        await pilot.press("f9")
        await settle(pilot)
        assert screen.view.last_event is not None
        assert screen.view.last_event.text.startswith("Betalt")
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    assert [line.name for line in tx.lines] == ["Tine Lettmelk 1 l", "Coca-Cola 0,5 l"]
    assert [(p.tender, p.amount) for p in tx.payments] == [(TenderKind.CASH, Money(5200))]
    assert tx.receipt_number == 1  # one sale, numbered once
    [result] = services.journal.verify("1")
    assert result.ok and result.checked == 1
    assert services.database.health().reconnects >= 1
    services.close()


async def test_a_card_approved_while_the_line_is_cut_is_held_and_recorded_when_it_is_back(
    pg_url: str, tmp_path: Path, proxy: FaultProxy
) -> None:
    open_shop(tmp_path, url=pg_url).close()
    held = HeldTerminal()
    services = open_shop(
        tmp_path, url=proxy.url(pg_url), terminal="manual", held=held, initialise=False
    )
    till = make_till(services, debounce_s=0)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f10")
        await asyncio.to_thread(held.asked.wait, 10)
        [pending] = payments.pending_payments(services.sales, "1")
        assert pending.status is PaymentStatus.PENDING  # committed before the terminal asked
        proxy.cut()
        held.approve(Money(2190))
        for _ in range(100):  # the terminal's answer meets a dead line
            await pilot.pause(0.02)
            modal = top(pilot)
            if isinstance(modal, CardPaymentScreen) and modal.stage is CardStage.HELD:
                break
        modal = top(pilot)
        assert isinstance(modal, CardPaymentScreen) and modal.stage is CardStage.HELD
        text = str(modal.query_one("#card-box").render())
        assert "databasen svarer ikke – lagres straks den er tilbake" in text
        await pilot.press("escape")  # a held payment cannot be walked away from
        assert top(pilot) is modal
        assert till.checkout.held  # kept in memory, the database still says pending
        proxy.restore()
        for _ in range(300):  # the modal records it by itself (every second)
            await pilot.pause(0.02)
            if not isinstance(top(pilot), CardPaymentScreen):
                break
        await settle(pilot)
        assert not isinstance(top(pilot), CardPaymentScreen)
        assert screen.view.last_event is not None
        assert screen.view.last_event.text.startswith("Betalt")
    assert [(c[1], c[2]) for c in held.calls] == [(Money(2190), pending.reference)]  # once
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    assert [(p.tender, p.amount) for p in tx.payments] == [(TenderKind.CARD, Money(2190))]
    assert payments.pending_payments(services.sales, "1") == []
    services.close()
