"""Setting up the demo shop through the real set-up service (``omnipos init --demo``)."""

from __future__ import annotations

from dataclasses import replace

from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.shop.company import Register
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.demo import data as demo_data
from omnipos_tui.services.shop.setup import InitResult, SetupService


def initialise_demo(
    setup: SetupService, clock: Clock, *, register: Register | None = None
) -> InitResult:
    """Create the demo shop: company, register, groups, 200+ products, demo staff and
    customers. The result lists every demo employee with their PIN.

    Raises:
        RuleViolation: The database is already initialised.
    """
    staff = demo_data.demo_staff()
    admin, admin_pin = next((e, pin) for e, pin in staff if e.role is Role.ADMIN)
    result = setup.initialise(
        company=demo_data.demo_company(),
        register=register or Register("1", "Kasse 1"),
        admin=admin,
        admin_pin=admin_pin,
        groups=demo_data.demo_groups(),
        products=demo_data.demo_products(business_day(clock.now())),
        staff=[(e, pin) for e, pin in staff if e is not admin],
        customers=demo_data.demo_customers(),
    )
    return replace(result, staff=staff)
