"""The electronic journal's event codes: ours (:class:`EventCode`, SAF-T ``eventType`` and
basicType 13 ``basicID``), what each maps to in Skatteetaten's PredefinedBasicID-13 code
list (:data:`EVENT_CODES`; several of ours may share one predefined code, as DRAWOPEN and
DRAWOPENNOSALE share 13005 in Skatteetaten's example file), and that list itself
(:data:`PREDEFINED_EVENT_CODES`). The events are in ``core/ledger/journal.py``, which
imports these names too.
"""

from __future__ import annotations

import enum


class EventCode(enum.StrEnum):
    """Our journal event codes (SAF-T ``eventType`` / basicType 13 ``basicID``)."""

    POS_START = "POSSTART"
    POS_STOP = "POSSTOP"
    LOGIN = "LOGIN"
    LOGOUT = "LOGOUT"
    DRAWER_OPEN = "DRAWOPEN"
    """The drawer opened with a transaction (``trans_id`` set)."""
    DRAWER_OPEN_NO_SALE = "DRAWOPENNOSALE"
    """Nullinnslag: opened without a sale or refund, with a reason (counted on X/Z)."""
    DRAWER_CLOSE = "DRAWCLOSE"
    SOFTWARE_UPDATE = "UPDATE"
    X_REPORT = "XREPORT"
    Z_REPORT = "ZREPORT"
    PARK = "PARK"
    RESUME = "RESUME"
    SALES_RECEIPT = "SALESRECEIPT"
    RETURN_RECEIPT = "RETURNRECEIPT"
    COPY_RECEIPT = "COPYRECEIPT"
    PROFORMA_RECEIPT = "PROFORMA"
    DELIVERY_RECEIPT = "DELIVERYRECEIPT"
    TRAINING_RECEIPT = "TRAININGRECEIPT"
    OTHER_REPORT = "OTHERREPORT"
    CASH_OUT = "CASHOUT"
    EXPORT = "EXPORT"
    PRICE_CHANGE = "PRICECHANGE"
    MASTER_DATA_CHANGE = "MASTERDATA"
    PRICE_LOOKUP = "PRICELOOKUP"
    TRAINING_ON = "TRAININGON"
    TRAINING_OFF = "TRAININGOFF"
    VOID_RECEIPT = "VOIDRECEIPT"
    NO_PRINT = "NOPRINT"
    LINE_DELETE = "LINEDELETE"
    LINE_REDUCE = "LINEREDUCE"
    PRICE_OVERRIDE = "PRICEOVERRIDE"
    CASH_IN = "CASHIN"
    OPENING_FLOAT = "OPENFLOAT"
    PRINT_FAILED = "PRINTFAILED"
    KEY_ROTATED = "KEYROTATE"
    OVERRIDE_FAILED = "OVERRIDEFAILED"
    """A manager approval failed (wrong number or PIN, locked, not a manager)."""

    @property
    def predefined(self) -> str:
        """The PredefinedBasicID-13 code this maps to ("13012")."""
        return EVENT_CODES[self][0]

    @property
    def description(self) -> str:
        """Our Norwegian description (SAF-T ``basicDesc``, journal listings)."""
        return EVENT_CODES[self][1]


# Our code -> (PredefinedBasicID-13, Norwegian description). 13999 ("other") carries what
# the code list has no code for, as Skatteetaten's example does with LINEDELETE.
EVENT_CODES: dict[EventCode, tuple[str, str]] = {
    EventCode.POS_START: ("13001", "Oppstart av kasseprogrammet"),
    EventCode.POS_STOP: ("13002", "Avslutning av kasseprogrammet"),
    EventCode.LOGIN: ("13003", "Pålogging ansatt"),
    EventCode.LOGOUT: ("13004", "Avlogging ansatt"),
    EventCode.DRAWER_OPEN: ("13005", "Kasseskuff åpnet ved transaksjon"),
    EventCode.DRAWER_OPEN_NO_SALE: ("13005", "Kasseskuff åpnet uten salg (nullinnslag)"),
    EventCode.DRAWER_CLOSE: ("13006", "Kasseskuff lukket"),
    EventCode.SOFTWARE_UPDATE: ("13007", "Oppdatering av programvare"),
    EventCode.X_REPORT: ("13008", "X-rapport"),
    EventCode.Z_REPORT: ("13009", "Z-rapport"),
    EventCode.PARK: ("13010", "Parkering av kvittering"),
    EventCode.RESUME: ("13011", "Tilbakehenting av parkert kvittering"),
    EventCode.SALES_RECEIPT: ("13012", "Salgskvittering"),
    EventCode.RETURN_RECEIPT: ("13013", "Returkvittering"),
    EventCode.COPY_RECEIPT: ("13014", "Kopi av kvittering"),
    EventCode.PROFORMA_RECEIPT: ("13015", "Foreløpig kvittering"),
    EventCode.DELIVERY_RECEIPT: ("13016", "Utleveringskvittering ved kredittsalg"),
    EventCode.TRAINING_RECEIPT: ("13017", "Treningskvittering"),
    EventCode.OTHER_REPORT: ("13018", "Andre rapporter eller kvitteringer"),
    EventCode.CASH_OUT: ("13019", "Uttak av kontanter fra kassen"),
    EventCode.EXPORT: ("13020", "Eksport av elektronisk journal"),
    EventCode.PRICE_CHANGE: ("13021", "Prisendring"),
    EventCode.MASTER_DATA_CHANGE: ("13021", "Endring av faste data"),
    EventCode.PRICE_LOOKUP: ("13022", "Prisforespørsel"),
    EventCode.TRAINING_ON: ("13023", "Treningsmodus på"),
    EventCode.TRAINING_OFF: ("13024", "Treningsmodus av"),
    EventCode.VOID_RECEIPT: ("13028", "Annulleringskvittering"),
    EventCode.NO_PRINT: ("13030", "Fullført salg uten utskrift av kvittering"),
    EventCode.LINE_DELETE: ("13999", "Sletting av varelinje"),
    EventCode.LINE_REDUCE: ("13999", "Redusert antall på varelinje"),
    EventCode.PRICE_OVERRIDE: ("13999", "Overstyrt pris på varelinje"),
    EventCode.CASH_IN: ("13999", "Innskudd av kontanter i kassen"),
    EventCode.OPENING_FLOAT: ("13999", "Inngående vekselkasse"),
    EventCode.PRINT_FAILED: ("13999", "Utskrift feilet"),
    EventCode.KEY_ROTATED: ("13999", "Ny signaturnøkkel tatt i bruk"),
    EventCode.OVERRIDE_FAILED: ("13999", "Mislykket godkjenning av leder"),
}

# Skatteetaten's PredefinedBasicID-13 code list (Norwegian descriptions), for validation
# and the SAF-T ``basics``.
PREDEFINED_EVENT_CODES: dict[str, str] = {
    "13001": "Oppstart av POS applikasjon",
    "13002": "Avslutning av POS applikasjon",
    "13003": "Pålogging bruker/ansatt",
    "13004": "Avlogging bruker/ansatt",
    "13005": "Kasseskuff åpning",
    "13006": "Kasseskuff lukking",
    "13007": "Oppdatering av programvare",
    "13008": "Kjøring av X-rapport",
    "13009": "Kjøring av Z-rapport",
    "13010": "Parkering av kvittering/bong",
    "13011": "Tilbakehenting av parkert kvittering/bong",
    "13012": "Salgskvittering skrevet ut",
    "13013": "Returkvittering",
    "13014": "Kopi av kvittering",
    "13015": "Foreløpig kvittering",
    "13016": "Utleveringskvittering ved kredittsalg",
    "13017": "Treningsmodus - alle typer kvitteringer",
    "13018": "Andre rapporter eller kvitteringer",
    "13019": "Uttak av kontanter fra kassa",
    "13020": "Overføring av journal til annet lagringsmedie (ROM kasser)",
    "13021": "Prisendringer",
    "13022": "Prisundersøkelse",
    "13023": "Trenings- modus/funksjon på",
    "13024": "Trenings- modus/funksjon av",
    "13025": "Fullt minne (ROM kasser)",
    "13026": "Nødmodus på",
    "13027": "Nødmodus av",
    "13028": "Annulleringskvittering",
    "13029": "STEB kvittering",
    "13030": "Fullført salg uten utskrift av kvittering",
    "13999": "Øvrige hendelser",
}
