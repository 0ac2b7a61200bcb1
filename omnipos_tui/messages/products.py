"""Texts of the catalogue: products, their fields, article groups and the product CSV import
(``catalogue.*``, ``product.*``, ``csv.*``): code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- looking products up ------------------------------------------------------------
    "catalogue.unknown_barcode": (
        "Ukjent strekkode {barcode}. Trykk {key.search} for å søke.",
        "unknown barcode {barcode}",
    ),
    "catalogue.unknown_product": (
        "Ukjent strekkode eller varenummer {barcode}. Trykk {key.search} for å søke.",
        "no product with barcode or SKU {barcode!r}",
    ),
    "catalogue.bad_saft_group": (
        "Ukjent SAF-T-varegruppe {saft_code!r} (bruk en av 04001-04021 eller 04999)",
        "unknown SAF-T article group {saft_code!r} (use one of 04001-04021 or 04999)",
    ),
    "catalogue.group_incomplete": (
        "En varegruppe trenger kode og navn",
        "an article group needs a code and a name",
    ),
    # --- a product's fields -------------------------------------------------------------
    "product.bad_sku": (
        "Ugyldig varenummer {sku!r} (1-{maximum} bokstaver, sifre eller -)",
        "bad SKU {sku!r} (1-{maximum} letters, digits or -)",
    ),
    "product.no_name": ("Navnet er tomt", "the name is empty"),
    "product.name_too_long": (
        "Navnet har {length} tegn, høyst {maximum} får plass",
        "the name has {length} characters, at most {maximum} fit",
    ),
    "product.name_control_character": (
        "Navnet har linjeskift, tabulator eller et annet kontrolltegn",
        "the name holds a line break, tab or other control character",
    ),
    "product.bad_price": (
        "Ugyldig pris: {text!r} (skriv for eksempel 1 234,50 eller 29.90)",
        "not a price: {text!r} (write for example 1 234,50 or 29.90)",
    ),
    "product.negative_price": (
        "Negativ pris {text} (en pris er 0 eller mer)",
        "negative price {text} (a price is 0 or more)",
    ),
    "product.bad_vat": (
        "Ukjent MVA-sats {text!r} (bruk 25, 15, 12, 0, eller outside for utenfor mva-loven)",
        "unknown VAT rate {text!r} (use 25, 15, 12, 0, or outside for outside the VAT act)",
    ),
    "product.bad_unit": (
        "Ukjent enhet {text!r} (bruk piece, stk eller kg)",
        "unknown unit {text!r} (use piece, stk or kg)",
    ),
    "product.bad_flag": (
        "Ikke en ja/nei-verdi: {text!r} (bruk yes/no, ja/nei, 1/0)",
        "not a yes/no value: {text!r} (use yes/no, ja/nei, 1/0)",
    ),
    "product.bad_barcode": (
        "Ikke en EAN-13-, EAN-8- eller UPC-A-strekkode: {barcode!r} (8, 12 eller 13 sifre)",
        "not an EAN-13, EAN-8 or UPC-A barcode: {barcode!r} (8, 12 or 13 digits)",
    ),
    "product.bad_check_digit": (
        "Feil kontrollsiffer i strekkode {barcode} (siste siffer skal være {expected})",
        "bad check digit in barcode {barcode} (the last digit should be {expected})",
    ),
    # --- the product CSV import ---------------------------------------------------------
    "csv.problems": ("{shown:lines}", "{shown:lines}"),
    "csv.problems_and_more": (
        "{shown:lines}\n{source}: ... og {more} problemer til",
        "{shown:lines}\n{source}: ... and {more} more problems",
    ),
    "csv.problem": (
        "{source}: linje {line}, kolonne {column}: {what}",
        "{source}: line {line}, column {column}: {what}",
    ),
    "csv.empty_file": (
        "Filen er tom; første linje må være en overskrift: {example}",
        "the file is empty; the first line must be a header: {example}",
    ),
    "csv.empty_header": (
        "Linje 1 er tom; første linje må være en overskrift: {example}",
        "line 1 is empty; the first line must be a header: {example}",
    ),
    "csv.line_break_in_field": (
        'Et felt i anførselstegn har linjeskift (mangler en avsluttende "?)',
        'a quoted field holds a line break (is a closing " missing?)',
    ),
    "csv.line_break_in_field_to": (
        'Et felt i anførselstegn har linjeskift (mangler en avsluttende "?); raden går til '
        "linje {last}",
        'a quoted field holds a line break (is a closing " missing?); the row runs to line {last}',
    ),
    "csv.unreadable": ("Kan ikke leses som CSV: {reason}", "not readable as CSV: {reason}"),
    "csv.no_rows": (
        "Filen har en overskrift, men ingen varerader",
        "the file has a header but no product rows",
    ),
    "csv.wide_encoding": (
        "Ulesbare byte: filen er {encoding}; lagre den som UTF-8 eller Windows-1252",
        "undecodable bytes: the file is {encoding}; save it as UTF-8 or Windows-1252",
    ),
    "csv.bad_utf8_after_bom": (
        "Ulesbare byte: byte {byte} er ikke gyldig UTF-8 (filen begynner med UTF-8-BOM)",
        "undecodable bytes: byte {byte} is not valid UTF-8 (the file starts with a UTF-8 "
        "byte order mark)",
    ),
    "csv.bad_byte": (
        "Ulesbare byte: byte {byte} er verken gyldig UTF-8 eller et Windows-1252-tegn",
        "undecodable bytes: byte {byte} is neither valid UTF-8 nor a Windows-1252 character",
    ),
    "csv.control_character": (
        "Ulesbare byte: kontrolltegn {byte} (er dette en tekstfil?)",
        "undecodable bytes: control character {byte} (is this a text file?)",
    ),
    "csv.unnamed_column": ("Kolonne {number} har ikke navn", "column {number} has no name"),
    "csv.unknown_column": (
        "Ukjent kolonne {name!r} (kjente: {known})",
        "unknown column {name!r} (known: {known})",
    ),
    "csv.column_twice": ("Kolonnen står to ganger", "the column appears twice"),
    "csv.missing_column": ("Påkrevd kolonne mangler", "missing required column"),
    "csv.missing_field": (
        "Feltet mangler (raden har {count}, overskriften {width})",
        "missing field (the row has {count}, the header {width})",
    ),
    "csv.too_many_fields": (
        "For mange felt ({count}, overskriften har {width})",
        "too many fields ({count}, the header has {width})",
    ),
    "csv.missing_value": (
        "Verdien mangler (kolonnen er påkrevd)",
        "missing value (the column is required)",
    ),
    "csv.sku_twice": (
        "Varenummer {sku} står allerede på linje {first}",
        "SKU {sku} is already on line {first}",
    ),
    "csv.barcode_twice": (
        "Strekkode {barcode} står allerede på linje {first} (varenummer {sku})",
        "barcode {barcode} is already on line {first} (SKU {sku})",
    ),
    "csv.barcode_taken": (
        "Strekkode {barcode} står allerede på en annen vare (varenummer {sku})",
        "barcode {barcode} is already on another product (SKU {sku})",
    ),
    "csv.no_groups": (
        "Ukjent varegruppe {group!r} (det finnes ingen varegrupper ennå)",
        "unknown article group {group!r} (no article groups exist yet)",
    ),
    "csv.unknown_group": (
        "Ukjent varegruppe {group!r} (kjente: {known})",
        "unknown article group {group!r} (known: {known})",
    ),
}
