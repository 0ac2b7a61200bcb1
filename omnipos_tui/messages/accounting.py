"""Texts of the accounting integration (``accounting.*``): code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "accounting.unmapped": (
        "Kontoplanen mangler konto for: {keys}. Sett dem i [accounting.accounts].",
        "The account map leaves unmapped: {keys}. Set them in [accounting.accounts].",
    ),
    "accounting.not_an_account": (
        '{where} {key} = {value!r}: et kontonummer er sifre, som "3000"',
        '{where} {key} = {value!r}: an account number is digits, such as "3000"',
    ),
    "accounting.unbalanced": (
        "Bilag {key} går ikke i balanse: debet {debit} og kredit {credit}, "
        "differanse {difference} øre. Det er ikke lagt i køen.",
        "Voucher {key} does not balance: debit {debit}, credit {credit}, difference "
        "{difference} øre. It was not queued.",
    ),
    "accounting.bad_voucher": (
        "Bilaget er skadet ved {where}: {reason}",
        "The voucher is damaged at {where}: {reason}",
    ),
    "accounting.no_such_z": (
        "Fant ingen Z-rapport {key} (skriv Z-<kasse>-<nummer>, for eksempel Z-1-42)",
        "No Z report {key} (write Z-<register>-<number>, for example Z-1-42)",
    ),
    "accounting.not_configured": (
        'Ingen regnskapsintegrasjon er satt opp ([accounting] kind = "none")',
        'No accounting integration is set up ([accounting] kind = "none")',
    ),
    "accounting.bad_period": (
        "Perioden {start} til {end} er tom eller baklengs",
        "The period {start} to {end} is empty or backwards",
    ),
    "accounting.not_queued": (
        "Bilag {key} er ikke i køen (se omnipos accounting status)",
        "Voucher {key} is not queued (see omnipos accounting status)",
    ),
}
