"""The stock ledger and its balances on both engines: a sale's moves in the sale's own
transaction, returns, corrections, voids and training, weights in thousandths, the moving
average, append-only moves, verify and rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_support import APPLES, BREAD, CASHIER, MANAGER, MILK, cash_sale, open_shop, tick
from stock_support import AverageModel, average, on_hand, post, supplied

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import AppendOnlyViolation, StorageError
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.stock.costing import moving_average
from omnipos_tui.core.stock.moves import DocType, MoveRequest
from omnipos_tui.services.sales import completion, opening, payments, returns, ringing
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.stock import PeeweeStockLedger

Shop = tuple[Services, FixedClock]


@pytest.fixture
def shop(database_url: str, tmp_path: Path) -> Iterator[Shop]:
    url = "" if database_url.startswith("sqlite") else database_url
    services, clock = open_shop(tmp_path, url=url, algorithm="hmac-sha1")
    yield services, clock
    services.close()


def _moves(services: Services, sku: str) -> list[tuple[str, str, int, str, bool]]:
    _, history = services.stock.history(sku)
    return [(m.source, m.target, m.quantity, m.doc_type.value, m.negative) for m in history]


def test_a_completed_sale_moves_its_goods_from_the_shop_floor_to_the_customer(shop: Shop) -> None:
    services, clock = shop
    post(services, supplied("10001", 5000, 1200))
    done = cash_sale(services, clock, MILK, MILK, BREAD)
    assert on_hand(services, "10001") == 3000
    assert on_hand(services, "10002") == -1000
    moves = services.stock.history("10001")[1]
    assert [(m.source, m.target, m.quantity, m.doc_id) for m in moves[:2]] == [
        ("butikk", "customer", 1000, done.transaction.trans_id),
        ("butikk", "customer", 1000, done.transaction.trans_id),
    ]
    assert [m.doc_line for m in moves[:2]] == [2, 1]
    assert moves[0].unit_cost == 1200  # the average at that moment
    assert moves[0].employee == CASHIER and moves[0].register_id == "1"


def test_selling_what_is_not_there_goes_negative_and_flags_the_move(shop: Shop) -> None:
    services, clock = shop
    cash_sale(services, clock, BREAD)
    assert _moves(services, "10002") == [("butikk", "customer", 1000, "sale", True)]
    assert [row.sku for row in services.stock.rows(negative=True)] == ["10002"]


def test_a_return_brings_the_goods_back_to_the_shop_floor(shop: Shop) -> None:
    services, clock = shop
    post(services, supplied("10001", 2000, 1000))
    sold = cash_sale(services, clock, MILK)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    returns.add_return(
        services.sales, sale.sale_id, sold.receipt_id, 1, Decimal(1), employee=CASHIER
    )
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    back = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert on_hand(services, "10001") == 2000
    assert _moves(services, "10001")[0] == ("customer", "butikk", 1000, "sale", False)
    assert services.stock.history("10001")[1][0].doc_id == back.transaction.trans_id
    assert services.stock.show("10001").sold["7d"] == 0  # sold one, took one back


def test_a_voided_line_moves_its_goods_back_in_the_same_transaction(shop: Shop) -> None:
    services, _clock = shop
    post(services, supplied("10001", 3000, 1000))
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    ringing.add_item(services.sales, sale.sale_id, BREAD, employee=CASHIER)
    ringing.void_line(services.sales, sale.sale_id, 1, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert on_hand(services, "10001") == 3000
    assert _moves(services, "10001")[:2] == [
        ("customer", "butikk", 1000, "sale", False),
        ("butikk", "customer", 1000, "sale", False),
    ]


def test_a_voided_sale_and_a_training_sale_move_nothing(shop: Shop) -> None:
    services, clock = shop
    post(services, supplied("10001", 3000, 1000))
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    completion.void_sale(services.sales, sale.sale_id, employee=CASHIER, approved_by=MANAGER)
    services.register.set_training("1", True, employee=MANAGER, approved_by=None)
    cash_sale(services, clock, MILK, MILK)
    assert on_hand(services, "10001") == 3000
    assert len(_moves(services, "10001")) == 1  # the receipt only


def test_a_weighed_product_moves_in_thousandths_of_a_kilo(shop: Shop) -> None:
    services, clock = shop
    post(services, supplied(APPLES, 10_000, 1500))
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    tick(clock)
    ringing.add_item(
        services.sales, sale.sale_id, APPLES, quantity=Decimal("0.352"), employee=CASHIER
    )
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert on_hand(services, APPLES) == 9_648
    assert services.stock.show(APPLES).sold["30d"] == 352


def test_the_sale_and_its_stock_commit_or_fail_together(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, _clock = shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)

    def broken(*args: object, **kwargs: object) -> None:
        raise StorageError("the stock table is unreachable")

    monkeypatch.setattr(PeeweeStockLedger, "post", broken)
    with pytest.raises(StorageError):
        completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    monkeypatch.undo()
    assert list(services.journal.transactions()) == []  # the sale was not stored either
    assert opening.current(services.sales, sale.sale_id).sale_id == sale.sale_id  # still open
    completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert on_hand(services, "10001") == -1000


def test_the_moving_average_follows_each_receipt_and_never_changes_on_a_sale(shop: Shop) -> None:
    services, clock = shop
    model = AverageModel()
    post(services, supplied("10001", 10_000, 1000))
    model.receive([(10_000, 1000)])
    post(services, supplied("10001", 5_000, 1300, line=1), supplied("10001", 1_000, 1701, line=2))
    model.receive([(5_000, 1300), (1_000, 1701)])
    assert average(services, "10001") == model.average == 1138
    cash_sale(services, clock, MILK)
    assert average(services, "10001") == model.average
    assert moving_average(15_000, 1138, 0, 0) == 1138


def test_the_average_restarts_at_the_receipt_cost_when_stock_was_negative(shop: Shop) -> None:
    services, clock = shop
    cash_sale(services, clock, MILK, MILK)  # -2 at cost 0
    post(services, supplied("10001", 10_000, 1250))
    assert average(services, "10001") == 1250
    assert on_hand(services, "10001") == 8_000


def test_moves_cannot_be_changed_or_deleted(shop: Shop) -> None:
    services, _ = shop
    post(services, supplied("10001", 1000, 100))
    db = services.database.db  # type: ignore[attr-defined]
    for statement in ("UPDATE stock_move SET quantity = 5", "DELETE FROM stock_move"):
        with pytest.raises(AppendOnlyViolation), services.units() as uow:
            execute_sql(db, statement)
            uow.commit()
    assert on_hand(services, "10001") == 1000


def test_verify_is_clean_after_work_and_names_each_drift_and_rebuild_repairs_it(
    shop: Shop,
) -> None:
    services, clock = shop
    post(services, supplied("10001", 4000, 1000), supplied("10002", 2000, 2000, line=2))
    cash_sale(services, clock, MILK, BREAD, BREAD, BREAD)
    assert services.stock.verify().clean
    db = services.database.db  # type: ignore[attr-defined]
    with services.units() as uow:
        execute_sql(
            db,
            "UPDATE stock_level SET on_hand = on_hand + 7 WHERE product_id = "
            "(SELECT id FROM product WHERE sku = '10001')",
        )
        execute_sql(db, "UPDATE stock_product SET on_hand = 0")
        uow.commit()
    report = services.stock.verify()
    assert not report.clean
    assert {(d.sku, d.location, d.stored, d.ledger) for d in report.drifts} == {
        ("10001", "butikk", 3007, 3000),
        ("10001", "*", 0, 3000),
        ("10002", "*", 0, -1000),
    }
    assert "10001 location butikk: balance 3007 but the ledger says 3000" in str(report.drifts[0])
    result = services.stock.rebuild(employee=MANAGER)
    assert result.repaired == 3 and result.after.clean
    with services.units(read_only=True) as uow:
        changes = [c for c in uow.changes.recent() if c.entity == "stock_balance"]
    assert {c.key for c in changes} == {"10001@butikk", "10001@*", "10002@*"}
    assert all(c.actor == MANAGER for c in changes)
    journaled = list(services.journal.events("1", codes=[EventCode.MASTER_DATA_CHANGE]))
    assert [e.payload["entity"] for e in journaled][-1] == "stock_balance"
    assert services.stock.rebuild().repaired == 0  # nothing left to repair


def test_moves_for_an_unknown_location_are_refused_and_nothing_is_written(shop: Shop) -> None:
    services, _ = shop
    move = MoveRequest("10001", 1000, "supplier", "kjeller", DocType.RECEIPT, "x", 1, 100)
    with pytest.raises(Exception, match="no location 'kjeller'"):
        post(services, move)
    assert services.stock.verify().moves == 0
