"""Receipt documents: golden text at 32/42/48 columns, every R-13 field, R-11/R-14…R-17
markings in double size, nothing wider than the paper and only printable characters."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sale_builders import (
    APPLES,
    AT,
    BOOK,
    CASHIER,
    COFFEE,
    COLA,
    COMPANY,
    MANAGER,
    MILK,
    PIZZA,
    REGISTER,
    complete,
    new_sale,
    ring,
)

from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.document import Barcode, Cut, Document, TextLine, printable
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.transaction import Transaction, TransactionKind, cash_movement
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.core.sales.receipt_blocks import WIDTHS
from omnipos_tui.core.sales.receipt_layout import (
    COPY,
    DELIVERY,
    PROFORMA,
    TRAINING,
    copy_receipt,
    delivery_receipt,
    proforma_receipt,
    report_document,
    sale_receipt,
)

GOLDEN = Path(__file__).parent.parent / "data" / "receipts"
E = CASHIER.number
NAME = "Kari Nordmann"
FJELLSTUA = Customer("K-7", "Fjellstua Kro AS")


def _full_sale() -> Transaction:
    """A sale with pieces, a weight, a line discount, a void, a whole-sale discount, a card
    part payment and cash with change and rounding."""
    sale = new_sale()
    ring(sale, MILK, "2")
    ring(sale, COFFEE)
    ring(sale, APPLES, "0.734")
    ring(sale, COLA)
    ring(sale, BOOK)
    sale.discount_line(2, DiscountSpec.percent_off(Decimal(10), employee=E))
    sale.void_line(4, at=AT, employee=E)
    sale.discount_sale(DiscountSpec.amount_off(Money(500), employee=MANAGER.number))
    sale.pay_card(
        Money(10000),
        terminal_transaction_id="BAX 568833-84887556",
        masked_card="************1234",
        employee=E,
    )
    sale.pay_cash(Money(50000), employee=E)
    return complete(sale, nr=12, receipt_number=9)


def _sale_and_return() -> Transaction:
    original = _full_sale()
    sale = new_sale(sale_id="s-2")
    ring(sale, PIZZA)
    sale.add_return(original, 2, Decimal(1), at=AT, employee=E)
    sale.add_unreferenced_return(
        COLA, Decimal(1), approver=MANAGER, reason="Defekt kork", at=AT, employee=E
    )
    sale.pay_mobile(Money(-1834), transaction_id="VIPPS-778812", employee=E)
    return complete(sale, nr=13, receipt_number=10)


def _return_only() -> Transaction:
    sale = new_sale(sale_id="s-3")
    sale.add_return(_full_sale(), 1, Decimal(2), at=AT, employee=E)
    sale.pay_card(Money(-4334), terminal_transaction_id="R-55", masked_card="****9", employee=E)
    return sale.to_transaction(
        nr=14, receipt_number=1, completed_at=AT, previous_signature="x", receipt_series="return"
    )


def _credit_sale() -> Transaction:
    sale = new_sale(sale_id="s-4")
    ring(sale, PIZZA, "3")
    sale.attach_customer(FJELLSTUA)
    sale.pay_account(employee=E)
    return complete(sale, nr=15, receipt_number=1)


def _training_sale() -> Transaction:
    sale = new_sale(training=True, sale_id="s-5")
    ring(sale, COLA)
    sale.pay_cash(employee=E)
    return complete(sale, nr=16, receipt_number=1)


def _receipt(tx: Transaction, columns: int = 42, **kw: object) -> Document:
    return sale_receipt(
        tx,
        company=COMPANY,
        register=REGISTER,
        employee_name=NAME,
        columns=columns,
        customer=FJELLSTUA if tx.customer else None,
        **kw,  # type: ignore[arg-type]
    )


def _proforma(columns: int = 42) -> Document:
    sale = new_sale(sale_id="s-6")
    ring(sale, PIZZA, "2")
    ring(sale, MILK)
    return proforma_receipt(
        sale,
        company=COMPANY,
        register=REGISTER,
        employee_name=NAME,
        number=4,
        at=AT,
        columns=columns,
    )


def _all_documents(columns: int) -> list[Document]:
    return [
        _receipt(_full_sale(), columns),
        _receipt(_sale_and_return(), columns),
        _receipt(_return_only(), columns),
        _receipt(_credit_sale(), columns),
        _receipt(_training_sale(), columns),
        _receipt(_full_sale(), columns, copy=True),
        _proforma(columns),
    ]


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_full_sales_receipt_matches_its_golden_text(columns: int) -> None:
    expected = (GOLDEN / f"sale_{columns}.txt").read_text(encoding="utf-8")
    assert _receipt(_full_sale(), columns).text() + "\n" == expected


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("sale_and_return_42", lambda: _receipt(_sale_and_return(), 42)),
        ("delivery_32", lambda: _receipt(_credit_sale(), 32)),
        ("proforma_48", lambda: _proforma(48)),
        ("training_copy_32", lambda: _receipt(_training_sale(), 32, copy=True)),
    ],
)
def test_other_receipts_match_their_golden_text(name: str, build: Callable[[], Document]) -> None:
    expected = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    assert build().text() + "\n" == expected


@pytest.mark.parametrize("columns", WIDTHS)
def test_no_line_is_wider_than_the_paper_and_double_lines_fit_half(columns: int) -> None:
    for doc in _all_documents(columns):
        assert doc.columns == columns
        for item in doc.items:
            if isinstance(item, TextLine):
                limit = columns // 2 if item.double else columns
                assert len(item.text) <= limit, (doc.title, item.text)
        assert all(len(line) <= columns for line in doc.text().splitlines())
        assert isinstance(doc.items[-1], Cut)


@pytest.mark.parametrize("columns", WIDTHS)
def test_only_code_page_characters_reach_the_paper(columns: int) -> None:
    for doc in _all_documents(columns):
        text = "".join(i.text for i in doc.items if isinstance(i, TextLine))
        assert printable(text) == text
        assert "\u2013" not in text


def _text(doc: Document) -> str:
    return doc.text()


def _has_pair(doc: Document, label: str, value: str) -> bool:
    return any(line.startswith(label) and line.endswith(value) for line in doc.text().splitlines())


def test_the_seller_name_address_and_org_number_with_mva_are_printed() -> None:
    text = _text(_receipt(_full_sale()))
    for part in ("Butikk AS", "Storgata 1", "0155 Oslo", "Org.nr. 923 609 016 MVA"):
        assert part in text


def test_mva_is_left_out_when_the_seller_is_not_vat_registered() -> None:
    tx = _full_sale()
    doc = sale_receipt(
        tx,
        company=replace(COMPANY, vat_registered=False),
        register=REGISTER,
        employee_name=NAME,
    )
    assert "Org.nr. 923 609 016" in doc.text()
    assert "MVA\n" not in doc.text() and "016 MVA" not in doc.text()


def test_register_receipt_number_employee_and_transaction_are_printed() -> None:
    doc = _receipt(_full_sale())
    assert _has_pair(doc, "Kasse", "Kasse 1 (1)")
    assert _has_pair(doc, "Kvittering nr", "9")
    assert _has_pair(doc, "Betjent av", "Kari Nordmann (1043)")
    assert _has_pair(doc, "Transaksjon", "1-12")


def test_date_and_time_are_norwegian_local_time_across_midnight_in_summer() -> None:
    sale = new_sale()
    ring(sale, MILK)
    sale.pay_card(Money(2190), terminal_transaction_id="T", masked_card="*", employee=E)
    summer = datetime(2026, 6, 30, 22, 15, 5, tzinfo=UTC)
    tx = sale.to_transaction(nr=1, receipt_number=1, completed_at=summer, previous_signature="0")
    assert _has_pair(_receipt(tx), "Dato", "01.07.2026 00:15:05")
    winter = sale.to_transaction(
        nr=1, receipt_number=1, completed_at=AT + timedelta(hours=10), previous_signature="0"
    )
    assert _has_pair(_receipt(winter), "Dato", "28.11.2026 00:30:00")


def test_lines_show_quantity_unit_price_amount_and_discounts() -> None:
    doc = _receipt(_full_sale())
    text = doc.text()
    assert "Tine Lettmelk 1 l" in text
    assert _has_pair(doc, "  2 x 21,90", "43,80")
    assert _has_pair(doc, "  0,734 kg x 34,90/kg", "25,62")
    assert _has_pair(doc, "  Rabatt 10 %", "-5,99")
    assert _has_pair(doc, "  Rabatt på kjøpet", "-3,70")
    assert _has_pair(doc, "Herav rabatt", "-10,99")
    assert "Korrigert linje 4: Coca-Cola 0,5 l" in text
    assert _has_pair(doc, "  -1 x 29,90", "-29,90")


def test_vat_is_printed_per_rate_with_basis_and_amount() -> None:
    tx = _full_sale()
    doc = _receipt(tx)
    vat = tx.vat_by_rate()
    basis, amount = vat["31"]
    row = next(line for line in doc.text().splitlines() if line.startswith("15 %"))
    assert row.split()[2:] == [basis.format(), amount.format()]
    assert any(line.startswith("0 % (5)") for line in doc.text().splitlines())
    # the voided 25 % line leaves nothing to declare at that rate
    assert not any(line.startswith("25 %") for line in doc.text().splitlines())


def test_total_rounding_tenders_change_and_card_details_are_printed() -> None:
    doc = _receipt(_full_sale())
    assert _has_pair(doc, "TOTALT", "467,33")
    assert _has_pair(doc, "Øreavrunding", "-0,33")
    assert _has_pair(doc, "Å BETALE", "467,00")
    assert _has_pair(doc, "Kort", "100,00")
    assert _has_pair(doc, "  Kort", "************1234")
    assert _has_pair(doc, "  Terminal-ID", "BAX 568833-84887556")
    assert _has_pair(doc, "Kontant", "500,00")
    assert _has_pair(doc, "Veksel", "133,00")


def test_vipps_shows_its_transaction_id() -> None:
    doc = _receipt(_sale_and_return())
    assert _has_pair(doc, "Vipps", "-18,34")
    assert _has_pair(doc, "  Vipps-ID", "VIPPS-778812")


def _big(doc: Document) -> list[str]:
    return [i.text for i in doc.items if isinstance(i, TextLine) and i.double]


def test_a_sales_receipt_is_named_at_the_top_and_has_no_marking() -> None:
    doc = _receipt(_full_sale())
    assert doc.text().splitlines()[0].strip() == "Salgskvittering"
    assert _big(doc) == []
    assert doc.title == "Salgskvittering 1-9"


def test_a_mixed_receipt_is_named_sales_and_return_receipt() -> None:
    doc = _receipt(_sale_and_return())
    assert doc.text().splitlines()[0].strip() == "Salgskvittering/Returkvittering"
    assert "Fra kvittering 1-9 linje 2" in doc.text()
    assert "Uten kvittering: Defekt kork" in doc.text()


def test_a_return_receipt_is_named_return_receipt_with_negative_amounts() -> None:
    doc = _receipt(_return_only())
    assert doc.text().splitlines()[0].strip() == "Returkvittering"
    assert _has_pair(doc, "Returkvittering nr", "1")
    assert _has_pair(doc, "TOTALT", "-43,34")
    assert _has_pair(doc, "Kort", "-43,34")


@pytest.mark.parametrize(
    ("build", "marking"),
    [
        (lambda: _receipt(_training_sale()), TRAINING),
        (lambda: _receipt(_credit_sale()), DELIVERY),
        (_proforma, PROFORMA),
        (lambda: _receipt(_full_sale(), copy=True), COPY),
    ],
)
def test_markings_are_double_size_at_top_and_bottom(
    build: Callable[[], Document], marking: str
) -> None:
    doc = build()
    # a compound broken over two lines ("Trenings-" / "kvittering") reads as one word
    printed = re.sub(r"(\w)- (\w)", r"\1\2", " ".join(_big(doc)))
    assert printed.count(printable(marking)) == 2, printed


def test_a_training_receipt_is_not_called_a_sales_receipt_and_opens_no_drawer() -> None:
    doc = _receipt(_training_sale())
    assert "Salgskvittering" not in doc.text()
    assert _has_pair(doc, "Treningskvittering nr", "1")
    assert not doc.kick_drawer
    assert not any(isinstance(i, Barcode) for i in doc.items)


def test_a_delivery_receipt_names_the_customer() -> None:
    tx = _credit_sale()
    doc = delivery_receipt(
        tx, company=COMPANY, register=REGISTER, employee_name=NAME, customer=FJELLSTUA
    )
    assert _has_pair(doc, "Kunde", "Fjellstua Kro AS (K-7)")
    assert _has_pair(doc, "Kreditt", "194,70")
    with pytest.raises(InvalidInput, match="not a credit sale"):
        delivery_receipt(
            _full_sale(),
            company=COMPANY,
            register=REGISTER,
            employee_name=NAME,
            customer=FJELLSTUA,
        )


def test_a_copy_is_marked_names_the_original_and_opens_no_drawer() -> None:
    tx = _full_sale()
    doc = copy_receipt(tx, company=COMPANY, register=REGISTER, employee_name=NAME)
    assert _big(doc) == ["KOPI", "KOPI"]
    assert _has_pair(doc, "Kopi av kvittering", "1-9")
    assert not doc.kick_drawer
    assert _receipt(tx).kick_drawer


def test_a_card_only_sale_does_not_open_the_drawer() -> None:
    sale = new_sale()
    ring(sale, MILK)
    sale.pay_card(Money(2190), terminal_transaction_id="T", masked_card="*", employee=E)
    assert not _receipt(complete(sale)).kick_drawer


def test_the_sales_receipt_ends_with_a_barcode_of_its_receipt_id_for_returns() -> None:
    doc = _receipt(_full_sale())
    codes = [i for i in doc.items if isinstance(i, Barcode)]
    assert codes == [Barcode("1-9", "CODE128")]
    assert not any(isinstance(i, Barcode) for i in _receipt(_return_only()).items)


def test_a_pro_forma_receipt_shows_the_open_sale_and_its_own_number() -> None:
    doc = _proforma()
    assert _has_pair(doc, "Foreløpig kvittering nr", "4")
    assert _has_pair(doc, "TOTALT", "151,70")
    assert "Salgskvittering" not in doc.text()
    assert not doc.kick_drawer


def test_only_32_42_and_48_columns_are_laid_out() -> None:
    with pytest.raises(InvalidInput, match="32, 42 or 48"):
        _receipt(_full_sale(), 40)


def test_a_report_document_lays_out_headings_rows_and_rules() -> None:
    doc = report_document(
        "X-rapport – Kasse 1",
        ["Betalingsmidler", ("Kontant", "1 234,50"), ("Kort", "99,00"), None, ("Sum", "1 333,50")],
        columns=32,
        company=COMPANY,
        register=REGISTER,
    )
    lines = doc.text().splitlines()
    assert lines[0].strip() == "X-rapport - Kasse 1"
    assert "Kontant                 1 234,50" in lines
    assert "Sum                     1 333,50" in lines
    assert "Betalingsmidler" in lines
    assert doc.title == "X-rapport - Kasse 1"
    assert not doc.kick_drawer


def test_a_cash_withdrawal_prints_a_slip_with_its_note_and_no_vat_table() -> None:
    tx = cash_movement(
        kind=TransactionKind.CASH_OUT,
        register_id="1",
        nr=20,
        amount=Money(50000),
        employee=MANAGER.number,
        at=AT,
        receipt_number=2,
        previous_signature="x",
        note="Levert i banken",
    )
    doc = sale_receipt(tx, company=COMPANY, register=REGISTER, employee_name="Per Hansen")
    text = doc.text()
    assert text.splitlines()[0].strip() == "Uttak fra kassen"
    assert "Levert i banken" in text
    assert _has_pair(doc, "TOTALT", "-500,00")
    assert _has_pair(doc, "Kontant", "-500,00")
    assert "Grunnlag" not in text and "Salgskvittering" not in text
    assert not any(isinstance(i, Barcode) for i in doc.items)
