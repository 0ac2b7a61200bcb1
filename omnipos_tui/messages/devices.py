"""Leads of free-text failures, device states and worded values (bokmål, English).

A driver, storage or the configuration describes a failure in technical English; the till
names the kind of trouble first in its own language: the *lead* of the error's class
(looked up by class name, nearest ancestor first).
"""

from __future__ import annotations

#: Error class name -> (bokmål, English) lead.
LEADS: dict[str, tuple[str, str]] = {
    "ConfigError": (
        "Feil i oppsettet (kontakt tekniker)",
        "Configuration error (call a technician)",
    ),
    "StorageError": ("Feil i databasen", "Database error"),
    "DatabaseUnavailable": ("Databasen svarer ikke", "The database does not answer"),
    "DatabaseRefused": (
        "Databaseserveren avviser kassen (bruker, passord eller databasenavn; kontakt tekniker)",
        "The database server refuses this till (user, password or database name; call a "
        "technician)",
    ),
    "DatabaseBusy": (
        "Databasen er opptatt (en annen kasse holder de samme dataene); ingenting ble lagret, "
        "prøv igjen",
        "The database is busy (another till holds the same data); nothing was stored, try again",
    ),
    "IntegrityFailure": (
        "Journalen stemmer ikke (kontakt support)",
        "The journal does not verify (call support)",
    ),
    "SigningKeyError": (
        "Feil med signaturnøkkelen (kontakt support)",
        "Signing key problem (call support)",
    ),
    "DeviceError": ("Feil på en enhet", "Device failure"),
    "DeviceTimeout": ("Enheten svarer ikke", "The device does not answer"),
    "DeviceNotConnected": ("Enheten er ikke tilkoblet", "The device is not connected"),
    "PrinterError": ("Feil på kvitteringsskriveren", "Receipt printer failure"),
    "PrinterOffline": ("Kvitteringsskriveren svarer ikke", "The receipt printer does not answer"),
    "PaperOut": ("Skriveren er tom for papir", "The printer is out of paper"),
    "CoverOpen": ("Skriverlokket er åpent", "The printer cover is open"),
    "DrawerError": ("Feil på kasseskuffen", "Cash drawer failure"),
    "TerminalError": ("Feil på betalingsterminalen", "Card terminal failure"),
    "TerminalOutcomeUnknown": (
        "Ukjent utfall på betalingsterminalen: sjekk terminalen",
        "Unknown outcome at the card terminal: check the terminal",
    ),
    "ScannerError": ("Feil på strekkodeleseren", "Barcode scanner failure"),
    "DisplayError": ("Feil på kundeskjermen", "Customer display failure"),
}

#: ``<Enum class name>.<value>`` -> (bokmål, English): how a state or role is worded.
VALUES: dict[str, tuple[str, str]] = {
    "Role.cashier": ("kasserer", "cashier"),
    "Role.manager": ("leder", "manager"),
    "Role.admin": ("administrator", "admin"),
    "TenderKind.cash": ("Kontant", "cash"),
    "TenderKind.card": ("Kort", "card"),
    "TenderKind.mobile": ("Vipps", "Vipps"),
    "TenderKind.voucher": ("Gavekort", "voucher"),
    "TenderKind.account": ("Kreditt", "account"),
    "PaymentStatus.pending": ("ventende", "pending"),
    "PaymentStatus.approved": ("godkjent", "approved"),
    "PaymentStatus.declined": ("avvist", "declined"),
    "PaymentStatus.cancelled": ("avbrutt", "cancelled"),
    "PaymentStatus.unknown": ("uavklart", "unknown"),
    "PaymentStatus.resolved_paid": ("avklart som betalt", "resolved_paid"),
    "PaymentStatus.resolved_unpaid": ("avklart som ubetalt", "resolved_unpaid"),
    "LineKind.item": ("en varelinje", "item"),
    "LineKind.return": ("en returlinje", "return"),
    "LineKind.correction": ("en korreksjon", "correction"),
    "DiscountMode.percent": ("prosent", "percent"),
    "DiscountMode.amount": ("beløp", "amount"),
    "DiscountMode.new_price": ("ny pris", "new_price"),
}

#: Device states on the till's hardware screen and in ``omnipos hw list``. A driver
#: describes a device that answers in technical English (``detail``); the till in bokmål
#: says "Klar" beside the kind and port it lists already.
TEXTS: dict[str, tuple[str, str]] = {
    "database.waiting": (
        "Databasen svarer ikke ({detail}) – kassen venter på den og starter når den svarer "
        "(Ctrl+C avbryter)",
        "The database does not answer ({detail}) – the till waits and starts when it answers "
        "(Ctrl+C stops)",
    ),
    "device.not_configured": ("Ikke satt opp", "not configured"),
    "device.no_driver": ("Ingen driver", "no driver"),
    "device.no_status_check": (
        "Kan ikke sjekkes (ingen statusspørring)",
        "no status check for this kind",
    ),
    "device.wedge": (
        "Tastaturkile: kassen leser den som rask tasting (ingen status å spørre om)",
        "keyboard wedge: the till reads it as fast typing (no status to ask)",
    ),
    "device.ready": ("Klar", "{detail}"),
}
