"""Texts of the shop's set-up and the technician's device commands (``shop.*``,
``hardware.*``): code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- setting the shop up ------------------------------------------------------------
    "shop.not_set_up": (
        "Butikken er ikke satt opp: kjør `omnipos init`.",
        "the shop is not set up: run `omnipos init`",
    ),
    "shop.not_initialised": (
        "Butikken er ikke satt opp: kjør 'omnipos init' først",
        "the shop is not initialised: run 'omnipos init' first",
    ),
    "shop.already_initialised": (
        "Denne databasen er allerede satt opp (for {shop}); bruk en ny datamappe eller "
        "database for å begynne på nytt",
        "this database is already initialised (for {shop}); use a new data directory or "
        "database to start again",
    ),
    "shop.no_company_name": ("Firmanavnet mangler", "the company name is missing"),
    "shop.no_street": ("Gateadressen mangler", "the street address is missing"),
    "shop.no_city": ("Poststedet mangler", "the city is missing"),
    "shop.bad_postal_code": (
        "Postnummeret må være 4 sifre, fikk {postal!r}",
        "postal code must be 4 digits, got {postal!r}",
    ),
    "shop.first_not_admin": (
        "Den første ansatte må ha rollen administrator",
        "the first employee must have the admin role",
    ),
    "shop.bad_org_number": (
        "Organisasjonsnummeret {number!r} er ugyldig: {reason}",
        "organisation number {number!r} is not valid: {reason}",
    ),
    # --- devices (omnipos hw ...) -------------------------------------------------------
    "hardware.no_printers": (
        "Ingen skriver heter {name!r} (ingen skrivere er satt opp: [devices.printer] kind = none)",
        "no printer named {name!r} is configured (configured: none "
        "([devices.printer] kind = none))",
    ),
    "hardware.unknown_printer": (
        "Ingen skriver heter {name!r} (satt opp: {configured})",
        "no printer named {name!r} is configured (configured: {configured})",
    ),
    "hardware.no_test_page": (
        "Skriveren {name!r} kan ikke skrive ut en testside",
        "printer {name!r} cannot print a test page",
    ),
    "hardware.no_drawer": (
        'Ingen kasseskuff er satt opp ([devices.drawer] kind = "none")',
        'no cash drawer is configured ([devices.drawer] kind = "none")',
    ),
    "hardware.no_terminal": (
        'Ingen betalingsterminal er satt opp ([devices.terminal] kind = "none")',
        'no card terminal is configured ([devices.terminal] kind = "none")',
    ),
    "hardware.stand_alone_terminal": (
        'Betalingsterminalen står alene ([devices.terminal] kind = "manual"): kassen kan ikke '
        "sende den et beløp; ta en testbetaling på selve terminalen",
        'the card terminal is stand-alone ([devices.terminal] kind = "manual"): the till '
        "cannot send it an amount; take a test payment on the terminal itself",
    ),
    "hardware.test_amount_not_positive": (
        "En testbetaling må være over 0, ikke {amount}",
        "a test payment must be positive, not {amount}",
    ),
    "hardware.wedge_scanner": (
        'Skanneren er et tastaturkile-oppsett ([devices.scanner] kind = "wedge"): kodene '
        "kommer som tasting i kassen; skann inn i et tekstfelt for å teste den",
        'the scanner is a keyboard wedge ([devices.scanner] kind = "wedge"): its codes arrive '
        "as typing in the till; scan into a text field to test it",
    ),
    "hardware.no_scanner": (
        'Ingen skanner er satt opp ([devices.scanner] kind = "none")',
        'no scanner is configured ([devices.scanner] kind = "none")',
    ),
}
