"""The web channel's sales reach the books: a day of prepaid web orders (pulled from the
local WooCommerce peer) becomes one settlement voucher, built by the accounting's voucher
builder, queued once (key WEB-web-<day>) and booked by the same outbox handler and adapter
as the tills' Z reports (here the file adapter), exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from ledger_support import CHARGER
from webshop_support import deliver, receive, web_shop
from woo_peer import KEY, SECRET, WooPeer, running_peer

from omnipos_tui.core.accounting.voucher import SETTLEMENT_KIND
from omnipos_tui.core.clock import business_day
from omnipos_tui.settings import AccountingSettings


@pytest.fixture
def peer() -> Iterator[WooPeer]:
    with running_peer() as server:
        yield server
    assert server.violations == []


def test_a_day_of_web_orders_is_one_voucher_booked_once(tmp_path: Path, peer: WooPeer) -> None:
    books = tmp_path / "books"
    charger = peer.add_product(CHARGER, "USB-lader", stock=0)
    milk = peer.add_product("10001", "Tine Lettmelk 1 l", stock=0)
    services, clock = web_shop(
        tmp_path,
        kind="woocommerce",
        url=peer.url,
        credentials={"consumer_key": KEY, "consumer_secret": SECRET},
        accounting=AccountingSettings(kind="file", directory=str(books)),
    )
    receive(services, **{CHARGER: 5, "10001": 10})
    services.webshop.link(every=True)  # pushes our prices: 199,00 and 21,90
    peer.place_order([(charger, 2)])  # 398,00 at 25 %
    peer.place_order([(milk, 3), (charger, 1)])  # 65,70 at 15 % + 199,00 at 25 %
    unpaid = peer.place_order([(milk, 1)], status="on-hold")  # paid at the pick-up: the till's
    imported = services.webshop.pull_orders().imported
    assert len(imported) == 3 and str(unpaid) in {e for e, _ in imported}
    day = business_day(clock.now())

    preview = services.webshop.settlement.preview(day)  # type: ignore[union-attr]
    assert preview is not None and preview.difference == 0
    by_account = {(p.account, p.debit, p.credit) for p in preview.lines}
    assert ("1943", 66270, 0) in by_account  # 597,00 + 65,70 through the shop's provider
    assert ("3000", 0, 47760) in by_account and ("2700", 0, 11940) in by_account
    assert ("3030", 0, 5713) in by_account and ("2701", 0, 857) in by_account

    services.webshop.settlement.due()  # type: ignore[union-attr]  # the day is not over
    with services.units(read_only=True) as uow:
        assert uow.outbox.get(SETTLEMENT_KIND, f"WEB-web-{day}") is None
    clock.advance(timedelta(days=1))
    assert services.webshop.settlement.due() == [f"WEB-web-{day}"]  # type: ignore[union-attr]
    assert services.webshop.settlement.due() == []  # type: ignore[union-attr]
    assert services.webshop.settlement.settle(day) is None  # type: ignore[union-attr]
    report = deliver(services)
    assert (SETTLEMENT_KIND, f"WEB-web-{day}") in report.far_ids
    written = sorted(p for p in books.rglob("*") if p.is_file())
    assert written and any(f"WEB-web-{day}" in p.read_text(encoding="utf-8") for p in written)
    assert deliver(services).handled == 0  # booked once
    status = services.webshop.status()
    settlement = next(d for d in status.directions if d.direction == "settlement")
    assert day.isoformat() in settlement.detail
    assert json.dumps(preview.to_dict())


def test_an_order_paid_in_the_shop_after_its_day_was_settled_is_in_the_day_it_was_paid(
    tmp_path: Path, peer: WooPeer
) -> None:
    books = tmp_path / "books"
    charger = peer.add_product(CHARGER, "USB-lader", stock=0)
    services, clock = web_shop(
        tmp_path,
        kind="woocommerce",
        url=peer.url,
        credentials={"consumer_key": KEY, "consumer_secret": SECRET},
        accounting=AccountingSettings(kind="file", directory=str(books)),
    )
    receive(services, **{CHARGER: 5})
    services.webshop.link(every=True)
    peer.place_order([(charger, 1)])  # paid at once: 199,00
    late = peer.place_order([(charger, 2)], status="on-hold")  # a bank transfer
    services.webshop.pull_orders()
    first = business_day(clock.now())
    clock.advance(timedelta(days=1))
    assert services.webshop.settlement.due() == [f"WEB-web-{first}"]  # type: ignore[union-attr]
    settled = services.webshop.settlement.preview(first)  # type: ignore[union-attr]
    assert settled is not None
    assert ("1943", 19900, 0) in {(p.account, p.debit, p.credit) for p in settled.lines}
    peer.set_order_status(late, "processing")  # the transfer arrived the next day
    assert len(services.webshop.pull_orders().paid) == 1
    second = business_day(clock.now())
    clock.advance(timedelta(days=1))
    assert services.webshop.settlement.due() == [f"WEB-web-{second}"]  # type: ignore[union-attr]
    paid = services.webshop.settlement.preview(second)  # type: ignore[union-attr]
    assert paid is not None and paid.difference == 0
    assert ("1943", 39800, 0) in {(p.account, p.debit, p.credit) for p in paid.lines}
