"""The till's customer order texts (the F12 order list, a new order, the pick-up),
bokmål then English. Kept in their own table; ``ui/i18n.py`` merges it into ``TEXTS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ORDER_TEXTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "menu.orders": (
            "Kundeordre: hentes i dag, forsinket, ny",
            "Customer orders: pick-ups, late, new",
        ),
        # --- the order list ----------------------------------------------------------------
        "orders.title": ("Kundeordre", "Customer orders"),
        "orders.pickups": ("Hentes i butikken ({count})", "Pick-ups in the shop ({count})"),
        "orders.late": ("Forsinket ({count})", "Late ({count})"),
        "orders.none": ("Ingen ordre venter", "No orders waiting"),
        "orders.col_no": ("Nr", "No."),
        "orders.col_customer": ("Kunde", "Customer"),
        "orders.col_status": ("Status", "Status"),
        "orders.col_promised": ("Lovet", "Promised"),
        "orders.col_total": ("Beløp", "Amount"),
        "orders.prompt": (
            "Skann ordrens strekkode eller skriv nummeret: {typed}_",
            "Scan the order's barcode or type its number: {typed}_",
        ),
        "orders.hint": (
            "{enter} hent valgt/skrevet ordre  {new} ny ordre  {picklist} plukkliste  "
            "{confirmation} ordrebekreftelse  {esc} tilbake",
            "{enter} pick up the chosen order  {new} new order  {picklist} pick list  "
            "{confirmation} confirmation  {esc} back",
        ),
        "orders.status.open": ("restordre", "back-ordered"),
        "orders.status.reserved": ("reservert", "reserved"),
        "orders.status.picked": ("plukket", "picked"),
        "orders.status.packed": ("pakket", "packed"),
        "orders.status.shipped": ("sendt", "shipped"),
        "orders.status.delivered": ("levert", "delivered"),
        "orders.status.picked_up": ("hentet", "picked up"),
        "orders.status.cancelled": ("kansellert", "cancelled"),
        "orders.prepaid": ("betalt", "paid"),
        # --- a new order ----------------------------------------------------------------------
        "order_entry.title": ("Ny kundeordre for {customer}", "New customer order for {customer}"),
        "order_entry.prompt": (
            "Skann eller skriv varenummer (antall * først): {typed}_",
            "Scan or type an article number (quantity * first): {typed}_",
        ),
        "order_entry.empty": ("Ingen varer ennå", "No items yet"),
        "order_entry.col_item": ("Vare", "Item"),
        "order_entry.col_qty": ("Antall", "Qty"),
        "order_entry.col_available": ("Ledig", "Available"),
        "order_entry.col_price": ("Pris", "Price"),
        "order_entry.added": ("{quantity} × {name}", "{quantity} × {name}"),
        "order_entry.weight": (
            "{name} selges per kg: skriv vekten og * før du skanner",
            "{name} is sold by the kg: type the weight and * before scanning",
        ),
        "order_entry.hint": (
            "{create} lag ordren (hentes i butikken, betales ved henting)  {void} fjern valgt  "
            "{esc} avbryt",
            "{create} make the order (pick-up, paid at the pick-up)  {void} remove chosen  "
            "{esc} cancel",
        ),
        "order_entry.discard": (
            "Trykk {esc} igjen for å forkaste ordren",
            "Press {esc} again to discard the order",
        ),
        # --- outcomes on the sale screen ------------------------------------------------------
        "orders.created": (
            "Ordre {number} laget for {customer}: ordrebekreftelse og plukkliste skrives ut",
            "Order {number} made for {customer}: confirmation and pick list printing",
        ),
        "orders.back_ordered": (
            "{count} linje(r) i restordre",
            "{count} line(s) back-ordered",
        ),
        "orders.in_sale": (
            "Ordre {number} ({customer}) hentet inn i salget: {lines} linje(r) – ta betalt",
            "Order {number} ({customer}) is in the sale: {lines} line(s) – take payment",
        ),
        "orders.handed_over": (
            "Ordre {number} utlevert: utleveringskvittering skrives ut",
            "Order {number} handed over: delivery receipt printing",
        ),
        "orders.printing": (
            "{what} for ordre {number} skrives ut",
            "{what} for order {number} printing",
        ),
        "orders.picklist": ("Plukkliste", "Pick list"),
        "orders.confirmation": ("Ordrebekreftelse", "Order confirmation"),
        "orders.choose": ("Velg en ordre først", "Choose an order first"),
        "orders.training": (
            "Ingen kundeordre i treningsmodus",
            "No customer orders in training mode",
        ),
    }
)
