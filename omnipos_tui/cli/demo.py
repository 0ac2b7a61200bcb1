"""``omnipos demo seed``: realistic days of trading through the real services.

Every sale, return, report and drawer opening is numbered, signed and journaled as at a
real till, so X/Z reports, ``journal verify`` and the SAF-T export have history to show.
The same ``--seed`` on the same shop and signing key gives the same transactions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from omnipos_tui.bootstrap import build
from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.dates import parse_day
from omnipos_tui.cli.output import console, print_json, table
from omnipos_tui.cli.state import services, state
from omnipos_tui.core.clock import FixedClock, business_day
from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.shop.company import checked_register_id
from omnipos_tui.demo.seed import SeedPlan, SeedResult, seed_demo
from omnipos_tui.settings import Settings

app = typer.Typer(no_args_is_help=True)

INIT_DAYS = 3
INIT_SALES_PER_DAY = 20
INIT_SEED = 2026


def run_seed(settings: Settings, plan: SeedPlan) -> SeedResult:
    """Seed with services of their own whose clock the seeder moves through the days.

    Raises:
        InvalidInput, RuleViolation, NotFound: See :func:`seed_demo`.
    """
    clock = FixedClock(datetime.combine(plan.first_day, datetime.min.time(), tzinfo=UTC))
    seeding = build(settings, clock=clock)
    try:
        seeded = seed_demo(seeding, clock, plan)
        # The Z reports' settlement vouchers are booked now, as a till's in-process relay
        # would ([accounting] kind = "file" in the demo): no worker needs to run.
        seeding.outbox.dispatcher.drain()
        return seeded
    finally:
        seeding.close()


def report(result: SeedResult) -> None:
    """What a seed did, as a short table."""
    table(
        f"Seeded {result.first_day} to {result.last_day}: {result.transactions} transactions",
        ("What", "Count"),
        ([what, str(count)] for what, count in result.counts.items()),
    )


@app.command("seed")
def seed(
    ctx: typer.Context,
    *,
    days: Annotated[int, typer.Option("--days", min=1, help="Trading days.")] = 3,
    sales_per_day: Annotated[
        int, typer.Option("--sales-per-day", min=1, help="Customers a day.")
    ] = 50,
    seed_value: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same days).")
    ] = 1,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Last trading day, YYYY-MM-DD (default: yesterday).", metavar="DATE"
        ),
    ] = None,
    register: Annotated[
        str | None,
        typer.Option("--register", help="Register ID (default: this till's).", metavar="ID"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable summary.")] = False,
    employee: EmployeeOption = None,
    pin: PinOption = None,
) -> None:
    """Run days of realistic trading (ending yesterday) through the real services.

    Needs the demo shop (omnipos init --demo --demo-days 0), a register without sales and
    an admin at the keyboard (the demo's admin is 9, PIN 0000). A register the shop does
    not have yet is set up first (as omnipos registers add does).
    """
    app_services = services(ctx)
    if not app_services.setup.is_initialised():
        raise RuleViolation("the shop is not initialised: run 'omnipos init --demo' first")
    settings = state(ctx).settings
    register_id = checked_register_id(register or settings.shop.register_id)
    who(ctx, employee, pin, role=Role.ADMIN)
    today = business_day(app_services.clock.now())
    last_day = parse_day(until, "--until") if until else today - timedelta(days=1)
    if last_day >= today:
        raise InvalidInput(
            f"--until {last_day} is not in the past: the demo writes history before today"
        )
    plan = SeedPlan(
        days=days,
        sales_per_day=sales_per_day,
        seed=seed_value,
        last_day=last_day,
        register_id=register_id,
    )
    result = run_seed(settings, plan)
    if as_json:
        print_json(
            {
                "from": result.first_day.isoformat(),
                "to": result.last_day.isoformat(),
                "transactions": result.transactions,
                "counts": result.counts,
            }
        )
        return
    report(result)
    console().print("Check it: omnipos journal verify; omnipos reports sales --from ...")
