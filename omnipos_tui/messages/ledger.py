"""Texts of the journal, the signatures, cash movements, signing keys and the SAF-T export
(``journal.*``, ``signature.*``, ``cash.*``, ``keys.*``, ``export.*``): code -> (bokmål,
English). Most name damaged stored data for the technician."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- journal events (stored data that does not read back) ---------------------------
    "journal.key_not_text": (
        "{where}: nøkkelen {key!r} er ikke tekst",
        "{where}: key {key!r} is not a string",
    ),
    "journal.fraction_not_json": (
        "{where}: {kind} er ikke en JSON-verdi (beløp er hele øre)",
        "{where}: {kind} is not a JSON value (amounts are integer øre)",
    ),
    "journal.not_json_value": (
        "{where}: {kind} er ikke en JSON-verdi",
        "{where}: {kind} is not a JSON value",
    ),
    "journal.no_register": (
        "journalhendelse: kasse-id mangler",
        "journal event: register_id is empty",
    ),
    "journal.bad_seq": (
        "journalhendelse: løpenummeret må være et helt tall fra 1, fikk {seq}",
        "journal event: seq must be a whole number >= 1, got {seq}",
    ),
    "journal.bad_code": (
        "journalhendelse: koden {event_code!r} er ikke en hendelseskode",
        "journal event: code {event_code!r} is not an EventCode",
    ),
    "journal.naive_time": (
        "journalhendelse: tidspunktet mangler tidssone (lagres som UTC)",
        "journal event: 'at' is a naive time; store aware UTC",
    ),
    "journal.bad_date_time": (
        "journalhendelse: dato/tid {date!r} {time!r} er ikke ÅÅÅÅ-MM-DD og TT:MM:SS",
        "journal event: date/time {date!r} {time!r} are not YYYY-MM-DD and HH:MM:SS",
    ),
    "journal.text_too_long": (
        "journalhendelse: teksten er lengre enn {maximum} tegn",
        "journal event: text is longer than {maximum} characters",
    ),
    "journal.bad_trans_id": (
        "journalhendelse: transaksjons-id må være 1-{maximum} tegn",
        "journal event: trans_id must be 1-{maximum} characters",
    ),
    "journal.employee_too_long": (
        "journalhendelse: ansattnummeret er lengre enn {maximum} tegn",
        "journal event: employee longer than {maximum} characters",
    ),
    "journal.not_an_object": (
        "journalhendelse: ventet et JSON-objekt",
        "journal event: expected a JSON object",
    ),
    "journal.unknown_code": (
        "journalhendelse: ukjent hendelseskode {event_code!r}",
        "journal event: unknown event code {event_code!r}",
    ),
    "journal.bad_at": (
        "journalhendelse: tidspunktet er ikke ISO-tid: {at!r}",
        "journal event: 'at' is not an ISO time: {at!r}",
    ),
    "journal.trans_id_not_text": (
        "journalhendelse: transaksjons-id må være tekst eller null",
        "journal event: 'trans_id' must be a string or null",
    ),
    "journal.payload_not_object": (
        "journalhendelse: innholdet (payload) må være et objekt",
        "journal event: 'payload' must be an object",
    ),
    "journal.not_json": (
        "journalhendelse: ikke JSON ({reason} ved {position})",
        "journal event: not JSON ({reason} at {position})",
    ),
    "journal.payload_not_ore": (
        "journalhendelse {event} ({event_code}): payload.{key} må være øre som helt tall, "
        "fikk {value!r}",
        "journal event {event} ({event_code}): payload.{key} must be øre as a whole number, "
        "got {value!r}",
    ),
    "journal.payload_not_text": (
        "journalhendelse {event} ({event_code}): payload.{key} må være tekst, fikk {value!r}",
        "journal event {event} ({event_code}): payload.{key} must be text, got {value!r}",
    ),
    "journal.bad_field": (
        "journalhendelse: {key!r} må være {kind}, fikk {value!r}",
        "journal event: '{key}' must be {kind}, got {value!r}",
    ),
    # --- signatures ---------------------------------------------------------------------
    "signature.bad_previous": (
        "forrige signatur inneholder ';' eller mellomrom",
        "previous signature contains ';' or white space",
    ),
    "signature.bad_date": (
        "transaksjonsdatoen {date!r} er ikke ÅÅÅÅ-MM-DD",
        "transaction date {date!r} is not YYYY-MM-DD",
    ),
    "signature.bad_time": (
        "transaksjonstiden {time!r} er ikke TT:MM:SS",
        "transaction time {time!r} is not HH:MM:SS",
    ),
    "signature.bad_nr": (
        "transaksjonsnummeret {nr!r} er ikke 1-35 bokstaver eller sifre",
        "transaction number {nr!r} is not 1-35 letters or digits",
    ),
    "signature.hmac_key_size": (
        "HMAC-SHA1-nøkkelen må være {size} byte, fikk {got}",
        "HMAC-SHA1 key must be {size} bytes, got {got}",
    ),
    "signature.no_key_version": ("nøkkelversjonen er tom", "key version is empty"),
    # --- cash movements -----------------------------------------------------------------
    "cash.not_a_movement": ("{kind} er ikke en kontantbevegelse", "{kind} is not a cash movement"),
    "cash.not_positive": (
        "Beløpet må være over 0 (fikk {amount}).",
        "a cash movement needs a positive amount, got {amount}",
    ),
    "cash.naive_time": (
        "en kontantbevegelse trenger et tidspunkt med tidssone",
        "a cash movement needs an aware time",
    ),
    # --- signing keys -------------------------------------------------------------------
    "keys.none_recorded": (
        "Kasse {register} har ingen nøkkelversjon i databasen",
        "register {register} has no key version in the database",
    ),
    "keys.version_not_recorded": (
        "Kasse {register} har ikke nøkkelversjon {version!r} i databasen",
        "register {register} has no key version {version!r} in the database",
    ),
    "keys.hmac_has_no_public": (
        "Nøkkelversjon {version} for kasse {register} er en HMAC-nøkkel uten offentlig "
        "nøkkel; hemmeligheten er oppgitt i RF-1348 i stedet",
        "key version {version} of register {register} is an HMAC key and has no public key; "
        "its secret is declared in RF-1348 instead",
    ),
    "keys.missing_here": (
        "Kasse {register_id} har signaturnøkler i databasen, men ingen i {keys_dir}: dette er "
        "ikke den kassens datamappe. Kontakt support.",
        "register {register_id} has signing keys in the database but none in {keys_dir}: "
        "this is not that till's data directory",
    ),
    "keys.not_this_directory": (
        "Nøkkelversjon {version} i {keys_dir} er ikke nøkkelen databasen har for kasse "
        "{register_id}: dette er ikke den kassens datamappe. Kontakt support.",
        "key version {version} in {keys_dir} is not the key the database has for register "
        "{register_id}: this is not that till's data directory",
    ),
    # --- registers and receipts ---------------------------------------------------------
    "register.bad_id": (
        "Ugyldig kasse-id: {register_id!r} (1-35 bokstaver og sifre, a-z og 0-9).",
        "not a register id: {register_id!r} (1-35 letters and digits, a-z and 0-9)",
    ),
    "register.unknown": (
        "Ukjent kasse {register_id!r} (kjente: {known}). En ny kasse settes opp med "
        "`omnipos registers add ID NAVN`.",
        "no register {register_id!r} (known: {known}); set up a new one with "
        "`omnipos registers add ID NAME`",
    ),
    "register.exists": (
        "Kasse {register_id} finnes allerede.",
        "register {register_id} already exists",
    ),
    "register.no_name": (
        "Kasse {register_id} trenger et navn.",
        "register {register_id} needs a name",
    ),
    "register.no_state": (
        "Kasse {register_id} mangler tilstand.",
        "register {register_id} has no state",
    ),
    "receipt.bad_id": (
        "Ugyldig kvitteringsnummer: {key!r} (f.eks. 1-123 eller 1-return-4).",
        "not a receipt id: {key!r} (for example 1-123 or 1-return-4)",
    ),
    "receipt.unknown": ("Fant ikke kvittering {receipt}.", "no receipt {receipt}"),
    # --- the SAF-T export ---------------------------------------------------------------
    "export.backwards": (
        "Perioden slutter ({last_day}) før den begynner ({first_day})",
        "the period ends ({last_day}) before it starts ({first_day})",
    ),
    "export.too_long": (
        "Perioden {first_day} til {last_day} er lengre enn {maximum} dager",
        "the period {first_day} to {last_day} is longer than {maximum} days",
    ),
}
