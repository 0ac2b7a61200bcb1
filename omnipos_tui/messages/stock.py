"""Texts of stock and purchasing (``stock.*``): quantities, locations, suppliers, purchase
orders, goods receipts, transfers and counts: code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- quantities ---------------------------------------------------------------------
    "stock.quantity_not_number": (
        "{what}: {text!r} er ikke et tall",
        "{what}: {text!r} is not a number",
    ),
    "stock.quantity_not_positive": (
        "{what}: {text} er ikke tillatt (antallet må være over 0)",
        "{what}: {text} is not allowed (a quantity is above 0)",
    ),
    "stock.quantity_negative": (
        "{what}: {text} er ikke tillatt (antallet må være 0 eller mer)",
        "{what}: {text} is not allowed (a quantity is 0 or more)",
    ),
    "stock.quantity_piece_weight": (
        "{what}: {text} er en vekt, men varen selges per stykk (bare hele tall)",
        "{what}: {text} is a weight, but the product is sold by the piece (whole numbers only)",
    ),
    "stock.quantity_decimals": (
        "{what}: {text} har mer enn tre desimaler (vekt er i gram)",
        "{what}: {text} has more than three decimals (weights are in grams)",
    ),
    "stock.quantity_too_large": ("{what}: {text} er for stort", "{what}: {text} is too large"),
    "stock.bad_line": (
        "{what} {text!r}: skriv VARENUMMER=ANTALL (f.eks. 1001=12 eller 4011=2,5), ev. @KOST "
        "(1001=12@8,50)",
        "{what} {text!r}: write SKU=QUANTITY (for example 1001=12 or 4011=2,5), optionally "
        "@COST (1001=12@8,50)",
    ),
    "stock.bad_lines": (
        "{problems}; ingenting ble lagret",
        "{problems}; nothing was written",
    ),
    "stock.bad_file_lines": (
        "{problems:lines}\ningenting ble lagret",
        "{problems:lines}\nnothing was written",
    ),
    "stock.too_many_fields": (
        "{where}: {count} felt; en linje er VARENUMMER;ANTALL eller VARENUMMER;ANTALL;KOST",
        "{where}: {count} fields; a line is SKU;QUANTITY or SKU;QUANTITY;COST",
    ),
    "stock.at": ("{where}: {problem}", "{where}: {problem}"),
    "stock.count_cost": (
        "{where}: en telling tar ingen kost ({text!r})",
        "{where}: a count takes no cost ({text!r})",
    ),
    "stock.no_lines": (
        "{document} trenger minst én linje (VARENUMMER=ANTALL)",
        "{document} needs at least one line (SKU=QUANTITY)",
    ),
    "stock.too_many_lines": (
        "{count} linjer: et varemottak tar høyst {maximum}",
        "{count} lines: a goods receipt takes at most {maximum}",
    ),
    "stock.unknown_product": (
        "Fant ingen vare med varenummer eller strekkode {given!r}",
        "no product with SKU or barcode {given!r}",
    ),
    "stock.unknown_products": (
        "Ukjent vare: {given}; ingenting ble lagret",
        "no product with SKU or barcode {given}; nothing was written",
    ),
    "stock.unknown_employee": ("Ukjent ansatt {number}", "no employee with number {number}"),
    "stock.unknown_group": (
        "Ukjent varegruppe {group!r} (se omnipos products groups)",
        "no article group {group!r} (see omnipos products groups)",
    ),
    # --- locations ----------------------------------------------------------------------
    "stock.bad_location_code": (
        "Ugyldig lagersted {text!r} (1-20 små bokstaver, sifre eller -, f.eks. kjeller)",
        "not a location code: {text!r} (1-20 lower-case letters, digits or '-', for example "
        "'kjeller')",
    ),
    "stock.unknown_location": (
        "Ukjent lagersted {location!r} (lagersteder: {known}; legg til med omnipos locations add)",
        "no location {location!r} (real locations: {known}; add one with omnipos locations add)",
    ),
    "stock.virtual_location": (
        "{location} er et virtuelt lagersted; varer står i de virkelige ({known})",
        "{location} is a virtual location; goods are kept in real ones ({known})",
    ),
    "stock.location_exists": (
        "Det finnes allerede et lagersted {location!r}",
        "there is a location {location!r} already",
    ),
    "stock.location_name": (
        "Et lagersted trenger et navn på 1-40 tegn",
        "a location needs a name of 1-40 characters",
    ),
    "stock.unknown_register": (
        "Ukjent kasse {register!r} (se omnipos registers list)",
        "no register {register!r} (see omnipos registers list)",
    ),
    "stock.max_below_min": (
        "--max {maximum} er under --min {minimum}",
        "--max {maximum} is below --min {minimum}",
    ),
    # --- suppliers ----------------------------------------------------------------------
    "stock.supplier_name": (
        "En leverandør trenger et navn på 1-80 tegn",
        "a supplier needs a name of 1-80 characters",
    ),
    "stock.bad_email": ("Ugyldig e-postadresse {email!r}", "not an e-mail address: {email!r}"),
    "stock.bad_lead_days": (
        "Leveringstid {days} dager: 0-365",
        "lead days {days}: 0-365",
    ),
    "stock.bad_days": (
        "Ugyldig antall dager {text!r} (0-365)",
        "not a number of days: {text!r} (0-365)",
    ),
    "stock.bad_supplier_code": (
        "Ugyldig leverandørkode {given!r} (1-20 bokstaver, sifre, - eller _)",
        "not a supplier code: {given!r} (1-20 letters, digits, '-' or '_')",
    ),
    "stock.negative_cost": (
        "Negativ kostpris {text} (kost er 0 eller mer)",
        "negative cost price {text} (a cost is 0 or more)",
    ),
    "stock.bad_flag": ("Ikke en ja/nei-verdi: {text!r}", "not a yes/no value: {text!r}"),
    "stock.unknown_supplier": (
        "Ukjent leverandør {supplier!r} (kjente: {known}; legg til med omnipos suppliers add)",
        "no supplier {supplier!r} (known: {known}; add one with omnipos suppliers add)",
    ),
    "stock.supplier_inactive": (
        "Leverandør {supplier} er deaktivert",
        "supplier {supplier} is inactive",
    ),
    "stock.csv_unknown_supplier": (
        "Ukjent leverandør {supplier!r}",
        "unknown supplier {supplier!r}",
    ),
    "stock.csv_unknown_sku": ("Ukjent varenummer {sku!r}", "unknown SKU {sku!r}"),
    "stock.csv_supplier_twice": (
        "Leverandør {supplier} står allerede på linje {first}",
        "supplier {supplier} is already on line {first}",
    ),
    "stock.csv_item_twice": (
        "{supplier} {sku} står allerede på linje {first}",
        "{supplier} {sku} is already on line {first}",
    ),
    "stock.csv_no_rows": (
        "Filen har en overskrift, men ingen rader",
        "the file has a header but no rows",
    ),
    # --- purchase orders ----------------------------------------------------------------
    "stock.unknown_order": (
        "Fant ikke innkjøpsordre {number} (se omnipos purchase list)",
        "no purchase order {number} (see omnipos purchase list)",
    ),
    "stock.order_cancelled": (
        "Innkjøpsordre {number} kan ikke bli {wanted}: den er kansellert",
        "purchase order {number} cannot become {wanted}: it is cancelled",
    ),
    "stock.order_received": (
        "Innkjøpsordre {number} kan ikke bli {wanted}: den er fullt mottatt",
        "purchase order {number} cannot become {wanted}: it is fully received",
    ),
    "stock.order_draft": (
        "Innkjøpsordre {number} kan ikke bli {wanted}: den er et utkast; send den først "
        "(omnipos purchase send {number})",
        "purchase order {number} cannot become {wanted}: it is a draft: send it first "
        "(omnipos purchase send {number})",
    ),
    "stock.order_status": (
        "Innkjøpsordre {number} kan ikke bli {wanted}: den er {status}",
        "purchase order {number} cannot become {wanted}: it is {status}",
    ),
    "stock.order_not_draft": (
        "Innkjøpsordre {number} er {status}; linjer legges bare til utkast (lag en ny ordre)",
        "purchase order {number} is {status}; lines are added to drafts only (make a new order)",
    ),
    "stock.order_empty": (
        "Innkjøpsordre {number} har ingen linjer",
        "purchase order {number} has no lines",
    ),
    "stock.expected_past": (
        "--expected {expected} er passert (i dag er {today})",
        "--expected {expected} is in the past (today is {today})",
    ),
    "stock.no_writer": (
        "Denne OmniPOS kan ikke skrive ordredokumenter",
        "this OmniPOS cannot write order documents",
    ),
    # --- transfers ----------------------------------------------------------------------
    "stock.transfer_to_itself": (
        "Kan ikke flytte fra {location} til samme sted",
        "a transfer from {location} to itself moves nothing",
    ),
    "stock.unknown_transfer": ("Fant ikke overføring {number}", "no transfer {number}"),
    "stock.transfer_one_step": (
        "Overføring {number} ble gjort i ett steg; ingenting å motta",
        "transfer {number} was done in one step; nothing to receive",
    ),
    "stock.transfer_received": (
        "Overføring {number} er allerede mottatt",
        "transfer {number} is received already",
    ),
    # --- counts -------------------------------------------------------------------------
    "stock.unknown_count": ("Fant ikke varetelling {number}", "no stock count {number}"),
    "stock.count_finished": (
        "Varetelling {number} er allerede avsluttet",
        "stock count {number} is finished already",
    ),
    "stock.count_outside_group": (
        "{skus} er ikke i varegruppe {group}, som varetelling {number} gjelder",
        "{skus} not in article group {group}, which count {number} covers",
    ),
}
