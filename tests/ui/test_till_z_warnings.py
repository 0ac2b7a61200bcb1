"""Before a Z report at the till (issue 10, item 5), on the real till over a real SQLite
shop: today's Z already taken is said at once, before any counting; a Z while the shop is
still open, or one that would close today with yesterday's sales, asks first."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from textual.pilot import Pilot

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.settings import TillSettings
from omnipos_tui.ui.screens.cash_count import CashCountScreen, ReportScreen
from omnipos_tui.ui.screens.confirm import ConfirmScreen
from omnipos_tui.ui.screens.sale import SaleScreen

from .dialog_shop import CASHIER, COLA, log_in, open_shop, settle, till_for


def sell_for_cash(services: Services) -> None:
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, COLA, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(services.sales, sale.sale_id, employee=CASHIER)


async def take_z(pilot: Pilot[None]) -> None:
    """Count nothing and take the Z; close the report."""
    assert isinstance(pilot.app.screen, CashCountScreen)
    await pilot.press("end", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportScreen)
    await pilot.press("escape")
    await settle(pilot)


def refusal(pilot: Pilot[None]) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, SaleScreen)
    event = screen.view.last_event
    assert event is not None and not event.ok
    return event.text


async def test_a_second_z_the_same_day_is_refused_before_the_cash_is_counted(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    sell_for_cash(services)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        await take_z(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)  # no cash count first
        assert refusal(pilot).startswith(
            "Z-rapporten for 27.11.2026 er allerede tatt (kl. 13:00): én per kasse per dag."
        )
    assert len(services.reports.reports("1", "Z", date(2026, 11, 27))) == 1
    services.close()


async def test_a_z_while_the_shop_is_still_open_asks_first_and_esc_takes_none(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path, till=TillSettings(closes_at="21:00"))
    sell_for_cash(services)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        ask = pilot.app.screen
        assert isinstance(ask, ConfirmScreen)
        assert ask.lines[0] == "Butikken stenger først kl. 21:00."
        assert "avslutter forretningsdagen 27.11.2026" in ask.lines[-1]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SaleScreen)
        assert services.reports.last_z("1") is None
        await pilot.press("f12", "2")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await take_z(pilot)
    assert services.reports.last_z("1") is not None
    services.close()


async def test_a_z_after_midnight_over_yesterdays_sales_asks_first(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.current = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)  # 20:00 in Oslo
    sell_for_cash(services)
    clock.current = datetime(2026, 11, 28, 2, 39, tzinfo=UTC)  # 03:39 the next day
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        ask = pilot.app.screen
        assert isinstance(ask, ConfirmScreen)
        assert (
            ask.lines[0] == "Salgene i rapporten er fra 27.11.2026, men Z nå avslutter 28.11.2026."
        )
        await pilot.press("enter")  # Enter never confirms
        assert pilot.app.screen is ask
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CashCountScreen)
    services.close()


async def test_a_z_at_closing_over_todays_sales_asks_nothing(tmp_path: Path) -> None:
    services = open_shop(tmp_path, till=TillSettings(closes_at="12:30"))
    sell_for_cash(services)
    till = till_for(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "2")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CashCountScreen)
    services.close()
