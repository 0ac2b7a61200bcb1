"""Texts of employees, PINs, approvals and customers (``staff.*``, ``approval.*``,
``customer.*``): code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- employees and PINs -------------------------------------------------------------
    "staff.bad_pin": ("PIN-koden må være 4 til 8 sifre.", "a PIN must be 4 to 8 digits"),
    "staff.short_pin": (
        "En ny PIN-kode må ha minst {digits} sifre.",
        "a new PIN must have at least {digits} digits (security.pin_min_digits)",
    ),
    "staff.bad_number": (
        "Ansattnummer må være 1 til 8 sifre (fikk {number!r}).",
        "employee number must be 1 to 8 digits, got {number!r}",
    ),
    "staff.no_name": ("Den ansatte må ha et navn.", "an employee needs a name"),
    "staff.unknown_employee": ("Ukjent ansatt {number}.", "no employee with number {number}"),
    "staff.last_admin": (
        "Ansatt {number} er den siste aktive administratoren.",
        "employee {number} is the last active admin",
    ),
    "staff.wrong_pin": ("Feil ansattnummer eller PIN.", "wrong employee number or PIN"),
    "staff.disabled": ("Ansatt {number} er deaktivert.", "employee {number} is disabled"),
    "staff.locked": (
        "Låst i {minutes} min etter 5 feil PIN. Prøv igjen senere eller be en leder.",
        "employee locked for {seconds} more seconds after 5 wrong PINs",
    ),
    "staff.role_too_low": (
        "{name} er {role}; krever {needed}.",
        "{name} is {role}; {needed} needed",
    ),
    "staff.employee_needed": (
        "{command} endrer data: oppgi --employee NUMMER (eller OMNIPOS_EMPLOYEE) og PIN; "
        "krever {role}.",
        "{command} changes data: give --employee NUMBER (or set OMNIPOS_EMPLOYEE) and your "
        "PIN when asked (OMNIPOS_PIN for scripts); {role} or above needed",
    ),
    # --- customers ----------------------------------------------------------------------
    "customer.no_name": ("Kunden må ha et navn.", "a customer needs a name"),
    "customer.bad_number": (
        "Kundenummer må være 1-20 bokstaver, sifre eller '-' (fikk {number!r}).",
        "customer number must be 1-20 letters, digits or '-', got {number!r}",
    ),
    "customer.bad_phone": ("Ugyldig telefonnummer: {phone!r}.", "not a phone number: {phone!r}"),
    "customer.bad_email": ("Ugyldig e-postadresse: {email!r}.", "not an e-mail address: {email!r}"),
    "customer.unknown": ("Ukjent kunde {number}.", "no customer with number {number}"),
    "customer.inactive": (
        "Kunde {number} er deaktivert.",
        "customer {number} is deactivated (omnipos customers activate {number})",
    ),
}
