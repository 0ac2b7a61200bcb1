"""Texts of customer orders and shipments (``order.*``): code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- taking an order ----------------------------------------------------------------
    "order.no_lines": (
        "En ordre trenger minst én linje (VARENUMMER=ANTALL)",
        "an order needs at least one line (--line SKU=QUANTITY)",
    ),
    "order.too_many_lines": (
        "{count} linjer: en ordre tar høyst {maximum}",
        "{count} lines: an order takes at most {maximum}",
    ),
    "order.bad_channel": (
        "Ugyldig kanal {text!r} (små bokstaver, sifre eller -, f.eks. web)",
        "not a channel: {text!r} (lower-case letters, digits or '-', for example 'web')",
    ),
    "order.external_id_till": (
        "En ordre fra kassen har ingen ekstern id ({text!r})",
        "an order taken at the till has no external id ({text!r})",
    ),
    "order.external_id_missing": (
        "En ordre fra kanalen {channel} trenger kanalens egen ordre-id",
        "an order from the channel {channel} needs the channel's own order id (--external-id)",
    ),
    "order.external_id_bad": (
        "Ugyldig ekstern ordre-id {text!r} (høyst 64 tegn)",
        "not an external order id: {text!r} (at most 64 printable characters)",
    ),
    "order.duplicate_external": (
        "Ordre {external_id} fra {channel} er allerede registrert (ordre {number})",
        "order {external_id} of the channel {channel} is in the register already (order {number})",
    ),
    "order.unknown_customer": (
        "Ukjent kunde {number} (se omnipos customers list)",
        "no customer with number {number} (see omnipos customers list)",
    ),
    "order.inactive_products": (
        "Varen kan ikke bestilles, den er ikke aktiv: {skus}",
        "these products are inactive and cannot be ordered: {skus}",
    ),
    "order.negative_price": (
        "{code_given}: prisen {text} kan ikke være negativ",
        "{code_given}: the price {text} cannot be negative",
    ),
    "order.promised_past": (
        "Lovet dato {promised:%d.%m.%Y} er før i dag ({today:%d.%m.%Y})",
        "the promised day {promised:%Y-%m-%d} is before today ({today:%Y-%m-%d})",
    ),
    "order.no_address": (
        "Kunde {customer} har ingen adresse: oppgi gate, postnummer og sted for sendingen",
        "customer {customer} has no address: give --street, --postal-code and --city to ship",
    ),
    "order.no_company": (
        "Butikken er ikke satt opp (omnipos init)",
        "the shop is not set up yet (omnipos init)",
    ),
    # --- finding an order ---------------------------------------------------------------
    "order.unknown": ("Ukjent ordre {number}", "no order number {number}"),
    "order.bad_code": (
        "{text!r} er ikke et ordrenummer eller en ordrestrekkode",
        "{text!r} is not an order number or an order barcode",
    ),
    "order.no_such_line": (
        "Ordre {number} har ingen linje {line}",
        "order {number} has no line {line}",
    ),
    "order.bad_hand_over_row": (
        "Utleveringskvitteringens utskriftsjobb mangler {error}",
        "the delivery receipt's print row lacks {error}",
    ),
    # --- the order's life ---------------------------------------------------------------
    "order.cancelled": (
        "Ordre {number} er kansellert: kan ikke {wanted}",
        "order {number} is cancelled: cannot {wanted} it",
    ),
    "order.finished": (
        "Ordre {number} er {status}: kan ikke {wanted}",
        "order {number} is {status}: cannot {wanted} it",
    ),
    "order.nothing_to_pick": (
        "Ordre {number}: ingenting er reservert å plukke (restordre venter på varer)",
        "order {number}: nothing is reserved to pick (back-ordered lines wait for goods)",
    ),
    "order.pick_more_than_reserved": (
        "Ordre {number} linje {line} ({sku}): {asked} er mer enn reservert ({reserved})",
        "order {number} line {line} ({sku}): {asked} is more than is reserved ({reserved})",
    ),
    "order.pack_not_picked": (
        "Ordre {number} er {status}: bare en plukket ordre kan pakkes",
        "order {number} is {status}: only a picked order can be packed",
    ),
    "order.nothing_to_cancel": (
        "Ordre {number}: alt er levert, ingenting å kansellere",
        "order {number}: everything is delivered, nothing is left to cancel",
    ),
    "order.cancel_more_than_outstanding": (
        "Ordre {number} linje {line}: {asked} er mer enn det som gjenstår ({outstanding})",
        "order {number} line {line}: {asked} is more than is outstanding ({outstanding})",
    ),
    # --- shipping -----------------------------------------------------------------------
    "order.unknown_carrier": (
        "Ukjent transportør {carrier!r} (kjente: {known})",
        "no carrier {carrier!r} (known: {known})",
    ),
    "order.carrier_not_configured": (
        "Transportøren {carrier} er ikke satt opp",
        "the carrier {carrier} is not configured",
    ),
    "order.bad_tracking": (
        "Ugyldig sporingsnummer {text!r} (bokstaver, sifre og -, høyst 64)",
        "not a tracking number: {text!r} (letters, digits and '-', at most 64)",
    ),
    "order.tracking_taken": (
        "Sporingsnummer {tracking} hos {carrier} er allerede brukt (ordre {number})",
        "the tracking number {tracking} of {carrier} is on a parcel already (order {number})",
    ),
    "order.pickup_not_shipped": (
        "Ordre {number} hentes i butikken og sendes ikke",
        "order {number} is picked up in the shop, not shipped",
    ),
    "order.nothing_to_ship": (
        "Ordre {number}: ingenting er plukket å sende",
        "order {number}: nothing is picked to ship",
    ),
    "order.ship_more_than_picked": (
        "Ordre {number} linje {line}: {asked} er mer enn plukket ({picked})",
        "order {number} line {line}: {asked} is more than is picked ({picked})",
    ),
    "order.no_manual_parcel": (
        "Ordre {number}: velg en manuell sending (manuelle sendinger: {parcels})",
        "order {number}: name one parcel of the manual carrier (--tracking; manual parcels: "
        "{parcels})",
    ),
    # --- the till -----------------------------------------------------------------------
    "order.ship_not_pickup": (
        "Ordre {number} skal sendes, ikke hentes",
        "order {number} is to be shipped, not picked up",
    ),
    "order.nothing_ready": (
        "Ordre {number}: ingenting er klart til henting ennå (restordre)",
        "order {number}: nothing is ready to be picked up yet (back-ordered)",
    ),
    "order.prepaid_hand_over": (
        "Ordre {number} er betalt på forhånd: lever den ut med utleveringskvittering",
        "order {number} is prepaid: hand it over with a delivery receipt",
    ),
    "order.not_prepaid": (
        "Ordre {number} betales ved henting: hent den inn i salget",
        "order {number} is paid at the pick-up: bring it into the sale",
    ),
    "order.training": (
        "Ordre {number} kan ikke hentes i treningsmodus",
        "order {number} cannot be picked up in training mode",
    ),
    "order.in_this_sale": (
        "Ordre {number} er allerede i dette salget",
        "order {number} is in this sale already",
    ),
    "order.in_other_sale": (
        "Ordre {number} er i et annet åpent salg (parkert eller på en annen kasse)",
        "order {number} is in another open sale (parked, or at another till)",
    ),
}
