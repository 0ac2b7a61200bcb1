"""A sale through the real services on a real SQLite file: ring, correct, discount, pay,
complete; what is stored, journaled, printed and signed."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from ledger_support import (
    BREAD,
    CASHIER,
    COLA,
    MILK,
    cash_sale,
    open_shop,
    tick,
)

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import NotFound, RuleViolation
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind, TransactionKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.services.sales import (
    completion,
    opening,
    payments,
    pricing,
    receipts,
    returns,
    ringing,
)
from omnipos_tui.ui.i18n import Translator, error_text
from omnipos_tui.ui.keymap import keymap_files, load_keymap


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Services, FixedClock, Path]:
    services, clock = open_shop(tmp_path)
    return services, clock, tmp_path / "omnipos.sqlite3"


def _rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as raw:
        return raw.execute(sql, params).fetchall()


def _split_paid_sale(services: Services, clock: FixedClock) -> str:
    """Scan, change quantity, void, discount, then pay 100 cash and the rest by card."""
    sales = services.sales
    sale = opening.resume_or_open(sales, "1", CASHIER)
    for code in (MILK, BREAD, COLA):
        tick(clock)
        ringing.add_item(sales, sale.sale_id, code, employee=CASHIER)
    ringing.change_quantity(sales, sale.sale_id, 1, Decimal(3), employee=CASHIER)  # 3 milk
    ringing.void_line(sales, sale.sale_id, 3, employee=CASHIER)  # no cola after all
    spec = DiscountSpec.percent_off(Decimal(10), employee=CASHIER, reason="skadet")
    pricing.discount_line(sales, sale.sale_id, 2, spec, employee=CASHIER)
    payments.pay(sales, sale.sale_id, TenderKind.CASH, Money.kroner(100), employee=CASHIER)
    rest = opening.current(sales, sale.sale_id).remaining()
    pending = payments.begin_card_payment(sales, sale.sale_id, rest, employee=CASHIER)
    payments.finish_card_payment(
        sales,
        pending.reference,
        CardApproved(rest, transaction_id="T-778899", masked_card="************4242"),
    )
    return sale.sale_id


def test_a_split_paid_sale_is_stored_with_its_lines_payments_and_journal(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, db = shop
    sale_id = _split_paid_sale(services, clock)
    done = completion.complete(services.sales, sale_id, employee=CASHIER)
    tx = done.transaction
    # 3 x 21,90 + 39,90 - 3,99 discount; the cola line and its void cancel out.
    assert tx.total == Money(6570 + 3990 - 399)
    assert [ln.kind for ln in tx.lines] == [LineKind.ITEM] * 3 + [LineKind.CORRECTION]
    assert [p.tender for p in tx.payments] == [TenderKind.CASH, TenderKind.CARD]
    assert tx.paid() == tx.total + tx.rounding
    assert _rows(db, "SELECT nr, total, sale_id FROM cash_transaction") == [(1, 10161, sale_id)]
    stored = _rows(db, "SELECT line_no, kind, amount FROM transaction_line ORDER BY line_no")
    assert [row[2] for row in stored] == [6570, 3591, 2990, -2990]
    assert _rows(db, "SELECT tender, amount, terminal_transaction_id FROM transaction_payment") == [
        ("cash", 10000, ""),
        ("card", 161, "T-778899"),
    ]
    codes = [e.code for e in services.journal.events("1", codes=None)]
    assert codes[-3:] == [EventCode.LINE_DELETE, EventCode.SALES_RECEIPT, EventCode.DRAWER_OPEN]
    events = services.journal.events("1", codes=[EventCode.SALES_RECEIPT, EventCode.DRAWER_OPEN])
    assert {e.trans_id for e in events} == {tx.trans_id}
    assert _rows(db, "SELECT count(*) FROM open_sale") == [(0,)]


def test_the_receipt_carries_every_r13_field(shop: tuple[Services, FixedClock, Path]) -> None:
    services, clock, _ = shop
    done = completion.complete(services.sales, _split_paid_sale(services, clock), employee=CASHIER)
    text = done.documents[0].text()
    for field in (
        "Salgskvittering",
        "Nærbutikken Solsiden AS",
        "Beddingen 16",
        "Org.nr. 921 745 648 MVA",
        "Kasse 1 (1)",
        "Kvittering nr",
        "27.11.2026",
        "Kari Nordmann (1)",
        "Tine Lettmelk 1 l",
        "3 x 21,90",
        "65,70",
        "15 %",
        "Kontant",
        "Kort",
        "T-778899",
        "************4242",
        "101,61",
    ):
        assert field in text, field
    assert done.kick_drawer and done.documents[0].kick_drawer
    assert done.receipt_id == "1-1"


def test_completing_twice_returns_the_first_result_and_writes_nothing_more(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, db = shop
    sale_id = _split_paid_sale(services, clock)
    first = completion.complete(services.sales, sale_id, employee=CASHIER)
    events = len(list(services.journal.events("1")))
    tick(clock)
    again = completion.complete(services.sales, sale_id, employee=CASHIER)
    assert again.transaction == first.transaction
    assert again.documents[0].text() == first.documents[0].text()
    assert len(list(services.journal.events("1"))) == events
    assert _rows(db, "SELECT count(*) FROM cash_transaction") == [(1,)]


def test_the_chain_of_completed_sales_verifies(shop: tuple[Services, FixedClock, Path]) -> None:
    services, clock, _ = shop
    first = cash_sale(services, clock, MILK)
    second = cash_sale(services, clock, BREAD, COLA)
    assert second.transaction.previous_signature == first.transaction.signature
    assert first.transaction.previous_signature == "0"
    [result] = services.journal.verify("1")
    assert result.ok and result.checked == 2


def test_an_unpaid_sale_cannot_be_completed_and_stays_open(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, _, db = shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    with pytest.raises(RuleViolation, match="not paid"):
        completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert _rows(db, "SELECT count(*) FROM cash_transaction") == [(0,)]
    assert opening.current(services.sales, sale.sale_id).total() == Money(2190)


def test_an_unknown_barcode_is_named_and_changes_nothing(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, _, _ = shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    with pytest.raises(NotFound, match="unknown barcode 7040000000001") as refused:
        ringing.add_item(services.sales, sale.sale_id, "7040000000001", employee=CASHIER)
    shipped_keys = Translator("nb", load_keymap(*keymap_files("default")))
    assert error_text(refused.value, shipped_keys).startswith(
        "Ukjent strekkode 7040000000001. Trykk F2"
    )
    assert opening.current(services.sales, sale.sale_id).entries == ()


def test_an_open_sale_comes_back_after_a_restart(tmp_path: Path) -> None:
    services, clock = open_shop(tmp_path)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, quantity=Decimal(2), employee=CASHIER)
    services.close()
    again, _ = open_shop(tmp_path, clock=clock, initialise=False)
    back = opening.resume_or_open(again.sales, "1", CASHIER)
    assert back.sale_id == sale.sale_id
    assert back.total() == Money(4380)


def test_receipt_numbers_are_gapless_in_each_series(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, db = shop
    sales = services.sales
    first = cash_sale(services, clock, MILK, BREAD)
    cash_sale(services, clock, COLA)
    # A pure return: its own series.
    sale = opening.resume_or_open(sales, "1", CASHIER)
    returns.add_return(sales, sale.sale_id, first.receipt_id, 1, Decimal(1), employee=CASHIER)
    payments.pay(sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    returned = completion.complete(sales, sale.sale_id, employee=CASHIER)
    assert returned.transaction.kind is TransactionKind.RETURN
    assert returned.receipt_id == "1-return-1"
    # Training receipts: their own series too.
    services.register.set_training("1", True, employee=CASHIER, approved_by="2")
    training = cash_sale(services, clock, MILK)
    services.register.set_training("1", False, employee=CASHIER, approved_by="2")
    third = cash_sale(services, clock, BREAD)
    assert training.transaction.training and training.receipt_id == "1-training-1"
    assert third.receipt_id == "1-3"
    rows = _rows(db, "SELECT receipt_series, receipt_number, nr FROM cash_transaction ORDER BY nr")
    assert rows == [("sale", 1, 1), ("sale", 2, 2), ("return", 1, 3), ("training", 1, 4),
                    ("sale", 3, 5)]  # fmt: skip
    [result] = services.journal.verify("1")
    assert result.ok and result.checked == 5


def test_only_one_copy_of_a_receipt_is_printed(shop: tuple[Services, FixedClock, Path]) -> None:
    services, clock, _ = shop
    done = cash_sale(services, clock, MILK)
    copy = receipts.copy_receipt(services.sales, done.receipt_id, employee=CASHIER)
    assert "KOPI" in copy.text() and not copy.kick_drawer
    with pytest.raises(RuleViolation, match="copy of receipt 1-1 was printed already"):
        receipts.copy_receipt(services.sales, done.receipt_id, employee=CASHIER)
    copies = list(services.journal.events("1", codes=[EventCode.COPY_RECEIPT]))
    assert [(e.trans_id, e.payload) for e in copies] == [
        ("1-1", {"receipt": "1-1", "amount": 2190})
    ]


def test_a_reprint_of_an_unprinted_receipt_is_the_original_not_a_copy(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, clock, _ = shop
    done = cash_sale(services, clock, MILK)
    reprint = receipts.reprint_original(services.sales, done.receipt_id)
    assert "KOPI" not in reprint.text() and "Salgskvittering" in reprint.text()
    assert not reprint.kick_drawer
    receipts.receipt_not_printed(services.sales, done.receipt_id, employee=CASHIER)
    [event] = services.journal.events("1", codes=[EventCode.NO_PRINT])
    assert event.trans_id == done.transaction.trans_id
    assert receipts.last_receipt_id(services.sales, "1") == "1-1"


def test_a_pro_forma_receipt_is_numbered_journaled_and_sells_nothing(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, _, db = shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, BREAD, employee=CASHIER)
    first = receipts.pro_forma(services.sales, sale.sale_id, employee=CASHIER)
    second = receipts.pro_forma(services.sales, sale.sale_id, employee=CASHIER)
    assert "IKKJE KVITTERING" in first.text() and "Foreløpig kvittering" in first.text()
    assert "Foreløpig kvittering nr" in second.text()
    events = list(services.journal.events("1", codes=[EventCode.PROFORMA_RECEIPT]))
    assert [(e.payload["number"], e.payload["amount"]) for e in events] == [(1, 3990), (2, 3990)]
    assert _rows(db, "SELECT count(*) FROM cash_transaction") == [(0,)]


def test_a_voided_sale_is_registered_signed_and_counted_as_a_void(
    shop: tuple[Services, FixedClock, Path],
) -> None:
    services, _, _ = shop
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, COLA, employee=CASHIER)
    voided = completion.void_sale(services.sales, sale.sale_id, employee=CASHIER, approved_by="2")
    assert voided.transaction.voided and not voided.kick_drawer
    assert "ANNULLERT" in voided.documents[0].text()
    [event] = services.journal.events("1", codes=[EventCode.VOID_RECEIPT])
    assert event.trans_id == voided.transaction.trans_id
    report = services.reports.x_report("1", employee=CASHIER)
    assert (report.voided.count, report.voided.amount, report.total_sales) == (
        1,
        Money(2990),
        Money(0),
    )
    assert services.journal.verify("1")[0].ok
