"""The till's stock screens on a real SQLite shop (Pilot): the product-info key during a
sale, goods receipt from the F12 menu (a manager; scans go to the receipt, never to the
sale), and blind count mode."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from rich.console import Console, RenderableType

from omnipos_tui.core.stock.documents import OrderStatus, Supplier
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.ui.screens.goods_receipt import GoodsReceiptScreen
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.screens.stock_count import StockCountScreen
from omnipos_tui.ui.screens.stock_info import StockInfoScreen

from .till_shop import (
    COLA,
    MANAGER,
    MANAGER_PIN,
    MILK,
    log_in,
    make_till,
    open_sale,
    open_shop,
    scan,
    settle,
    top,
)


def _text(renderable: RenderableType) -> str:
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _on_hand(services: object, sku: str, location: str = "butikk") -> int:
    from omnipos_tui.bootstrap import Services

    assert isinstance(services, Services)
    stock = services.stock.show(sku)
    return next(loc.on_hand for loc in stock.locations if loc.location == location)


async def test_the_info_key_shows_the_selected_lines_stock_and_next_delivery_in_the_sale(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    services.suppliers.save(Supplier("tine", "Tine SA"))
    services.stock_documents.receive([LineInput("10001", "7")], location="lager")
    order = services.purchasing.new("tine", [LineInput("10001", "24")], expected=date(2026, 12, 2))
    services.purchasing.send(order.number)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("ctrl+b")
        await settle(pilot)
        info = top(pilot)
        assert isinstance(info, StockInfoScreen)
        assert info.stock is not None and info.stock.product.sku == "10001"
        assert "Neste levering: 24 fra tine, ventet 02.12.2026" in _text(info.body())
        assert [loc.on_hand for loc in info.stock.locations] == [0, 7000]
        assert info.stock.next_delivery is not None
        assert info.stock.next_delivery.expected == date(2026, 12, 2)
        await scan(pilot, COLA)  # another item's stock; nothing is sold
        assert info.stock.product.sku == "20001"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
        assert [e.name for e in open_sale(till).entries] == ["Tine Lettmelk 1 l"]
    services.close()


async def test_a_goods_receipt_in_the_till_takes_the_scans_and_posts_against_the_order(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    services.suppliers.save(Supplier("tine", "Tine SA"))
    order = services.purchasing.new("tine", [LineInput("10001", "6"), LineInput("20001", "2")])
    services.purchasing.send(order.number)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)  # a cashier: the manager approves
        await pilot.press("f12", "v")
        await settle(pilot)
        approval = top(pilot)
        assert isinstance(approval, OverrideScreen)
        await pilot.press(*MANAGER, "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        receipt = top(pilot)
        assert isinstance(receipt, GoodsReceiptScreen)
        await pilot.press(*str(order.number), "enter")  # the order
        await pilot.press("F", "-", "9", "enter")  # the delivery note
        for _ in range(5):
            await scan(pilot, MILK)
        await scan(pilot, COLA)
        await scan(pilot, COLA)
        await scan(pilot, COLA)  # one more than ordered
        by_sku = {line.product.sku: line for line in receipt.lines.items}
        assert (by_sku["10001"].ordered, by_sku["10001"].received) == (6000, 5000)
        assert (by_sku["20001"].ordered, by_sku["20001"].received) == (2000, 3000)
        assert open_sale(till).entries == ()  # the scans never reached the sale
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
    stored = services.purchasing.get(order.number)[0]
    assert stored.status is OrderStatus.PARTLY_RECEIVED
    (done,) = services.stock_documents.receipts()
    assert done.delivery_note == "F-9" and done.employee == "1"
    assert _on_hand(services, "10001") == 5000 and _on_hand(services, "20001") == 3000
    services.close()


async def test_count_mode_is_blind_stores_each_scan_and_a_manager_finishes_it(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    services.stock_documents.receive([LineInput("10001", "4"), LineInput("20001", "9")])
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, MANAGER, MANAGER_PIN)
        await pilot.press("f12", "t")
        await settle(pilot)
        counting = top(pilot)
        assert isinstance(counting, StockCountScreen)
        await scan(pilot, MILK)
        await scan(pilot, MILK)
        await pilot.press("6")
        await scan(pilot, COLA)
        body = _text(counting.body())
        assert "Tine Lettmelk" in body and "Coca-Cola" in body
        assert "4" not in body and "9" not in body  # blind: what is expected never shows
        number = counting.count.number
        assert services.stock_documents.count(number).lines[0].counted == 2000  # stored at once
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(top(pilot), SaleScreen)
    assert _on_hand(services, "10001") == 2000 and _on_hand(services, "20001") == 6000
    assert services.stock.verify().clean
    services.close()
