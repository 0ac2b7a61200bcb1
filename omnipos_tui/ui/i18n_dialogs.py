"""The texts of the till's dialogs (bokmål, English): search, price check, returns, park and
recall, discount, open ring, no-sale, the F12 menu, the Z count and the manager override.

Merged into :data:`omnipos_tui.ui.i18n.TEXTS`; kept apart from the selling texts so two
people can add texts at the same time.
"""

from __future__ import annotations

DIALOG_TEXTS: dict[str, tuple[str, str]] = {
    # --- manager override -------------------------------------------------------------
    "override.title": ("Krever godkjenning: {action}", "Needs approval: {action}"),
    "override.action": ("Handling:", "Action:"),
    "override.hint": (
        "Leder: ansattnummer (eller skann ledekort) og PIN, {enter} godkjenner   {esc} avbryter",
        "Manager: employee number (or scan manager card) and PIN, {enter} approves   {esc} cancels",
    ),
    "override.failed": (
        "Feil nummer eller PIN (feilforsøk telles)",
        "Wrong number or PIN (failures are counted)",
    ),
    "override.not_manager": (
        "Ansatt {number} kan ikke godkjenne: leder trengs",
        "Employee {number} cannot approve: a manager is needed",
    ),
    "override.cancelled": ("Godkjenning avbrutt: ingenting endret", "Approval cancelled"),
    # --- price check --------------------------------------------------------------------
    "price.title": ("Prissjekk – selges ikke", "Price check – not sold"),
    "price.item": ("Vare", "Item"),
    "price.price": ("Pris", "Price"),
    "price.per_kg": ("per kg", "per kg"),
    "price.group": ("Varegruppe", "Group"),
    "price.vat": ("MVA", "VAT"),
    "price.sku": ("Varenummer", "Article no."),
    "price.inactive": ("Utgått: kan ikke selges", "Discontinued: cannot be sold"),
    "price.hint": (
        "{esc} lukker   Neste skann lukker og selges som vanlig",
        "{esc} closes   The next scan closes this and is sold as usual",
    ),
    # --- search -------------------------------------------------------------------------
    "search.title": ("Søk vare – navn, merke eller varenummer", "Find item – name or number"),
    "search.sku": ("Varenr", "Article"),
    "search.hint": (
        "Skriv for å søke  ↑↓ PgUp PgDn velg  {enter} selg  n {quantity} antall  "
        "skann = selg  {esc} tilbake   Treff: {count}",
        "Type to search  ↑↓ PgUp PgDn choose  {enter} sell  n {quantity} quantity  "
        "scan = sell  {esc} back   Hits: {count}",
    ),
    "search.no_hits": ("Ingen varer passer «{text}»", "No item matches «{text}»"),
    "search.nothing": ("Ingen vare valgt: skriv mer eller velg med ↑↓", "No item chosen"),
    "search.quantity_first": (
        "Skriv antallet først, så {quantity} (f.eks. 3 {quantity})",
        "Type the quantity first, then {quantity} (e.g. 3 {quantity})",
    ),
    # --- park and recall ----------------------------------------------------------------
    "park.title": ("Parker salg {total}", "Park sale {total}"),
    "park.question": (
        "Notat til salget (valgfritt), f.eks. kundens navn:",
        "A note for the sale (optional), e.g. the customer's name:",
    ),
    "park.hint": (
        "{enter} parker (uten notat: bare {enter})   {esc} avbryter",
        "{enter} parks (no note: just {enter})   {esc} cancels",
    ),
    "park.done": ("Parkert: {total}", "Parked: {total}"),
    "recall.title": ("Parkerte salg ({count})", "Parked sales ({count})"),
    "recall.none": ("Ingen parkerte salg", "No parked sales"),
    "recall.time": ("Parkert", "Parked"),
    "recall.cashier": ("Ansatt", "Staff"),
    "recall.note": ("Notat", "Note"),
    "recall.lines": ("Linjer", "Lines"),
    "recall.till": ("Kasse", "Till"),
    "recall.hint": (
        "↑↓ velg   {enter} hent   {esc} lukk",
        "↑↓ choose   {enter} recall   {esc} close",
    ),
    "recall.done": ("Hentet parkert salg: {total}", "Recalled parked sale: {total}"),
    # --- returns --------------------------------------------------------------------------
    "return.title": ("Retur – kvittering {receipt}", "Return – receipt {receipt}"),
    "return.sold": ("Solgt", "Sold"),
    "return.before": ("Retur", "Back"),
    "return.left": ("Igjen", "Left"),
    "return.back": ("Tas", "Take"),
    "return.hint": (
        "↑↓ linje  n {quantity} antall ({quantity} alene: alt)  {enter} legg til retur  "
        "{esc} avbryt",
        "↑↓ line  n {quantity} quantity ({quantity} alone: all)  {enter} add the return  "
        "{esc} cancel",
    ),
    "return.too_many": ("Bare {left} igjen å returnere", "Only {left} left to return"),
    "return.nothing_left": ("Linje {line} er returnert alt", "Line {line} is all returned"),
    "return.pick_first": (
        "Velg linje og antall med n {quantity} først",
        "Choose a line and a quantity with n {quantity} first",
    ),
    "return.none": (
        "Kvitteringen har ingen varer som kan returneres",
        "The receipt has no items to return",
    ),
    "return.added": ("Retur lagt til: {count} linje(r)", "Return added: {count} line(s)"),
    "return.loose_title": (
        "Retur uten kvittering – krever leder",
        "Return without receipt – needs a manager",
    ),
    "return.item": ("Vare", "Item"),
    "return.loose_hint": (
        "Skann varen eller skriv varenummer + {enter}; n {quantity} antall   {esc} avbryt",
        "Scan the item or type its number + {enter}; n {quantity} quantity   {esc} cancel",
    ),
    "return.loose_reason_hint": (
        "Velg årsak 1-4   {esc} tilbake",
        "Pick a reason 1-4   {esc} back",
    ),
    "return.reason_faulty": ("Defekt vare", "Faulty item"),
    "return.reason_regret": ("Angrer kjøpet", "Changed mind"),
    "return.reason_wrong": ("Feil vare", "Wrong item"),
    "return.reason_other": ("Annet", "Other"),
    # --- discount and open ring -------------------------------------------------------------
    "discount.done_line": ("Rabatt gitt på linje {line}", "Discount given on line {line}"),
    "discount.done_sale": ("Rabatt gitt på hele salget", "Discount given on the whole sale"),
    "group.title": ("Varegruppe for {amount}", "Article group for {amount}"),
    "group.hint": (
        "Gruppens nummer (1-{count})   ↑↓ og {enter} velger   {esc} avbryter",
        "The group's number (1-{count})   ↑↓ and {enter} pick   {esc} cancels",
    ),
    "group.no_such": (
        "Ingen gruppe {number}: velg 1-{count}",
        "No group {number}: pick 1-{count}",
    ),
    "group.none": ("Ingen varegrupper er satt opp", "No article groups are set up"),
    "group.sold": ("{group}  {amount}", "{group}  {amount}"),
    # --- no sale -----------------------------------------------------------------------------
    "nosale.title": ("Åpne skuff uten salg – årsak", "Open drawer without a sale – reason"),
    "nosale.change": ("Veksling", "Change"),
    "nosale.check": ("Kontroll", "Check"),
    "nosale.error": ("Feil", "Error"),
    "nosale.other": ("Annet", "Other"),
    "nosale.hint": (
        "Velg årsak 1-4 (4: skriv tekst og {enter})   {esc} avbryter",
        "Pick a reason 1-4 (4: type a text and {enter})   {esc} cancels",
    ),
    "nosale.pick": ("Velg 1-4 ({esc} avbryter)", "Pick 1-4 ({esc} cancels)"),
    "nosale.need_text": ("Skriv årsaken og trykk {enter}", "Type the reason and press {enter}"),
    "nosale.opened": ("Skuff åpnet: {reason}", "Drawer opened: {reason}"),
    "drawer.training_shut": (
        "{text} (trening: skuffen åpnes ikke)",
        "{text} (training: the drawer stays shut)",
    ),
    "drawer.none": ("{text} – ingen skuff er satt opp", "{text} – no drawer is set up"),
    "drawer.failed": (
        "{text} – skuffen åpnet ikke: {error}",
        "{text} – the drawer did not open: {error}",
    ),
    # --- the F12 menu ------------------------------------------------------------------------
    "menu.title": ("Meny", "Menu"),
    "menu.x": ("X-rapport (skriv ut)", "X report (print)"),
    "menu.z": (
        "Z-rapport – dagsavslutning med opptelling",
        "Z report – close the day with a count",
    ),
    "menu.copy": ("Kopi av kvittering (én gang)", "Copy of a receipt (once)"),
    "menu.proforma": ("Foreløpig kvittering for salget", "Pro forma receipt of the sale"),
    "menu.training_on": ("Treningsmodus på (leder)", "Training mode on (manager)"),
    "menu.training_off": ("Treningsmodus av (leder)", "Training mode off (manager)"),
    "menu.cash_in": ("Innskudd i kassen", "Cash in"),
    "menu.cash_out": ("Uttak fra kassen", "Cash out"),
    "menu.reprint": ("Utskriftskø ({count})", "Print queue ({count})"),
    "menu.hardware": ("Maskinvarestatus", "Hardware status"),
    "menu.customer": ("Legg kunde til salget", "Attach a customer to the sale"),
    "menu.void_sale": ("Annuller hele salget (leder)", "Void the whole sale (manager)"),
    "menu.lock": ("Lås kassen (salget blir stående)", "Lock the till (the sale stays)"),
    "menu.log_out": ("Logg ut", "Log out"),
    "menu.hint": (
        "Tast nummeret, eller ↑↓ og {enter}   {esc} lukker",
        "Type the number, or ↑↓ and {enter}   {esc} closes",
    ),
    "menu.x_done": ("X-rapport nr {number} tatt", "X report no. {number} made"),
    "menu.z_blocked": (
        "Z kan ikke tas: {parked} parkert(e) salg og {pending} kortbetaling(er) venter – "
        "hent og fullfør dem først",
        "No Z yet: {parked} parked sale(s) and {pending} card payment(s) waiting – "
        "finish them first",
    ),
    "menu.z_done": ("Z-rapport nr {number} tatt", "Z report no. {number} made"),
    "menu.copy_done": (
        "Kopi av kvittering {receipt} skrives ut",
        "Copy of receipt {receipt} printing",
    ),
    "menu.no_receipt": ("Ingen kvittering å kopiere ennå", "No receipt to copy yet"),
    "menu.proforma_done": ("Foreløpig kvittering skrives ut", "Pro forma receipt printing"),
    "menu.training_now_on": ("Treningsmodus er PÅ", "Training mode is ON"),
    "menu.training_now_off": ("Treningsmodus er AV", "Training mode is OFF"),
    "menu.cash_in_done": ("Innskudd {amount} registrert", "Cash in {amount} recorded"),
    "menu.cash_out_done": ("Uttak {amount} registrert", "Cash out {amount} recorded"),
    "menu.print_queued": (
        "Ikke skrevet ut ({error}): ligger i utskriftskøen",
        "Not printed ({error}): waiting in the print queue",
    ),
    "menu.customer_done": ("Kunde lagt til: {name}", "Customer attached: {name}"),
    # --- before a Z report ---------------------------------------------------------------
    "z.taken": (
        "Z-rapporten for {day} er allerede tatt (kl. {at}): én per kasse per dag. "
        "Neste Z kan tas i morgen.",
        "The Z report for {day} was taken already (at {at}): one per till per day. "
        "The next Z can be taken tomorrow.",
    ),
    "z.early_title": (
        "Dagen ser ikke ferdig ut – ta Z nå?",
        "The day does not look finished – Z now?",
    ),
    "z.shop_open": (
        "Butikken stenger først kl. {closes}.",
        "The shop does not close until {closes}.",
    ),
    "z.earlier_sales": (
        "Salgene i rapporten er fra {sold}, men Z nå avslutter {day}.",
        "The sales in the report are from {sold}, but a Z now closes {day}.",
    ),
    "z.closes_day": (
        "Z-rapporten avslutter forretningsdagen {day}: salg senere i dag kommer på neste "
        "dags Z, og en ny Z i dag er ikke mulig.",
        "The Z report closes the business day {day}: sales later today go on the next "
        "day's Z, and another Z today is not possible.",
    ),
    "z.yes": ("ta Z-rapporten likevel", "take the Z report anyway"),
    # --- voiding the whole sale ----------------------------------------------------------
    "void.title": ("Annullere hele salget?", "Void the whole sale?"),
    "void.lines": (
        "{lines} linjer ({live} ikke annullert), sum {total}",
        "{lines} lines ({live} not voided), total {total}",
    ),
    "void.what": (
        "Salget blir en annullert kvittering: nummerert, signert og talt som annullering "
        "på X/Z, aldri som salg. En leder godkjenner.",
        "The sale becomes a voided receipt: numbered, signed and counted as a void on "
        "X/Z, never as a sale. A manager approves.",
    ),
    "void.yes": ("annuller salget", "void the sale"),
    "void.done": ("Salget er annullert (kvittering {receipt})", "Sale voided (receipt {receipt})"),
    "void.nothing": ("Ingenting å annullere: salget er tomt", "Nothing to void: the sale is empty"),
    # --- confirmations ---------------------------------------------------------------------
    "confirm.hint": ("1 = {yes}   {esc} = nei", "1 = {yes}   {esc} = no"),
    # --- small inputs ------------------------------------------------------------------------
    "input.receipt": (
        "Kvitteringsnummer (bare {enter}: siste kvittering {last})",
        "Receipt number (just {enter}: the last receipt {last})",
    ),
    "input.amount": ("Beløp:", "Amount:"),
    "input.reason": ("Årsak:", "Reason:"),
    "input.amount_hint": (
        "Skriv beløpet, {enter}; så årsaken, {enter}   {esc} avbryter",
        "Type the amount, {enter}; then the reason, {enter}   {esc} cancels",
    ),
    "input.receipt_hint": (
        "Skriv eller skann kvitteringsnummeret, {enter}   {esc} avbryter",
        "Type or scan the receipt number, {enter}   {esc} cancels",
    ),
    "input.need_reason": ("Skriv en årsak", "Type a reason"),
    # --- print queue and hardware ------------------------------------------------------------
    "queue.title": ("Utskriftskø", "Print queue"),
    "queue.empty": ("Køen er tom: alt er skrevet ut", "The queue is empty: everything printed"),
    "queue.job": ("Dokument", "Document"),
    "queue.status": ("Status", "Status"),
    "queue.error": ("Feil", "Error"),
    "queue.hint": (
        "↑↓ velg  {enter} skriv ut igjen (originalen)  {void} forkast  {esc} lukk",
        "↑↓ choose  {enter} print again (the original)  {void} discard  {esc} close",
    ),
    "queue.discard_ask": (
        "Forkaste {title}? Den skrives aldri ut. Trykk {void} igjen",
        "Discard {title}? It will never print. Press {void} again",
    ),
    "queue.discarded": (
        "Forkastet, aldri skrevet ut: {title}",
        "Discarded, never printed: {title}",
    ),
    "queue.printed": ("Skrevet ut: {title}", "Printed: {title}"),
    "queue.still": ("Fortsatt ikke skrevet ut: {error}", "Still not printed: {error}"),
    "hardware.title": ("Maskinvarestatus", "Hardware status"),
    "hardware.checking": ("Sjekker …", "Checking …"),
    "hardware.device": ("Enhet", "Device"),
    "hardware.kind": ("Type", "Kind"),
    "hardware.port": ("Port", "Port"),
    "hardware.state": ("Tilstand", "State"),
    "hardware.hint": ("{enter} sjekk igjen   {esc} lukk", "{enter} check again   {esc} close"),
    # The devices' roles, printer names and kinds as the hardware screen shows them
    # ("hardware.name.<name>", "hardware.value.<kind or port>"); others are shown as set up.
    "hardware.name.receipt": ("Kvitteringsskriver", "Receipt printer"),
    "hardware.name.reports": ("Rapportskriver", "Report printer"),
    "hardware.name.printer": ("Skriver", "Printer"),
    "hardware.name.drawer": ("Kassaskuff", "Cash drawer"),
    "hardware.name.terminal": ("Betalingsterminal", "Card terminal"),
    "hardware.name.scanner": ("Strekkodeleser", "Scanner"),
    "hardware.name.display": ("Kundedisplay", "Customer display"),
    "hardware.value.simulated": ("simulert", "simulated"),
    "hardware.value.none": ("ingen", "none"),
    "hardware.value.manual": ("frittstående", "stand-alone"),
    "hardware.value.wedge": ("tastatur", "keyboard wedge"),
    # --- customer ----------------------------------------------------------------------------
    "customer.title": ("Legg til kunde – søk navn, nummer eller telefon", "Attach a customer"),
    "customer.number": ("Kundenr", "Customer"),
    "customer.name": ("Navn", "Name"),
    "customer.phone": ("Telefon", "Phone"),
    "customer.hint": (
        "Skriv for å søke  ↑↓ velg  {enter} legg til  {esc} tilbake",
        "Type to search  ↑↓ choose  {enter} attach  {esc} back",
    ),
    "customer.no_hits": ("Ingen kunde passer «{text}»", "No customer matches «{text}»"),
    # --- Z count and reports -----------------------------------------------------------------
    "count.title": ("Z-rapport: tell kassen", "Z report: count the till"),
    "count.what": ("Tell", "Count"),
    "count.number": ("Antall", "Number"),
    "count.amount": ("Beløp", "Amount"),
    "count.cash_total": ("Kontant talt", "Cash counted"),
    "count.coin": ("{value} kr", "{value} kr"),
    "count.confirm": ("→ Ta Z-rapport nå", "→ Make the Z report now"),
    "count.hint": (
        "↑↓ linje  skriv antall/beløp  {enter} neste  på siste linje: {enter} tar Z   "
        "{esc} avbryter",
        "↑↓ row  type count/amount  {enter} next  on the last row: {enter} makes the Z   "
        "{esc} cancels",
    ),
    "report.title": ("{kind}-rapport nr {number} – {day}", "{kind} report no. {number} – {day}"),
    "report.sales": ("Salg inkl. MVA", "Sales incl. VAT"),
    "report.receipts": ("Salgskvitteringer", "Sales receipts"),
    "report.returns": ("Returer", "Returns"),
    "report.drawer": ("Skuffåpninger uten salg", "Drawer openings without sale"),
    "report.tips": ("Driks på kort ({count}), ikke salg", "Card tips ({count}), not sales"),
    "report.tender": ("Betalingsmåte", "Tender"),
    "report.expected": ("Forventet", "Expected"),
    "report.counted": ("Talt", "Counted"),
    "report.difference": ("Differanse", "Difference"),
    "report.expected_cash": ("Forventet kontant i kassen", "Expected cash in the till"),
    "report.hint": ("{esc} eller {enter} lukker", "{esc} or {enter} closes"),
}
