"""Dialogs on the sale screen, on a real shop: each test checks what the services stored
(journal events, sale lines), not only the screen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind
from omnipos_tui.services.sales import parking
from omnipos_tui.ui.screens.no_sale import NoSaleScreen
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.park import ParkNoteScreen, RecallScreen
from omnipos_tui.ui.screens.price_check import PriceCheckScreen
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.screens.search import SearchScreen

from .dialog_shop import (
    COFFEE,
    COLA,
    MANAGER,
    MANAGER_PIN,
    MILK,
    events,
    log_in,
    open_shop,
    scan,
    settle,
    till_for,
    type_keys,
)


async def test_a_price_check_shows_the_item_sells_nothing_and_is_journaled(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("slash")
        till.app.deliver_scan(scan(COFFEE))
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PriceCheckScreen)
        assert screen.product.name == "Kaffe Evergood 250 g"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        assert till.session.sale().entries == ()
    lookups = events(services, EventCode.PRICE_LOOKUP)
    assert [e.code.predefined for e in lookups] == ["13022"]
    assert "Kaffe Evergood" in lookups[0].text


async def test_a_scan_while_the_price_panel_is_open_closes_it_and_sells(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, MILK)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PriceCheckScreen)
        till.app.deliver_scan(scan(COLA))
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        names = [line.name for line in till.session.sale().lines()]
    assert names == ["Coca-Cola 0,5 l"]
    assert len(events(services, EventCode.PRICE_LOOKUP)) == 1


async def test_an_unknown_code_in_price_check_is_an_inline_refusal(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, "999")
        await pilot.press("slash")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SaleScreen)
        event = screen.view.last_event
    assert events(services, EventCode.PRICE_LOOKUP) == []
    assert event is None or not event.ok


async def test_search_by_letters_with_a_quantity_sells_the_chosen_item(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, "ka")
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        assert [p.name for p in screen.hits.items] == ["Kaffe Evergood 250 g", "Kakao Regia 500 g"]
        await type_keys(pilot, "k 3")
        await pilot.press("asterisk", "down")
        await settle(pilot)
        assert [p.name for p in screen.hits.items] == ["Kakao Regia 500 g"]
        assert screen.quantity == Decimal(3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        sale = till.session.sale()
    assert [(ln.name, sale.quantity_of(ln.line_no)) for ln in sale.lines()] == [
        ("Kakao Regia 500 g", Decimal(3))
    ]


async def test_a_scan_inside_search_sells_the_scanned_item(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f2")
        await type_keys(pilot, "melk")
        assert isinstance(pilot.app.screen, SearchScreen)
        till.app.deliver_scan(scan(COLA))
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        names = [line.name for line in till.session.sale().lines()]
    assert names == ["Coca-Cola 0,5 l"]


async def test_park_with_a_note_then_recall_is_journaled_13010_and_13011(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, MILK)
        await pilot.press("enter")
        await settle(pilot)
        first = till.session.current_sale_id
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ParkNoteScreen)
        till.app.deliver_scan(scan(COLA))  # waits in the queue, never typed into the note
        await type_keys(pilot, "Hansen")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        second = till.session.current_sale_id
        parked = parking.parked(services.sales, "1")
        # The queued scan went to the new sale once the note closed.
        assert [ln.name for ln in till.session.sale().lines()] == ["Coca-Cola 0,5 l"]
        await pilot.press("f5", "enter")  # park the second sale too, without a note
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        recall = pilot.app.screen
        assert isinstance(recall, RecallScreen)
        assert [p.note for p in recall.parked.items] == ["Hansen", ""]
        await pilot.press("enter")
        await settle(pilot)
        assert till.session.current_sale_id == first
        names = [ln.name for ln in till.session.sale().lines()]
    assert second != first
    assert [(p.sale_id, p.note) for p in parked] == [(first, "Hansen")]
    assert names == ["Tine Lettmelk 1 l"]
    assert [e.code.predefined for e in events(services, EventCode.PARK)] == ["13010", "13010"]
    resumed = events(services, EventCode.RESUME)
    assert [e.code.predefined for e in resumed] == ["13011"]
    assert resumed[0].payload["sale_id"] == first


async def test_a_discount_over_the_limit_is_approved_once_by_a_manager_and_both_ids_kept(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, COFFEE)
        await pilot.press("enter", "up")  # select the line: the discount is for it alone
        await type_keys(pilot, "30")
        await pilot.press("f4", "1")
        await settle(pilot)
        override = pilot.app.screen
        assert isinstance(override, OverrideScreen)
        assert "30" in override.action
        await type_keys(pilot, MANAGER)
        await pilot.press("enter")
        await type_keys(pilot, "0000")  # wrong PIN: refused, the modal stays
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is override
        await type_keys(pilot, MANAGER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        line = till.session.sale().lines()[0]
        # The approval was for that one action: the next one asks again.
        await pilot.press("up")
        await type_keys(pilot, "40")
        await pilot.press("f4", "1")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OverrideScreen)
        await pilot.press("escape")
        await settle(pilot)
        after = till.session.sale().lines()[0]
    assert line.discount is not None
    assert line.discount.percent == Decimal(30)
    assert line.discount.employee == "1"
    assert "godkjent av 2" in line.discount.reason
    assert after.discount == line.discount


async def test_a_no_sale_with_a_reason_is_journaled_13005_and_opens_the_drawer(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoSaleScreen)
        await pilot.press("4")
        await type_keys(pilot, "Telling")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, OverrideScreen)  # the shop wants a manager
        await type_keys(pilot, MANAGER)
        await pilot.press("enter")
        await type_keys(pilot, MANAGER_PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        drawer = services.devices().drawer
        assert drawer is not None
        opened = drawer.is_open()
    logged = events(services, EventCode.DRAWER_OPEN_NO_SALE)
    assert [e.code.predefined for e in logged] == ["13005"]
    assert "Annet: Telling" in logged[0].text
    assert (logged[0].employee, logged[0].payload["approved_by"]) == ("1", MANAGER)
    assert opened is True


async def test_an_open_ring_sells_the_amount_in_the_group_of_its_digit(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, "149")
        await pilot.press("comma", "5", "0", "f3", "2")
        await settle(pilot)
        sale = till.session.sale()
    lines = sale.lines()
    assert [(ln.kind, ln.amount.ore) for ln in lines] == [(LineKind.ITEM, 14950)]
    assert lines[0].group_code == "20"


@pytest.mark.slow  # six PIN checks at full hashing cost
async def test_five_wrong_manager_pins_lock_the_manager_and_nothing_is_approved(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await type_keys(pilot, COFFEE)
        await pilot.press("enter", "up")
        await type_keys(pilot, "50")
        await pilot.press("f4", "1")
        await settle(pilot)
        override = pilot.app.screen
        assert isinstance(override, OverrideScreen)
        await type_keys(pilot, MANAGER)
        await pilot.press("enter")
        for _ in range(5):
            await type_keys(pilot, "1111")
            await pilot.press("enter")
            await settle(pilot)
        message = str(override.query_one(".dialog-message").render())
        await type_keys(pilot, MANAGER_PIN)  # the right PIN, but locked now
        await pilot.press("enter")
        await settle(pilot)
        still = pilot.app.screen
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        line = till.session.sale().lines()[0]
    assert "sperret" in message
    assert still is override
    assert line.discount is None
