"""Texts of the X and Z reports (``report.*``): code -> (bokmål, English)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- a stored report that does not read back ----------------------------------------
    "report.not_json": (
        "rapport: ikke JSON ({reason} ved {position})",
        "report: not JSON ({reason} at {position})",
    ),
    "report.not_a_report": (
        "journalhendelse {event} ({event_code}) er ikke en rapport",
        "journal event {event} ({event_code}) is not a report",
    ),
    "report.naive_time": (
        "rapport: tidspunktet mangler tidssone (bruk UTC)",
        "report: 'at' is a naive time; use aware UTC",
    ),
    "report.other_register_transaction": (
        "rapport for kasse {register}: transaksjon {trans_id} hører til kasse {other}",
        "report of register {register}: transaction {trans_id} belongs to register {other}",
    ),
    "report.other_register_event": (
        "rapport for kasse {register}: hendelse {event} hører til kasse {other}",
        "report of register {register}: event {event} belongs to register {other}",
    ),
    "report.wrong_format": (
        "rapport: ikke et rapportobjekt i format {format}",
        "report: not a format {format} report object",
    ),
    "report.field_not_object": (
        "{where}: ventet et objekt, fikk {value!r}",
        "{where}: expected an object, got {value!r}",
    ),
    "report.field_missing": ("{where}: mangler", "{where}: missing"),
    "report.field_not_list": (
        "{where}: ventet en liste, fikk {value!r}",
        "{where}: expected a list, got {value!r}",
    ),
    "report.field_no_zone": (
        "{where}: {value!r} mangler tidssone",
        "{where}: {value!r} has no time zone",
    ),
    "report.field_invalid": ("{where}: {value!r} er ugyldig", "{where}: {value!r} is not valid"),
    "report.field_wrong_type": (
        "{where}: ventet {kind}, fikk {value!r}",
        "{where}: expected {kind}, got {value!r}",
    ),
    # --- taking a report ----------------------------------------------------------------
    "report.z_taken": (
        "Kasse {register_id} har allerede Z-rapport for {day:%d.%m.%Y} (én per kasse per dag).",
        "register {register_id} has its Z report for {day} already (one per register per day)",
    ),
    "report.training_on": (
        "Slå av treningsmodus ({key.menu}) før Z-rapporten.",
        "switch training mode off before the Z report",
    ),
    "report.sales_open": (
        "Fullfør eller annuller salgene først: {open} åpne, {parked} parkerte på kasse "
        "{register_id} ({key.recall} henter).",
        "finish or void the sales first: {open} open, {parked} parked at register {register_id}",
    ),
    "report.cards_unsettled": (
        "Avklar kortbetalingene først: {references}.",
        "resolve the card payments first: {references}",
    ),
    "report.bad_kind": (
        "Rapporttypen må være X eller Z, fikk {kind!r}",
        "report kind must be X or Z, got {kind!r}",
    ),
}
