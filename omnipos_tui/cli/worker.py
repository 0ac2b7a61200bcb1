"""``omnipos worker``: the long-running background process that delivers the outbox.

``omnipos worker`` runs until stopped (SIGTERM, as systemd sends it, or Ctrl-C) and logs to
standard error (the journal under systemd; ``config/omnipos-worker.service``).
``--once`` delivers what is due and exits. The long-running worker lowers its own CPU
priority to ``--nice`` (10 unless told; never raised back), so on a small box shared with
the till a long reconcile never starves the till. ``worker status`` shows each outbox kind with
its counts by state, the oldest row waiting and the last error, and the workers' last
heartbeats; ``worker retry [KEY]`` puts failed rows back in line after the cause is fixed.
Device rows (``device.*``: receipts, drawer kicks, the customer display) are delivered by
the till of their register, never by a worker; ``status`` lists them with that register.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.output import JsonValue, print_json, table
from omnipos_tui.cli.state import services
from omnipos_tui.core.clock import local
from omnipos_tui.core.outbox import DeliveryReport, OutboxState, is_device_kind
from omnipos_tui.services.outbox.worker import POLL_S, OutboxStatus
from omnipos_tui.wiring.webshop import webhook_listener

if TYPE_CHECKING:
    from omnipos_tui.integrations.webshop.webhook import WebhookListener

app = typer.Typer(no_args_is_help=False)

NICE = 10
"""The worker's CPU niceness unless ``--nice`` says otherwise."""

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


@app.callback(invoke_without_command=True)
def worker(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit.")
    ] = False,
    poll: Annotated[
        float,
        typer.Option("--poll", min=0.1, help="Seconds between passes when nothing was due."),
    ] = POLL_S,
    nice: Annotated[
        int,
        typer.Option(
            "--nice",
            min=0,
            max=19,
            help="CPU niceness to run at (higher: lower priority than the till; 0 keeps it).",
        ),
    ] = NICE,
) -> None:
    """Deliver the outbox: run until stopped (SIGTERM or Ctrl-C), or with --once drain and
    exit. On SQLite one worker runs at a time."""
    if ctx.invoked_subcommand is not None:
        return
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    outbox = services(ctx).outbox
    loop = outbox.worker(poll_s=poll)
    kinds = sorted(outbox.dispatcher.worker_kinds)

    def stop(signum: int, frame: FrameType | None) -> None:
        loop.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    listener = None if once else _webhooks(ctx, loop.wake)
    if not once:
        niceness = lower_priority(nice)
        typer.echo(
            f"worker {loop.dispatcher.by} delivering {', '.join(kinds) or 'no kinds yet'} "
            f"at nice {niceness}; stop with Ctrl-C or SIGTERM",
            err=True,
        )
    try:
        total = loop.run(once=once, on_pass=_log_pass)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if listener is not None:
            listener.close()
    typer.echo(
        f"delivered {total.done}, deferred {total.deferred}, failed {total.failed}"
        + ("" if kinds else " (no outbox kinds are configured for the worker)")
    )


def _webhooks(ctx: typer.Context, wake_loop: Callable[[], None]) -> WebhookListener | None:
    """Start the web shop's webhook endpoint when configured: each verified webhook wakes
    the puller and the loop (its body is never read)."""
    shop = services(ctx)

    def wake() -> None:
        shop.webshop.wake()
        wake_loop()

    listener = webhook_listener(shop.settings, wake)
    if listener is None:
        return None
    listener.start()
    section = shop.settings.webshop
    typer.echo(
        f"web shop webhooks on http://{section.webhook_host}:{listener.port}/ "
        "(verified by X-WC-Webhook-Signature; they only wake the puller)",
        err=True,
    )
    return listener


def lower_priority(target: int) -> int:
    """Raise this process's niceness to ``target`` (never lower it: that needs root and
    would put the worker before the till); returns the niceness now."""
    current = os.nice(0)
    if target > current:
        current = os.nice(target - current)
    return current


def _log_pass(report: DeliveryReport) -> None:
    log = logging.getLogger("omnipos.worker")
    log.info("delivered %d, deferred %d, failed %d", report.done, report.deferred, report.failed)
    for failure in report.errors:
        log.warning("%s %s: %s", failure.kind, failure.key, failure.error)


@app.command("status")
def status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Each outbox kind with counts by state, oldest waiting, last error; the workers."""
    current = services(ctx).outbox.status()
    if as_json:
        print_json(status_json(current))
        return
    rows = [
        [
            kind.kind,
            ", ".join(f"till {o}" for o in kind.owners) if is_device_kind(kind.kind) else "worker",
            *(str(kind.counts.get(state, 0)) for state in OutboxState),
            _when(kind.oldest_pending),
            kind.last_error,
        ]
        for kind in current.kinds
    ]
    if rows:
        columns = ("Kind", "Delivered by", *(s.value for s in OutboxState), "Oldest waiting")
        table("Outbox", (*columns, "Last error"), rows)
    else:
        typer.echo("The outbox is empty.")
    running = current.running
    if running:
        for beat in running:
            typer.echo(f"worker {beat.worker} running since {_when(beat.started_at)}")
    else:
        last = current.workers[0] if current.workers else None
        seen = f" (last seen {_when(last.seen_at)}: {last.worker})" if last else ""
        typer.echo(f"no worker is running{seen}")


@app.command("retry")
def retry(
    ctx: typer.Context,
    key: Annotated[
        str | None, typer.Argument(help="The key of the failed message(s); all when left out.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Put failed messages back in line (after the cause was fixed; manager or admin)."""
    who(ctx, employee, pin, role=Role.MANAGER)
    count = services(ctx).outbox.retry(key, kind=kind)
    what = f" with key {key}" if key else ""
    typer.echo(f"{count} failed message(s){what} put back in line")


def status_json(current: OutboxStatus) -> dict[str, JsonValue]:
    """``worker status --json``."""
    return {
        "at": current.at.isoformat(),
        "kinds": [
            {
                "kind": k.kind,
                "delivered_by": "till" if is_device_kind(k.kind) else "worker",
                "owners": list(k.owners),
                "counts": {state.value: k.counts.get(state, 0) for state in OutboxState},
                "oldest_pending": None
                if k.oldest_pending is None
                else k.oldest_pending.isoformat(),
                "last_error": k.last_error,
                "last_error_at": None if k.last_error_at is None else k.last_error_at.isoformat(),
            }
            for k in current.kinds
        ],
        "workers": [
            {
                "worker": w.worker,
                "started_at": w.started_at.isoformat(),
                "seen_at": w.seen_at.isoformat(),
                "stopped_at": None if w.stopped_at is None else w.stopped_at.isoformat(),
            }
            for w in current.workers
        ],
        "running": [w.worker for w in current.running],
    }


def _when(moment: datetime | None) -> str:
    return "" if moment is None else local(moment).strftime("%d.%m.%Y %H:%M:%S")
