"""The texts of selling, paying, the card modal, the devices and quitting (bokmål, English).

Merged into :data:`omnipos_tui.ui.i18n.TEXTS`; kept apart from the dialogs' table so two
people can add texts at the same time.
"""

from __future__ import annotations

TILL_TEXTS: dict[str, tuple[str, str]] = {
    # --- selling ----------------------------------------------------------------------
    "sale.restored": ("Gjenopprettet salg fra {at}", "Restored sale from {at}"),
    "sale.restored_paid": (
        "Gjenopprettet salg fra {at}: betalt, ikke fullført – {cash} fullfører",
        "Restored sale from {at}: paid, not completed – {cash} completes it",
    ),
    "sale.voided": ("Annullert: {name}", "Voided: {name}"),
    "sale.done": ("Betalt – takk!", "Paid – thank you!"),
    "sale.done_change": ("Betalt – VEKSEL {change}", "Paid – CHANGE {change}"),
    "sale.done_tip": (
        "Betalt – takk! Driks {tip} registrert",
        "Paid – thank you! Tip {tip} recorded",
    ),
    "sale.done_refund": ("Betalt tilbake {amount} – takk!", "Refunded {amount} – thank you!"),
    "sale.no_line": (
        "Ingen linje å endre: skann en vare først",
        "No line to change: scan an item first",
    ),
    "sale.unknown_blocks": (
        "Ukjent strekkode {code}: trykk {void} for å fjerne, eller {ring} for varegruppe",
        "Unknown barcode {code}: press {void} to remove it, or {ring} for a group",
    ),
    "sale.unknown_removed": (
        "Ukjent strekkode {code} fjernet",
        "Unknown barcode {code} removed",
    ),
    "sale.employee_card": (
        "Ansattkort: bruk det i godkjenning (ingen bytte av kasserer her)",
        "Employee card: use it in an approval (no change of cashier here)",
    ),
    "sale.nothing_to_pay": (
        "Ingenting å betale: skann en vare først",
        "Nothing to pay: scan an item first",
    ),
    "sale.all_voided": (
        "Alle linjene er annullert: annuller hele salget med {menu} {item} (leder)",
        "Every line is voided: void the whole sale with {menu} {item} (manager)",
    ),
    "not_available": ("Ikke tilgjengelig ennå", "Not available yet"),
    # --- the payment panel ----------------------------------------------------------
    "tender.cash": ("Kontant", "Cash"),
    "tender.card": ("Kort", "Card"),
    "tender.mobile": ("Vipps", "Vipps"),
    "tender.voucher": ("Gavekort", "Voucher"),
    "tender.account": ("Kundekonto", "Account"),
    "pay.total": ("Å BETALE", "TO PAY"),
    "pay.remaining": ("Gjenstår", "Remaining"),
    "pay.tip": ("+ driks {tip}", "+ tip {tip}"),
    "pay.total_refund": ("Å BETALE TILBAKE", "TO REFUND"),
    "pay.remaining_refund": ("Gjenstår tilbake", "Still to refund"),
    "pay.cash_rounded": ("Kontant avrundet", "Cash rounded"),
    "pay.paid": ("Betalt:", "Paid:"),
    "pay.keys": (
        "{cash} Kontant  {card} Kort  {other} Annet  {esc} Varer",
        "{cash} Cash  {card} Card  {other} Other  {esc} Items",
    ),
    "pay.how": (
        "Beløp + betalingsmåte, eller bare {cash}/{card}",
        "Amount + tender, or just {cash}/{card}",
    ),
    "pay.printer": (
        "Skriveren: {state} – salget fullføres, kvitteringen venter i køen",
        "Printer: {state} – the sale completes, the receipt waits in the queue",
    ),
    # --- the card modal ---------------------------------------------------------------
    "card.title": ("Kortbetaling {amount} kr", "Card payment {amount} kr"),
    "card.status": ("Status: {status}", "Status: {status}"),
    "card.waiting": ("Venter på kunde (PIN)", "Waiting for the customer (PIN)"),
    "card.approved": ("Godkjent", "Approved"),
    "card.declined": ("Avvist: {reason}", "Declined: {reason}"),
    "card.cancelled": ("Avbrutt: {reason}", "Cancelled: {reason}"),
    "card.failed": ("Ikke startet: {reason}", "Not started: {reason}"),
    "card.unknown": (
        "UKJENT – terminalen svarte ikke. Sjekk terminalens journal.",
        "UNKNOWN – the terminal did not answer. Check the terminal's journal.",
    ),
    "card.hint_waiting": (
        "{esc} = be om avbrudd på terminalen   (Enter betaler aldri)",
        "{esc} = ask for a cancel on the terminal   (Enter never pays)",
    ),
    "card.hint_unknown": (
        "1 = betalt på terminalen   2 = ikke betalt (leder)   {check} = sjekk status igjen",
        "1 = paid on the terminal   2 = not paid (manager)   {check} = check status again",
    ),
    "card.hint_done": (
        "{esc} = tilbake; velg en annen betalingsmåte eller prøv igjen",
        "{esc} = back; pick another tender or try again",
    ),
    "card.cancel_on_terminal": (
        "Avbryt på terminalen: trykk den røde tasten der",
        "Cancel on the terminal: press its red key",
    ),
    "card.manager_needed": (
        "«Ikke betalt» krever leder: ansattnummer og PIN, Enter etter hvert",
        "«Not paid» needs a manager: number and PIN, Enter after each",
    ),
    "card.manager_number": ("Leder nr.:", "Manager no.:"),
    "card.manager_pin": ("Leder PIN:", "Manager PIN:"),
    "card.still_unknown": ("Fortsatt ukjent", "Still unknown"),
    "card.resolved_paid": ("Kortbetaling registrert som betalt", "Card payment recorded as paid"),
    "card.resolved_unpaid": ("Kortbetaling: ikke betalt", "Card payment: not paid"),
    "card.no_terminal": ("Ingen kortterminal er satt opp", "No card terminal is configured"),
    "card.held": (
        "Svar fra terminalen mottatt, men databasen svarer ikke – lagres straks den er tilbake",
        "The terminal answered, but the database does not – stored as soon as it is back",
    ),
    "card.hint_held": (
        "Ikke ta betalt på nytt. Kassen prøver selv; {check} = prøv nå",
        "Do not take the payment again. The till keeps trying; {check} = try now",
    ),
    # --- other tenders ----------------------------------------------------------------
    "other.title": ("Annen betaling: {amount}", "Other tender: {amount}"),
    "other.rest": ("resten", "the rest"),
    "other.choices": (
        "1 = Vipps   2 = Gavekort   3 = Kundekonto",
        "1 = Vipps   2 = Voucher   3 = Customer account",
    ),
    "other.voucher_number": ("Gavekortnummer:", "Voucher number:"),
    "other.hint": (
        "Velg med tall, Enter bekrefter nummeret, {esc} avbryter",
        "Pick with a digit, Enter confirms the number, {esc} cancels",
    ),
    # --- devices ----------------------------------------------------------------------
    "drawer.close_first": ("Lukk kassaskuffen", "Close the cash drawer"),
    "warning.drawer_open": ("Kassaskuffen er åpen", "The cash drawer is open"),
    "warning.print_queue": (
        "Kvittering ikke skrevet: {count} (F12 → skriv ut på nytt)",
        "Receipts not printed: {count} (F12 → reprint)",
    ),
    "warning.database_down": (
        "Databasen svarer ikke – salget er tatt vare på; kassen kobler til igjen selv",
        "The database does not answer – the sale is kept; the till reconnects by itself",
    ),
    "warning.database_refused": (
        "Databaseserveren avviser kassen – kontakt tekniker (omnipos doctor)",
        "The database server refuses this till – call a technician (omnipos doctor)",
    ),
    "warning.drawer_failed": (
        "Skuffen åpnet ikke: {reason} – F8 med grunn «Feil»",
        "The drawer did not open: {reason} – F8 with reason «Error»",
    ),
    # --- quitting ---------------------------------------------------------------------
    "quit.title": ("Avslutte kassen?", "Quit the till?"),
    "quit.hint": (
        "1 = avslutt programmet   {esc} = tilbake",
        "1 = quit the program   {esc} = back",
    ),
}
