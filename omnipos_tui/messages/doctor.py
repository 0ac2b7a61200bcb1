"""Texts of ``omnipos doctor``'s findings (``doctor.*``): code -> (bokmål, English).

A finding is a topic, what was found and the fix; each is a code here. The database's, a
device's or a server's own words come as parameters, as they wrote them."""

from __future__ import annotations

_STOP_AND_VERIFY = (
    "Stopp salget og kjør 'omnipos journal verify'; la databasen være som den er og kontakt "
    "support (journalen må ikke endres)",
    "stop selling and run 'omnipos journal verify'; keep the database as it is and contact "
    "support (the journal must not be edited)",
)

TEXTS: dict[str, tuple[str, str]] = {
    # --- topics -------------------------------------------------------------------------
    "doctor.topic.database": ("database", "database"),
    "doctor.topic.integrity": ("databasens integritet", "database integrity"),
    "doctor.topic.triggers": ("append-only-triggere", "append-only triggers"),
    "doctor.topic.hash_chain": (
        "hashkjede (kasse {register})",
        "hash chain (register {register})",
    ),
    "doctor.topic.till_start": ("kassestart", "till start"),
    "doctor.topic.signature_chains": ("signaturkjeder", "signature chains"),
    "doctor.topic.signature_chain": (
        "signaturkjede (kasse {register})",
        "signature chain (register {register})",
    ),
    "doctor.topic.outbox": ("utboks", "outbox"),
    "doctor.topic.accounting": ("regnskap", "accounting"),
    "doctor.topic.signing_key": ("signeringsnøkkel", "signing key"),
    "doctor.topic.devices": ("enheter", "devices"),
    "doctor.topic.printer": (
        "skriver {name!r} ({kind}{where})",
        "printer {name!r} ({kind}{where})",
    ),
    "doctor.topic.device": ("{role} ({kind}{where})", "{role} ({kind}{where})"),
    "doctor.topic.disk": ("disk", "disk"),
    "doctor.topic.data_dir": ("datamappe", "data directory"),
    "doctor.topic.time_zone": ("tidssone", "time zone"),
    "doctor.topic.clock": ("klokke", "clock"),
    # --- pieces -------------------------------------------------------------------------
    "doctor.where": (", {where}", ", {where}"),
    "doctor.none": ("ingen", "none"),
    "doctor.none_yet": ("ingen ennå", "none yet"),
    "doctor.and_more": (" (og {more} til)", " (and {more} more)"),
    "doctor.as_found": ("{text}", "{text}"),
    "doctor.fix_database": ("Rett opp databasen", "fix the database"),
    "doctor.cannot_be_read": ("kan ikke leses: {error}", "cannot be read: {error}"),
    # --- the database -------------------------------------------------------------------
    "doctor.database.unusable": (
        "{where} kan ikke brukes: {error}",
        "{where} cannot be used: {error}",
    ),
    "doctor.database.unusable_fix": (
        "Sjekk databasens URL (OMNIPOS_DB_URL eller [database] url) og at tjeneren kjører og "
        "kan nås",
        "check the database URL (OMNIPOS_DB_URL or [database] url) and that the server is "
        "running and reachable",
    ),
    "doctor.database.not_set_up": ("{where} er ikke satt opp", "{where} is not set up"),
    "doctor.database.not_set_up_because": (
        "{where} er ikke satt opp ({integrity})",
        "{where} is not set up ({integrity})",
    ),
    "doctor.database.not_set_up_fix": (
        "Kjør 'omnipos init' (eller 'omnipos init --demo' for demobutikken)",
        "run 'omnipos init' (or 'omnipos init --demo' for the demo shop)",
    ),
    "doctor.database.behind": (
        "{where} har skjemaversjon {version}; denne OmniPOS trenger {latest}",
        "{where} is at schema version {version}; this OmniPOS needs {latest}",
    ),
    "doctor.database.behind_fix": (
        "Ta sikkerhetskopi ('omnipos db backup FIL'), og kjør så 'omnipos db migrate'",
        "back it up ('omnipos db backup FILE'), then run 'omnipos db migrate'",
    ),
    "doctor.database.ahead": (
        "{where} har skjemaversjon {version}, nyere enn denne OmniPOS ({latest})",
        "{where} is at schema version {version}, newer than this OmniPOS ({latest})",
    ),
    "doctor.database.ahead_fix": (
        "Installer OmniPOS-versjonen som laget den",
        "install the OmniPOS version that created it",
    ),
    "doctor.database.ok": (
        "{where} svarer, skjemaversjon {version}",
        "{where} reachable, schema version {version}",
    ),
    "doctor.integrity_fix": (
        "Stopp salget, kopier datamappen til side og hent tilbake siste sikkerhetskopi",
        "stop selling, copy the data directory aside and restore the last backup",
    ),
    "doctor.triggers.missing": (
        "mangler: {missing} (journalrader kan endres eller slettes)",
        "missing: {missing} (journal rows could be changed or deleted)",
    ),
    "doctor.triggers.missing_fix": (
        "Kjør 'omnipos db migrate' for å lage dem på nytt, så 'omnipos journal verify'",
        "run 'omnipos db migrate' to re-create them, then 'omnipos journal verify'",
    ),
    "doctor.triggers.ok": ("finnes på {tables}", "present on {tables}"),
    "doctor.hash_chain.ok": (
        "{events} journalhendelser og {transactions} transaksjoner er hele",
        "{events} journal events and {transactions} transactions whole",
    ),
    "doctor.hash_chain.broken": ("{where}: {detail}{more}", "{where}: {detail}{more}"),
    "doctor.stop_and_verify": _STOP_AND_VERIFY,
    # --- the register and the signatures ------------------------------------------------
    "doctor.register.unknown": (
        "denne kassen er kasse {register}, som butikken ikke har (kjente: {known})",
        "this till is register {register}, which the shop does not have (known: {known})",
    ),
    "doctor.register.unknown_fix": (
        "omnipos registers add {register} NAVN, eller sett shop.register_id til en kjent kasse",
        "omnipos registers add {register} NAME, or set shop.register_id to a known register",
    ),
    "doctor.signatures.unchecked": ("kan ikke sjekkes: {error}", "cannot be checked: {error}"),
    "doctor.signatures.unchecked_fix": (
        "Rett opp problemet nevnt over",
        "fix the problem named above",
    ),
    "doctor.signatures.partly": (
        "{checked} signerte transaksjoner stemmer, deretter ikke sjekket: {detail}",
        "{checked} signed transactions verify, then not checked: {detail}",
    ),
    "doctor.signatures.partly_fix": (
        "Kjør 'omnipos journal verify' der nøkkelen er",
        "run 'omnipos journal verify' where the key is",
    ),
    "doctor.signatures.broken": (
        "brutt ved transaksjon {nr} ({trans_id}): {detail}",
        "broken at transaction {nr} ({trans_id}): {detail}",
    ),
    "doctor.signatures.none_yet": (
        "ingen signerte transaksjoner ennå",
        "no signed transactions yet",
    ),
    "doctor.signatures.ok": (
        "{checked} signerte transaksjoner stemmer (siste nummer {last_nr})",
        "{checked} signed transactions verify (last number {last_nr})",
    ),
    # --- accounting ---------------------------------------------------------------------
    "doctor.accounting.backlog": (
        "{system}: {booked} bilag bokført, {waiting} venter{oldest}, {failed} feilet{last_error}",
        "{system}: {booked} voucher(s) booked, {waiting} waiting{oldest}, {failed} failed"
        "{last_error}",
    ),
    "doctor.accounting.oldest": (" (eldste {when})", " (oldest {when})"),
    "doctor.accounting.last_error": ("; siste feil {error}", "; last error {error}"),
    "doctor.accounting.retry_fix": (
        "Rett opp årsaken, og så: omnipos accounting retry",
        "fix the cause, then: omnipos accounting retry",
    ),
    "doctor.accounting.waiting_fix": (
        "Arbeideren prøver igjen selv: omnipos accounting status",
        "the worker tries again by itself: omnipos accounting status",
    ),
    # --- the signing key ----------------------------------------------------------------
    "doctor.key.missing": ("ingen signeringsnøkkel i {folder}", "no signing key in {folder}"),
    "doctor.key.missing_fix": (
        "Kjør 'omnipos init' (den lager nøkkelen)",
        "run 'omnipos init' (it creates the key)",
    ),
    "doctor.key.unreadable_fix": (
        "Gjør nøkkelen lesbar bare for kassens bruker",
        "make the key readable by the till user only",
    ),
    "doctor.key.ok": (
        "versjon {version} ({algorithm}), lesbar bare for eieren",
        "version {version} ({algorithm}), readable by the owner only",
    ),
    # --- devices ------------------------------------------------------------------------
    "doctor.devices.fix": ("Rett opp innstillingene i [devices]", "fix the [devices] settings"),
    "doctor.device.simulated_fix": (
        "Den simulerte enheten ble slått av; start kassen på nytt",
        "the simulated device was switched off; restart the till",
    ),
    "doctor.device.serial_fix": (
        "Sjekk kabel og strøm, så porten i [devices.{role}] (ls /dev/serial/by-id/ viser "
        "serielle enheter); 'omnipos hw list' sjekker på nytt",
        "check the cable and power, then the port in [devices.{role}] "
        "(ls /dev/serial/by-id/ lists serial devices); 'omnipos hw list' re-checks",
    ),
    "doctor.device.evdev_fix": (
        "Sjekk at skanneren er koblet til og [devices.scanner] by_id/device_name "
        "(ls /dev/input/by-id/); 'omnipos hw list' sjekker på nytt",
        "check the scanner is plugged in and [devices.scanner] by_id/device_name "
        "(ls /dev/input/by-id/); 'omnipos hw list' re-checks",
    ),
    "doctor.device.other_fix": (
        "Sjekk [devices.{role}] og enheten; 'omnipos hw list' sjekker på nytt",
        "check [devices.{role}] and the device; 'omnipos hw list' re-checks",
    ),
    # --- disk and clock -----------------------------------------------------------------
    "doctor.disk.free": ("{gb} GB ledig i {folder}", "{gb} GB free in {folder}"),
    "doctor.disk.fail_fix": (
        "Frigjør plass nå: journalen og utskriftskøen må kunne vokse",
        "free space now: the journal and spool must grow",
    ),
    "doctor.disk.warn_fix": (
        "Frigjør litt plass snart (gamle sikkerhetskopier, logger)",
        "free some space soon (old backups, logs)",
    ),
    "doctor.data_dir.read_only": (
        "{folder} er ikke skrivbar for denne brukeren",
        "{folder} is not writable by this user",
    ),
    "doctor.data_dir.read_only_fix": (
        "Kjør OmniPOS som eieren av {folder} (eller rett eieren med chown)",
        "run OmniPOS as the owner of {folder} (or fix its owner with chown)",
    ),
    "doctor.zone.missing": (
        "{zone} er ikke tilgjengelig (ingen tidssonedatabase)",
        "{zone} is not available (no time zone database)",
    ),
    "doctor.zone.missing_fix": (
        "Installer den: 'sudo apt install tzdata' (eller 'pip install tzdata')",
        "install it: 'sudo apt install tzdata' (or 'pip install tzdata')",
    ),
    "doctor.zone.ok": (
        "{zone} tilgjengelig (UTC{offset} nå)",
        "{zone} available (UTC{offset} now)",
    ),
    "doctor.clock.not_set": (
        "systemklokken viser {now:%Y-%m-%d %H:%M}: den er ikke stilt",
        "the system clock says {now:%Y-%m-%d %H:%M}: it is not set",
    ),
    "doctor.clock.not_set_fix": (
        "Still den: 'sudo timedatectl set-ntp true' (eller 'sudo date -s ...')",
        "set it: 'sudo timedatectl set-ntp true' (or 'sudo date -s ...')",
    ),
    "doctor.clock.went_back": (
        "systemklokken viser {now:%Y-%m-%d %H:%M}, men journalen har allerede oppføringer fra "
        "{later:%Y-%m-%d %H:%M}: klokken har gått tilbake",
        "the system clock says {now:%Y-%m-%d %H:%M}, but the journal already has entries from "
        "{later:%Y-%m-%d %H:%M}: the clock went back",
    ),
    "doctor.clock.went_back_fix": (
        "Rett klokken ('sudo timedatectl set-ntp true') før du selger",
        "correct the clock ('sudo timedatectl set-ntp true') before selling",
    ),
    "doctor.clock.ok": ("{now:%Y-%m-%d %H:%M} {zone}", "{now:%Y-%m-%d %H:%M} {zone}"),
}

_UNREACHABLE_FIX = (
    "Start PostgreSQL-tjeneren ('sudo systemctl start postgresql'), og sjekk vert og port i "
    "databasens URL (OMNIPOS_DB_URL eller [database] url) og eventuelle brannmurer mellom "
    "denne kassen og tjeneren ('pg_isready -h VERT -p PORT' svarer 'accepting connections')",
    "start the PostgreSQL server ('sudo systemctl start postgresql'), and check the host and "
    "port in the database URL (OMNIPOS_DB_URL or [database] url) and any firewall between "
    "this till and the server ('pg_isready -h HOST -p PORT' answers 'accepting connections')",
)
_REFUSED_FIX = (
    "Sjekk bruker, passord og databasenavn i databasens URL; databasen må finnes "
    "('createdb'), kasserollen må finnes ('omnipos db roles'), og tjenerens pg_hba.conf må "
    "slippe inn denne maskinen",
    "check the user, password and database name in the database URL; the database must "
    "exist ('createdb'), the till role must exist ('omnipos db roles'), and the server's "
    "pg_hba.conf must let this machine in",
)

TEXTS.update(
    {
        # --- the database server (doctor_server.py) -------------------------------------
        "doctor.topic.server": ("databasetjener", "database server"),
        "doctor.topic.time_limits": ("databasens tidsgrenser", "database time limits"),
        "doctor.topic.connections": ("databasetilkoblinger", "database connections"),
        "doctor.topic.role": ("databaserolle", "database role"),
        "doctor.server.refused": ("avviser denne kassen: {detail}", "refuses this till: {detail}"),
        "doctor.server.refused_fix": _REFUSED_FIX,
        "doctor.server.unreachable": ("svarer ikke: {detail}", "does not answer: {detail}"),
        "doctor.server.unreachable_fix": _UNREACHABLE_FIX,
        "doctor.server.no_settings": (
            "svarer, men innstillingene kan ikke leses: {error}",
            "answers, but its settings cannot be read: {error}",
        ),
        "doctor.server.ok": (
            "PostgreSQL {version} svarer på {ms} ms",
            "PostgreSQL {version} answers in {ms} ms",
        ),
        "doctor.server.time_limits": (
            "låsventing {lock}, spørring {statement}, ledig i en transaksjon {idle}",
            "lock wait {lock}, statement {statement}, idle in a transaction {idle}",
        ),
        "doctor.server.connections_unknown": ("{used} av {most}", "{used} of {most}"),
        "doctor.server.connections": (
            "{used} i bruk på denne databasen, tjeneren tillater {most}",
            "{used} in use on this database, the server allows {most}",
        ),
        "doctor.server.connections_fix": (
            "Øk max_connections i postgresql.conf (hver kasse, arbeideren og hver kommando "
            "holder tilkoblinger), og start tjeneren på nytt utenom åpningstiden",
            "raise max_connections in postgresql.conf (each till, the worker and each "
            "command keep connections), then restart the server out of opening hours",
        ),
        "doctor.server.role_fix": (
            "Kjør 'omnipos db roles' én gang som eier, og la så hver kasse koble til som "
            "kasserollen (postgresql://omnipos_till:...@server/shop)",
            "run 'omnipos db roles' once as the owner, then let every till connect as the "
            "till role (postgresql://omnipos_till:...@server/shop)",
        ),
        # --- the data at rest (doctor_files.py) -----------------------------------------
        "doctor.topic.file_modes": ("filmoduser", "file modes"),
        "doctor.topic.pin_hashes": ("PIN-hasher", "PIN hashes"),
        "doctor.files.allowed": ("{mode}", "{mode}"),
        "doctor.files.allowed_group": ("{mode}, gruppe {group}", "{mode}, group {group}"),
        "doctor.files.ok": (
            "database og datafiler er {allowed} eller strengere",
            "database and data files are {allowed} or tighter",
        ),
        "doctor.files.loose": (
            "{path}: {problem}; den har PIN-hasher, salg og kunder",
            "{path}: {problem}; it holds PIN hashes, sales and customers",
        ),
        "doctor.files.loose_fix": (
            "Kjør '{command}' (security.file_group bestemmer hvem ellers som kan lese den)",
            "run '{command}' (security.file_group sets who else may read it)",
        ),
        "doctor.pins.cost": (
            "én gjetning koster {seconds} s her (scrypt N=2^{cost}): hver {digits}-sifret PIN "
            "på {every} på én kjerne{advice}",
            "one guess costs {seconds} s here (scrypt N=2^{cost}): every {digits}-digit PIN in "
            "{every} on one core{advice}",
        ),
        "doctor.pins.advice": (
            "; krev 6 sifre (security.pin_min_digits = 6) for {every}",
            "; require 6 digits (security.pin_min_digits = 6) for {every}",
        ),
        "doctor.duration.days": ("{count} dager", "{count} days"),
        "doctor.duration.hours": ("{count} timer", "{count} hours"),
        "doctor.duration.minutes": ("{count} minutter", "{count} minutes"),
    }
)

TEXTS.update(
    {
        # --- the web shop (services/webshop/health.py) ----------------------------------
        "doctor.topic.webshop": ("nettbutikk", "web shop"),
        "doctor.topic.webshop_direction": ("nettbutikk {direction}", "web shop {direction}"),
        "doctor.webshop.last_error": (
            "siste feil: {error}{backlog}",
            "last error: {error}{backlog}",
        ),
        "doctor.webshop.backlog": ("; {waiting} venter", "; {waiting} waiting"),
        "doctor.webshop.last_error_fix": (
            "omnipos webshop status; når årsaken er rettet: omnipos worker retry",
            "omnipos webshop status; after fixing the cause: omnipos worker retry",
        ),
        "doctor.webshop.problems": (
            "{count} problem(er), nyeste: {newest}",
            "{count} problem(s), newest: {newest}",
        ),
        "doctor.webshop.problems_fix": (
            "omnipos webshop status viser dem",
            "omnipos webshop status lists them",
        ),
        "doctor.webshop.ok": (
            "{kind} {url}: {products} varer og {customers} kunder koblet, {orders} nettordrer",
            "{kind} {url}: {products} products and {customers} customers linked, "
            "{orders} web orders",
        ),
        # --- what the CLI checks itself (cli/doctor.py) ---------------------------------
        "doctor.topic.configuration": ("konfigurasjon", "configuration"),
        "doctor.topic.checks": ("sjekker", "checks"),
        "doctor.config.fix": (
            "Rett filen (config/default.toml beskriver hver nøkkel), og kjør så "
            "'omnipos config show'",
            "correct the file (config/default.toml documents every key), then run "
            "'omnipos config show'",
        ),
        "doctor.config.ok": ("gyldig ({source})", "valid ({source})"),
        "doctor.config.defaults": ("standardverdier", "defaults"),
        "doctor.checks.fix": (
            "Rett dette og kjør 'omnipos doctor' igjen",
            "fix this and run 'omnipos doctor' again",
        ),
        "doctor.keymap.fix": (
            "Sett [till] keymap til en av: {names} (eller legg den filen i {folder}); kassen "
            "starter ikke før det",
            "set [till] keymap to one of: {names} (or add that file to {folder}); the till "
            "will not start until then",
        ),
        "doctor.till_start.ok": (
            "tastaturoppsett {keymap!r} og språk {language!r} lastes",
            "key map {keymap!r} and language {language!r} load",
        ),
    }
)
