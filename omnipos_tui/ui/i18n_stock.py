"""The till's stock texts (product info, goods receipt, count mode), bokmål then English.

Kept in their own table so the stock screens can change without touching the others;
``ui/i18n.py`` merges it into ``TEXTS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

STOCK_TEXTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # --- product info (beholdning) ---------------------------------------------------
        "stock.title": ("Lagerbeholdning", "Stock"),
        "stock.scan": ("Skann en vare for å se beholdningen", "Scan an item to see its stock"),
        "stock.location": ("Lagersted", "Location"),
        "stock.on_hand": ("På lager", "On hand"),
        "stock.reserved": ("Reservert", "Reserved"),
        "stock.available": ("Tilgjengelig", "Available"),
        "stock.total": ("Totalt", "Total"),
        "stock.transit": ("Underveis mellom lagre: {quantity}", "In transit: {quantity}"),
        "stock.on_order": ("I bestilling: {quantity}", "On order: {quantity}"),
        "stock.next": (
            "Neste levering: {quantity} fra {supplier}, ventet {date}",
            "Next delivery: {quantity} from {supplier}, expected {date}",
        ),
        "stock.no_date": ("uten avtalt dato", "no date agreed"),
        "stock.none_ordered": ("Ingenting i bestilling", "Nothing on order"),
        "stock.sold": ("Solgt: 7 d {d7}, 30 d {d30}", "Sold: 7 d {d7}, 30 d {d30}"),
        "stock.negative": ("Negativ beholdning: telles ved neste varetelling", "Negative stock"),
        "stock.hint": (
            "Skann en annen vare for dens beholdning   {esc} tilbake til salget",
            "Scan another item for its stock   {esc} back to the sale",
        ),
        "stock.no_line": (
            "Ingen vare valgt: skann en vare",
            "No item selected: scan an item",
        ),
        # --- goods receipt (varemottak) --------------------------------------------------
        "menu.receive": ("Varemottak (leder)", "Goods receipt (manager)"),
        "receive.title": ("Varemottak", "Goods receipt"),
        "receive.order_prompt": (
            "Innkjøpsordre nr (Enter: uten ordre): {typed}_",
            "Purchase order no. (Enter: none): {typed}_",
        ),
        "receive.note_prompt": (
            "Følgeseddel nr (Enter: ingen): {typed}_",
            "Delivery note no. (Enter: none): {typed}_",
        ),
        "receive.scan_prompt": (
            "Skann varene. Antall + Enter retter valgt linje: {typed}_",
            "Scan the items. Quantity + Enter sets the selected line: {typed}_",
        ),
        "receive.order_line": (
            "Ordre {number} fra {supplier}, ventet {date}",
            "Order {number} from {supplier}, expected {date}",
        ),
        "receive.no_order": ("Uten innkjøpsordre", "Without a purchase order"),
        "receive.note": ("Følgeseddel: {note}", "Delivery note: {note}"),
        "receive.col_item": ("Vare", "Item"),
        "receive.col_ordered": ("Bestilt", "Ordered"),
        "receive.col_received": ("Mottatt", "Received"),
        "receive.col_diff": ("Avvik", "Difference"),
        "receive.added": ("{quantity} × {name}", "{quantity} × {name}"),
        "receive.hint": (
            "{post} bokfør mottaket   ↑↓ velg linje   {esc} avbryt",
            "{post} post the receipt   ↑↓ select a line   {esc} cancel",
        ),
        "receive.empty": ("Ingen varer skannet ennå", "No items scanned yet"),
        "receive.discard": (
            "{esc} en gang til forkaster mottaket",
            "{esc} once more discards the receipt",
        ),
        "receive.done": (
            "Varemottak {number}: {lines} linjer bokført",
            "Goods receipt {number}: {lines} lines posted",
        ),
        "receive.approval": ("Varemottak", "Goods receipt"),
        "receive.finish_step": (
            "Skriv ordrenummer og følgeseddel først (Enter hopper over)",
            "Give the order and delivery note first (Enter skips)",
        ),
        "receive.weight": (
            "{name} selges på vekt: skriv vekten, så Enter",
            "{name} is sold by weight: type the weight, then Enter",
        ),
        # --- count mode (varetelling) ----------------------------------------------------
        "menu.count": ("Varetelling (blind)", "Stock count (blind)"),
        "stockcount.title": (
            "Varetelling {number}: {location}",
            "Stock count {number}: {location}",
        ),
        "stockcount.approval": ("Starte varetelling", "Start a stock count"),
        "stockcount.prompt": (
            "Skann hver vare (antall først: 6 og så skann): {typed}_",
            "Scan each item (quantity first: 6 then scan): {typed}_",
        ),
        "stockcount.counted": (
            "{name}: telt {quantity} i alt",
            "{name}: {quantity} counted in all",
        ),
        "stockcount.col_item": ("Vare", "Item"),
        "stockcount.col_counted": ("Telt", "Counted"),
        "stockcount.hint": (
            "{finish} avslutt tellingen (leder)   {esc} pause (tellingen står åpen)",
            "{finish} finish the count (manager)   {esc} pause (the count stays open)",
        ),
        "stockcount.finish_approval": ("Avslutte varetelling", "Finish the stock count"),
        "stockcount.finished": (
            "Varetelling {number} avsluttet: {moves} avvik bokført",
            "Stock count {number} finished: {moves} variances posted",
        ),
        "stockcount.paused": (
            "Varetelling {number} står åpen",
            "Stock count {number} stays open",
        ),
        "stockcount.nothing": ("Ingen varer telt ennå", "Nothing counted yet"),
    }
)
