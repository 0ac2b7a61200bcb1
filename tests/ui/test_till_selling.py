"""The real till on a real SQLite shop: selling and paying with cash (Pilot), each flow
checked in the stored sale, the signed transaction and the journal, not only on screen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import receipts as sale_receipts

from .till_shop import (
    APPLES_456_G,
    COLA,
    KAKAO_PLU,
    MILK,
    drawer,
    log_in,
    make_till,
    open_sale,
    open_shop,
    scan,
    settle,
)


async def test_a_scan_a_typed_plu_and_a_quantity_before_a_scan_ring_up_three_lines(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press(*KAKAO_PLU, "enter")
        await pilot.press("3", "asterisk")
        await scan(pilot, COLA)
        sale = open_sale(till)
        assert [(e.name, e.quantity) for e in sale.entries] == [
            ("Tine Lettmelk 1 l", Decimal(1)),
            ("Kakao Regia 500 g", Decimal(1)),
            ("Coca-Cola 0,5 l", Decimal(3)),
        ]
        assert sale.total() == Money(2190 + 4490 + 3 * 2990)
        assert screen.view.totals.total_text == "156,50"
        assert [r.name for r in screen.view.rows][-1] == "Coca-Cola 0,5 l"
        assert screen.view.last_event is not None
        assert screen.view.last_event.text.startswith("3 × Coca-Cola")
    services.close()


async def test_a_weight_code_rings_up_the_weight_at_the_kilo_price(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, APPLES_456_G)
        (line,) = open_sale(till).lines()
        assert (line.name, line.quantity, line.amount) == (
            "Epler røde",
            Decimal("0.456"),
            Money(3990).times(Decimal("0.456")),
        )
        assert screen.view.rows[0].qty_text == "0,456"
    services.close()


async def test_an_unknown_code_is_a_red_line_and_nothing_is_rung(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, "7040000000001")
        event = screen.query_one("#sale-last-event").render()
        assert "7040000000001" in str(event)
        assert "✗" in str(event)
        assert open_sale(till).entries == ()
    services.close()


async def test_void_takes_the_selected_line_back_with_a_journaled_correction(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, COLA)
        await pilot.press("up", "up", "minus")  # the first up selects the last line
        await pilot.pause()
        sale = open_sale(till)
        assert sale.entries[-1].kind is LineKind.CORRECTION
        assert sale.entries[-1].corrects_line == 1
        assert sale.total() == Money(2990)
        assert screen.view.rows[0].voided
        deletions = list(services.journal.events("1", codes=[EventCode.LINE_DELETE]))
        assert len(deletions) == 1
    services.close()


async def test_cash_over_the_total_is_rounded_completes_and_shows_the_change(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await scan(pilot, COLA)  # 51,80 -> 52,00 in cash
        await pilot.press("plus")
        await pilot.pause()
        assert screen.view.payment is not None
        assert screen.view.payment.cash_text == "52,00"
        await pilot.press("1", "0", "0", "f9")
        await settle(pilot)
        receipt = sale_receipts.last_receipt_id(services.sales, "1")
        assert receipt is not None
        tx = sale_receipts.transaction(services.sales, receipt)
        assert [(p.tender, p.amount) for p in tx.payments] == [(TenderKind.CASH, Money(5200))]
        assert tx.rounding == Money(20)
        assert tx.change() == Money(4800)
        assert screen.view.totals.change_text == "48,00"
        assert screen.view.payment is None
        assert open_sale(till).entries == ()
        assert till.session.sale_id != tx.trans_id
        receipts = list(services.journal.events("1", codes=[EventCode.SALES_RECEIPT]))
        assert len(receipts) == 1
        assert drawer(services).is_open() is True
        printed = services.devices().print_queue.done()
        assert [job.title for job in printed] == [f"Salgskvittering {receipt}"]
    services.close()


async def test_enter_never_pays_and_tender_keys_right_after_a_sale_do_nothing(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services, debounce_s=60.0)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("plus", "enter", "enter")
        await pilot.pause()
        assert sale_receipts.last_receipt_id(services.sales, "1") is None
        assert open_sale(till).payments == ()
        await pilot.press("f9")
        await settle(pilot)
        first = sale_receipts.last_receipt_id(services.sales, "1")
        assert first is not None
        await pilot.press("f9", "f9", "enter", "enter")
        await settle(pilot)
        assert sale_receipts.last_receipt_id(services.sales, "1") == first
        assert screen.view.last_event is not None and screen.view.last_event.ok
        assert len(list(services.journal.events("1", codes=[EventCode.SALES_RECEIPT]))) == 1
    services.close()


async def test_a_sale_is_refused_while_the_drawer_is_open_and_allowed_once_shut(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        drawer(services).open()
        await till.hardware.refresh()
        await scan(pilot, MILK)
        assert open_sale(till).entries == ()
        assert screen.view.warning == "Kassaskuffen er åpen"
        assert "Lukk kassaskuffen" in str(screen.query_one("#sale-last-event").render())
        drawer(services).close()
        await till.hardware.refresh()
        await scan(pilot, MILK)
        assert len(open_sale(till).entries) == 1
    services.close()
