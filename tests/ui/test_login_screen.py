"""The log-in screen driven with Pilot at 80x24: number, masked PIN, refusals, card scans."""

from __future__ import annotations

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from omnipos_tui.core.ports import Scan
from omnipos_tui.ui.app import OmniposTill
from omnipos_tui.ui.screens.login import LoginScreen
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.widgets import StatusHeader

from .fakes import AppFactory, FakeSale, FakeStaff


def static_text(app: OmniposTill, selector: str) -> str:
    content = app.screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


async def type_keys(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def log_in(pilot: Pilot[None], number: str, pin: str) -> None:
    await type_keys(pilot, number)
    await pilot.press("enter")
    await type_keys(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


async def test_number_and_pin_log_in_and_open_the_sale_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await log_in(pilot, "1043", "1234")
        assert isinstance(app.screen, SaleScreen)
        assert app.employee is not None and app.employee.number == "1043"
        header = app.screen.query_one(StatusHeader).render().plain
        assert header.startswith("Kasse 1 · Kari (1043) · Salg 000123")
        assert header.rstrip().endswith("14:32")


async def test_the_pin_is_masked_and_the_number_is_not(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_keys(pilot, "1043")
        await pilot.press("enter")
        await type_keys(pilot, "1234")
        fields = static_text(app, "#login-fields")
        assert "Ansattnummer:  [1043" in fields
        assert "PIN:           [****_" in fields
        assert "1234" not in fields


async def test_a_wrong_pin_is_refused_inline_and_the_number_kept(
    make_app: AppFactory, staff: FakeStaff
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "1043", "9999")
        assert isinstance(app.screen, LoginScreen)
        assert static_text(app, "#login-error").startswith("Feil ansattnummer eller PIN")
        assert app.screen.number == "1043"
        assert app.screen.pin == ""
        assert app.screen.on_pin
        assert staff.failures["1043"] == 1


async def test_five_wrong_pins_lock_the_employee_with_the_minutes_left(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "1043", "0000")
        for _ in range(4):
            await type_keys(pilot, "0000")
            await pilot.press("enter")
            await settle(pilot)
        await type_keys(pilot, "1234")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert static_text(app, "#login-error") == (
            "Ansatt sperret etter 5 feil PIN: prøv igjen om 5 min"
        )


async def test_enter_on_an_empty_number_asks_for_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert static_text(app, "#login-error") == "Skriv ansattnummeret"
        assert isinstance(app.screen, LoginScreen) and not app.screen.on_pin


async def test_enter_on_an_empty_pin_asks_for_it_without_calling_the_service(
    make_app: AppFactory, staff: FakeStaff
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_keys(pilot, "1043")
        await pilot.press("enter", "enter")
        assert static_text(app, "#login-error") == "Skriv PIN-koden"
        assert staff.calls == []


async def test_escape_clears_both_fields(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_keys(pilot, "1043")
        await pilot.press("enter")
        await type_keys(pilot, "12")
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert (screen.number, screen.pin, screen.on_pin) == ("", "", False)


async def test_backspace_and_arrows_edit_the_fields(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_keys(pilot, "10439")
        await pilot.press("backspace", "down")
        await type_keys(pilot, "1234")
        await pilot.press("up", "backspace")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert (screen.number, screen.pin, screen.on_pin) == ("104", "1234", False)


async def test_letters_never_reach_the_fields(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_keys(pilot, "1a0b")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert screen.number == "10"


async def test_an_employee_card_scan_fills_the_number_and_moves_to_the_pin(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_keys(pilot, "99")
        app.deliver_scan(Scan(code="1043", at=0.0))
        await type_keys(pilot, "1234")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaleScreen)


async def test_the_screen_shows_parked_and_unprinted_counts_day_and_last_z_in_oslo_time(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)):
        info = static_text(app, "#login-info")
        assert "Parkert salg på denne kassen: 2" in info
        assert "Kvittering ikke skrevet: 0" in info
        assert "Dag: 27.11.2026" in info
        assert "Siste Z: 26.11.2026 21:04" in info
        header = app.screen.query_one(StatusHeader).render().plain
        assert header.startswith("OmniPOS · Kasse 1 · Butikk AS")
        assert "SKRIVER● SKUFF● KORT● SKANNER● DB●" in header


async def test_english_by_setting(make_app: AppFactory) -> None:
    app = make_app(language="en")
    async with app.run_test(size=(80, 24)):
        assert "Employee no.:" in static_text(app, "#login-fields")
        assert static_text(app, "#login-hint").startswith("Enter = next field/log in")


async def test_lock_returns_to_log_in_and_the_sale_stays(
    make_app: AppFactory, sale: FakeSale
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "1043", "1234")
        app.deliver_scan(Scan(code="2000", at=0.0))
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.employee is None
        await log_in(pilot, "1043", "1234")
        assert isinstance(app.screen, SaleScreen)
        assert [row.name for row in app.screen.view.rows] == ["Bærepose"]
        assert len(sale.rows) == 1


async def test_ctrl_q_and_ctrl_c_do_not_quit_the_till(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q", "ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, LoginScreen)
