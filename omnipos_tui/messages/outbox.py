"""Texts of delivering the outbox (``delivery.*``) and of what ``omnipos doctor`` says about
it (``outbox.*``): code -> (bokmål, English).

The far end's own words (an accounting system's, a web shop's, a device's) are the
``detail``; they come as the far end wrote them."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "delivery.deferred": ("Levering utsatt: {detail}", "delivery deferred: {detail}"),
    "delivery.rejected": ("Levering avvist: {detail}", "delivery rejected: {detail}"),
    # --- what omnipos doctor says about the outbox (services/outbox/health.py) -----------
    "outbox.no_worker": (
        "ingen arbeider kjører og {waiting} melding(er) venter på en{seen}",
        "no worker is running and {waiting} message(s) wait for one{seen}",
    ),
    "outbox.last_seen": ("; sist sett {when}", "; last seen {when}"),
    "outbox.never_ran": ("; ingen har noen gang kjørt", "; none has ever run"),
    "outbox.no_worker_fix": (
        "Start den: 'systemctl start omnipos-worker' (config/omnipos-worker.service) eller "
        "'omnipos worker'",
        "start it: 'systemctl start omnipos-worker' (config/omnipos-worker.service) "
        "or 'omnipos worker'",
    ),
    "outbox.late": (
        "{kind}: {waiting} venter på {who}, den eldste siden {since}{error}",
        "{kind}: {waiting} waiting for {who}, the oldest since {since}{error}",
    ),
    "outbox.the_till": ("kassen til kasse {registers}", "the till of register {registers}"),
    "outbox.the_worker": ("arbeideren", "the worker"),
    "outbox.late_error": (" (siste feil: {error})", " (last error: {error})"),
    "outbox.late_till_fix": (
        "Start kassen til den kassen (den leverer kvitteringene sine ved start)",
        "start the till of that register (it delivers its receipts at start)",
    ),
    "outbox.late_worker_fix": (
        "Se 'omnipos worker status' og arbeiderens logg",
        "see 'omnipos worker status' and the worker's log",
    ),
    "outbox.failed": ("{kind}: {failed} feilet{error}", "{kind}: {failed} failed{error}"),
    "outbox.failed_error": (" ({error})", " ({error})"),
    "outbox.failed_fix": (
        "Rett opp årsaken, og så 'omnipos worker retry' (eller 'omnipos worker retry NØKKEL')",
        "fix the cause, then 'omnipos worker retry' (or 'omnipos worker retry KEY')",
    ),
    "outbox.all_well": (
        "{done} levert, ingenting forsinket eller feilet{running}",
        "{done} delivered, nothing late or failed{running}",
    ),
    "outbox.running": ("; arbeider {workers} kjører", "; worker {workers} running"),
}
