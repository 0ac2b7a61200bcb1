"""The labels of the order's paper (confirmation, pick list, delivery receipt): code ->
(bokmål, English), and :func:`order_paper_words`, which hands them to the paper's layout
(``core.orders.paper``) in the till's language. Words, not messages: they are not in the
error-text catalogue. The delivery receipt's legally fixed marking stays in the core."""

from __future__ import annotations

from omnipos_tui.core.orders.paper import OrderPaperWords
from omnipos_tui.core.sales.display_text import check_language

WORDS: dict[str, tuple[str, str]] = {
    "order_paper.confirmation": ("Ordrebekreftelse", "Order confirmation"),
    "order_paper.pick_list": ("Plukkliste", "Pick list"),
    "order_paper.order": ("ordre", "order"),
    "order_paper.order_no": ("Ordre nr", "Order no"),
    "order_paper.date": ("Dato", "Date"),
    "order_paper.order_in": ("Ordre i", "Order in"),
    "order_paper.customer": ("Kunde", "Customer"),
    "order_paper.phone": ("Telefon", "Phone"),
    "order_paper.delivery": ("Levering", "Delivery"),
    "order_paper.pickup": ("Hentes i butikken", "Pick-up in the shop"),
    "order_paper.ship": ("Sendes", "Shipped"),
    "order_paper.ready_for_pickup": ("Klar til henting", "Ready for pick-up"),
    "order_paper.ship_by": ("Sendes innen", "Shipped by"),
    "order_paper.back_order": ("Restordre", "Back-order"),
    "order_paper.expected": ("ventes", "expected"),
    "order_paper.total": ("TOTALT", "TOTAL"),
    "order_paper.payment": ("Betaling", "Payment"),
    "order_paper.prepaid": ("Betalt på forhånd", "Paid in advance"),
    "order_paper.pay_at_pickup": ("Betales ved henting", "Paid at pick-up"),
    "order_paper.on_account": ("På kundens konto (faktura)", "On the customer's account (invoice)"),
    "order_paper.show_at_pickup": ("Vis denne ved henting", "Show this at pick-up"),
    "order_paper.promised": ("Lovet", "Promised"),
    "order_paper.location": ("Lager", "Location"),
    "order_paper.quantity": ("Antall", "Quantity"),
    "order_paper.nothing_to_pick": ("Ingenting å plukke", "Nothing to pick"),
    "order_paper.not_in_stock": ("Restordre (ikke på lager)", "Back-orders (not in stock)"),
    "order_paper.unknown": ("ukjent", "unknown"),
    "order_paper.register": ("Kasse", "Register"),
    "order_paper.handed_by": ("Utlevert av", "Handed over by"),
    "order_paper.value": ("Verdi", "Value"),
    "order_paper.received_by": ("Mottatt av", "Received by"),
}

_LANGUAGES = {"nb": 0, "en": 1}


def order_paper_words(language: str) -> OrderPaperWords:
    """The order paper's labels in ``language`` ("nb" or "en").

    Raises:
        ConfigError: Another language (naming the ones there are).
    """
    check_language(language, tuple(_LANGUAGES))
    index = _LANGUAGES[language]
    return OrderPaperWords(
        **{code.removeprefix("order_paper."): texts[index] for code, texts in WORDS.items()}
    )
