"""A refusal from the services reaches the cashier in the till's language: the bokmål text
on a Norwegian till, the English message on an English one. Real shop, real till."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.settings import ShopSettings
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.widgets.lines import LastEventLine

from .dialog_shop import CASHIER, MILK, log_in, open_shop, scan, settle, till_for, type_keys

UNKNOWN = "7040000000001"


def speaking(services: Services, language: str) -> Services:
    """The same shop with the till set to ``language`` (``shop.language``)."""
    shop = ShopSettings(register_id="1", language=language)
    return replace(services, settings=replace(services.settings, shop=shop))


def sold_for_cash(services: Services) -> str:
    """A completed cash sale of one milk; its receipt id."""
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    return completion.complete(services.sales, sale.sale_id, employee=CASHIER).receipt_id


def last_event_on_screen(screen: object) -> str:
    """The last-event line as drawn (`` ✗ text``)."""
    assert isinstance(screen, SaleScreen)
    return screen.query_one("#sale-last-event", LastEventLine).render().plain


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Kopi av kvittering {receipt} er allerede skrevet ut (bare én er tillatt)."),
        ("en", "opy of receipt {receipt} was printed already (only one)"),
    ],
)
async def test_a_second_copy_receipt_is_refused_in_the_tills_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    services = speaking(open_shop(tmp_path), language)
    receipt = sold_for_cash(services)
    till = till_for(services)
    async with till.app.run_test(size=(100, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f12", "3")
        await settle(pilot)
        await pilot.press("enter")  # the first copy: the last receipt
        await settle(pilot)
        await pilot.press("f12", "3")
        await type_keys(pilot, receipt.split("-")[1])
        await pilot.press("enter")
        await settle(pilot)
        shown = last_event_on_screen(pilot.app.screen)
    assert shown.startswith(" ✗ ")
    assert expected.format(receipt=receipt) in shown
    if language == "nb":
        assert "printed" not in shown


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", f"Ukjent strekkode {UNKNOWN}. Trykk F2 for å søke."),
        ("en", f"nknown barcode {UNKNOWN}"),
    ],
)
async def test_an_unknown_barcode_is_refused_in_the_tills_language_naming_the_search_key(
    tmp_path: Path, language: str, expected: str
) -> None:
    services = speaking(open_shop(tmp_path), language)
    till = till_for(services)
    async with till.app.run_test(size=(100, 24)) as pilot:
        await log_in(pilot)
        till.app.deliver_scan(scan(UNKNOWN))
        await settle(pilot)
        shown = last_event_on_screen(pilot.app.screen)
    assert shown.startswith(" ✗ ")
    assert expected in shown
