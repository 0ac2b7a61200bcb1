"""Texts of amounts and VAT rates (``amount.*``, ``vat.*``): code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "amount.not_an_amount": (
        "Ugyldig beløp: {text!r} (skriv for eksempel 12,50).",
        "not an amount: {text!r} (write for example 12,50)",
    ),
    "amount.not_a_number": ("Ugyldig beløp: {value}", "not an amount: {value}"),
    "vat.unknown_code": (
        "Ukjent MVA-kode {vat_code!r} (kjente: {known})",
        "unknown VAT code {vat_code!r} (known: {known})",
    ),
    "vat.not_a_rate": ("Ugyldig MVA-sats: {percent!r}", "not a VAT rate: {percent!r}"),
    "vat.unknown_rate": (
        "Ukjent MVA-sats {percent} % (gjeldende satser: {known})",
        "unknown VAT rate {percent}% (rates in force: {known})",
    ),
}
