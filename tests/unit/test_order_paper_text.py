"""The order's paper takes its labels from the translation layer (messages.order_paper):
bokmål and English, and none of the words in the core's layout."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sale_builders import COMPANY

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.money import Money
from omnipos_tui.core.orders.order import (
    Address,
    CustomerOrder,
    Delivery,
    OrderLine,
    PaymentState,
)
from omnipos_tui.core.orders.paper import (
    DELIVERY,
    delivery_receipt,
    order_confirmation,
    pick_list,
)
from omnipos_tui.messages.order_paper import WORDS, order_paper_words

NB = order_paper_words("nb")
EN = order_paper_words("en")


def _order() -> CustomerOrder:
    return CustomerOrder(
        number=7,
        channel="web",
        external_id="W-100",
        customer="K-1",
        delivery=Delivery.PICKUP,
        address=Address(),
        payment=PaymentState.PREPAID,
        promised=date(2026, 12, 10),
        created_at=datetime(2026, 12, 6, 12, 0, tzinfo=UTC),
        lines=(
            OrderLine(1, "A-1", "Melk", 2000, Money(2490), "A1", reserved=2000),
            OrderLine(2, "B-2", "Brød", 1000, Money(3990), "B1", expected=date(2026, 12, 9)),
        ),
    )


def test_the_papers_speak_english_when_given_english_words() -> None:
    order = _order()
    confirmation = order_confirmation(order, company=COMPANY, customer=None, words=EN).text()
    picking = pick_list(order, words=EN).text()
    delivery = delivery_receipt(
        order,
        [(order.lines[0], 2000)],
        company=COMPANY,
        register="Kasse 1 (1)",
        employee_name="Kari (1)",
        customer=None,
        at=datetime(2026, 12, 10, 12, 0, tzinfo=UTC),
        words=EN,
    ).text()

    assert "Order confirmation" in confirmation
    assert "Show this at pick-up" in confirmation
    assert "Back-order 1, expected 09.12.2026" in confirmation
    assert "Ordrebekreftelse" not in confirmation
    assert "Pick list order 7" in picking
    assert "Nothing to pick" not in picking
    assert "Back-orders (not in stock)" in picking
    assert "Received by: " in delivery
    assert "Kunde" not in delivery


def test_the_delivery_receipts_legally_fixed_marking_stays_in_every_language() -> None:
    order = _order()
    text = delivery_receipt(
        order,
        [(order.lines[0], 2000)],
        company=COMPANY,
        register="1",
        employee_name="1",
        customer=None,
        at=datetime(2026, 12, 10, 12, 0, tzinfo=UTC),
        words=EN,
    ).text()

    assert DELIVERY == "Utleveringskvittering – IKKJE KVITTERING FOR KJØP"
    assert text.startswith("Utleveringskvittering\n  - IKKJE KVITTERING\n       FOR KJØP\n")


def test_bokmal_words_print_as_before() -> None:
    picking = pick_list(_order(), words=NB).text()

    assert "Plukkliste ordre 7" in picking
    assert "Restordre (ikke på lager)" in picking
    assert "Lager: A1" in picking


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="en, nb"):
        order_paper_words("de")


def test_the_order_paper_words_live_in_the_translation_layer_not_in_the_core() -> None:
    import omnipos_tui.core.orders.paper as layout

    source = Path(layout.__file__).read_text(encoding="utf-8")
    assert [nb for nb, _ in WORDS.values() if nb in source] == []
    assert [en for _, en in WORDS.values() if f'"{en}"' in source] == []
